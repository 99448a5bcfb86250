/**
 * Secrets written into the configuration: a token, key or password in any
 * argument of any resource, data source, provider, output, local or variable
 * default ends up in the code, the synthesized JSON, the plan and the state.
 * Findings name the attribute and the kind of secret, never the value.
 */
import { parse as parseYaml } from 'yaml';
import { memoized } from '../core/memo';
import { ANY_ELEMENT, Rule } from '../core/rule';
import { Element, isExpression, strings, SynthesizedStack } from '../core/terraform-json';
import { describeSecret, detectSecrets, prepareSecretScan } from '../secrets/detector';

/**
 * The words of an attribute or variable name: `OAuthToken` → oauth, token; `DOCKERHUB_PASSWORD` → dockerhub, password.
 */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
}

const SECRET_LAST_WORDS = [
  'password',
  'passwd',
  'pass',
  'passphrase',
  'secret',
  'token',
  'pat',
  'credential',
  'credentials',
  'apikey',
  'authorization',
];
const SECRET_LAST_PAIRS = [
  'api key',
  'access key',
  'secret key',
  'private key',
  'signing key',
  'auth key',
  'encryption key',
  'plaintext value',
];
/** Names that end like a secret but hold none: idempotency tokens. */
const NOT_SECRET_NAMES = ['client token', 'idempotency token', 'creation token'];

/**
 * Whether a name says its value is a secret: its last word (`password`, `token`, ...) or last two (`access_key`,
 * `api_key`, ...).
 */
export function isSecretName(name: string): boolean {
  return judgedName(name);
}

/** Each name judged once: a stack repeats the same few hundred attribute names. */
const judgedName = memoized(judgeName);

function judgeName(name: string): boolean {
  const words = nameWords(name);
  const last = words[words.length - 1] ?? '';
  const pair = words.slice(-2).join(' ');
  if (NOT_SECRET_NAMES.includes(pair)) return false;
  return SECRET_LAST_WORDS.includes(last) || SECRET_LAST_PAIRS.includes(pair);
}

/**
 * Whether a value under a secret name is a literal secret: a non-empty string that is not an expression, a secret's ARN
 * or a flag.
 */
function isLiteralSecretValue(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const text = value.trim();
  return (
    text !== '' &&
    !isExpression(text) &&
    !text.startsWith('arn:') &&
    !['true', 'false', 'null'].includes(text.toLowerCase())
  );
}

/**
 * Types of a name/value variable whose value is a reference to a secret store, not the secret (CodeBuild, CodePipeline,
 * ECS).
 */
const REFERENCE_VARIABLE_TYPES = ['SECRETS_MANAGER', 'PARAMETER_STORE'];

/**
 * Attributes whose secret-looking name holds the name or ARN of a secret, not
 * the secret: CodeBuild's `environment.registry_credential.credential` ("the
 * Amazon Resource Name (ARN) or name of credentials created using AWS Secrets
 * Manager", CodeBuild API Reference, RegistryCredential).
 */
const SECRET_REFERENCE_PATHS = [/registry_credential(\[\d+\])?\.credential$/];

/** The secrets a text shows as it is, found by the maintained detector, as the kinds a message names. */
const secretKinds = (text: string): string[] => detectSecrets(text).map(describeSecret);

/** Runs of the base64 alphabet long enough to hide a credential (RFC 4648, section 4). */
const BASE64_RUN = /[A-Za-z0-9+/]{16,}={0,2}/g;

/**
 * The secrets base64 hides in a text: each run that decodes to text is read as any string is (a token, JSON or YAML
 * with their names, base64 again), and, under the name `auth`, a `user:password` pair is how a Docker config.json
 * keeps a registry login ("docker login": credential stores, Docker docs). Each decoding is shorter than its run, so
 * nested base64 ends.
 */
