/** Compiled patterns by flags and pattern: permission checks match the same few hundred patterns thousands of times in a fleet. */
const compiled = new Map<string, RegExp>();
/** Bounds the memory of a long-lived process that matches ever new patterns. */
const MAX_COMPILED = 10_000;

/** Whether `text` matches a glob `pattern` (`*` any run of characters, `?` one), as IAM and GitHub branch patterns do. */
export function globMatches(pattern: string, text: string, options: { readonly ignoreCase?: boolean } = {}): boolean {
  const flags = options.ignoreCase ? 'i' : '';
  const key = `${flags}:${pattern}`;
  let regex = compiled.get(key);
  if (regex === undefined) {
    const source = pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    regex = new RegExp(`^${source}$`, flags);
    compiled.set(key, regex);
  }
  return regex.test(text);
}
