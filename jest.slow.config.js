/**
 * Opt-in suite (the `*.slow.test.ts` files), a named step of .ci/run: real processes end to end. The app as users
 * start it (`app/process.slow.test.ts`: its output, byte for byte, with and without the speedups; a bad
 * configuration's exit), how it builds its bundle (`app/launch.slow.test.ts`), and synth processes killed at random
 * moments and raced (`app/kill.slow.test.ts`).
 */
const { projects, ...base } = require('./jest.config');

// One project: these tests start processes, which pick their core themselves (CI_PIPELINES_CORE).
module.exports = {
  ...base,
  ...projects.find((project) => project.displayName === 'cdktf'),
  globalSetup: '<rootDir>/__tests__/temporary-directory.ts',
  testMatch: ['**/*.slow.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
};
