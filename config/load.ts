import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { describeValue } from '../constructs/core/validation';
import { configSchema, PipelinesConfig } from './schema';

/** The environment variable that points at a configuration file. */
export const CONFIG_ENV_VAR = 'CI_PIPELINES_CONFIG';
/** The checked-in configuration, used when the variable is unset. */
export const DEFAULT_CONFIG_PATH = resolve(__dirname, 'pipelines.json');

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
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist' : (error as Error).message;
    throw new ConfigError(path, [`cannot read the file: ${reason} (set ${CONFIG_ENV_VAR} to a JSON configuration file)`]);
  }
  if (text.trim() === '') {
    throw new ConfigError(path, ['the file is empty: expected a JSON object with "region", "state" and "pipelines"']);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(path, [`the file is not valid JSON: ${(error as Error).message}`]);
  }
  return parseConfig(document, path);
}

/** Validates a parsed document, reporting every problem with its field path. */
export function parseConfig(document: unknown, source: string = 'document'): PipelinesConfig {
  const result = configSchema.safeParse(document, { reportInput: true });
  if (!result.success) {
    throw new ConfigError(source, [...result.error.issues].sort(inDocumentOrder(document)).flatMap(describeIssue));
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
  return (a: z.core.$ZodIssue, b: z.core.$ZodIssue): number => {
    let parent: any = document;
    for (let depth = 0; depth < Math.min(a.path.length, b.path.length); depth += 1) {
      if (a.path[depth] !== b.path[depth]) return position(parent, a.path[depth]) - position(parent, b.path[depth]);
      parent = parent?.[a.path[depth] as keyof typeof parent];
    }
    return a.path.length - b.path.length;
  };
}

/** Resolves which file to read: the environment variable, else the default. */
export function configPathFromEnvironment(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env[CONFIG_ENV_VAR];
  return fromEnv !== undefined && fromEnv.trim() !== '' ? resolve(fromEnv) : DEFAULT_CONFIG_PATH;
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
