import { memoized } from '../../../guardrails/core/memo';

describe('memoized', () => {
  test('computes each key once, null results included, and stays right after it forgets', () => {
    const calls: string[] = [];
    const lengthOrNull = memoized((key) => (calls.push(key), key === '' ? null : key.length));
    expect([lengthOrNull('abc'), lengthOrNull('abc'), lengthOrNull(''), lengthOrNull('')]).toEqual([3, 3, null, null]);
    expect(calls).toEqual(['abc', '']);
    for (let index = 0; index < 20_000; index += 1) expect(lengthOrNull(`k${index}`)).toBe(`k${index}`.length);
    expect(lengthOrNull('abc')).toBe(3);
    expect(calls.length).toBe(20_003);
  });
});