function encodedSecretProblems(text: string, path: string, name: string | undefined, into: string[]): void {
  for (const [run] of text.matchAll(BASE64_RUN)) {
    const decoded = Buffer.from(run, 'base64').toString('utf8');
    if (!/^[\x20-\x7e\t\r\n]+$/.test(decoded)) continue;
    const found: string[] = [];
    collectSecretProblems(decoded, path, name, found);
    if (found.length === 0 && name?.toLowerCase() === 'auth' && /^[^\s:]+:\S+$/.test(decoded))
      found.push(`${path} holds a registry login (user:password)`);
    into.push(...found.map((problem) => `${problem}, base64-encoded`));
  }
}

/** What is wrong with one string at `path` whose name (attribute, map key or variable name) is `name`. */
function stringProblems(value: string, path: string, name: string | undefined, into: string[]): void {
  const before = into.length;
  const kinds = secretKinds(value);
  if (kinds.length > 0) for (const kind of kinds) into.push(`${path} holds ${kind}`);
  else encodedSecretProblems(value, path, name, into);
  if (
    into.length === before &&
    name !== undefined &&
    isSecretName(name) &&
    isLiteralSecretValue(value) &&
    !SECRET_REFERENCE_PATHS.some((pattern) => pattern.test(path))
  ) {
    into.push(`${path} is a literal under the secret-looking name ${JSON.stringify(name)}`);
  }
}

