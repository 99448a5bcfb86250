'use strict';
/**
 * Runs the project's scripts and tools without a build step:
 * `node --require ./loader/register.cjs <file>.ts`. (The app itself runs as one
 * bundle, through `run.cjs`.)
 *
 * - Only our own `.ts` files are transpiled (by `transpile.cjs`); dependencies
 *   are plain JavaScript and load as Node loads them, untouched.
 * - Each output is cached under `node_modules/.cache/ts-loader/` by the SHA-256
 *   of the file's name, its content and the transpiler's version and options:
 *   an edited file is a different key, so stale output can never run, and a
 *   run whose files are all cached loads no transpiler.
 * - Writes are atomic (a temporary file, then a rename), so runs at
 *   once share the cache safely; when it cannot be written, files are
 *   transpiled in memory each time.
 * - Stack traces point at the TypeScript lines (`source-maps.cjs`).
 * - On Node.js 22.8 and later, Node's own compile cache keeps V8's compiled code
 *   of every module (cdktf's and the providers' too) beside it: about a quarter
 *   less CPU per run on Node.js 24 (measured on the synth, when it ran this way). `NODE_DISABLE_COMPILE_CACHE=1` turns it off.
 */
const { createHash } = require('node:crypto');
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { join } = require('node:path');
const { TRANSPILER_FINGERPRINT, transpile } = require('./transpile.cjs');
const { installStackTraceMapping, registerSourceMap } = require('./source-maps.cjs');
const { COMPILE_CACHE_DIR, transpileCacheDir } = require('./cache-dirs.cjs');

const CACHE_DIR = transpileCacheDir();
let cacheWritable = true;

/** @param {string} path @param {string} content */
function writeAtomically(path, content) {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, path);
}

/**
 * The JavaScript for a TypeScript file, from the cache or freshly transpiled (and then cached).
 * @param {string} filename
 * @returns {string}
 */
function compiled(filename) {
  const source = readFileSync(filename, 'utf8');
  const key = createHash('sha256').update(`${TRANSPILER_FINGERPRINT}\0${filename}\0${source}`).digest('hex');
  const codePath = join(CACHE_DIR, `${key}.js`);
  const mapPath = join(CACHE_DIR, `${key}.map`);
  try {
    const code = readFileSync(codePath, 'utf8');
    registerSourceMap(filename, () => readFileSync(mapPath, 'utf8'));
    return code;
  } catch {
    // Not cached yet.
  }
  const { code, map } = transpile(source, filename);
  registerSourceMap(filename, () => map);
  if (cacheWritable) {
    try {
      mkdirSync(CACHE_DIR, { recursive: true });
      // The map first: a cached file always has its map.
      writeAtomically(mapPath, map);
      writeAtomically(codePath, code);
    } catch {
      cacheWritable = false;
    }
  }
  return code;
}

installStackTraceMapping();
// Before anything else loads, so every module after this one is cached.
Module.enableCompileCache?.(COMPILE_CACHE_DIR);
Module._extensions['.ts'] = function loadTypeScript(module, filename) {
  if (filename.endsWith('.d.ts')) throw new Error(`${filename} is a declaration file: it has no code to run`);
  module._compile(compiled(filename), filename);
};
