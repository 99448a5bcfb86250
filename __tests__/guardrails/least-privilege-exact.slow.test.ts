import { goldenShapes, unnoticedWidenings } from './policy-mutations';

test.each(goldenShapes())(
  "every statement of the %s shape's policies is exactly what is needed: any widening is a finding",
  (shape) => {
    const { tried, unnoticed } = unnoticedWidenings(shape);
    expect(tried).toBeGreaterThan(0);
    expect(unnoticed).toEqual([]);
  },
  300_000,
);
