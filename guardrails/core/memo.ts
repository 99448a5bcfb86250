/** How many results a memo holds before it forgets them all: a long-lived process may meet ever new keys. */
const MAX_MEMOIZED = 10_000;

/**
 * `compute`, remembering its result for each key: the guardrails meet the same
 * few hundred patterns and names thousands of times in a fleet. `compute` must
 * not return undefined, which marks a key not yet seen.
 */
export function memoized<T extends NonNullable<unknown> | null>(compute: (key: string) => T): (key: string) => T {
  const results = new Map<string, T>();
  return (key) => {
    let result = results.get(key);
    if (result === undefined) {
      if (results.size >= MAX_MEMOIZED) results.clear();
      results.set(key, (result = compute(key)));
    }
    return result;
  };
}
