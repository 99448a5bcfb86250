/**
 * The Python that runs the sample app's tests under `npm test`, so that a fresh clone needs Node.js and Python 3 only.
 * From the Python named by `$PYTHON`, else `python3` on PATH, in this order:
 *  1. a virtual environment with the hashed requirements, installed as the buildspec installs them, kept in
 *     node_modules/.cache/sample-app-python/<key> (the key hashes the requirements files and that Python), so it is
 *     built once;
 *  2. where it cannot be built (no package index answered, the index lacks a pinned file, no `venv` module), that
 *     Python itself if it has Flask (Debian's python3-flask, for example);
 *  3. where an index answered but lacks a pinned file, a second environment with Flask 3 alone from that index,
 *     without hash checking: what the line below would tell the user to install, kept apart from their Python;
 *  4. otherwise nothing, and one line that names what is missing and the command that installs it.
 *
 * The tests call `sampleAppPython()`; Jest's globalSetup (__tests__/global-setup.ts) calls the default export once,
 * before the test files.
 * `tsx scripts/sample-app-python.ts <args>` runs that Python in sample-flask-app/ (`npm run test:app`).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { PROJECT_ROOT } from './app-command';

/** What a command gave: the part of spawnSync's result used here. */
export interface CommandResult {
  /** Exit status; null when the command did not run or was killed. */
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Set when the command could not be started (ENOENT: not found). */
  readonly error?: Error;
}

/** Runs a command to its end. Tests pass a fake. */
export type RunCommand = (command: string, args: readonly string[]) => CommandResult;

/** The Python chosen for the sample app's tests, and how; or the one line that says what to install. */
export type SampleAppPython =
  | { readonly kind: 'cached'; readonly python: string }
  | { readonly kind: 'built'; readonly python: string; readonly seconds: number }
  | { readonly kind: 'system'; readonly python: string; readonly reason: string }
  | { readonly kind: 'unhashed'; readonly python: string; readonly reason: string }
  | { readonly kind: 'missing'; readonly message: string };

export interface PreparationOptions {
  /** The Python to build the environment from, or to use as it is. @default - `$PYTHON`, else `python3` on PATH */
  readonly python?: string;
  /** Where environments are kept, one directory per key. @default node_modules/.cache/sample-app-python */
  readonly cacheDir?: string;
  /** The requirements files, installed together. @default - sample-flask-app/requirements.txt, requirements-dev.txt */
  readonly requirementsFiles?: readonly string[];
  /** @default - spawnSync */
  readonly run?: RunCommand;
}

export const APP_DIR = join(PROJECT_ROOT, 'sample-flask-app');
export const CACHE_DIR = join(PROJECT_ROOT, 'node_modules', '.cache', 'sample-app-python');
const REQUIREMENTS_FILES = ['requirements.txt', 'requirements-dev.txt'].map((file) => join(APP_DIR, file));

/**
 * The buildspec's install (hash-checking mode, wheels only), with a 10 s timeout and one retry: pip names a connection
 * error only when it retries, and its default five retries, with back-off, spend about 7 s on each package when an
 * index (PyPI, here) is unreachable.
 */
export const PIP_INSTALL = [
  ...['-m', 'pip', 'install', '--require-hashes', '--only-binary=:all:'],
  ...['--retries', '1', '--timeout', '10', '--disable-pip-version-check', '--no-input'],
];

/** How long a failed build is remembered, so that a machine without an index does not pay for one on every run. */
export const FAILED_BUILD_TTL_MS = 60 * 60 * 1000;

const IDENTITY_SCRIPT = 'import sys; print(sys.executable); print(sys.version)';
const ENVIRONMENT_PYTHON = process.platform === 'win32' ? join('Scripts', 'python.exe') : join('bin', 'python');

const runWithSpawn: RunCommand = (command, args) => {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '', error: result.error };
};

/** Why pip failed when every index it asked was unreachable. */
const NO_INDEX = 'no package index answered';

