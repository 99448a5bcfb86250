import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CommandResult,
  FAILED_BUILD_TTL_MS,
  PreparationOptions,
  RunCommand,
  missingFlaskLine,
  pipFailure,
  prepareSampleAppPython,
} from '../scripts/sample-app-python';

const OK: CommandResult = { status: 0, stdout: '', stderr: '' };
const FAILED: CommandResult = { status: 1, stdout: '', stderr: '' };

/** pip's stderr where only PyPI is configured and DNS does not resolve it (this project's machines). */
const NO_INDEX_STDERR = [
  "WARNING: Retrying (Retry(total=0, ...)) after connection broken by 'NewConnectionError(... [Errno -2] Name or " +
    "service not known')': /simple/blinker/",
  'ERROR: Could not find a version that satisfies the requirement blinker==1.9.0 (from versions: none)',
  'ERROR: No matching distribution found for blinker==1.9.0',
].join('\n');

/** pip's stderr where a local index answers, without the pinned release. */
const MISSING_PIN_STDERR = [
  'Processing /opt/pypi/files/flask-3.1.3-py3-none-any.whl (from -r requirements.txt (line 21))',
  'ERROR: Could not find a version that satisfies the requirement gunicorn==23.0.0 (from versions: 26.2.0)',
  'ERROR: No matching distribution found for gunicorn==23.0.0',
].join('\n');

/** Debian's python3 without python3-venv. */
const NO_ENSUREPIP: CommandResult = {
  status: 1,
  stdout: 'The virtual environment was not created successfully because ensurepip is not\navailable.',
  stderr: '',
};

/** A machine as the commands see it. */
interface Machine {
  readonly python?: CommandResult;
  readonly venv?: CommandResult;
  readonly pip?: CommandResult;
  /** pip's answer to the Flask-only install; `pip` when not given. */
  readonly flaskOnlyPip?: CommandResult;
  readonly flask?: boolean;
}

/** Answers the four commands preparation runs, as `machine` would, and records which ran and how. */
function fakeRun(machine: Machine): { run: RunCommand; calls: string[]; commands: string[][] } {
  const calls: string[] = [];
  const commands: string[][] = [];
  const run: RunCommand = (command, args) => {
    commands.push([command, ...args]);
    if (args[0] === '-c' && args[1].includes('sys.executable')) {
      calls.push('identify python');
      return machine.python ?? { ...OK, stdout: `/usr/bin/${command}\n3.11.2\n` };
    }
    if (args[0] === '-c' && args[1] === 'import flask') {
      calls.push('import flask');
      return machine.flask ? OK : FAILED;
    }
    if (args[1] === 'venv') {
      calls.push('make venv');
      const venv = machine.venv ?? OK;
      if (venv.status === 0) {
        mkdirSync(join(args[2], 'bin'), { recursive: true });
        writeFileSync(join(args[2], 'bin', 'python'), '');
      }
      return venv;
    }
    calls.push(`${command.endsWith(join('bin', 'python')) ? 'venv python' : command} ${args.slice(0, 3).join(' ')}`);
    if (args.includes('flask>=3,<4')) return machine.flaskOnlyPip ?? machine.pip ?? OK;
    return machine.pip ?? OK;
  };
  return { run, calls, commands };
}

