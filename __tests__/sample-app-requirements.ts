/**
 * Reading the sample app's hash-checked requirements files and the dependency metadata of the releases they pin.
 *
 * File format: https://pip.pypa.io/en/stable/reference/requirements-file-format/ (a `\` at the end of a line joins
 * the next; `#` starts a comment). Hash-checking mode: https://pip.pypa.io/en/stable/topics/secure-installs/
 * (every requirement, dependencies included, pinned with `==` and carrying at least one `--hash`).
 * Dependency specifiers and environment markers (the `Requires-Dist` lines of a wheel's METADATA): PEP 508,
 * https://peps.python.org/pep-0508/, parsed by pip-requirements-js.
 */
import { EnvironmentMarker, EnvironmentMarkerNode, parsePipRequirementsLine } from 'pip-requirements-js';

/** One `name==version --hash=sha256:…` entry. */
export interface PinnedRequirement {
  /** Normalized name (PEP 503). */
  readonly name: string;
  readonly version: string;
  /** The sha256 digests, lower-case hex. */
  readonly hashes: readonly string[];
  /** 1-based line where the entry starts, for messages. */
  readonly line: number;
}

/** A requirements file: its pins and the files it refers to with `-r` and `-c`. */
export interface RequirementsFile {
  readonly pins: readonly PinnedRequirement[];
  readonly includes: readonly string[];
  readonly constraints: readonly string[];
}

/** PEP 503 normalized name: https://peps.python.org/pep-0503/#normalized-names */
export const normalizeName = (name: string): string => name.toLowerCase().replace(/[-_.]+/g, '-');

const HASH_OPTION = /^--hash=sha256:([0-9a-f]{64})$/;

