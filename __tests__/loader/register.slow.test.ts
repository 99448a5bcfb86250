import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOADER, PROJECT_ROOT } from '../../scripts/app-command';
import { expectTraceAtFixtureLines, THROWING_FIXTURE } from './throwing-fixture';

/** Runs a TypeScript file through the loader with its own cache directory. */
function run(file: string, cache: string) {
  const result = spawnSync(process.execPath, ['--require', LOADER, file], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, CI_TS_LOADER_CACHE: cache },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A program with types above its code, that prints a value and whether swc was loaded to run it. */
const program = (value: number) =>
  [
    'interface Shown {',
    '  readonly value: number;',
    '}',
    `const shown: Shown = { value: ${value} };`,
    'console.log(JSON.stringify({ ...shown, transpiled: Object.keys(require.cache).some((path) => /[\\/]@swc[\\/].*\\.js$/.test(path)) }));',
    '',
  ].join('\n');

describe('loader/register.cjs', () => {
  const scratch = () => mkdtempSync(join(tmpdir(), 'ci-loader-'));

  test('transpiles on the first run, runs the cached output after, and never runs stale output', () => {
    const directory = scratch();
    const cache = join(directory, 'cache');
    const file = join(directory, 'program.ts');
    writeFileSync(file, program(1));
    const { mtime } = statSync(file);
    expect(JSON.parse(run(file, cache).stdout)).toEqual({ value: 1, transpiled: true });
    expect(JSON.parse(run(file, cache).stdout)).toEqual({ value: 1, transpiled: false });
    // An edit of the same length, with the old modification time: the content decides.
    writeFileSync(file, program(2));
    utimesSync(file, mtime, mtime);
    expect(JSON.parse(run(file, cache).stdout)).toEqual({ value: 2, transpiled: true });
    expect(readdirSync(cache).sort()).toHaveLength(4);
  });

  describe('on a fixture that loads cdktf and throws in a construct', () => {
    // One fresh run and one cached run of the fixture serve both tests below: it loads cdktf, the costliest spawn here.
    let runs: { attempt: string; result: ReturnType<typeof run> }[];
    let cachedAfterFreshRun: string[];
    beforeAll(() => {
      const cache = join(scratch(), 'cache');
      const fresh = run(THROWING_FIXTURE, cache);
      cachedAfterFreshRun = readdirSync(cache);
      runs = [
        { attempt: 'fresh', result: fresh },
        { attempt: 'cached', result: run(THROWING_FIXTURE, cache) },
      ];
    });

    test('transpiles only our own files: dependencies load untouched', () => {
      expect(runs[0].result.status).toBe(1);
      // The fixture and app/token-stack-traces.ts, each with its map; cdktf and constructs are not among them.
      expect(cachedAfterFreshRun.filter((name) => name.endsWith('.js'))).toHaveLength(2);
      expect(cachedAfterFreshRun.filter((name) => name.endsWith('.map'))).toHaveLength(2);
    });

    test("a bug's stack trace names the TypeScript lines, from a fresh transpile and from the cache", () => {
      for (const { attempt, result } of runs) {
        const { status, stderr } = result;
        expect({ attempt, status }).toEqual({ attempt, status: 1 });
        expectTraceAtFixtureLines(stderr);
      }
    });
  });

  test('runs without a cache when its directory cannot be written', () => {
    const directory = scratch();
    const file = join(directory, 'program.ts');
    writeFileSync(file, program(3));
    // A directory cannot be made inside a file.
    expect(JSON.parse(run(file, join(file, 'cache')).stdout)).toEqual({ value: 3, transpiled: true });
  });
});