describe('prepareSampleAppPython', () => {
  let work: string;
  let options: PreparationOptions;

  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'sample-app-python-'));
    const requirementsFiles = ['requirements.txt', 'requirements-dev.txt'].map((file) => join(work, file));
    requirementsFiles.forEach((file) => writeFileSync(file, `# ${file}\n`));
    options = { python: 'python3', cacheDir: join(work, 'cache'), requirementsFiles };
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  test('builds an environment from the hashed requirements when an index answers', () => {
    // GIVEN a machine whose pip installs the requirements
    const machine = fakeRun({});
    // WHEN preparing
    const result = prepareSampleAppPython({ ...options, run: machine.run });
    // THEN a new environment under the cache directory is chosen, and the system's Flask is not asked for
    expect(result).toEqual({
      kind: 'built',
      python: expect.stringMatching(new RegExp(`^${work}/cache/[0-9a-f]{16}/bin/python$`)),
      seconds: expect.any(Number),
    });
    expect(machine.calls).toEqual(['identify python', 'make venv', 'venv python -m pip install']);
    expect(readdirSync(join(work, 'cache'))).toHaveLength(1); // moved in place: no build directory left
  });

  test("installs both files in one hash-checking, wheels-only pip install, as the buildspec's", () => {
    const machine = fakeRun({});
    prepareSampleAppPython({ ...options, run: machine.run });
    const pip = machine.commands.find((command) => command.includes('pip'))!;
    expect(pip).toEqual(expect.arrayContaining(['--require-hashes', '--only-binary=:all:', '--retries', '1']));
    expect(pip.slice(-4)).toEqual(['-r', options.requirementsFiles![0], '-r', options.requirementsFiles![1]]);
  });

  test('uses the cached environment when one exists: no venv, no pip', () => {
    prepareSampleAppPython({ ...options, run: fakeRun({}).run });
    const machine = fakeRun({ pip: FAILED });
    const result = prepareSampleAppPython({ ...options, run: machine.run });
    expect(result).toEqual({ kind: 'cached', python: expect.stringMatching(/\/bin\/python$/) });
    expect(machine.calls).toEqual(['identify python']);
  });

  test('builds again when a requirements file or the Python changes (the key hashes both)', () => {
    const first = prepareSampleAppPython({ ...options, run: fakeRun({}).run });
    writeFileSync(options.requirementsFiles![0], 'flask==3.1.3 --hash=sha256:...\n');
    const changedFile = prepareSampleAppPython({ ...options, run: fakeRun({}).run });
    const otherPython = prepareSampleAppPython({
      ...options,
      run: fakeRun({ python: { ...OK, stdout: '/opt/python3.12/bin/python3\n3.12.3\n' } }).run,
    });
    expect([first.kind, changedFile.kind, otherPython.kind]).toEqual(['built', 'built', 'built']);
    const pythons = [first, changedFile, otherPython].map((result) => ('python' in result ? result.python : ''));
    expect(new Set(pythons).size).toBe(3);
  });

  test("uses the Python's own Flask when no index answers, and does not try again for an hour", () => {
    // GIVEN no reachable index, and Flask installed for python3 (Debian's python3-flask)
    const machine = fakeRun({ pip: { ...FAILED, stderr: NO_INDEX_STDERR }, flask: true });
    // WHEN preparing twice
    const first = prepareSampleAppPython({ ...options, run: machine.run });
    const second = prepareSampleAppPython({ ...options, run: machine.run });
    // THEN both choose python3 itself; only the first ran venv and pip; no half-built environment is left
    expect(first).toEqual({ kind: 'system', python: 'python3', reason: 'no package index answered' });
    expect(second).toEqual(first);
    expect(machine.calls).toEqual([
      ...['identify python', 'make venv', 'venv python -m pip install', 'import flask'],
      ...['identify python', 'import flask'],
    ]);
    expect(readdirSync(join(work, 'cache'))).toEqual([expect.stringMatching(/^[0-9a-f]{16}\.failed$/)]);
  });

  test('tries to build again once the failure is older than an hour', () => {
    prepareSampleAppPython({ ...options, run: fakeRun({ pip: FAILED, flask: true }).run });
    const record = join(options.cacheDir!, readdirSync(options.cacheDir!)[0]);
    const longAgo = (Date.now() - FAILED_BUILD_TTL_MS - 60_000) / 1000;
    utimesSync(record, longAgo, longAgo);
    const machine = fakeRun({});
    expect(prepareSampleAppPython({ ...options, run: machine.run }).kind).toBe('built');
    expect(existsSync(record)).toBe(false);
  });

  test('says in one line what to install when no index answers and the Python has no Flask', () => {
    const result = prepareSampleAppPython({
      ...options,
      run: fakeRun({ pip: { ...FAILED, stderr: NO_INDEX_STDERR } }).run,
    });
    expect(result).toEqual({
      kind: 'missing',
      message:
        "The sample app's tests need Flask for `python3`, and no package index answered: install it with " +
        "`sudo apt-get install python3-flask` (for Debian's and Ubuntu's /usr/bin/python3) or " +
        '`python3 -m pip install flask`, then run npm test again.',
    });
  });

  test("quotes pip's error when an index answers without a pinned release", () => {
    const result = prepareSampleAppPython({
      ...options,
      python: '/tmp/noflask/bin/python',
      run: fakeRun({ pip: { ...FAILED, stderr: MISSING_PIN_STDERR } }).run,
    });
    expect(result).toEqual({
      kind: 'missing',
      message: missingFlaskLine(
        '/tmp/noflask/bin/python',
        'pip could not install the hashed requirements (ERROR: Could not find a version that satisfies the ' +
          'requirement gunicorn==23.0.0 (from versions: 26.2.0))',
      ),
    });
  });

  test('an index without every pin, no Flask in the Python: Flask 3 alone, unhashed, in an environment apart', () => {
    const machine = fakeRun({ pip: { ...FAILED, stderr: MISSING_PIN_STDERR }, flaskOnlyPip: OK });
    const result = prepareSampleAppPython({ ...options, python: '/tmp/noflask/bin/python', run: machine.run });
    expect(result).toEqual({
      kind: 'unhashed',
      python: expect.stringMatching(/-flask-only[\\/]bin[\\/]python$/),
      reason: expect.stringContaining('gunicorn==23.0.0'),
    });
    expect(machine.commands.some((command) => command.includes('flask>=3,<4'))).toBe(true);
    // The next run takes it as it is: no venv, no pip.
    const again = fakeRun({ pip: { ...FAILED, stderr: MISSING_PIN_STDERR } });
    expect(prepareSampleAppPython({ ...options, python: '/tmp/noflask/bin/python', run: again.run })).toEqual(result);
    expect(again.calls).toEqual(['identify python', 'import flask']);
  });

  test('no index at all: no Flask-only attempt either, and the one line', () => {
    const machine = fakeRun({ pip: { ...FAILED, stderr: NO_INDEX_STDERR }, flaskOnlyPip: OK });
    const result = prepareSampleAppPython({ ...options, run: machine.run });
    expect(result.kind).toBe('missing');
    expect(machine.commands.some((command) => command.includes('flask>=3,<4'))).toBe(false);
  });

  test("names python3-venv when the Python cannot make environments (Debian's python3 alone)", () => {
    const machine = fakeRun({ venv: NO_ENSUREPIP });
    const result = prepareSampleAppPython({ ...options, run: machine.run });
    expect(result).toEqual({
      kind: 'missing',
      message: missingFlaskLine('python3', '`python3 -m venv` is missing (Debian and Ubuntu ship it as python3-venv)'),
    });
    expect(machine.calls).toEqual(['identify python', 'make venv', 'import flask']);
    expect(readdirSync(join(work, 'cache'))).toEqual([expect.stringMatching(/\.failed$/)]);
  });

  test('says so when the Python does not run at all', () => {
    const notFound = { ...FAILED, status: null, error: new Error('spawnSync python3 ENOENT') };
    const result = prepareSampleAppPython({ ...options, run: fakeRun({ python: notFound }).run });
    expect(result).toEqual({
      kind: 'missing',
      message:
        "The sample app's tests need Python 3, and `python3` did not run (spawnSync python3 ENOENT): install it " +
        'with `sudo apt-get install python3` (Debian, Ubuntu) or set PYTHON to a Python 3, then run npm test again.',
    });
  });

  test('every message is one line', () => {
    for (const stderr of [
      NO_INDEX_STDERR,
      MISSING_PIN_STDERR,
      'Traceback\n  File "x"\nOSError: [Errno 28] No space left',
    ])
      expect(missingFlaskLine('python3', pipFailure(stderr))).not.toContain('\n');
  });
});