/** Chooses the sample app's Python as the file comment says, building the environment when it has to. */
export function prepareSampleAppPython(options: PreparationOptions = {}): SampleAppPython {
  const python = options.python ?? process.env.PYTHON ?? 'python3';
  const run = options.run ?? runWithSpawn;
  const files = options.requirementsFiles ?? REQUIREMENTS_FILES;
  const identity = run(python, ['-c', IDENTITY_SCRIPT]);
  if (identity.status !== 0) {
    const why = identity.error?.message ?? lastLine(identity.stderr);
    return {
      kind: 'missing',
      message:
        `The sample app's tests need Python 3, and \`${python}\` did not run (${why}): install it with ` +
        '`sudo apt-get install python3` (Debian, Ubuntu) or set PYTHON to a Python 3, then run npm test again.',
    };
  }
  const environment = join(options.cacheDir ?? CACHE_DIR, environmentKey(files, identity.stdout));
  const environmentPython = join(environment, ENVIRONMENT_PYTHON);
  if (existsSync(environmentPython)) return { kind: 'cached', python: environmentPython };

  const started = Date.now();
  const hashed = [...PIP_INSTALL, ...files.flatMap((file) => ['-r', file])];
  const reason = recentFailure(environment) ?? buildEnvironment(run, python, environment, hashed);
  if (reason === undefined) return { kind: 'built', python: environmentPython, seconds: (Date.now() - started) / 1000 };
  if (run(python, ['-c', 'import flask']).status === 0) return { kind: 'system', python, reason };
  if (reason !== NO_INDEX && !reason.includes('-m venv')) {
    const flaskOnly = `${environment}-flask-only`;
    const flaskOnlyPython = join(flaskOnly, ENVIRONMENT_PYTHON);
    const looseReason = existsSync(flaskOnlyPython)
      ? undefined
      : (recentFailure(flaskOnly) ?? buildEnvironment(run, python, flaskOnly, FLASK_ONLY));
    if (looseReason === undefined) return { kind: 'unhashed', python: flaskOnlyPython, reason };
  }
  return { kind: 'missing', message: missingFlaskLine(python, reason) };
}

/** Flask 3 alone, from the index pip is configured with, when the hashed pins are not all there. */
export const FLASK_ONLY = [
  ...['-m', 'pip', 'install', '--only-binary=:all:', '--retries', '1', '--timeout', '10'],
  ...['--disable-pip-version-check', '--no-input', 'flask>=3,<4'],
];

/** Environments differ by requirements, install flags and base Python (a venv links to the Python it was made from). */
function environmentKey(files: readonly string[], identity: string): string {
  const hash = createHash('sha256');
  for (const file of files) hash.update(readFileSync(file)).update('\0');
  return hash.update(PIP_INSTALL.join(' ')).update('\0').update(identity).digest('hex').slice(0, 16);
}

/**
 * Builds the environment beside its place and moves it there once pip has succeeded, so that an interrupted or
 * concurrent build never leaves a half-installed one where the next run looks. A venv's python finds its packages
 * from where it lies, so the move is safe for `python`; the `pip` script's `#!` line keeps the build path (use
 * `python -m pip`). Returns why it failed, and records that for FAILED_BUILD_TTL_MS.
 */
