/**
 * `npm run build:lib` (and `npm pack`, through `prepack`): the library, once per core (app/cores.cjs).
 *
 * - `dist/`: the cdktf form, as `tsc -p tsconfig.build.json` writes it.
 * - `dist/cdktn/`: the CDK Terrain form. The same sources, type-checked against cdktn's own declarations (tsconfig
 *   `paths` point each renamed package at cdktn's), then every module specifier of a renamed package, in the
 *   JavaScript and in the declarations, rewritten to cdktn's name. TypeScript finds the specifiers
 *   (`ts.preProcessFile`, the scan its own module resolution uses); the build then checks, independently, that no
 *   file still names a renamed package.
 *
 * - `dist/vendor/`: the dependencies published only as ES modules, each as one CommonJS file
 *   ({@link VENDORED_DEPENDENCIES}), which both forms require in place of the package.
 *
 * A type error in either form prints TypeScript's diagnostics and exits 1, with `dist/` removed: nothing half-built
 * is left to pack.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import * as ts from 'typescript';
import { CORE_NAMES, CORES, type CoreName, specifierFor } from '../app/cores.cjs';

const ROOT = resolve(__dirname, '..');
const DIST = join(ROOT, 'dist');

/** Where each core's form is written. */
export const OUT_DIRS: Readonly<Record<CoreName, string>> = { cdktf: DIST, cdktn: join(DIST, 'cdktn') };

/**
 * Dependencies published only as ES modules, and the CommonJS file each becomes under `dist/vendor/`. The compiled
 * library `require`s its dependencies; Node.js loads an ES module that way from 22.12, but a consumer's Jest (the cdktf
 * template's) loads node_modules through a module registry of its own, which cannot, so every consumer's tests would
 * fail (`npm run test:consumer` showed it). Each must be one self-contained file, as secretlint's preset is (its own
 * dependencies are bundled into it): TypeScript converts it to CommonJS, keeping its comments and the license notices
 * in them, and its license goes at the top.
 */
export const VENDORED_DEPENDENCIES: Readonly<Record<string, string>> = {
  '@secretlint/secretlint-rule-preset-recommend': 'secretlint-rule-preset-recommend.cjs',
};
const VENDOR_DIR = join(DIST, 'vendor');

class BuildFailed extends Error {}

/** tsconfig.build.json's options, with the output directory and, for cdktn, its declarations in place of cdktf's. */
function compilerOptionsFor(core: CoreName): { options: ts.CompilerOptions; fileNames: string[] } {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, 'tsconfig.build.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new BuildFailed(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  if (parsed === undefined) throw new BuildFailed('tsconfig.build.json cannot be read');
  const renamedDeclarations = Object.entries(CORES[core].renames).flatMap(([from, to]) => [
    [from, [join(ROOT, 'node_modules', to)]],
    [`${from}/*`, [join(ROOT, 'node_modules', to, '*')]],
  ]);
  const options: ts.CompilerOptions = {
    ...parsed.options,
    outDir: OUT_DIRS[core],
    paths: { ...parsed.options.paths, ...Object.fromEntries(renamedDeclarations) },
  };
  return { options, fileNames: parsed.fileNames };
}

/** Compiles one core's form; throws with TypeScript's diagnostics when it has errors. */
function compile(core: CoreName): string[] {
  const { options, fileNames } = compilerOptionsFor(core);
  const program = ts.createProgram(fileNames, options);
  const written: string[] = [];
  const result = program.emit(undefined, (fileName, text) => {
    ts.sys.writeFile(fileName, text);
    written.push(fileName);
  });
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...result.diagnostics];
  if (diagnostics.length > 0) {
    const host: ts.FormatDiagnosticsHost = {
      getCanonicalFileName: (fileName) => fileName,
      getCurrentDirectory: () => ROOT,
      getNewLine: () => '\n',
    };
    throw new BuildFailed(`the ${core} form has type errors:\n${ts.formatDiagnostics(diagnostics, host)}`);
  }
  return written;
}

/** `text` with every module specifier TypeScript finds in it replaced by what `rewrite` makes of it. */
function rewriteSpecifiers(text: string, rewrite: (specifier: string) => string): string {
  const { importedFiles } = ts.preProcessFile(text, true, true);
  let rewritten = text;
  // From the end, so that each earlier position still holds. A reference's `pos` is its string literal's opening
  // quote.
  for (const { fileName, pos } of [...importedFiles].sort((a, b) => b.pos - a.pos)) {
    const [start, end] = [pos + 1, pos + 1 + fileName.length];
    if (text.slice(start, end) !== fileName) throw new BuildFailed(`no specifier ${fileName} at ${pos}`);
    rewritten = rewritten.slice(0, start) + rewrite(fileName) + rewritten.slice(end);
  }
  return rewritten;
}

