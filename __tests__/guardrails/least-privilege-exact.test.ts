import { unnoticedWidenings } from './policy-mutations';

// The default shape here; every golden shape in least-privilege-exact.slow.test.ts (a named step of .ci/run).
test("every statement of the default shape's policies is exactly what is needed: any widening is a finding", () => {
  const { tried, unnoticed } = unnoticedWidenings('default');
  expect(tried).toBeGreaterThan(50);
  expect(unnoticed).toEqual([]);
});
