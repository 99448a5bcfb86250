const { availableParallelism } = require('node:os');

/** @type {import('jest').Config} */
module.exports = {
  // Each worker process loads cdktf, the providers and our modules once, for every test file it runs: Jest's own
  // runner gives each file a fresh module registry, and re-loading them was about 0.26 CPU-s a file, a third of the
  // suite's time. What the light runner leaves out (module mocks, a global environment per file) no test uses;
  // a test that changes the process (its environment, a patched module) puts it back.
  runner: 'jest-light-runner/child-process',
  // At least two workers: one would idle while a test waits for a process it started.
  maxWorkers: Math.max(2, availableParallelism() - 1),
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  // Opt-in suites, each a named step of .ci/run: `npm run test:validate` needs Terraform and its providers;
  // `npm run test:slow` runs the app and the loaders as processes end to end, and kills and races real synths (about 15
  // s).
  testPathIgnorePatterns: ['/node_modules/', '\\.(validate|slow)\\.test\\.ts$'],
  setupFiles: [
    // TypeScript loads through the project's loader: transpile-only; `npm run typecheck` is the type check.
    '<rootDir>/__tests__/setup-typescript.cjs',
    '<rootDir>/__tests__/setup-before-cdktf.ts',
  ],
  setupFilesAfterEnv: ['<rootDir>/__tests__/setup.ts'],
};
