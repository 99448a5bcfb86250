'use strict';
/**
 * The first setup file of every test process: test files, and everything they
 * import, load as the project's scripts do, through `loader/register.cjs` (our
 * own `.ts` files transpiled by swc and cached; stack traces mapped to the
 * TypeScript lines).
 *
 * jest-light-runner imports each test file with `import()`, and Node's ES module
 * loader has no `.ts` of its own (or, from Node.js 22.18, strips types its own
 * way). The hook below hands every `.ts` file to the CommonJS loader: a
 * `commonjs` format without source makes Node `require` the file, through the
 * extension register.cjs installs.
 */
const Module = require('node:module');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

require('../loader/register.cjs');

Module.register(
  `data:text/javascript,${encodeURIComponent(`
    export async function load(url, context, nextLoad) {
      return /^file:[^?#]*\\.ts([?#]|$)/.test(url) ? { format: 'commonjs', shortCircuit: true } : nextLoad(url, context);
    }`)}`,
);

// The examples import the package by name, as a team's app does; here that name is the sources, as tsconfig.json's
// `paths` say (the type check reads the same).
const ROOT = join(__dirname, '..');
const SOURCES = new Map(
  Object.entries(JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')).compilerOptions.paths).map(
    ([name, [path]]) => [name, join(ROOT, path)],
  ),
);
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function resolveToSources(request, ...rest) {
  return resolveFilename.call(this, SOURCES.get(request) ?? request, ...rest);
};
