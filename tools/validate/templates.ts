/**
 * Terraform JSON strings are templates: `${ expression }` interpolations in
 * literal text (`$${` writes a literal `${`). These helpers find the references
 * in them and replace references with literal values, leaving everything else,
 * function calls included, as Terraform will evaluate it.
 */

/** A reference to an element's attribute: `aws_kms_key.key.arn`, `data.aws_region.region.id`. */
export interface Reference {
  /** `aws_kms_key.key` or `data.aws_region.region`. */
  readonly address: string;
  readonly attribute: string;
}

/** The `[start, end)` ranges of the interpolations' expressions in `template` (inside `${` and `}`). */
function interpolations(template: string): [number, number][] {
  const found: [number, number][] = [];
  for (let index = 0; index < template.length; index += 1) {
    if (template.startsWith('$${', index)) {
      index += 2;
      continue;
    }
    if (!template.startsWith('${', index)) continue;
    const start = index + 2;
    let depth = 1;
    let cursor = start;
    let quoted = false;
    for (; cursor < template.length && depth > 0; cursor += 1) {
      const char = template[cursor];
      if (quoted) {
        if (char === '\\') cursor += 1;
        else if (char === '"') quoted = false;
      } else if (char === '"') quoted = true;
      else if (char === '{') depth += 1;
      else if (char === '}') depth -= 1;
    }
    found.push([start, cursor - 1]);
    index = cursor - 1;
  }
  return found;
}

/** The parts of an expression outside its quoted strings, where references can be. */
function codeRanges(expression: string): [number, number][] {
  const ranges: [number, number][] = [];
  let start = 0;
  let quoted = false;
  for (let index = 0; index < expression.length; index += 1) {
    const char = expression[index];
    if (quoted) {
      if (char === '\\') index += 1;
      else if (char === '"') {
        quoted = false;
        start = index + 1;
      }
    } else if (char === '"') {
      ranges.push([start, index]);
      quoted = true;
    }
  }
  if (!quoted) ranges.push([start, expression.length]);
  return ranges;
}

const REFERENCE = /(?<![\w.-])((?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z0-9_-]+)\.([a-z_][a-z0-9_]*)/g;

/** An HCL string literal holding `value`, for use inside an expression. */
const quoted = (value: string) =>
  `"${value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\$\{/g, () => '$${')
    .replace(/%\{/g, () => '%%{')}"`;

/**
 * `template` with each reference that `replacement` gives a value for replaced
 * by that value: the whole string when it is exactly that reference, else a
 * quoted string in the expression. Returns the new template and the number of
 * references replaced.
 */
export function replaceReferences(
  template: string,
  replacement: (reference: Reference) => string | undefined,
): { readonly text: string; readonly replaced: number } {
  const whole = /^\$\{((?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z0-9_-]+)\.([a-z_][a-z0-9_]*)\}$/.exec(template);
  if (whole !== null) {
    const value = replacement({ address: whole[1], attribute: whole[2] });
    if (value !== undefined) return { text: value, replaced: 1 };
  }
  let replaced = 0;
  let text = '';
  let last = 0;
  for (const [start, end] of interpolations(template)) {
    const expression = template.slice(start, end);
    let rewritten = '';
    let cursor = 0;
    for (const [codeStart, codeEnd] of codeRanges(expression)) {
      rewritten += expression.slice(cursor, codeStart);
      rewritten += expression
        .slice(codeStart, codeEnd)
        .replace(REFERENCE, (match, address: string, attribute: string) => {
          const value = replacement({ address, attribute });
          if (value === undefined) return match;
          replaced += 1;
          return quoted(value);
        });
      cursor = codeEnd;
    }
    rewritten += expression.slice(cursor);
    text += template.slice(last, start) + rewritten;
    last = end;
  }
  return { text: text + template.slice(last), replaced };
}

/** Every reference in a template's interpolations. */
export function referencesIn(template: string): Reference[] {
  const found: Reference[] = [];
  replaceReferences(template, (reference) => {
    found.push(reference);
    return undefined;
  });
  return found;
}
