import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  CPYTHON_312_LINUX,
  PINNED_IMAGE,
  RequirementsFile,
  baseImages,
  missingDependencies,
  normalizeName,
  parseRequirementsFile,
  pipInstalls,
  pinnedMoreThanOnce,
  requiredNames,
} from './sample-app-requirements';
import { sampleAppPython } from '../scripts/sample-app-python';

const APP = resolve(__dirname, '..', 'sample-flask-app');
const read = (file: string) => readFileSync(join(APP, file), 'utf8');
const HASH = 'a'.repeat(64);

describe('sample-flask-app requirements files', () => {
  let runtime: RequirementsFile;
  let dev: RequirementsFile;
  let requiresDist: Record<string, string[]>;

  beforeAll(() => {
    runtime = parseRequirementsFile(read('requirements.txt'), 'requirements.txt');
    dev = parseRequirementsFile(read('requirements-dev.txt'), 'requirements-dev.txt');
    requiresDist = JSON.parse(read('requires-dist.json')).releases;
  });

  test('pin every requirement with == and at least one sha256 hash', () => {
    // parseRequirementsFile throws for an entry without both; these are the pins it read.
    expect(runtime.pins.map((pin) => `${pin.name}==${pin.version}`)).toEqual([
      'blinker==1.9.0',
      'click==8.5.0',
      'flask==3.1.3',
      'gunicorn==23.0.0',
      'itsdangerous==2.2.0',
      'jinja2==3.1.6',
      'markupsafe==3.0.3',
      'packaging==26.3',
      'werkzeug==3.1.8',
    ]);
    expect(dev.pins.map((pin) => `${pin.name}==${pin.version}`)).toEqual([
      'iniconfig==2.3.0',
      'pluggy==1.6.0',
      'pygments==2.20.0',
      'pytest==9.1.1',
    ]);
    // A wheel and the sdist at least.
    for (const pin of [...runtime.pins, ...dev.pins]) expect(pin.hashes.length).toBeGreaterThanOrEqual(2);
    const hashes = [...runtime.pins, ...dev.pins].flatMap((pin) => pin.hashes);
    expect(new Set(hashes).size).toBe(hashes.length);
  });

  test('reject an entry that is not pinned, has no hash, or a hash that is not sha256 of 64 hex digits', () => {
    expect(() => parseRequirementsFile(`flask>=3.1 --hash=sha256:${HASH}\n`, 'r.txt')).toThrow(
      'r.txt:1: "flask>=3.1" is not pinned; write name==version',
    );
    expect(() => parseRequirementsFile('# pins\nflask==3.1.3\n', 'r.txt')).toThrow(
      'r.txt:2: flask==3.1.3 has no --hash=sha256:…; hash-checking mode needs at least one',
    );
    expect(() => parseRequirementsFile('flask==3.1.3 \\\n    --hash=sha256:abc123\n', 'r.txt')).toThrow(
      'r.txt:1: "--hash=sha256:abc123" is not allowed',
    );
    expect(() => parseRequirementsFile(`flask==3.1.3 --hash=md5:${HASH}\n`, 'r.txt')).toThrow('is not allowed');
    expect(() =>
      parseRequirementsFile(`--index-url https://example.org/simple\nflask==3.1.3 --hash=sha256:${HASH}\n`, 'r.txt'),
    ).toThrow('r.txt:1: "--index-url" is not allowed');
    expect(
      parseRequirementsFile(`Flask_Cors==6.0.2 \\\n    --hash=sha256:${HASH} \\\n    # via x\n`, 'r.txt').pins,
    ).toEqual([{ name: 'flask-cors', version: '6.0.2', hashes: [HASH], line: 1 }]);
  });

  test('pin each distribution once: requirements-dev.txt leaves to requirements.txt what both need (packaging)', () => {
    expect(pinnedMoreThanOnce({ 'requirements.txt': runtime, 'requirements-dev.txt': dev })).toEqual([]);
    expect(requiredNames(requiresDist['pytest==9.1.1'], CPYTHON_312_LINUX)).toContain('packaging');
    const duplicated = parseRequirementsFile(`packaging==26.2 --hash=sha256:${HASH}\n`, 'requirements-dev.txt');
    expect(pinnedMoreThanOnce({ 'requirements.txt': runtime, 'requirements-dev.txt': duplicated })).toEqual([
      { name: 'packaging', files: ['requirements.txt', 'requirements-dev.txt'] },
    ]);
  });

  test('record the Requires-Dist of exactly the pinned releases', () => {
    const pinned = [...runtime.pins, ...dev.pins].map((pin) => `${pin.name}==${pin.version}`).sort();
    const recorded = Object.keys(requiresDist)
      .map((release) => `${normalizeName(release.split('==')[0])}==${release.split('==')[1]}`)
      .sort();
    expect(recorded).toEqual(pinned);
  });

  test(
    'are closed under dependencies on CPython 3.12 on Linux: the image needs only requirements.txt, the ' +
      'buildspec both',
    () => {
      expect(missingDependencies(runtime.pins, requiresDist, CPYTHON_312_LINUX)).toEqual([]);
      expect(missingDependencies([...runtime.pins, ...dev.pins], requiresDist, CPYTHON_312_LINUX)).toEqual([]);
      // requirements-dev.txt alone lacks packaging, which requirements.txt provides to the same install.
      expect(missingDependencies(dev.pins, requiresDist, CPYTHON_312_LINUX)).toEqual([
        { name: 'packaging', requiredBy: ['pytest'] },
      ]);
      const withoutMarkupSafe = runtime.pins.filter((pin) => pin.name !== 'markupsafe');
      expect(missingDependencies(withoutMarkupSafe, requiresDist, CPYTHON_312_LINUX)).toEqual([
        { name: 'markupsafe', requiredBy: ['flask', 'jinja2', 'werkzeug'] },
      ]);
    },
  );

  test('leave out only dependencies whose markers exclude CPython 3.12 on Linux', () => {
    const pytest = requiresDist['pytest==9.1.1'];
    expect(requiredNames(pytest, CPYTHON_312_LINUX).sort()).toEqual(['iniconfig', 'packaging', 'pluggy', 'pygments']);
    expect(
      requiredNames(pytest, { ...CPYTHON_312_LINUX, python_version: '3.10', python_full_version: '3.10.4' }),
    ).toEqual(expect.arrayContaining(['exceptiongroup', 'tomli']));
    expect(
      requiredNames(pytest, { ...CPYTHON_312_LINUX, sys_platform: 'win32', platform_system: 'Windows' }),
    ).toContain('colorama');
    expect(requiredNames(requiresDist['flask==3.1.3'], { ...CPYTHON_312_LINUX, python_version: '3.9' })).toContain(
      'importlib-metadata',
    );
    expect(requiredNames(requiresDist['flask==3.1.3'], { ...CPYTHON_312_LINUX, extra: 'async' })).toContain('asgiref');
    expect(
      requiredNames(['importlib-metadata; (python_version < "3.8") and extra == "plugins"'], CPYTHON_312_LINUX),
    ).toEqual([]);
  });

  test('match requirements.in and requirements-dev.in, from which they are compiled', () => {
    const direct = parseRequirementsFileLoosely(read('requirements.in'));
    expect(direct).toEqual(['flask==3.1.3', 'gunicorn==23.0.0']);
    for (const pin of direct) expect(runtime.pins.map((p) => `${p.name}==${p.version}`)).toContain(pin);
    expect(read('requirements-dev.in')).toMatch(/^-c requirements\.txt$/m);
    expect(parseRequirementsFileLoosely(read('requirements-dev.in'))).toEqual(['pytest==9.1.1']);
    expect(dev.pins.map((p) => `${p.name}==${p.version}`)).toContain('pytest==9.1.1');
  });

  test('pin everything that the installed Flask packages say their dependencies are', () => {
    // importlib.metadata of the sample app's Python (scripts/sample-app-python.ts): the pinned releases in the
    // environment built from these files, or, where none could be built, the system's Flask. Debian's python3-flask
    // drops install_requires from its egg-info (Flask 2.2.2 there lists only its extras), which is why
    // requires-dist.json records the pinned releases' own metadata; this cross-check still catches a dependency that
    // an installed release declares and the pins lack.
    const script = [
      'import importlib.metadata as m, json, sys',
      'names = set(json.loads(sys.argv[1]))',
      'found = {}',
      'for d in m.distributions():',
      '    name = (d.metadata["Name"] or "").lower().replace("_", "-").replace(".", "-")',
      '    if name in names: found[name] = d.requires or []',
      'print(json.dumps(found))',
    ].join('\n');
    const pins = [...runtime.pins, ...dev.pins];
    const result = spawnSync(sampleAppPython(), ['-I', '-c', script, JSON.stringify(pins.map((pin) => pin.name))], {
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    const installed: Record<string, string[]> = JSON.parse(result.stdout);
    expect(Object.keys(installed)).toEqual(
      expect.arrayContaining(['flask', 'werkzeug', 'jinja2', 'click', 'itsdangerous', 'markupsafe']),
    );
    const pinned = new Set(pins.map((pin) => pin.name));
    const unpinned = Object.entries(installed).flatMap(([name, lines]) =>
      requiredNames(lines, CPYTHON_312_LINUX)
        .filter((dep) => !pinned.has(dep))
        .map((dep) => `${dep} (required by ${name})`),
    );
    expect(unpinned).toEqual([]);
  });
});

describe('sample-flask-app Dockerfile and buildspec', () => {
  const dockerfile = read('Dockerfile');
  const buildspec = read('buildspec.yml');

  test('build FROM python:3.12-slim-bookworm pinned by digest, with no unpinned syntax frontend', () => {
    const images = baseImages(dockerfile);
    expect(images).toHaveLength(1);
    expect(images[0]).toMatch(PINNED_IMAGE);
    expect(images[0].split('@')[0]).toBe('python:3.12-slim-bookworm');
    expect(dockerfile).not.toMatch(/^#\s*syntax=(?!.*@sha256:[0-9a-f]{64})/m);
    expect('python:3.12-slim-bookworm').not.toMatch(PINNED_IMAGE);
    expect('python@sha256:abc').not.toMatch(PINNED_IMAGE);
    expect(baseImages('FROM --platform=$BUILDPLATFORM node:22 AS web\nFROM python:3.12 AS app\n')).toEqual([
      'node:22',
      'python:3.12',
    ]);
  });

  test.each([
    ['Dockerfile', dockerfile, [['requirements.txt']]],
    ['buildspec.yml', buildspec, [['requirements.txt', 'requirements-dev.txt']]],
  ])('%s installs with --require-hashes, wheels only, resolving dependencies', (_file, text, files) => {
    const installs = pipInstalls(text);
    expect(installs.map((install) => install.files)).toEqual(files);
    for (const install of installs) {
      expect(install.args).toEqual(
        expect.arrayContaining(['--no-cache-dir', '--require-hashes', '--only-binary=:all:']),
      );
      // Not --no-deps: pip then resolves every dependency and, in hash-checking mode, fails on one that is not pinned
      // and hashed.
      expect(install.args).not.toContain('--no-deps');
    }
  });

  test('find every pip install, so a second unhashed one would be checked too', () => {
    expect(pipInstalls('RUN pip install --require-hashes -r a.txt && \\\n    pip3 install flask\n')).toEqual([
      { args: ['--require-hashes', '-r', 'a.txt'], files: ['a.txt'] },
      { args: ['flask'], files: [] },
    ]);
  });
});

/** The `name==version` lines of a `.in` file (no hashes there). */
function parseRequirementsFileLoosely(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => line !== '' && !line.startsWith('-'));
}
