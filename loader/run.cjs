'use strict';
/**
 * Runs the app as one bundle: `node loader/run.cjs main.ts [arguments]`
 * (`npm run synth` and cdktf.json's app).
 *
 * The entry and all it imports, cdktf and the providers included, run from one
 * file that `bundle.cjs` keeps fresh, compiled from V8's code cache when this
 * Node.js has run it before: about half the time of loading the same ~580
 * modules one by one (`register.cjs`, which the scripts and tools still use).
 * To the program it is as if Node ran the entry: `process.argv[1]` is the
 * entry, `require.main === module` holds in it, `require` resolves from its
 * directory, and stack traces name the TypeScript (or the dependency's) lines.
 */
const Module = require('node:module');
const { readFileSync, renameSync, writeFileSync, writeSync } = require('node:fs');
const { dirname, resolve } = require('node:path');
const { inspect } = require('node:util');
const v8 = require('node:v8');
const vm = require('node:vm');
const { BundleError, cachedBundle, newBundle } = require('./bundle.cjs');
const { bundleCacheDir } = require('./cache-dirs.cjs');
const { installStackTraceMapping, registerSourceMap } = require('./source-maps.cjs');

/** Compiles the bundle, from V8's cached code when it has some, and runs it as the main module `entryPath`. */
function runAsMain(bundle, entryPath) {
  // V8 guesses from early allocations which objects live long and allocates them in the old generation from then on.
  // For the bundle that guess is sometimes wrong for cdktf's short-lived resolution objects: half the runs of a
  // 100-pipeline synth then took 50% longer with twice the memory (285 MB, against 146 MB every time without it).
  v8.setFlagsFromString('--no-allocation-site-pretenuring');
  let cachedData;
  try {
    if (bundle.codeCachePath !== undefined) cachedData = readFileSync(bundle.codeCachePath);
  } catch {
    // Not compiled on this Node.js yet.
  }
  const script = new vm.Script(Module.wrap(bundle.code), {
    filename: bundle.bundlePath,
    cachedData,
    // A real `import()` in a dependency loads as it would from a file (Node.js 20.12+).
    importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (bundle.codeCachePath !== undefined && (cachedData === undefined || script.cachedDataRejected)) {
    // After the run, so that the code cached includes every function the run compiled, not only the top level.
    process.once('exit', () => {
      try {
        const temporary = `${bundle.codeCachePath}.${process.pid}.tmp`;
        writeFileSync(temporary, script.createCachedData());
        renameSync(temporary, bundle.codeCachePath);
      } catch {
        // The next run compiles again.
      }
    });
  }
  const mainModule = new Module(entryPath, null);
  mainModule.id = '.';
  mainModule.filename = entryPath;
  mainModule.paths = Module._nodeModulePaths(dirname(entryPath));
  process.mainModule = mainModule;
  // Made after `process.mainModule` is set: `require.main` is that module.
  const requireFromEntry = Module.createRequire(entryPath);
  script.runInThisContext({ displayErrors: false })(
    mainModule.exports,
    requireFromEntry,
    mainModule,
    entryPath,
    dirname(entryPath),
  );
  mainModule.loaded = true;
}

/**
 * Reports an uncaught error as Node does (its trace, the Node.js version, exit code 1), without the line of code Node
 * prints above it: for the bundle that line is the bundle's, minified, thousands of characters long; the trace is
 * mapped to the original files. An app that listens for uncaught errors itself keeps them.
 */
function reportUncaughtErrors() {
  process.on('uncaughtException', (error) => {
    if (process.listenerCount('uncaughtException') > 1) return;
    writeSync(2, `${inspect(error)}\n\nNode.js ${process.version}\n`);
    process.exit(1);
  });
}

/** Runs the entry from its cached bundle, or, when that is missing or outdated, from a new one. */
function main() {
  const [, , entry, ...args] = process.argv;
  if (entry === undefined) {
    process.stderr.write('Usage: node loader/run.cjs <entry.ts> [arguments]\n');
    process.exitCode = 2;
    return;
  }
  const entryPath = resolve(entry);
  const start = (bundle) => {
    installStackTraceMapping();
    registerSourceMap(bundle.bundlePath, bundle.readMap);
    reportUncaughtErrors();
    process.argv = [process.argv[0], entryPath, ...args];
    runAsMain(bundle, entryPath);
  };
  const cached = cachedBundle(entryPath, bundleCacheDir());
  if (cached !== undefined) return start(cached);
  newBundle(entryPath, bundleCacheDir()).then(
    // On the next tick, outside the promise: the program's errors stay uncaught exceptions, as when Node runs a file.
    (bundle) => process.nextTick(start, bundle),
    (error) => {
      if (!(error instanceof BundleError)) throw error;
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 1;
    },
  );
}

main();
