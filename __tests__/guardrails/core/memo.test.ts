import { memoized } from '../../../guardrails/core/memo';

describe('memoized', () => {
  test('computes each key once, null results included, and stays right after it forgets', () => {
    const calls: string[] = [];
    const lengthOrNull = memoized((key) => (calls.push(key), key === '' ? null : key.length));
    expect([lengthOrNull('abc'), lengthOrNull('abc'), lengthOrNull(''), lengthOrNull('')]).toEqual([3, 3, null, null]);
    expect(calls).toEqual(['abc', '']);
    // Past its bound the memo forgets, and still answers right (one comparison: 20,000 expects take Jest 2 s).
    const keys = Array.from({ length: 20_000 }, (_, index) => `k${index}`);
    expect(keys.map(lengthOrNull)).toEqual(keys.map((key) => key.length));
    expect(lengthOrNull('abc')).toBe(3);
    expect(calls.length).toBe(20_003);
  });
});
