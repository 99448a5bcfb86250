'use strict';
/**
 * The app and everything it loads as one JavaScript file, always fresh, and
 * the V8 code compiled from it: what `run.cjs` runs.
 *
 * Loading cdktf, the provider classes and our files one by one was about 60% of
 * a default synth (some 580 modules: a path lookup, a read and a compile each);
 * one bundle whose compiled code V8 keeps between runs takes a fraction of it.
 *
 * - esbuild bundles the entry with Node's own resolution (`main`, never a
 *   package's `module` build), TypeScript included, and a source map.
 * - The bundle is rebuilt whenever something it was built from changed: each
 *   of our files by the SHA-256 of its content (so even an edit that keeps the
 *   size and modification time counts), each file under node_modules and each
 *   of those packages' package.json by size and modification time (what npm
 *   and an editor change), and tsconfig.json, esbuild's version and the
 *   options below by content. Its list of inputs is what esbuild itself read.
 * - Kept under `node_modules/.cache/app-bundle/` (`CI_TS_LOADER_CACHE`'s
 *   `app-bundle` when set), written atomically, so synths running at once are
 *   safe; when it cannot be written, the bundle is built in memory each run.
 */
const { createHash } = require('node:crypto');
const { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { dirname, extname, join, relative, resolve, sep } = require('node:path');

/** The project: where esbuild resolves from and where tsconfig.json is. */
const PROJECT_ROOT = resolve(__dirname, '..');

/**
 * Packages left to Node's `require`, because esbuild cannot follow what they
 * load: jsonc-parser's `main` is a UMD build that requires its own files
 * through a parameter named `require`.
 */
const UNBUNDLABLE_PACKAGES = ['jsonc-parser'];

/**
 * Requires made lazy in a dependency, with nothing else changed: cdktf's file helpers load archiver (with zlib, streams
 * and some 150 modules) as they load, yet call it only when that file runs as its own process to zip an archive asset
 * (by `__filename`, the file itself, not the bundle). Each is the file, its statement as written, and the lazy one;
 * a cdktf whose file reads otherwise is bundled as it is.
 */
const LAZY_REQUIRES = [
  {
    file: `${sep}node_modules${sep}cdktf${sep}lib${sep}private${sep}fs.js`,
    statement: 'const archiver = require("archiver");',
    lazy: 'const archiver = (...args) => require("archiver")(...args);',
  },
];

/** esbuild's options, besides the entry and where the output goes. */
const BUNDLE_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // Node's resolution: a package's `main` and its `exports` for `node`/`require`, never `module` (an ESM build can behave
  // differently: json-stable-stringify's dependencies through it made a 100-pipeline synth 50% slower with twice the memory).
  mainFields: ['main'],
  conditions: ['node'],
  external: UNBUNDLABLE_PACKAGES,
  tsconfig: join(PROJECT_ROOT, 'tsconfig.json'),
  // Smaller source for V8 to keep. Identifiers are not minified, but esbuild still renames a dependency's top-level
  // names that clash with another file's (constructs' `Construct` becomes `Construct14`, its `.name` too). `keepNames`
  // would keep them, by redefining the name of every function as it is created: on cdktf's token resolution, which
  // creates closures per value, that was 15% more time for 100 pipelines. The synthesized files are identical either way.
  minifyWhitespace: true,
  minifySyntax: true,
  keepNames: false,
  // Non-ASCII characters escaped (esbuild's default, stated): the bundle reads back as Latin-1, ten times faster than UTF-8.
  charset: 'ascii',
  sourcemap: 'external',
  sourcesContent: false,
  legalComments: 'none',
  logLevel: 'silent',
  metafile: true,
  write: false,
};

/**
 * A bundle's source, the file name its frames carry, how to read its source
 * map, and where V8's code compiled from it is kept (undefined: nowhere).
 * @typedef {{ code: string; bundlePath: string; readMap: () => string; codeCachePath: string | undefined }} Bundle
 */

const sha256 = (content) => createHash('sha256').update(content).digest('hex');

const isDependency = (path) => path.split(sep).includes('node_modules');

/** How an input is recognized as unchanged: our files by content, dependencies by size and modification time. */
function signature(path, content) {
  if (!isDependency(path)) return `sha256:${sha256(content ?? readFileSync(path))}`;
  const { size, mtimeMs } = statSync(path);
  return `stat:${size}:${mtimeMs}`;
}

