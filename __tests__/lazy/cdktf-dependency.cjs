'use strict';
// In Jest, jest.config.js maps `archiver` and `semver` to the files beside this one. cdktf
// loads both as it loads (archiver with some 190 modules, semver with 45) yet calls them
// only to zip an archive asset or to check a binary's version; every test file loads its
// own cdktf, and they were about half of each load (about 250 ms, now about 120 ms). Each
// now loads, from where cdktf finds it, on first use. The app's bundle makes archiver lazy
// the same way (LAZY_REQUIRES in loader/bundle.cjs).
const { dirname } = require('node:path');

const cdktfDir = dirname(require.resolve('cdktf/package.json'));
const loaded = new Map();

/** The real `name`, as cdktf's `require(name)` finds it, loaded once. */
exports.fromCdktf = (name) => {
  if (!loaded.has(name)) loaded.set(name, require(require.resolve(name, { paths: [cdktfDir] })));
  return loaded.get(name);
};
