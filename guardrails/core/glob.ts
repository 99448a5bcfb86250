/** Whether `text` matches a glob `pattern` (`*` any run of characters, `?` one), as IAM and GitHub branch patterns do. */
export function globMatches(pattern: string, text: string, options: { readonly ignoreCase?: boolean } = {}): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, options.ignoreCase ? 'i' : '').test(text);
}
