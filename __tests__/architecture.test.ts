/**
 * The code's shape, checked: dependencies between folders point one way, and the guardrails know nothing of the
 * constructs. (ESLint checks the rest: functions fit a screen, no provider package is imported whole.)
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import * as ts from 'typescript';

const ROOT = resolve(__dirname, '..');
// `peers`: the benchmark's peer projects (bench/peers), each a package of its own written as its users write
// one; the naive cdktf baseline imports providers from their roots on purpose.
const SKIP = new Set(['node_modules', 'cdktf.out', 'dist', '.git', '.gen', 'coverage', 'sample-flask-app', 'peers']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (SKIP.has(entry)) return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|js|mjs|cjs)$/.test(entry) && !entry.endsWith('.d.ts') ? [path] : [];
  });
}

const FILES = sourceFiles(ROOT);
const isTest = (file: string) => relative(ROOT, file).startsWith('__tests__');

/** The project's folder of a file (`constructs/aws`, `guardrails/rules`, `.` for the root). */
const folderOf = (file: string) => relative(ROOT, dirname(file)) || '.';

/** The project files a file imports (relative imports only), as TypeScript's own scanner finds them. */
function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return importedFiles
    .map((imported) => imported.fileName)
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => resolve(dirname(file), specifier));
}

/** Folder → the folders its files import, over the product's code (tests import everything, as they should). */
function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of FILES.filter((candidate) => !isTest(candidate))) {
    const from = folderOf(file);
    const targets = graph.get(from) ?? new Set<string>();
    graph.set(from, targets);
    for (const target of importsOf(file)) {
      const folder =
        relative(ROOT, statSync(target, { throwIfNoEntry: false })?.isDirectory() ? target : dirname(target)) || '.';
      if (folder !== from) targets.add(folder);
    }
  }
  return graph;
}

/** A cycle among the folders, as a path, or undefined. */
function findCycle(graph: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (folder: string, path: string[]): string[] | undefined => {
    if (state.get(folder) === 'visiting') return [...path.slice(path.indexOf(folder)), folder];
    if (state.get(folder) === 'done') return undefined;
    state.set(folder, 'visiting');
    for (const next of graph.get(folder) ?? []) {
      const cycle = visit(next, [...path, folder]);
      if (cycle !== undefined) return cycle;
    }
    state.set(folder, 'done');
    return undefined;
  };
  for (const folder of graph.keys()) {
    const cycle = visit(folder, []);
    if (cycle !== undefined) return cycle;
  }
  return undefined;
}

describe('dependencies between folders', () => {
  const graph = folderGraph();
  const importsUnder = (from: string, prefix: string) =>
    [...graph]
      .filter(([folder]) => folder === from || folder.startsWith(`${from}/`))
      .flatMap(([, targets]) => [...targets].filter((target) => target === prefix || target.startsWith(`${prefix}/`)));

  test('the graph is read from the code (a sanity check of the reader)', () => {
    expect(graph.get('constructs/ci-pipeline')).toEqual(expect.objectContaining({ size: expect.any(Number) }));
    expect([...(graph.get('constructs/ci-pipeline') ?? [])]).toEqual(
      expect.arrayContaining(['constructs/aws', 'constructs/github', 'constructs/core']),
    );
  });

  test('point one way: no folder imports a folder that imports it back, however indirectly', () => {
    expect(findCycle(graph)).toBeUndefined();
    expect(
      findCycle(
        new Map([
          ['a', new Set(['b'])],
          ['b', new Set(['c'])],
          ['c', new Set(['a'])],
        ]),
      ),
    ).toEqual(['a', 'b', 'c', 'a']);
  });

  test('the guardrails import nothing from the constructs, and shared/ (what both use) imports nothing of ours', () => {
    expect(importsUnder('guardrails', 'constructs')).toEqual([]);
    expect([...(graph.get('shared') ?? [])]).toEqual([]);
  });

  test('the construct library imports neither the app, its configuration, nor the tools', () => {
    for (const outside of ['app', 'config', 'tools', 'scripts', 'examples', '.'])
      expect([outside, importsUnder('constructs', outside)]).toEqual([outside, []]);
  });
});
