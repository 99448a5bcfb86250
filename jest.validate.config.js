/** Opt-in suite: `terraform validate` on the synthesized stacks. Needs Terraform and its providers. */
const { projects, ...base } = require('./jest.config');

// One project: these tests start processes, which pick their core themselves (CI_PIPELINES_CORE).
module.exports = {
  ...base,
  ...projects.find((project) => project.displayName === 'cdktf'),
  globalSetup: '<rootDir>/__tests__/temporary-directory.ts',
  testMatch: ['**/*.validate.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
};