/** The logical lines of a requirements file: continuations joined, comments and blank lines dropped. */
function logicalLines(text: string): { readonly text: string; readonly line: number }[] {
  const result: { text: string; line: number }[] = [];
  let pending: { text: string; line: number } | undefined;
  text.split('\n').forEach((raw, index) => {
    const withoutComment = raw.replace(/(^|\s)#.*$/, '');
    const continued = /\\\s*$/.test(withoutComment);
    const content = withoutComment.replace(/\\\s*$/, '').trim();
    pending = pending ? { text: `${pending.text} ${content}`, line: pending.line } : { text: content, line: index + 1 };
    if (!continued) {
      if (pending.text.trim() !== '') result.push({ text: pending.text.trim(), line: pending.line });
      pending = undefined;
    }
  });
  if (pending && pending.text.trim() !== '') result.push({ text: pending.text.trim(), line: pending.line });
  return result;
}

/**
 * Parses a requirements file that pip can install in hash-checking mode. Throws, naming the file and line, for an
 * entry that is not pinned with `==`, has no sha256 `--hash` of 64 hex digits, or uses an option this project does not.
 */
export function parseRequirementsFile(text: string, file: string): RequirementsFile {
  const pins: PinnedRequirement[] = [];
  const includes: string[] = [];
  const constraints: string[] = [];
  for (const { text: entry, line } of logicalLines(text)) {
    const where = `${file}:${line}`;
    const fileOption = /^-(r|c)\s+(\S+)$/.exec(entry);
    if (fileOption) {
      (fileOption[1] === 'r' ? includes : constraints).push(fileOption[2]);
      continue;
    }
    const tokens = entry.split(/\s+/);
    const options = tokens.filter((token) => token.startsWith('--'));
    const requirement = tokens.filter((token) => !token.startsWith('--')).join(' ');
    const hashes = options.map((option) => {
      const match = HASH_OPTION.exec(option);
      if (!match)
        throw new Error(
          `${where}: "${option}" is not allowed; each option must be --hash=sha256:<64 lower-case hex digits>`,
        );
      return match[1];
    });
    const parsed = parsePipRequirementsLine(requirement);
    if (!parsed || parsed.type !== 'ProjectName')
      throw new Error(`${where}: "${requirement}" is not a requirement by project name`);
    const pinned =
      parsed.versionSpec?.length === 1 && parsed.versionSpec[0].operator === '=='
        ? parsed.versionSpec[0].version
        : undefined;
    if (!pinned || pinned.includes('*'))
      throw new Error(`${where}: "${requirement}" is not pinned; write name==version`);
    if (hashes.length === 0)
      throw new Error(
        `${where}: ${parsed.name}==${pinned} has no --hash=sha256:…; hash-checking mode needs at least one`,
      );
    pins.push({ name: normalizeName(parsed.name), version: pinned, hashes, line });
  }
  return { pins, includes, constraints };
}

/** Values of the PEP 508 marker variables on the platform the app is installed on. */
export type MarkerEnvironment = Readonly<Record<string, string>>;

/**
 * CPython 3.12 on Linux: the python:3.12-slim-bookworm image and CodeBuild's `python: 3.12` runtime. No extra is
 * requested.
 */
export const CPYTHON_312_LINUX: MarkerEnvironment = {
  python_version: '3.12',
  python_full_version: '3.12.0',
  implementation_version: '3.12.0',
  implementation_name: 'cpython',
  platform_python_implementation: 'CPython',
  os_name: 'posix',
  sys_platform: 'linux',
  platform_system: 'Linux',
  platform_machine: 'x86_64',
  platform_release: '',
  platform_version: '',
  extra: '',
};

/**
 * Marker variables compared as versions (PEP 508: "the <version_cmp> operators use the PEP 440 version comparison").
 */
const VERSION_VARIABLES = new Set(['python_version', 'python_full_version', 'implementation_version']);

function compareReleases(left: string, right: string): number {
  const parts = (version: string) =>
    version.split('.').map((part) => {
      if (!/^\d+$/.test(part))
        throw new Error(`cannot compare version "${version}": only release numbers (N.N.N) are supported`);
      return Number(part);
    });
  const [a, b] = [parts(left), parts(right)];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

function evaluateLeaf(left: string, operator: string, right: string, env: MarkerEnvironment): boolean {
  const isLiteral = (operand: string) => /^(['"]).*\1$/s.test(operand);
  const value = (operand: string) => {
    if (isLiteral(operand)) return operand.slice(1, -1);
    if (!(operand in env)) throw new Error(`unknown environment marker variable "${operand}"`);
    return env[operand];
  };
  const [a, b] = [value(left), value(right)];
  const asVersions = VERSION_VARIABLES.has(isLiteral(left) ? right : left);
  switch (operator) {
    case 'in':
      return b.includes(a);
    case 'not in':
      return !b.includes(a);
    case '==':
      return asVersions ? compareReleases(a, b) === 0 : a === b;
    case '!=':
      return asVersions ? compareReleases(a, b) !== 0 : a !== b;
    case '<':
      return compareReleases(a, b) < 0;
    case '<=':
      return compareReleases(a, b) <= 0;
    case '>':
      return compareReleases(a, b) > 0;
    case '>=':
      return compareReleases(a, b) >= 0;
    default:
      throw new Error(`environment marker operator "${operator}" is not supported here`);
  }
}

const isNode = (marker: EnvironmentMarker): marker is EnvironmentMarkerNode =>
  marker.operator === 'and' || marker.operator === 'or';

/** Whether a PEP 508 environment marker holds in `env` (no marker: always). */
export function markerHolds(marker: EnvironmentMarker | undefined, env: MarkerEnvironment): boolean {
  if (!marker) return true;
  if (isNode(marker))
    return marker.operator === 'and'
      ? markerHolds(marker.left, env) && markerHolds(marker.right, env)
      : markerHolds(marker.left, env) || markerHolds(marker.right, env);
  return evaluateLeaf(marker.left, marker.operator, marker.right, env);
}

/**
 * The normalized names a release's `Requires-Dist` lines require in `env` (extras and markers that do not hold left
 * out).
 */
export function requiredNames(requiresDist: readonly string[], env: MarkerEnvironment): string[] {
  return requiresDist.flatMap((line) => {
    const parsed = parsePipRequirementsLine(line);
    if (!parsed || parsed.type !== 'ProjectName') throw new Error(`"${line}" is not a dependency specifier`);
    return markerHolds(parsed.environmentMarkerTree, env) ? [normalizeName(parsed.name)] : [];
  });
}

/** A dependency that the pins lack, and the pinned releases that require it. */
export interface MissingDependency {
  readonly name: string;
  readonly requiredBy: readonly string[];
}

/**
 * The dependencies of the pinned releases, in `env`, that are not pinned themselves. Empty means the pins are closed
 * under "depends on": pip in hash-checking mode finds every distribution it resolves pinned and hashed.
 * `requiresDist` maps `name==version` to that release's `Requires-Dist` lines.
 */
export function missingDependencies(
  pins: readonly PinnedRequirement[],
  requiresDist: Readonly<Record<string, readonly string[]>>,
  env: MarkerEnvironment,
): MissingDependency[] {
  const pinned = new Set(pins.map((pin) => pin.name));
  const recorded = new Map(
    Object.entries(requiresDist).map(([release, lines]) => [
      normalizeName(release.split('==')[0]) + '==' + release.split('==')[1],
      lines,
    ]),
  );
  const missing = new Map<string, string[]>();
  for (const pin of pins) {
    const lines = recorded.get(`${pin.name}==${pin.version}`);
    if (!lines) throw new Error(`no Requires-Dist recorded for ${pin.name}==${pin.version}`);
    for (const name of requiredNames(lines, env)) {
      if (!pinned.has(name)) missing.set(name, [...(missing.get(name) ?? []), pin.name]);
    }
  }
  return [...missing].map(([name, requiredBy]) => ({ name, requiredBy })).sort((a, b) => a.name.localeCompare(b.name));
}

/** Names pinned in more than one of the files, with the files, for the "each distribution pinned once" rule. */
export function pinnedMoreThanOnce(
  files: Readonly<Record<string, RequirementsFile>>,
): { readonly name: string; readonly files: readonly string[] }[] {
  const where = new Map<string, string[]>();
  for (const [file, parsed] of Object.entries(files))
    for (const pin of parsed.pins) where.set(pin.name, [...(where.get(pin.name) ?? []), file]);
  return [...where].filter(([, inFiles]) => inFiles.length > 1).map(([name, inFiles]) => ({ name, files: inFiles }));
}

/** A `pip install` command: its arguments after `install`, and the requirements files it names with `-r`. */
export interface PipInstall {
  readonly args: readonly string[];
  readonly files: readonly string[];
}

/**
 * The `pip install` commands in a shell script, buildspec or Dockerfile (continuation lines joined, quotes removed as
 * the shell does).
 */
export function pipInstalls(script: string): PipInstall[] {
  const joined = script.replace(/\\\n/g, ' ');
  return [...joined.matchAll(/\bpip3?\s+install\s+([^\n;&|]*)/g)].map((match) => {
    const args = match[1]
      .trim()
      .split(/\s+/)
      .map((arg) => arg.replace(/['"]/g, ''));
    return { args, files: args.flatMap((arg, i) => (arg === '-r' && args[i + 1] ? [args[i + 1]] : [])) };
  });
}

/** `image:tag@sha256:<64 hex>`: an image reference pinned by digest (the tag only for readers). */
export const PINNED_IMAGE = /^[a-z0-9][a-z0-9._/-]*(?::[\w][\w.-]*)?@sha256:[0-9a-f]{64}$/;

/** The image references of a Dockerfile's FROM lines (the `AS name` part dropped). */
export function baseImages(dockerfile: string): string[] {
  return [...dockerfile.matchAll(/^FROM\s+(?:--platform=\S+\s+)?(\S+)/gim)].map((match) => match[1]);
}
