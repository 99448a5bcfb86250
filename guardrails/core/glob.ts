import { memoized } from './memo';

/**
 * Marks a case-sensitive pattern without wildcards, which only its own text matches: most resource ARNs, unique to each
 * stack.
 */
const LITERAL = null;

const compile = (pattern: string, flags: string): RegExp => {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, flags);
};

/**
 * Each pattern compiled once per case mode, keyed by the pattern itself (a key built per call would be hashed anew each
 * time).
 */
const compiledExact = memoized((pattern) => (/[*?]/.test(pattern) ? compile(pattern, '') : LITERAL));
const compiledIgnoringCase = memoized((pattern) => compile(pattern, 'i'));

/**
 * Whether `text` matches a glob `pattern` (`*` any run of characters, `?` one), as IAM and GitHub branch patterns do.
 */
export function globMatches(pattern: string, text: string, options: { readonly ignoreCase?: boolean } = {}): boolean {
  // Most policy patterns name one action or resource exactly: equal text matches in any mode.
  if (pattern === text) return true;
  const regex = (options.ignoreCase ? compiledIgnoringCase : compiledExact)(pattern);
  return regex !== LITERAL && regex.test(text);
}
