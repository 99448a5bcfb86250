/**
 * The code's shape, checked: dependencies between folders point one way, the
 * guardrails know nothing of the constructs, no function outgrows a screen,
 * and no provider package is loaded whole.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import * as ts from 'typescript';

const ROOT = resolve(__dirname, '..');
const SKIP = new Set(['node_modules', 'cdktf.out', 'dist', '.git', '.gen', 'coverage', 'sample-flask-app']);

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
const parsed = new Map<string, ts.SourceFile>();
/** The file's syntax tree, parsed once for every test here. */
function parse(file: string): ts.SourceFile {
  if (!parsed.has(file)) parsed.set(file, ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true));
  return parsed.get(file)!;
}

/** The project's folder of a file (`constructs/aws`, `guardrails/rules`, `.` for the root). */
const folderOf = (file: string) => relative(ROOT, dirname(file)) || '.';

/** The project files a file imports (relative imports only). */
function importsOf(file: string): string[] {
  const found: string[] = [];
  parse(file).forEachChild((node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      if (node.moduleSpecifier.text.startsWith('.')) found.push(resolve(dirname(file), node.moduleSpecifier.text));
    }
  });
  return found;
}

/** Folder → the folders its files import, over the product's code (tests import everything, as they should). */
function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of FILES.filter((candidate) => !isTest(candidate))) {
    const from = folderOf(file);
    const targets = graph.get(from) ?? new Set<string>();
    graph.set(from, targets);
    for (const target of importsOf(file)) {
      const folder = relative(ROOT, statSync(target, { throwIfNoEntry: false })?.isDirectory() ? target : dirname(target)) || '.';
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
    [...graph].filter(([folder]) => folder === from || folder.startsWith(`${from}/`)).flatMap(([, targets]) => [...targets].filter((target) => target === prefix || target.startsWith(`${prefix}/`)));

  test('the graph is read from the code (a sanity check of the reader)', () => {
    expect(graph.get('constructs/ci-pipeline')).toEqual(expect.objectContaining({ size: expect.any(Number) }));
    expect([...(graph.get('constructs/ci-pipeline') ?? [])]).toEqual(expect.arrayContaining(['constructs/aws', 'constructs/github', 'constructs/core']));
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

  test('the guardrails import nothing from the constructs, and the IAM action lists import nothing', () => {
    expect(importsUnder('guardrails', 'constructs')).toEqual([]);
    expect([...(graph.get('iam') ?? [])]).toEqual([]);
  });

  test('the construct library imports neither the app, its configuration, nor the tools', () => {
    for (const outside of ['app', 'config', 'tools', 'scripts', 'examples', '.']) expect([outside, importsUnder('constructs', outside)]).toEqual([outside, []]);
  });
});

describe('function size', () => {
  const LIMIT = 60;
  /** The callback of a `describe(...)` or `describe.each(...)(...)` call: a group of tests, not a function anyone reads as one. */
  const isDescribeBody = (node: ts.Node) => ts.isCallExpression(node.parent) && /^describe\b/.test(node.parent.expression.getText()) && node.parent.arguments.includes(node as ts.Expression);

  function longFunctions(file: string): string[] {
    const source = parse(file);
    const found: string[] = [];
    const visit = (node: ts.Node) => {
      if (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined && !isDescribeBody(node)) {
        const start = source.getLineAndCharacterOfPosition(node.getStart()).line;
        const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
        if (end - start + 1 > LIMIT) found.push(`${relative(ROOT, file)}:${start + 1} is ${end - start + 1} lines`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
    return found;
  }

  test(`no function is over ${LIMIT} lines`, () => {
    expect(FILES.length).toBeGreaterThan(50);
    expect(FILES.flatMap(longFunctions)).toEqual([]);
  });
});

describe('provider imports', () => {
  /** An import or require of a provider package's root, which loads every resource class it has. */
  const ROOT_PROVIDER_IMPORT = /(?:from\s+|require\(\s*|import\(\s*)['"]@cdktf\/provider-[a-z0-9-]+['"]/;

  test('the pattern catches root imports and allows deep ones', () => {
    // Built from parts so that this file itself holds no root import for greps to flag.
    const aws = ['@cdktf', 'provider-aws'].join('/');
    const github = ['@cdktf', 'provider-github'].join('/');
    expect(ROOT_PROVIDER_IMPORT.test(`import { CodebuildProject } from '${aws}';`)).toBe(true);
    expect(ROOT_PROVIDER_IMPORT.test(`const aws = require("${aws}")`)).toBe(true);
    expect(ROOT_PROVIDER_IMPORT.test(`import * as github from '${github}';`)).toBe(true);
    expect(ROOT_PROVIDER_IMPORT.test(`import { CodebuildProject } from '${aws}/lib/codebuild-project';`)).toBe(false);
  });

  test('no source file imports a provider package from its root', () => {
    const offenders = FILES.filter((file) => ROOT_PROVIDER_IMPORT.test(readFileSync(file, 'utf8'))).map((file) => relative(ROOT, file));
    expect(offenders).toEqual([]);
  });
});
