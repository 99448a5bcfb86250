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
 * A type error in either form prints TypeScript's diagnostics and exits 1, with `dist/` removed: nothing half-built
 * is left to pack.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import * as ts from 'typescript';
import { CORE_NAMES, CORES, type CoreName, specifierFor } from '../app/cores.cjs';

const ROOT = resolve(__dirname, '..');
const DIST = join(ROOT, 'dist');

/** Where each core's form is written. */
export const OUT_DIRS: Readonly<Record<CoreName, string>> = { cdktf: DIST, cdktn: join(DIST, 'cdktn') };

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

/** `text` with every module specifier TypeScript finds in it in `core`'s form. */
export function renameSpecifiers(text: string, core: CoreName): string {
  const { importedFiles } = ts.preProcessFile(text, true, true);
  let renamed = text;
  // From the end, so that each earlier position still holds. A reference's `pos` is its string literal's opening
  // quote.
  for (const { fileName, pos } of [...importedFiles].sort((a, b) => b.pos - a.pos)) {
    const [start, end] = [pos + 1, pos + 1 + fileName.length];
    if (text.slice(start, end) !== fileName) throw new BuildFailed(`no specifier ${fileName} at ${pos}`);
    renamed = renamed.slice(0, start) + specifierFor(core, fileName) + renamed.slice(end);
  }
  return renamed;
}

/** The packages `core` renames that `text` still names as a module, found without TypeScript's scanner. */
export function leftoverSpecifiers(text: string, core: CoreName): string[] {
  const names = Object.keys(CORES[core].renames).map((name) => name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
  if (names.length === 0) return [];
  const quoted = new RegExp(`(?:require\\(|from |import\\()\\s*["'](${names.join('|')})(?:["']|/[^"']*["'])`, 'g');
  return [...text.matchAll(quoted)].map((match) => match[0]);
}

function rewriteForm(core: CoreName, files: readonly string[]): void {
  for (const file of files) {
    const renamed = renameSpecifiers(readFileSync(file, 'utf8'), core);
    const leftover = leftoverSpecifiers(renamed, core);
    if (leftover.length > 0) {
      throw new BuildFailed(`${relative(ROOT, file)} still names ${leftover.join(', ')} after the ${core} renames`);
    }
    writeFileSync(file, renamed);
  }
}

function main(): number {
  rmSync(DIST, { recursive: true, force: true });
  try {
    const built = CORE_NAMES.map((core) => {
      const files = compile(core);
      if (Object.keys(CORES[core].renames).length > 0) rewriteForm(core, files);
      return `${relative(ROOT, OUT_DIRS[core])}/ (${core}, ${files.length} files)`;
    });
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
