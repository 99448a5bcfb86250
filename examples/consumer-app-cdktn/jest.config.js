// As `cdktn init --template=typescript` writes it: ts-jest, and cdktn's matchers set up in setup.js.
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>'],
  testMatch: ['**/__tests__/**/*.ts', '**/?(*.)+(spec|test).ts'],
  // `tsc` writes main-test.js and main-test.d.ts beside the test.
  testPathIgnorePatterns: ['/node_modules/', '\\.d\\.ts$', '\\.js$'],
  transform: { '^.+\\.tsx?$': 'ts-jest' },
  setupFilesAfterEnv: ['<rootDir>/setup.js'],
};