function buildEnvironment(
  run: RunCommand,
  python: string,
  environment: string,
  pipArgs: readonly string[],
): string | undefined {
  const building = `${environment}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(dirname(environment), { recursive: true });
  const reason = installInto(run, python, building, pipArgs);
  if (reason !== undefined) {
    rmSync(building, { recursive: true, force: true });
    writeFileSync(`${environment}.failed`, reason);
    return reason;
  }
  try {
    renameSync(building, environment);
  } catch (error) {
    // Another process (a second Jest worker) finished the same environment first: use that one.
    rmSync(building, { recursive: true, force: true });
    if (!existsSync(join(environment, ENVIRONMENT_PYTHON))) throw error;
  }
  rmSync(`${environment}.failed`, { force: true });
  return undefined;
}

function installInto(
  run: RunCommand,
  python: string,
  directory: string,
  pipArgs: readonly string[],
): string | undefined {
  const venv = run(python, ['-m', 'venv', directory]);
  if (venv.status !== 0) {
    const noEnsurepip = /ensurepip is not\s+available/.test(venv.stdout + venv.stderr);
    return noEnsurepip
      ? `\`${python} -m venv\` is missing (Debian and Ubuntu ship it as python3-venv)`
      : `\`${python} -m venv\` failed (${lastLine(venv.stderr)})`;
  }
  const pip = run(join(directory, ENVIRONMENT_PYTHON), pipArgs);
  return pip.status === 0 ? undefined : pipFailure(pip.stderr);
}

const UNREACHABLE =
  /NewConnectionError|ConnectTimeout|ProxyError|Name or service not known|name resolution|unreachable/;

/** Why pip failed, in a clause: "no package index answered" when every index it asked was unreachable. */
export function pipFailure(stderr: string): string {
  const firstError = stderr.split('\n').find((line) => line.startsWith('ERROR:')) ?? lastLine(stderr);
  if (UNREACHABLE.test(stderr) && firstError.includes('(from versions: none)')) return NO_INDEX;
  return `pip could not install the hashed requirements (${firstError.trim()})`;
}

function recentFailure(environment: string): string | undefined {
  const record = `${environment}.failed`;
  if (!existsSync(record) || Date.now() - statSync(record).mtimeMs > FAILED_BUILD_TTL_MS) return undefined;
  return readFileSync(record, 'utf8');
}

/**
 * The one line a user reads when nothing provides Flask: what is missing, why, and the commands that install it.
 * `pip install flask`, not the hashed files: any Flask 3 runs the tests, and the files fail again on a missing pin.
 */
export function missingFlaskLine(python: string, reason: string): string {
  return (
    `The sample app's tests need Flask for \`${python}\`, and ${reason}: install it with ` +
    "`sudo apt-get install python3-flask` (for Debian's and Ubuntu's /usr/bin/python3) or " +
    `\`${python} -m pip install flask\`, then run npm test again.`
  );
}

const lastLine = (text: string): string => text.trim().split('\n').pop() ?? '';

/** An error that Jest shows as its message alone: the line says all, and a stack trace would bury it. */
class MissingPythonError extends Error {
  constructor(message: string) {
    super(message);
    this.stack = message;
  }
}

let chosen: SampleAppPython | undefined;

/** The sample app's Python for a test, prepared once per process; throws the one line when there is none. */
export function sampleAppPython(): string {
  chosen ??= prepareSampleAppPython();
  if (chosen.kind === 'missing') throw new MissingPythonError(chosen.message);
  return chosen.python;
}

/** Jest's globalSetup: prepares the Python before the test files start, and says so when it did something. */
export default function globalSetup(): void {
  const result = prepareSampleAppPython();
  if (result.kind === 'built')
    console.log(
      `\nBuilt the sample app's Python environment in ${result.seconds.toFixed(1)} s, once: ` +
        relative(PROJECT_ROOT, dirname(dirname(result.python))),
    );
  if (result.kind === 'system')
    console.log(`\nThe sample app's tests use the Flask of \`${result.python}\`: ${result.reason}.`);
  if (result.kind === 'unhashed')
    console.log(
      `\nThe sample app's tests use Flask 3 installed without hash checking into ` +
        `${relative(PROJECT_ROOT, dirname(dirname(result.python)))}: ${result.reason}.`,
    );
}

if (require.main === module) {
  const result = prepareSampleAppPython();
  if (result.kind === 'missing') {
    console.error(result.message);
    process.exit(1);
  }
  const { status } = spawnSync(result.python, process.argv.slice(2), { cwd: APP_DIR, stdio: 'inherit' });
  process.exit(status ?? 1);
}
