'use strict';
// semver's export is an object of functions (cdktf calls `semver.satisfies`): every read goes to the real one.
const { fromCdktf } = require('./cdktf-dependency.cjs');

const semver = () => fromCdktf('semver');
module.exports = new Proxy(
  {},
  {
    get: (_, key) => semver()[key],
    has: (_, key) => key in semver(),
    ownKeys: () => Reflect.ownKeys(semver()),
    getOwnPropertyDescriptor: (_, key) => ({ ...Reflect.getOwnPropertyDescriptor(semver(), key), configurable: true }),
  },
);
