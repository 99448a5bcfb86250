const { availableParallelism } = require('node:os');

/** @type {import('jest').Config} */
module.exports = {
  // At least two workers. Jest's default on two cores is one process for every
  // file (about 510 MB, every file's modules in one heap) that idles while a test
  // waits for a spawned synth; two workers take about 430 MB each and finish sooner.
  maxWorkers: Math.max(2, availableParallelism() - 1),
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  // The opt-in suite needs Terraform and its providers: `npm run test:validate`.
  testPathIgnorePatterns: ['/node_modules/', '\\.validate\\.test\\.ts$'],
  // tsconfig.json sets isolatedModules, so ts-jest only transpiles; `tsc --noEmit` type-checks once in `npm test`.
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  setupFilesAfterEnv: ['<rootDir>/__tests__/setup.ts'],
  // The examples import the package by name, as a team's app does; here that is the sources (tsconfig.json's paths too).
  moduleNameMapper: {
    '^cdktf-github-codepipeline-ci$': '<rootDir>/constructs/index.ts',
    '^cdktf-github-codepipeline-ci/guardrails$': '<rootDir>/guardrails/index.ts',
  },
};
