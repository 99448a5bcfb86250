/** Opt-in suite: real synth processes killed at random moments and raced (the `*.slow.test.ts` files), 15-25 s. */
const base = require('./jest.config');

module.exports = { ...base, testMatch: ['**/*.slow.test.ts'], testPathIgnorePatterns: ['/node_modules/'] };
