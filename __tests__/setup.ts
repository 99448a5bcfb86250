import type { setupJest } from 'cdktf/lib/testing/adapters/jest';

/**
 * cdktf's Jest matchers (`toHaveResource`, ...), in every test file, loaded
 * with cdktf when a test first uses one: a third of the test files never build
 * a stack, and loading cdktf for each of them cost about 100 ms of CPU.
 */
const CDKTF_MATCHERS = [
  'toHaveResource',
  'toHaveResourceWithProperties',
  'toHaveDataSource',
  'toHaveDataSourceWithProperties',
  'toHaveProvider',
  'toHaveProviderWithProperties',
  'toBeValidTerraform',
  'toPlanSuccessfully',
] as const;

type Matchers = Parameters<typeof expect.extend>[0];
let loaded: Matchers | undefined;

/** The matchers cdktf's `Testing.setupJest()` would register, taken from its call of `expect.extend`. */
function cdktfMatchers(): Matchers {
  if (loaded === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const adapter = require('cdktf/lib/testing/adapters/jest') as { setupJest: typeof setupJest };
    const extend = expect.extend;
    let captured: Matchers = {};
    expect.extend = (matchers) => void (captured = matchers);
    try {
      adapter.setupJest();
    } finally {
      expect.extend = extend;
    }
    // A cdktf that adds or renames a matcher must not leave it silently unregistered.
    if (Object.keys(captured).sort().join() !== [...CDKTF_MATCHERS].sort().join()) {
      throw new Error(`cdktf's Jest matchers are ${Object.keys(captured).join(', ')}; __tests__/setup.ts lists ${CDKTF_MATCHERS.join(', ')}`);
    }
    loaded = captured;
  }
  return loaded;
}

expect.extend(
  Object.fromEntries(
    CDKTF_MATCHERS.map((name) => [
      name,
      function (this: jest.MatcherContext, ...args: unknown[]) {
        return (cdktfMatchers()[name] as (this: jest.MatcherContext, ...args: unknown[]) => jest.CustomMatcherResult).apply(this, args);
      },
    ]),
  ),
);