describe('pipFailure', () => {
  test('tells "no index answered" from an index that lacks a pin or a hash', () => {
    expect(pipFailure(NO_INDEX_STDERR)).toBe('no package index answered');
    // A local index that answers while PyPI does not: pip lists what the local one has.
    expect(pipFailure(`${NO_INDEX_STDERR.split('\n')[0]}\n${MISSING_PIN_STDERR}`)).toMatch(
      /^pip could not install the hashed requirements \(ERROR: .*gunicorn==23\.0\.0 \(from versions: 26\.2\.0\)\)$/,
    );
    expect(
      pipFailure('ERROR: THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE.\n    markupsafe'),
    ).toBe(
      'pip could not install the hashed requirements (ERROR: THESE PACKAGES DO NOT MATCH THE HASHES FROM THE ' +
        'REQUIREMENTS FILE.)',
    );
  });
});

describe('prepareSampleAppPython, on this machine', () => {
  test('keeps its word with real commands: the Python it gives imports Flask, or one line says why none', () => {
    // A real run: the project's cache, requirements and Python (built once; a failed build is remembered an hour).
    // Where nothing provides Flask, sample-app.test.ts fails with the line; this test checks only the line's form.
    const result = prepareSampleAppPython();
    if (result.kind === 'missing') {
      expect(result.message).toMatch(
        /^The sample app's tests need (Flask for|Python 3, and) `[^`]+`.*npm test again\.$/,
      );
      return;
    }
    const flask = spawnSync(result.python, ['-c', 'import importlib.metadata as m; print(m.version("flask"))'], {
      encoding: 'utf8',
    });
    expect({ status: flask.status, stderr: flask.stderr }).toEqual({ status: 0, stderr: '' });
    // An environment of ours holds the pinned release.
    if (result.kind !== 'system') expect(flask.stdout.trim()).toBe('3.1.3');
  });
});
