/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  // The opt-in suite needs Terraform and its providers: `npm run test:validate`.
  testPathIgnorePatterns: ['/node_modules/', '\\.validate\\.test\\.ts$'],
  // tsconfig.json sets isolatedModules, so ts-jest only transpiles; `tsc --noEmit` type-checks once in `npm test`.
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  setupFilesAfterEnv: ['<rootDir>/__tests__/setup.ts'],
};
