'use strict';
/** Where the loader keeps what it can reuse between runs, under node_modules/.cache as build tools do. */
const { join } = require('node:path');

const CACHE_ROOT = join(__dirname, '..', 'node_modules', '.cache');

/** The transpiled files and their source maps; `CI_TS_LOADER_CACHE` overrides it. */
const transpileCacheDir = (env = process.env) => env.CI_TS_LOADER_CACHE || join(CACHE_ROOT, 'ts-loader');

/** The app's bundles, their source maps and V8's code for them; under `CI_TS_LOADER_CACHE` when it is set. */
const bundleCacheDir = (env = process.env) =>
  env.CI_TS_LOADER_CACHE ? join(env.CI_TS_LOADER_CACHE, 'app-bundle') : join(CACHE_ROOT, 'app-bundle');

/** Node's module compile cache (Node.js 22.8+). */
const COMPILE_CACHE_DIR = join(CACHE_ROOT, 'node-compile-cache');

module.exports = { bundleCacheDir, COMPILE_CACHE_DIR, transpileCacheDir };