/** JSON text inside a string (container definitions, pipeline variables), parsed, or undefined. */
function embeddedJson(value: string): unknown {
  const text = value.trim();
  if (!(text.startsWith('{') || text.startsWith('['))) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A line that starts a YAML mapping entry (`key:`), which a multi-line text must have to be read as YAML. */
const YAML_KEY_LINE = /^\s*[\w.-]+\s*:(\s|$)/m;

/**
 * YAML text inside a string (an inline buildspec, a file's content), parsed, or undefined; so a secret under a
 * secret-looking key (`env.variables.DB_PASSWORD`) is judged by that key. A buildspec's `secrets-manager` and
 * `parameter-store` map names to references, not to secrets, and are left out ("Buildspec syntax", CodeBuild User
 * Guide).
 */
function embeddedYaml(value: string): unknown {
  if (!value.includes('\n') || !YAML_KEY_LINE.test(value)) return undefined;
  let parsed: unknown;
  try {
    parsed = parseYaml(value, { uniqueKeys: false });
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const env = (parsed as Record<string, unknown>).env;
  if (typeof env === 'object' && env !== null)
    for (const references of ['secrets-manager', 'parameter-store'])
      delete (env as Record<string, unknown>)[references];
  return parsed;
}

/**
 * The problems of every string in `value`. A `{ name, value, type }` object (a
 * CodeBuild or CodePipeline environment variable, an ECS `environment` entry)
 * or a `{ key, value }` pair (a header) is judged by its name, unless its type
 * says the value is a reference to Secrets Manager or Parameter Store.
 */
export function secretProblems(value: unknown, path: string, name?: string): string[] {
  const problems: string[] = [];
  collectSecretProblems(value, path, name, problems);
  return problems;
}

/** {@link secretProblems}, appended to `into`: a stack has tens of thousands of values, most without a problem. */
function collectSecretProblems(value: unknown, path: string, name: string | undefined, into: string[]): void {
  if (typeof value === 'string') {
    const embedded = embeddedJson(value) ?? embeddedYaml(value);
    if (embedded === undefined) stringProblems(value, path, name, into);
    else {
      collectSecretProblems(embedded, path, name, into);
      // The text as a whole too: a token in a comment or a shell line is in no key's value.
      if (into.length === 0) stringProblems(value, path, name, into);
    }
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => collectSecretProblems(item, `${path}[${index}]`, name, into));
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const object = value as Record<string, unknown>;
  const nameKey = ['name', 'key'].find((key) => typeof object[key] === 'string' && 'value' in object);
  if (nameKey !== undefined) {
    const variableName = object[nameKey] as string;
    const type = typeof object.type === 'string' ? object.type.toUpperCase() : 'PLAINTEXT';
    const label = `${path === '' ? 'value' : path} (${JSON.stringify(variableName)}, type ${type})`;
    if (REFERENCE_VARIABLE_TYPES.includes(type))
      into.push(...secretProblems(object.value, label).filter((problem) => !problem.includes('secret-looking name')));
    else
      collectSecretProblems(
        object.value,
        label,
        isSecretName(variableName) || name === undefined ? variableName : name,
        into,
      );
    for (const key of Object.keys(object)) {
      if (key !== 'value' && key !== nameKey && key !== '//')
        collectSecretProblems(object[key], `${path}.${key}`, key, into);
    }
    return;
  }
  for (const key of Object.keys(object)) {
    if (key !== '//')
      collectSecretProblems(object[key], path === '' ? key : `${path}.${key}`, childName(key, name), into);
  }
}

/**
 * The name a value is judged by: its key, or for a generic `value` (`api_key { value = ... }`) the secret-looking name
 * of its block.
 */
const childName = (key: string, parent: string | undefined) =>
  key === 'value' && parent !== undefined && isSecretName(parent) ? parent : key;

/** The last part of an element's address: a variable's or output's name. */
const ownName = (element: Element) => element.address.split('.').slice(-1)[0];

/**
 * What is wrong with one element: each argument, with a variable's default and an output's value judged by the
 * variable's or output's name.
 */
export function elementSecretProblems(element: Element): string[] {
  const { type, body } = element;
  if (type === 'variable' || type === 'output') {
    const attribute = type === 'variable' ? 'default' : 'value';
    const problems = secretProblems(body[attribute], attribute, ownName(element));
    if (
      isTrue(body.sensitive) &&
      isLiteralSecretValue(body[attribute]) &&
      !problems.some((problem) => problem.startsWith(`${attribute} `))
    ) {
      problems.push(`${attribute} is a literal of a sensitive ${type}`);
    }
    const rest = Object.fromEntries(Object.entries(body).filter(([key]) => key !== attribute));
    return [...problems, ...secretProblems(rest, '')];
  }
  const problems = secretProblems(body, '');
  const literalValueIsSecret = LITERAL_SECRET_VALUES.find(
    (candidate) => candidate.type === type && candidate.holds(body),
  );
  if (
    literalValueIsSecret !== undefined &&
    isLiteralSecretValue(body.value) &&
    !problems.some((problem) => problem.startsWith('value '))
  ) {
    problems.push(`value of ${literalValueIsSecret.what} is a literal`);
  }
  return problems;
}

/**
 * The stacks whose strings the detector has read in one pass ({@link prepareSecretScan}): a fleet's first check
 * takes a fifth less time than with a pass per string.
 */
const preparedStacks = new WeakSet<SynthesizedStack>();

/** Resources whose `value` is a secret whatever they are named: a SecureString parameter, an API Gateway API key. */
const LITERAL_SECRET_VALUES: readonly { type: string; what: string; holds(body: Record<string, any>): boolean }[] = [
  {
    type: 'aws_ssm_parameter',
    what: 'a SecureString parameter',
    holds: (body) => String(body.type) === 'SecureString',
  },
  { type: 'aws_api_gateway_api_key', what: 'an API key', holds: () => true },
];

const isTrue = (value: unknown) => value === true || value === 'true';

export const SECRET_RULES: readonly Rule[] = [
  {
    id: 'CIP_SEC_1',
    name:
      'No secret is written in the configuration (tokens, keys, passwords in any argument, output, local or ' +
      'variable default)',
    explanation:
      'A secret written into the configuration is in the Git history, the synthesized JSON, every ' +
      'plan and the state, readable by anyone who can read any of them, and rotating it means ' +
      'finding every copy ("Manage sensitive data in your configuration", Terraform documentation). ' +
      "Tokens, keys and passwords in URLs are recognised by their format with secretlint's recommended " +
      'preset, in every string and in the YAML, JSON and base64 inside it; a value without a format (a password) ' +
      'by its secret-looking name.',
    targets: [ANY_ELEMENT],
    fix:
      'keep the secret in Secrets Manager and pass a reference: a SECRETS_MANAGER environment variable, a data ' +
      'source, or an ephemeral sensitive variable (secret_string_wo); rotate the exposed secret',
    check: (element, stack) => {
      if (!preparedStacks.has(stack)) {
        preparedStacks.add(stack);
        prepareSecretScan(strings(stack.json));
      }
      return elementSecretProblems(element);
    },
  },
];