/** The package.json of the package a file under node_modules belongs to. */
function packageJsonOf(path) {
  const parts = path.split(sep);
  const at = parts.lastIndexOf('node_modules');
  const nameParts = parts[at + 1]?.startsWith('@') ? 2 : 1;
  return parts.slice(0, at + 1 + nameParts).join(sep) + `${sep}package.json`;
}

/** Whether every input still has the signature it had when the bundle was built. */
function isFresh(inputs) {
  try {
    return Object.entries(inputs).every(([path, recorded]) => signature(path) === recorded);
  } catch {
    return false; // An input is gone.
  }
}

const writeAtomically = (path, content) => {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, path);
};

/** A mistake in the code being bundled: shown as esbuild words it, with no trace of the loader. */
class BundleError extends Error {}

/**
 * The esbuild plugin that records each input's signature from the very bytes
 * esbuild bundles (so an edit during the build cannot pass for fresh), and
 * gives each file its own `__dirname` and `__filename`, which a single file
 * otherwise shares.
 */
function inputsPlugin(entryPath, signatures, esbuild) {
  return {
    name: 'inputs',
    setup(build) {
      build.onLoad({ filter: /\.(ts|mts|cts|js|mjs|cjs|json)$/ }, ({ path }) => {
        const signed = isDependency(path) ? signature(path) : undefined;
        const content = readFileSync(path);
        signatures[path] = signed ?? signature(path, content);
        const extension = extname(path).slice(1);
        const loader = extension === 'json' ? 'json' : /^[mc]?ts$/.test(extension) ? 'ts' : 'js';
        let text = content.toString('utf8');
        if (!isDependency(path) && path !== entryPath && /\brequire\.main\s*===?\s*module\b/.test(text)) {
          throw new BundleError(
            `${relative(PROJECT_ROOT, path)} checks \`require.main === module\`, but the app (${relative(PROJECT_ROOT, entryPath)}) imports it: in one bundle that check would be true for it too. Move its command-line part to a file of its own.`,
          );
        }
        for (const { file, statement, lazy } of LAZY_REQUIRES)
          if (path.endsWith(file)) text = text.replace(statement, lazy);
        if (loader !== 'json' && /\b__(dirname|filename)\b/.test(text)) {
          // Replaced in the syntax tree, not the text, with the source map kept for the chain to the original.
          const define = { __dirname: JSON.stringify(dirname(path)), __filename: JSON.stringify(path) };
          try {
            text = esbuild.transformSync(text, {
              loader,
              define,
              sourcemap: 'inline',
              sourcefile: path,
              tsconfigRaw: loader === 'ts' ? readFileSync(BUNDLE_OPTIONS.tsconfig, 'utf8') : undefined,
            }).code;
          } catch (error) {
            // A mistake in the file: reported as esbuild reports any other.
            if (!Array.isArray(error?.errors)) throw error;
            return { errors: error.errors.map(({ text: message, location }) => ({ text: message, location })) };
          }
          return { contents: text, loader: 'js' };
        }
        return { contents: text, loader };
      });
    },
  };
}

/**
 * Bundles an entry file now.
 * @param {string} entryPath an absolute path
 * @param {string} outfile where the bundle will be, so that the source map's paths are relative to it
 * @returns {Promise<{ code: string; map: string; inputs: Record<string, string> }>}
 */
async function build(entryPath, outfile) {
  // Required here, not above: a run whose bundle is fresh never loads esbuild.
  const esbuild = requireEsbuild('esbuild');
  const signatures = {};
  let result;
  try {
    result = await esbuild.build({
      ...BUNDLE_OPTIONS,
      entryPoints: [entryPath],
      outfile,
      absWorkingDir: PROJECT_ROOT,
      plugins: [inputsPlugin(entryPath, signatures, esbuild)],
    });
  } catch (error) {
    if (!Array.isArray(error?.errors)) throw error;
    const plugin = error.errors.find((message) => message.detail instanceof BundleError);
    if (plugin) throw plugin.detail;
    const formatted = esbuild.formatMessagesSync(error.errors, { kind: 'error', color: false });
    throw new BundleError(`Cannot build ${relative(PROJECT_ROOT, entryPath)}:\n${formatted.join('')}`.trimEnd());
  }
  const output = (suffix) => result.outputFiles.find((file) => file.path.endsWith(suffix)).text;
  const inputs = { ...signatures };
  for (const packageJson of new Set(Object.keys(signatures).filter(isDependency).map(packageJsonOf)))
    inputs[packageJson] = signature(packageJson);
  inputs[BUNDLE_OPTIONS.tsconfig] = signature(BUNDLE_OPTIONS.tsconfig);
  return { code: output('.js'), map: output('.js.map'), inputs };
}

