import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  createScanner,
  getNodePath,
  Node as JsonNode,
  parseTree,
  printParseErrorCode,
  type SyntaxKind,
  visit,
} from 'jsonc-parser';
import { z } from 'zod';
import { describeValue } from '../constructs/core/validation';
import { configSchema, PipelinesConfig, valueProblems } from './schema';

/** The environment variable that points at a configuration file. */
export const CONFIG_ENV_VAR = 'CI_PIPELINES_CONFIG';
/**
 * The checked-in configuration, used when the variable is unset: from the project root, where npm and cdktf run the
 * app.
 */
export const DEFAULT_CONFIG_PATH = resolve('config', 'pipelines.json');

/** A configuration that cannot be used; `problems` lists every reason at once. */
export class ConfigError extends Error {
  constructor(
    public readonly source: string,
    public readonly problems: readonly string[],
  ) {
    super(`Invalid configuration ${source}:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the configuration file at `path`. */
export function loadConfigFile(path: string): PipelinesConfig {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const reason =
      { ENOENT: 'the file does not exist', EISDIR: 'it is a directory', EACCES: 'permission denied' }[
        String((error as NodeJS.ErrnoException).code)
      ] ?? (error as Error).message;
    throw new ConfigError(path, [
      `cannot read the file: ${reason} (set ${CONFIG_ENV_VAR} to a JSON configuration file)`,
    ]);
  }
  const encoding = otherEncoding(bytes);
  if (encoding !== undefined) {
    throw new ConfigError(path, [
      `the file is ${encoding}: save it as UTF-8, the encoding JSON exchanged between systems must use (RFC 8259, 8.1)`,
    ]);
  }
  let text = bytes.toString('utf8');
  // Editors on Windows may write a UTF-8 byte-order mark, which JSON.parse refuses.
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  if (text.trim() === '') {
    throw new ConfigError(path, ['the file is empty: expected a JSON object with "region", "state" and "pipelines"']);
  }
  const tooDeep = excessNesting(text);
  if (tooDeep !== undefined) throw new ConfigError(path, [tooDeep]);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(path, [`the file is not valid JSON: ${jsonSyntaxProblem(text) ?? (error as Error).message}`]);
  }
  const duplicates = duplicateKeys(text);
  if (duplicates.length > 0) throw new ConfigError(path, duplicates);
  return parseConfig(document, path);
}

/**
 * The encoding of a file that is not UTF-8 as editors write JSON in other encodings: UTF-16 (with its byte-order mark,
 * or ASCII text with every other byte zero, as Windows tools save "Unicode"). Undefined for anything else.
 */
function otherEncoding(bytes: Buffer): string | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'UTF-16 (little-endian, with a byte-order mark)';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'UTF-16 (big-endian, with a byte-order mark)';
  if (bytes.length >= 2 && bytes[0] !== 0 && bytes[1] === 0) return 'UTF-16 (little-endian)';
  if (bytes.length >= 2 && bytes[0] === 0 && bytes[1] !== 0) return 'UTF-16 (big-endian)';
  return undefined;
}

/**
 * How deep a configuration may nest objects and lists. Its deepest values are five levels down (the document,
 * `pipelines`, a pipeline, its `github`, `codeOwners`); the bound leaves room for that and refuses, before any
 * recursive parser meets them, documents that would exhaust its stack.
 */
export const MAX_NESTING_DEPTH = 32;

/**
 * Where `text` first nests objects and lists deeper than {@link MAX_NESTING_DEPTH}, as `line L, column C: ...`;
 * undefined when it does not. jsonc-parser's scanner reads the tokens one by one, so no depth can exhaust a stack here.
 */
export function excessNesting(text: string): string | undefined {
  // jsonc-parser's SyntaxKind values (a const enum, which isolated modules cannot read).
  const [open, close] = [new Set<SyntaxKind>([1, 3]), new Set<SyntaxKind>([2, 4])];
  const EOF: SyntaxKind = 17;
  const scanner = createScanner(text, false);
  let depth = 0;
  for (let token = scanner.scan(); token !== EOF; token = scanner.scan()) {
    if (close.has(token)) depth -= 1;
    if (!open.has(token)) continue;
    depth += 1;
    if (depth > MAX_NESTING_DEPTH)
      return (
        `line ${scanner.getTokenStartLine() + 1}, column ${scanner.getTokenStartCharacter() + 1}: the document nests ` +
        `objects and lists more than ${MAX_NESTING_DEPTH} levels deep, where a configuration needs 5 ` +
        '(pipelines[].github.codeOwners[])'
      );
  }
  return undefined;
}

/** What JSON's grammar expected where a document breaks it, in words (jsonc-parser's error codes). */
const JSON_SYNTAX_ERRORS: Readonly<Record<string, string>> = {
  InvalidSymbol: 'this is not JSON (names and strings are written in double quotes; true, false, null in lowercase)',
  InvalidNumberFormat: 'the number is not written as JSON writes numbers',
  PropertyNameExpected: 'a property name in double quotes is expected (is there a comma after the last property?)',
  ValueExpected: 'a value is expected (is there a comma after the last item?)',
  ColonExpected: 'a ":" is expected after the property name',
  CommaExpected: 'a "," is expected before the next property or item',
  CloseBraceExpected: 'a "}" is expected to close the object',
  CloseBracketExpected: 'a "]" is expected to close the list',
  EndOfFileExpected: 'the document should end here: a file holds one JSON object',
  InvalidCommentToken: 'JSON has no comments',
  UnexpectedEndOfComment: 'JSON has no comments',
  UnexpectedEndOfString: 'the string is not closed with a double quote',
  UnexpectedEndOfNumber: 'the number ends too soon',
  InvalidUnicode: 'the \\u escape needs four hexadecimal digits',
  InvalidEscapeCharacter: 'this escape is not one of JSON\'s (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u)',
  InvalidCharacter: 'a control character (a tab or a line break) must be escaped inside a string',
};

/**
 * Where a text first breaks JSON's grammar, as an editor shows it: `line 12, column 5: <what was expected>`; undefined
 * for valid JSON. (JSON.parse says only "at position 849" on some Node.js lines.)
 */
export function jsonSyntaxProblem(text: string): string | undefined {
  let problem: string | undefined;
  visit(
    text,
    {
      onError: (error, _offset, _length, line, column) => {
        const code = printParseErrorCode(error);
        problem ??= `line ${line + 1}, column ${column + 1}: ${JSON_SYNTAX_ERRORS[code] ?? code}`;
      },
    },
    { disallowComments: true, allowTrailingComma: false },
  );
  return problem;
}

/**
 * A problem for each key written twice in one object: JSON.parse silently keeps
 * the last, so a second `region` would move every stack without a word.
 */
export function duplicateKeys(text: string): string[] {
  const problems: string[] = [];
  const visit = (node: JsonNode | undefined) => {
    if (node === undefined) return;
    if (node.type === 'object') {
      const counts = new Map<string, number>();
      for (const property of node.children ?? []) {
        const key = String(property.children?.[0]?.value);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      for (const [key, count] of counts) {
        if (count > 1)
          problems.push(
            `${formatPath([...getNodePath(node), key])}: the key ${JSON.stringify(key)} is written ${count} times ` +
              `in one object; JSON keeps only the last, so write it once`,
          );
      }
    }
    for (const child of node.children ?? []) visit(child);
  };
  visit(parseTree(text));
  return problems;
}

/** What a field holds, for a message: its value, or that it is not set. */
const describeGiven = (value: unknown) => (value === undefined ? 'not set' : `got ${describeValue(value)}`);

/** Validates a parsed document, reporting every problem with its field path. */
export function parseConfig(document: unknown, source: string = 'document'): PipelinesConfig {
  const result = configSchema.safeParse(document, { reportInput: true });
  const shapeIssues = result.success ? [] : result.error.issues;
  const problems = [
    ...shapeIssues.map((issue) => ({ path: issue.path, describe: () => describeIssue(issue) })),
    ...valueProblems(document, shapeIssues).map((problem) => ({
      path: problem.path,
      describe: () => [`${formatPath(problem.path)}: ${describeGiven(problem.value)}; ${problem.message}`],
    })),
  ];
  if (problems.length > 0 || !result.success) {
    throw new ConfigError(
      source,
      problems.sort(inDocumentOrder(document)).flatMap((problem) => problem.describe()),
    );
  }
  return result.data;
}

/** Orders issues as their fields appear in the document, so that a reader meets them from top to bottom. */
function inDocumentOrder(document: unknown) {
  // A field's position among its siblings; a missing one (a required field left out) comes after them.
  const position = (parent: unknown, key: PropertyKey) => {
    if (typeof key === 'number') return key;
    const index = typeof parent === 'object' && parent !== null ? Object.keys(parent).indexOf(String(key)) : -1;
    return index === -1 ? Number.MAX_SAFE_INTEGER : index;
  };
  return (a: { readonly path: readonly PropertyKey[] }, b: { readonly path: readonly PropertyKey[] }): number => {
    let parent: any = document;
    for (let depth = 0; depth < Math.min(a.path.length, b.path.length); depth += 1) {
      if (a.path[depth] !== b.path[depth]) return position(parent, a.path[depth]) - position(parent, b.path[depth]);
      parent = parent?.[a.path[depth] as keyof typeof parent];
    }
    return a.path.length - b.path.length;
  };
}

/** Resolves which file to read: the environment variable, else the default. A variable set to nothing is a mistake. */
export function configPathFromEnvironment(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env[CONFIG_ENV_VAR];
  if (fromEnv === undefined) return DEFAULT_CONFIG_PATH;
  if (fromEnv.trim() === '') {
    throw new ConfigError(`${CONFIG_ENV_VAR}=${JSON.stringify(fromEnv)}`, [
      `${CONFIG_ENV_VAR} is set but empty: name a configuration file, or unset it to use ${DEFAULT_CONFIG_PATH}`,
    ]);
  }
  return resolve(fromEnv);
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(document)';
  return path
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? String(part) : `.${String(part)}`))
    .join('');
}

function describeIssue(issue: z.core.$ZodIssue): string[] {
  const path = formatPath(issue.path);
  const got = 'input' in issue ? describeValue(issue.input) : undefined;
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => `${formatPath([...issue.path, key])}: unknown field (a typo?); ${issue.message}`);
    case 'invalid_type':
      return issue.input === undefined
        ? [`${path}: is required (type ${issue.expected})`]
        : [`${path}: got ${got}; expected type ${issue.expected}`];
    default:
      return [`${path}: got ${got}; ${issue.message}`];
  }
}
