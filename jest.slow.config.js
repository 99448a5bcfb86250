/**
 * Opt-in suite (the `*.slow.test.ts` files), a named step of .ci/run: real processes end to end, about 15 s.
 * The app as users start it (`app/process.slow.test.ts`: its output, byte for byte, and a bad configuration's exit),
 * the loaders building, caching and running the app (`loader/`), and synth processes killed at random moments and
 * raced (`app/kill.slow.test.ts`).
 */
const base = require('./jest.config');

module.exports = { ...base, testMatch: ['**/*.slow.test.ts'], testPathIgnorePatterns: ['/node_modules/'] };
