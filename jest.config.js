const { availableParallelism } = require('node:os');
const { swcOptions } = require('./loader/transpile.cjs');

/** @type {import('jest').Config} */
module.exports = {
  // At least two workers. Jest's default on two cores is one process for every
  // file (about 510 MB, every file's modules in one heap) that idles while a test
  // waits for a spawned synth; two workers take about 430 MB each and finish sooner.
  maxWorkers: Math.max(2, availableParallelism() - 1),
  // A worker that ends a test file with more than this on its heap is replaced: each file loads its own cdktf and
  // providers, and V8 lets their garbage grow a worker past 500 MB before it collects it all (with the old space capped
  // at 200 MB every file still passes: it is garbage, not a leak). At 200 MB the largest process stays near 400 MB (the
  // target is 500 MB a process). Replacing is no slower than capping the heap, which makes V8 collect more often.
  workerIdleMemoryLimit: '200MB',
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  // Opt-in suites, each a named step of .ci/run: `npm run test:validate` needs Terraform and its providers;
  // `npm run test:slow` runs the loaders' processes end to end, and kills and races real synths (about 15 s).
  testPathIgnorePatterns: ['/node_modules/', '\\.(validate|slow)\\.test\\.ts$'],
  // The app's own transform (loader/transpile.cjs): transpile-only; `npm run typecheck` is the type check.
  transform: { '^.+\\.ts$': ['@swc/jest', swcOptions()] },
  setupFiles: ['<rootDir>/__tests__/setup-before-cdktf.ts'],
  setupFilesAfterEnv: ['<rootDir>/__tests__/setup.ts'],
  // The examples import the package by name, as a team's app does; here that is the sources (tsconfig.json's paths too).
  moduleNameMapper: {
    // Loaded on first use (__tests__/lazy/cdktf-dependency.cjs says why).
    '^(archiver|semver)$': '<rootDir>/__tests__/lazy/$1.cjs',
    '^cdktf-github-codepipeline-ci$': '<rootDir>/constructs/index.ts',
    '^cdktf-github-codepipeline-ci/guardrails$': '<rootDir>/guardrails/index.ts',
  },
};
