const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.json');
const { CORE_NAMES, CORES } = require('./app/cores.cjs');

const { availableParallelism } = require('node:os');

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * One Jest project per core (app/cores.cjs): every suite runs on cdktf and on CDK Terrain. The cdktn project loads
 * cdktn wherever the source, the tests or a provider package name cdktf (`moduleNameMapper` rewrites them all).
 */
function projectFor(core) {
  const renames = Object.entries(CORES[core].renames).flatMap(([from, to]) => [
    [`^${escapeRegExp(from)}$`, to],
    [`^${escapeRegExp(from)}/(.*)$`, `${to}/$1`],
  ]);
  return {
    displayName: core,
    testEnvironment: 'node',
    // A test (or a beforeAll) that synthesizes a fleet, or writes the generated docs, takes seconds on a loaded
    // two-core machine: Jest's default 5 s would fail it for the machine's sake. A test that needs less sets its own.
    testTimeout: 30_000,
    // ts-jest transpiles each file on its own (tsconfig.json's `isolatedModules`): `npm run typecheck` is the type
    // check.
    // secretlint's preset is an ES module. Node loads it with require(esm); Jest's module registry does that only from
    // Node 24.9, so below that ts-jest compiles it to CommonJS (cached, once per machine).
    transform: {
      '^.+\\.ts$': 'ts-jest',
      '/node_modules/@secretlint/.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true } }],
    },
    transformIgnorePatterns: ['/node_modules/(?!@secretlint/)'],
    roots: ['<rootDir>/__tests__'],
    testMatch: ['**/*.test.ts'],
    // Opt-in suites, each a named step of .ci/run: `npm run test:validate` needs Terraform and its providers;
    // `npm run test:slow` runs the app as a process end to end, and kills and races real synths.
    testPathIgnorePatterns: ['/node_modules/', '\\.(validate|slow)\\.test\\.ts$'],
    moduleNameMapper: {
      // The examples import the package by name, as a team's app does; here that name is the sources (tsconfig's
      // `paths`).
      ...pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
      ...Object.fromEntries(renames),
    },
    setupFiles: ['<rootDir>/__tests__/setup-speedups.ts'],
    setupFilesAfterEnv: ['<rootDir>/__tests__/setup.ts'],
  };
}

/** @type {import('jest').Config} */
module.exports = {
  projects: CORE_NAMES.map(projectFor),
  // At least two workers (Jest's default is one fewer than the cores): one would idle while a test waits for a
  // process it started (the Flask suite, the review tools, terraform).
  maxWorkers: Math.max(2, availableParallelism() - 1),
  // Jest gives each test file a fresh module registry (cdktf, the providers, zod), and a worker's heap grows across
  // files: a worker past 300 MB is replaced, which keeps each process's memory bounded for a little more time in all
  // (bench/results/ has the figures).
  workerIdleMemoryLimit: '300MB',
  // The run's temporary directory (__tests__/temporary-directory.ts), then the sample app's Python (a venv from its
  // hashed requirements, else the system's Flask), prepared once before the test files: scripts/sample-app-python.ts.
  globalSetup: '<rootDir>/__tests__/global-setup.ts',
  globalTeardown: '<rootDir>/__tests__/global-teardown.ts',
};
