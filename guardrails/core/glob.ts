/**
 * Compiled patterns, one map per case mode, keyed by the pattern itself: permission checks match the same few
 * hundred patterns thousands of times in a fleet, and a key built per call would be hashed anew each time.
 */
const compiled = { exact: new Map<string, RegExp | null>(), ignoreCase: new Map<string, RegExp | null>() };
/** Marks a case-sensitive pattern without wildcards, which only its own text matches: most resource ARNs, unique to each stack. */
const LITERAL = null;
/** Bounds the memory of a long-lived process that matches ever new patterns. */
const MAX_COMPILED = 10_000;

/** Whether `text` matches a glob `pattern` (`*` any run of characters, `?` one), as IAM and GitHub branch patterns do. */
export function globMatches(pattern: string, text: string, options: { readonly ignoreCase?: boolean } = {}): boolean {
  // Most policy patterns name one action or resource exactly: equal text matches in any mode.
  if (pattern === text) return true;
  const cache = options.ignoreCase ? compiled.ignoreCase : compiled.exact;
  let regex = cache.get(pattern);
  if (regex === undefined) {
    if (cache.size >= MAX_COMPILED) cache.clear();
    if (!options.ignoreCase && !/[*?]/.test(pattern)) {
      cache.set(pattern, LITERAL);
      return false;
    }
    const source = pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    regex = new RegExp(`^${source}$`, options.ignoreCase ? 'i' : '');
    cache.set(pattern, regex);
  }
  return regex !== LITERAL && regex.test(text);
}