/** `text` with every module specifier TypeScript finds in it in `core`'s form. */
export const renameSpecifiers = (text: string, core: CoreName): string =>
  rewriteSpecifiers(text, (specifier) => specifierFor(core, specifier));

/** `text`, written to `file`, with each vendored dependency required from its file under `dist/vendor/`. */
export function vendorSpecifiers(text: string, file: string): string {
  return rewriteSpecifiers(text, (specifier) => {
    const vendored = VENDORED_DEPENDENCIES[specifier];
    if (vendored === undefined) return specifier;
    const path = relative(dirname(file), join(VENDOR_DIR, vendored)).split('\\').join('/');
    return path.startsWith('.') ? path : `./${path}`;
  });
}

/** The packages `core` renames that `text` still names as a module, found without TypeScript's scanner. */
export function leftoverSpecifiers(text: string, core: CoreName): string[] {
  const names = Object.keys(CORES[core].renames).map((name) => name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
  if (names.length === 0) return [];
  const quoted = new RegExp(`(?:require\\(|from |import\\()\\s*["'](${names.join('|')})(?:["']|/[^"']*["'])`, 'g');
  return [...text.matchAll(quoted)].map((match) => match[0]);
}

/** The vendored dependencies that `text` still names as a module. */
export function leftoverVendoredSpecifiers(text: string): string[] {
  return Object.keys(VENDORED_DEPENDENCIES).filter((name) =>
    new RegExp(`(?:require\\(|from |import\\()\\s*["']${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}["']`).test(text),
  );
}

function rewriteForm(core: CoreName, files: readonly string[]): void {
  for (const file of files) {
    const rewritten = vendorSpecifiers(renameSpecifiers(readFileSync(file, 'utf8'), core), file);
    const leftover = [...leftoverSpecifiers(rewritten, core), ...leftoverVendoredSpecifiers(rewritten)];
    if (leftover.length > 0) {
      throw new BuildFailed(`${relative(ROOT, file)} still names ${leftover.join(', ')} after the ${core} rewrites`);
    }
    writeFileSync(file, rewritten);
  }
}

/** Writes each of {@link VENDORED_DEPENDENCIES} as CommonJS, its license first. */
function vendorDependencies(): string[] {
  return Object.entries(VENDORED_DEPENDENCIES).map(([name, vendored]) => {
    const manifest = require.resolve(`${name}/package.json`, { paths: [ROOT] });
    const { version, license } = JSON.parse(readFileSync(manifest, 'utf8'));
    const licenseText = readFileSync(join(dirname(manifest), 'LICENSE'), 'utf8').trim();
    const { outputText } = ts.transpileModule(readFileSync(require.resolve(name, { paths: [ROOT] }), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    });
    const imports = ts.preProcessFile(outputText, true, true).importedFiles.map(({ fileName }) => fileName);
    const outside = imports.filter((specifier) => !specifier.startsWith('node:'));
    if (outside.length > 0)
      throw new BuildFailed(`${name} requires ${outside.join(', ')}: only a self-contained module can be vendored`);
    const code = outputText.replace(/^\/\/# sourceMappingURL=.*$/m, '');
    mkdirSync(VENDOR_DIR, { recursive: true });
    writeFileSync(
      join(VENDOR_DIR, vendored),
      `/*! ${name} ${version}, from npm (${license}):\n${licenseText}\n*/\n${code}`,
    );
    return `${relative(ROOT, join(VENDOR_DIR, vendored))} (${name} ${version})`;
  });
}

function main(): number {
  rmSync(DIST, { recursive: true, force: true });
  try {
    const built = CORE_NAMES.map((core) => {
      const files = compile(core);
      rewriteForm(core, files);
      return `${relative(ROOT, OUT_DIRS[core])}/ (${core}, ${files.length} files)`;
    });
    built.push(...vendorDependencies());
    // On stderr: `npm pack --json` runs this (prepack), and its stdout is the pack's JSON.
    process.stderr.write(`Built ${built.join(' and ')}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof BuildFailed)) throw error;
    rmSync(DIST, { recursive: true, force: true });
    process.stderr.write(`build:lib: ${error.message}\n`);
    return 1;
  }
}

if (require.main === module) process.exitCode = main();