/** esbuild, or a message that says how to get it. */
function requireEsbuild(request) {
  try {
    return require(request);
  } catch (error) {
    if (error?.code !== 'MODULE_NOT_FOUND') throw error;
    throw new BundleError(
      `Cannot bundle the app: esbuild is not installed. It is one of the project's devDependencies: run \`npm ci\`.`,
    );
  }
}

/** What a bundle depends on besides its inputs: the entry, esbuild's version and the options. */
const bundleKey = (entryPath) =>
  sha256(
    `${entryPath}\0esbuild ${requireEsbuild('esbuild/package.json').version}\0${JSON.stringify(BUNDLE_OPTIONS)}\0${readFileSync(__filename, 'utf8')}`,
  ).slice(0, 32);

const manifestPathOf = (key, cacheDir) => join(cacheDir, `${key}.json`);

/**
 * The cached bundle of an entry file, when it is fresh.
 * @param {string} entryPath an absolute path
 * @param {string} cacheDir
 * @returns {Bundle | undefined}
 */
function cachedBundle(entryPath, cacheDir) {
  try {
    const manifest = JSON.parse(readFileSync(manifestPathOf(bundleKey(entryPath), cacheDir), 'utf8'));
    if (!isFresh(manifest.inputs)) return undefined;
    const bundlePath = join(cacheDir, manifest.bundle);
    return {
      code: readFileSync(bundlePath, 'latin1'),
      bundlePath,
      readMap: () => readFileSync(`${bundlePath}.map`, 'utf8'),
      codeCachePath: codeCachePathOf(bundlePath),
    };
  } catch {
    return undefined; // Not built yet, or a concurrent rebuild replaced it.
  }
}

/**
 * Builds the bundle of an entry file, and caches it for the next runs when the cache can be written.
 * @param {string} entryPath an absolute path
 * @param {string} cacheDir
 * @returns {Promise<Bundle>}
 */
async function newBundle(entryPath, cacheDir) {
  const key = bundleKey(entryPath);
  const manifestPath = manifestPathOf(key, cacheDir);
  const { code, map, inputs } = await build(entryPath, join(cacheDir, `${key}.js`));
  const bundleName = `${key}.${sha256(code).slice(0, 16)}.js`;
  const bundlePath = join(cacheDir, bundleName);
  try {
    mkdirSync(cacheDir, { recursive: true });
    // The map, then the bundle, then the manifest that names them: a reader never finds a manifest without its files.
    writeAtomically(`${bundlePath}.map`, map);
    writeAtomically(bundlePath, code);
    writeAtomically(manifestPath, JSON.stringify({ entry: entryPath, bundle: bundleName, inputs }));
    removeOutdated(entryPath, cacheDir, key, bundleName);
    return { code, bundlePath, readMap: () => map, codeCachePath: codeCachePathOf(bundlePath) };
  } catch {
    // The cache cannot be written: this run uses the bundle from memory, without compiled code to keep.
    return { code, bundlePath, readMap: () => map, codeCachePath: undefined };
  }
}

/**
 * Removes the entry's outdated bundles, with their maps and compiled code: those of this key but another content, and
 * those built under another key (an older esbuild, other options). A run that has read one already is unaffected; one
 * about to read it finds it gone and builds anew.
 */
function removeOutdated(entryPath, cacheDir, key, bundleName) {
  try {
    const names = readdirSync(cacheDir);
    const outdatedKeys = names
      .filter((name) => /^[0-9a-f]{32}\.json$/.test(name) && !name.startsWith(key))
      .filter((name) => {
        try {
          return JSON.parse(readFileSync(join(cacheDir, name), 'utf8')).entry === entryPath;
        } catch {
          return false;
        }
      })
      .map((name) => name.slice(0, 32));
    for (const name of names) {
      const ofThisKey = name.startsWith(`${key}.`) && name !== `${key}.json` && !name.startsWith(bundleName);
      if (ofThisKey || outdatedKeys.some((outdated) => name.startsWith(`${outdated}.`)))
        rmSync(join(cacheDir, name), { force: true });
    }
  } catch {
    // Best effort: a leftover is only disk space.
  }
}

/** V8's compiled code depends on V8's version, its flags and the CPU, so each Node.js keeps its own. */
const codeCachePathOf = (bundlePath) => `${bundlePath}.${process.versions.v8}-${process.arch}.v8cache`;

module.exports = { BundleError, cachedBundle, newBundle };
