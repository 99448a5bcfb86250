'use strict';
/**
 * Stack traces that point at the original files, at no cost until an error's
 * trace is formatted: the TypeScript `register.cjs` transpiled, and for the app's
 * bundle (`run.cjs`) the file of ours or of a dependency each frame came from.
 * Node's `--enable-source-maps` would do it too, but it parses the source map of
 * every module loaded as it loads (cdktf's and each provider class's: about 0.1 s
 * of a 0.5 s synth); this reads a file's map the first time one of its frames is
 * shown.
 */
const { SourceMap } = require('node:module');
const { dirname, isAbsolute, resolve } = require('node:path');
const { fileURLToPath } = require('node:url');

/** A mapped file's name (a transpiled file, the app's bundle) -> reads its source map's JSON. */
const mapReaders = new Map();
/** A mapped file's name -> its parsed source map, or null when it cannot be read. */
const parsedMaps = new Map();
const MAPPING = Symbol.for('cdktf-github-codepipeline-ci.sourceMappedStackTraces');

/**
 * Records where a mapped file's source map is, to read when one of its frames is formatted.
 * @param {string} filename
 * @param {() => string} readMap
 */
function registerSourceMap(filename, readMap) {
  mapReaders.set(filename, readMap);
  parsedMaps.delete(filename);
}

/** @param {string} filename @returns {SourceMap | null} */
function sourceMapOf(filename) {
  if (!parsedMaps.has(filename)) {
    let parsed = null;
    try {
      parsed = new SourceMap(JSON.parse(mapReaders.get(filename)()));
    } catch {
      // A missing or unreadable map leaves that file's frames as they are.
    }
    parsedMaps.set(filename, parsed);
  }
  return parsedMaps.get(filename);
}

/** A source map's name for a source, as a path: `file:` URLs and paths relative to the map's file resolved. */
function sourcePath(source, mappedFile) {
  if (source.startsWith('file://')) return fileURLToPath(source);
  return isAbsolute(source) ? source : resolve(dirname(mappedFile), source);
}

/**
 * A call site whose file, line, column and text are those of the original source, when it is in a mapped file:
 * a transpiled file's TypeScript, or for the app's bundle (`run.cjs`), the file of ours or of a dependency it came from.
 * @param {NodeJS.CallSite} site
 */
function mappedCallSite(site) {
  const filename = site.getFileName();
  const line = site.getLineNumber();
  const column = site.getColumnNumber();
  if (!filename || !mapReaders.has(filename) || line === null || column === null) return site;
  const entry = sourceMapOf(filename)?.findEntry(line - 1, column - 1);
  if (entry?.originalLine === undefined) return site;
  const original = {
    file: entry.originalSource ? sourcePath(entry.originalSource, filename) : filename,
    line: entry.originalLine + 1,
    column: entry.originalColumn + 1,
  };
  const generatedText = site.toString();
  const generatedPosition = `${filename}:${line}:${column}`;
  const at = generatedText.lastIndexOf(generatedPosition);
  const text =
    at < 0
      ? generatedText
      : `${generatedText.slice(0, at)}${original.file}:${original.line}:${original.column}${generatedText.slice(at + generatedPosition.length)}`;
  const overrides = {
    getFileName: () => original.file,
    getScriptNameOrSourceURL: () => original.file,
    getLineNumber: () => original.line,
    getColumnNumber: () => original.column,
    toString: () => text,
  };
  return new Proxy(site, {
    get(target, property) {
      if (Object.hasOwn(overrides, property)) return overrides[property];
      const value = target[property];
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * Maps the frames of transpiled files in every stack trace formatted from now
 * on, then formats them as before (Node's default, or whatever was installed).
 * Installing it twice changes nothing.
 */
function installStackTraceMapping() {
  const previous = Error.prepareStackTrace;
  if (previous?.[MAPPING]) return;
  const format = previous ?? ((error, sites) => [Error.prototype.toString.call(error), ...sites].join('\n    at '));
  // Only an error's frames: cdktf also captures stacks into plain objects as it loads, and mapping those would parse
  // the app bundle's whole source map (`run.cjs`) on every run, about 0.2 s and 50 MB, for traces nobody reads.
  const mapping = (error, sites) => format(error, error instanceof Error ? sites.map(mappedCallSite) : sites);
  mapping[MAPPING] = true;
  Error.prepareStackTrace = mapping;
}

module.exports = { installStackTraceMapping, registerSourceMap };
