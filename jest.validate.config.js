/** Opt-in suite: `terraform validate` on the synthesized stacks. Needs Terraform and its providers. */
const base = require('./jest.config');

module.exports = {
  ...base,
  globalSetup: undefined,
  testMatch: ['**/*.validate.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
};
