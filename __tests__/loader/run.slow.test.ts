import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APP_RUNNER, PROJECT_ROOT } from '../../scripts/app-command';
import { expectTraceAtFixtureLines, THROWING_FIXTURE } from './throwing-fixture';

/** Runs an entry file through `loader/run.cjs` with its own cache directory. */
function run(entry: string, cache: string, args: string[] = []) {
  const result = spawnSync(process.execPath, [APP_RUNNER, entry, ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, CI_TS_LOADER_CACHE: cache },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const bundleDir = (cache: string) => join(cache, 'app-bundle');

/**
 * A program of three files and a dependency, in a directory of its own: the entry (with types above its code) prints
 * what it sees as JSON, and whether esbuild was loaded to run it.
 */
function writeProgram(directory: string, value: number, greeting = 'hello') {
  mkdirSync(join(directory, 'lib'), { recursive: true });
  mkdirSync(join(directory, 'node_modules', 'dep'), { recursive: true });
  writeFileSync(
    join(directory, 'node_modules', 'dep', 'package.json'),
    JSON.stringify({ name: 'dep', version: '1.0.0', main: 'index.js' }),
  );
  writeFileSync(join(directory, 'node_modules', 'dep', 'index.js'), `exports.greeting = '${greeting}';\n`);
  writeFileSync(
    join(directory, 'lib', 'where.ts'),
    'export const where = { dirname: __dirname, filename: __filename };\n',
  );
  const entry = join(directory, 'entry.ts');
  writeFileSync(
    entry,
    [
      "import { greeting } from 'dep';",
      "import { where } from './lib/where';",
      'interface Shown {',
      '  readonly value: number;',
      '}',
      `const shown: Shown = { value: ${value} };`,
      'const built = Object.keys(require.cache).some((path) => /[\\\\/]esbuild[\\\\/]lib[\\\\/]main\\.js$/.test(path));',
      'console.log(JSON.stringify({ ...shown, greeting, where, entry: { dirname: __dirname, filename: __filename }, main: require.main === module, argv: process.argv.slice(1), built }));',
      '',
    ].join('\n'),
  );
  return entry;
}

const scratch = () => mkdtempSync(join(tmpdir(), 'ci-run-'));

describe('loader/run.cjs', () => {
  test('builds the bundle on the first run, runs the cached one after, and never runs a stale one', () => {
    const directory = scratch();
    const cache = join(directory, 'cache');
    const entry = writeProgram(directory, 1);
    const shown = () => {
      const result = run(entry, cache);
      expect(result.stderr).toBe('');
      const { value, greeting, built } = JSON.parse(result.stdout);
      return { value, greeting, built };
    };
    expect(shown()).toEqual({ value: 1, greeting: 'hello', built: true });
    expect(shown()).toEqual({ value: 1, greeting: 'hello', built: false });
    // V8's code for the bundle, kept by the first run for the next ones.
    expect(readdirSync(bundleDir(cache)).filter((name) => name.endsWith('.v8cache'))).toHaveLength(1);

    // Our file edited, same length, old modification time: its content decides.
    const { mtime } = statSync(entry);
    writeProgram(directory, 2);
    utimesSync(entry, mtime, mtime);
    expect(shown()).toEqual({ value: 2, greeting: 'hello', built: true });

    // A dependency's file edited, same length: its modification time decides.
    const dependency = join(directory, 'node_modules', 'dep', 'index.js');
    const later = new Date(statSync(dependency).mtimeMs + 5000);
    writeFileSync(dependency, "exports.greeting = 'howdy';\n");
    utimesSync(dependency, later, later);
    expect(shown()).toEqual({ value: 2, greeting: 'howdy', built: true });
    expect(shown()).toEqual({ value: 2, greeting: 'howdy', built: false });

    // Outdated bundles are removed as they are replaced: one bundle, its map, its code and the manifest.
    expect(
      readdirSync(bundleDir(cache))
        .map((name) => name.replace(/^[0-9a-f]{32}(\.[0-9a-f]{16})?/, ''))
        .sort(),
    ).toEqual(['.js', '.js.map', `.js.${process.versions.v8}-${process.arch}.v8cache`, '.json'].sort());
  });

  test("removes the entry's bundles of an older bundler or options as it builds a new one, and keeps other entries'", () => {
    const directory = scratch();
    const cache = join(directory, 'cache');
    const entry = writeProgram(directory, 1);
    mkdirSync(bundleDir(cache), { recursive: true });
    const leftover = (key: string, forEntry: string) => {
      writeFileSync(
        join(bundleDir(cache), `${key}.json`),
        JSON.stringify({ entry: forEntry, bundle: `${key}.0123456789abcdef.js`, inputs: {} }),
      );
      for (const suffix of ['js', 'js.map', 'js.v8cache'])
        writeFileSync(join(bundleDir(cache), `${key}.0123456789abcdef.${suffix}`), '');
    };
    leftover('a'.repeat(32), entry);
    leftover('b'.repeat(32), join(directory, 'other.ts'));
    expect(JSON.parse(run(entry, cache).stdout).built).toBe(true);
    const names = readdirSync(bundleDir(cache));
    expect(names.filter((name) => name.startsWith('a'.repeat(32)))).toEqual([]);
    expect(names.filter((name) => name.startsWith('b'.repeat(32)))).toHaveLength(4);
  });

  test('runs the entry as Node runs a file: its arguments, `require.main`, and each file its own `__dirname` and `__filename`', () => {
    const directory = scratch();
    const entry = writeProgram(directory, 1);
    const { status, stdout } = run(entry, join(directory, 'cache'), ['--flag', 'two words']);
    expect(status).toBe(0);
    const shown = JSON.parse(stdout);
    expect(shown.argv).toEqual([entry, '--flag', 'two words']);
    expect(shown.main).toBe(true);
    expect(shown.entry).toEqual({ dirname: directory, filename: entry });
    expect(shown.where).toEqual({ dirname: join(directory, 'lib'), filename: join(directory, 'lib', 'where.ts') });
  });

  test('refuses a file the entry imports that checks `require.main === module`: in one bundle, that check would hold for it too', () => {
    const directory = scratch();
    const entry = writeProgram(directory, 1);
    writeFileSync(
      join(directory, 'lib', 'cli.ts'),
      'export const run = () => 1;\nif (require.main === module) run();\n',
    );
    writeFileSync(entry, `import { run } from './lib/cli';\nconsole.log(run());\n`);
    const { status, stdout, stderr } = run(entry, join(directory, 'cache'));
    expect({ status, stdout }).toEqual({ status: 1, stdout: '' });
    expect(stderr).toMatch(/lib\/cli\.ts checks `require\.main === module`, but the app \(.*entry\.ts\) imports it/);
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  test('reports a syntax error with its file and line, and no trace of the loader', () => {
    const directory = scratch();
    const entry = writeProgram(directory, 1);
    writeFileSync(join(directory, 'lib', 'where.ts'), 'export const where = {\n  dirname: __dirname,,\n};\n');
    const { status, stdout, stderr } = run(entry, join(directory, 'cache'));
    expect({ status, stdout }).toEqual({ status: 1, stdout: '' });
    expect(stderr).toMatch(/^Cannot build .*entry\.ts:\n/);
    expect(stderr).toMatch(/Expected identifier but found ","[^\n]*\n+ +\S*lib\/where\.ts:2:\d+:/);
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  test('runs the bundle from memory when the cache cannot be written', () => {
    const directory = scratch();
    const entry = writeProgram(directory, 3);
    // A directory cannot be made inside a file.
    for (let attempt = 0; attempt < 2; attempt++) {
      const { value, built } = JSON.parse(run(entry, join(entry, 'cache')).stdout);
      expect({ value, built }).toEqual({ value: 3, built: true });
    }
  });

  test("synthesizes an archive asset: cdktf zips it by running its own file, which the bundle's cdktf still names", () => {
    const directory = scratch();
    const fixture = join(PROJECT_ROOT, '__tests__', 'fixtures', 'loader', 'archive-asset.ts');
    const { status, stdout, stderr } = run(fixture, join(directory, 'cache'), [directory]);
    expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
    const { fileName } = JSON.parse(stdout);
    const [zip] = readdirSync(join(directory, 'out', 'stacks', 'stack', 'assets', 'archive'), {
      recursive: true,
      encoding: 'utf8',
    }).filter((name) => name.endsWith(fileName));
    const archive = readFileSync(join(directory, 'out', 'stacks', 'stack', 'assets', 'archive', zip));
    // A zip file, holding the file.
    expect(archive.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
    expect(archive.includes(Buffer.from('hello.txt'))).toBe(true);
  });

  describe('on a fixture that loads cdktf and throws in a construct', () => {
    let runs: { attempt: string; result: ReturnType<typeof run> }[];
    beforeAll(() => {
      const cache = join(scratch(), 'cache');
      const fresh = run(THROWING_FIXTURE, cache);
      runs = [
        { attempt: 'fresh', result: fresh },
        { attempt: 'cached', result: run(THROWING_FIXTURE, cache) },
      ];
    });

    test("a bug's stack trace names the TypeScript lines, not the bundle's, from a new bundle and from the cache", () => {
      for (const { attempt, result } of runs) {
        const { status, stderr } = result;
        expect({ attempt, status }).toEqual({ attempt, status: 1 });
        // The error first, as Node prints it, without the minified line of the bundle Node would print above it.
        expect(stderr.split('\n')[0]).toBe('RangeError: size must be at least 0, got -1 (number)');
        expectTraceAtFixtureLines(stderr);
        expect(stderr).not.toContain('app-bundle');
        expect(stderr).toContain(`Node.js ${process.version}`);
      }
    });
  });
});
