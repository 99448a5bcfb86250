/** How many results a memo holds before it forgets them all: a long-lived process may meet ever new keys. */
const MAX_MEMOIZED = 10_000;

/** A memoized function, which can also be told a result computed another way. */
export interface Memoized<T> {
  (key: string): T;
  /** Whether a result for `key` is held. */
  has(key: string): boolean;
  /** Holds `result` for `key`, as if computed. */
  remember(key: string, result: T): void;
}

/**
 * `compute`, remembering its result for each key: the guardrails meet the same
 * few hundred patterns and names thousands of times in a fleet. `compute` must
 * not return undefined, which marks a key not yet seen.
 */
export function memoized<T extends NonNullable<unknown> | null>(compute: (key: string) => T): Memoized<T> {
  const results = new Map<string, T>();
  const remember = (key: string, result: T) => {
    if (results.size >= MAX_MEMOIZED) results.clear();
    results.set(key, result);
  };
  const memo = (key: string) => {
    let result = results.get(key);
    if (result === undefined) remember(key, (result = compute(key)));
    return result;
  };
  return Object.assign(memo, { has: (key: string) => results.has(key), remember });
}
