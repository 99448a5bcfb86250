/** Opt-in suite: real synth processes killed at random moments and raced (the `*.slow.test.ts` files), about half a minute. */
const base = require('./jest.config');

module.exports = { ...base, testMatch: ['**/*.slow.test.ts'], testPathIgnorePatterns: ['/node_modules/'] };
