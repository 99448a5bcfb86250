/** Text as a Markdown table cell: a `|` would end the cell. */
export const cell = (text: string): string => text.replace(/\|/g, '\\|');
