/**
 * The code's shape, checked: dependencies between folders point one way, the
 * guardrails know nothing of the constructs, no function outgrows a screen,
 * and no provider package is loaded whole.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseSync, type Module, type Node, type Span } from '@swc/core';

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
/** A file's syntax tree (swc's, a fifth of the TypeScript compiler's cost) and its text as UTF-8 bytes, which swc's spans count. */
interface Parsed {
  readonly module: Module;
  readonly bytes: Buffer;
  /** The byte offset where each line starts. */
  readonly lineStarts: readonly number[];
}
const parsed = new Map<string, Parsed>();
/** The file's syntax tree, parsed once for every test here. */
function parse(file: string): Parsed {
  if (!parsed.has(file)) {
    const bytes = readFileSync(file);
    const module = parseSync(bytes.toString('utf8'), /\.ts$/.test(file) ? { syntax: 'typescript' } : { syntax: 'ecmascript' });
    const lineStarts = [0];
    for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) lineStarts.push(at + 1);
    parsed.set(file, { module, bytes, lineStarts });
  }
  return parsed.get(file)!;
}

/** The 0-based line of a span's position (swc counts bytes from 1). */
function lineOf(source: Parsed, position: number): number {
  const offset = position - 1;
  let [low, high] = [0, source.lineStarts.length - 1];
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (source.lineStarts[middle] <= offset) low = middle;
    else high = middle - 1;
  }
  return low;
}

const textOf = (source: Parsed, span: Span) => source.bytes.subarray(span.start - 1, span.end - 1).toString('utf8');

/** The project's folder of a file (`constructs/aws`, `guardrails/rules`, `.` for the root). */
const folderOf = (file: string) => relative(ROOT, dirname(file)) || '.';

/** The project files a file imports (relative imports only). */
function importsOf(file: string): string[] {
  const found: string[] = [];
  for (const node of parse(file).module.body) {
    // `import ... from`, `import '...'`, `export ... from` and `export * from`, type-only ones too; not `import x = require(...)`.
    const specifier = node.type === 'ImportDeclaration' || node.type === 'ExportAllDeclaration' || node.type === 'ExportNamedDeclaration' ? node.source?.value : undefined;
    if (specifier?.startsWith('.')) found.push(resolve(dirname(file), specifier));
  }
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
  /** A function's span and whether it has a body (not an overload, abstract or `declare` signature), for every kind of function. */
  function functionOf(node: Node & { span?: Span }): { span: Span; hasBody: boolean } | undefined {
    const withBody = node as { body?: unknown; function?: { body?: unknown } };
    switch (node.type) {
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
      case 'Constructor':
      case 'MethodProperty':
        return { span: node.span!, hasBody: withBody.body != null };
      case 'ClassMethod':
      case 'PrivateMethod':
      case 'GetterProperty':
      case 'SetterProperty':
        return { span: node.span!, hasBody: withBody.function?.body != null };
      default:
        return undefined;
    }
  }

  function longFunctions(file: string): string[] {
    const source = parse(file);
    const found: string[] = [];
    /** `describeBody`: the node is an argument of a `describe(...)` or `describe.each(...)(...)` call, a group of tests, not a function anyone reads as one. */
    const visit = (value: unknown, describeBody = false): void => {
      if (Array.isArray(value)) return value.forEach((item) => visit(item));
      if (value === null || typeof value !== 'object') return;
      const node = value as Node & { span?: Span; callee?: Node & { span: Span }; arguments?: { expression: Node }[] };
      const fn = typeof node.type === 'string' ? functionOf(node) : undefined;
      if (fn !== undefined && fn.hasBody && !describeBody) {
        const start = lineOf(source, fn.span.start);
        const end = lineOf(source, fn.span.end);
        if (end - start + 1 > LIMIT) found.push(`${relative(ROOT, file)}:${start + 1} is ${end - start + 1} lines`);
      }
      if (node.type === 'CallExpression') {
        const inDescribe = /^describe\b/.test(textOf(source, node.callee!.span));
        visit(node.callee);
        for (const argument of node.arguments!) visit(argument.expression, inDescribe);
        return;
      }
      for (const [key, child] of Object.entries(node)) if (key !== 'span' && key !== 'type') visit(child);
    };
    visit(source.module);
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
