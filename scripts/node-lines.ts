/**
 * `npm run test:node-lines`: runs the Jest suites (with the loaders' and the app process's end-to-end ones), and a
 * synth of the default configuration, under each Node.js LTS line the package supports besides the one that runs
 * this script. The releases are pinned in `.ci/node-lines.json`, which `.ci/run` also reads: on a machine whose
 * Node.js is older than the floor, CI runs on the first of them. Each Node.js binary comes from the npm registry
 * (`node-linux-<arch>`, the package the `node` package installs from), into `.cache/node/`, so the check needs no
 * other network. The synth must write the same stacks as under the Node.js that runs this script.
 * Exit 0 when every line passes, 1 otherwise.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { appCommand } from './app-command';

/** The LTS lines CI tests, the floor first: the latest release of each, pinned. */
export const TESTED_NODE_LINES: readonly string[] = JSON.parse(
  readFileSync(resolve(__dirname, '..', '.ci', 'node-lines.json'), 'utf8'),
);

const ROOT = resolve(__dirname, '..');
/** Where `.ci/run` and this script keep the binaries: outside node_modules, which `npm ci` empties. */
const CACHE = join(ROOT, '.cache', 'node');
const STACK_FILE = join('stacks', 'ci-sample-flask-app', 'cdk.tf.json');

class LineFailed extends Error {}

/** The directory holding `node` of a release, fetched once from the npm registry. */
function nodeBin(version: string): string {
  const bin = join(CACHE, version, 'bin');
  if (existsSync(join(bin, 'node'))) return bin;
  const pkg = `node-${platform()}-${arch()}@${version}`;
  mkdirSync(join(CACHE, version), { recursive: true });
  const packed = spawnSync('npm', ['pack', pkg, '--pack-destination', join(CACHE, version)], { encoding: 'utf8' });
  if (packed.status !== 0) throw new LineFailed(`npm pack ${pkg} failed:\n${packed.stderr}`);
  const tarball = join(CACHE, version, String(packed.stdout).trim().split('\n').pop()!);
  const extracted = spawnSync('tar', ['-xzf', tarball, '-C', join(CACHE, version)], { encoding: 'utf8' });
  if (extracted.status !== 0) throw new LineFailed(`cannot extract ${tarball}: ${extracted.stderr}`);
  rmSync(tarball);
  mkdirSync(bin, { recursive: true });
  symlinkSync(join(CACHE, version, 'package', 'bin', 'node'), join(bin, 'node'));
  return bin;
}

/** Runs `node <args>` with the given Node.js first on PATH, so processes the tests spawn use it too. */
function runWith(
  bin: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): { status: number | null; output: string } {
  const result = spawnSync(join(bin, 'node'), [...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env, PATH: `${bin}:${process.env.PATH}` },
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** The default configuration's pipeline stack, synthesized by `bin`'s Node.js, or by this one's. */
function synthesize(bin: string | undefined): string {
  const work = mkdtempSync(join(tmpdir(), 'ci-node-line-'));
  try {
    const outdir = join(work, 'cdktf.out');
    const result = runWith(bin ?? dirname(process.execPath), appCommand().args, { CDKTF_OUTDIR: outdir });
    if (result.status !== 0) throw new LineFailed(`synth exited ${result.status}:\n${result.output}`);
    return readFileSync(join(outdir, STACK_FILE), 'utf8');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Jest's runs on each line: the suites of `npm test`, and the part of `npm run test:slow` that Node.js versions change:
 * the loaders end to end, the app as a process writing what a synth in the test process writes, and each core's CLI
 * (which the docs say starts, or not, on each line).
 */
const JEST_RUNS: readonly (readonly string[])[] = [
  [],
  ['--config', 'jest.slow.config.js', '__tests__/app/(process|launch|core-clis)\\.slow'],
];

/** Jest's summary line for `args` under `bin`'s Node.js; a failure throws with Jest's output. */
function jestSummary(bin: string, args: readonly string[]): string {
  const jest = runWith(bin, [join(ROOT, 'node_modules', '.bin', 'jest'), ...args]);
  const tests = /^Tests:.*$/m.exec(jest.output)?.[0] ?? 'no Jest summary';
  if (jest.status !== 0)
    throw new LineFailed(`Jest ${args.join(' ')} exited ${jest.status} (${tests}):\n${jest.output.slice(-4000)}`);
  // The suites a run names: the paths after the options.
  const paths = args.filter((arg, index) => !arg.startsWith('--') && !args[index - 1]?.startsWith('--'));
  return paths.length === 0 ? tests : `${tests} (${paths.join(', ')})`;
}

function main(): number {
  const expected = synthesize(undefined);
  let failed = 0;
  for (const version of TESTED_NODE_LINES.filter((release) => `v${release}` !== process.version)) {
    const started = Date.now();
    try {
      const bin = nodeBin(version);
      const reported = runWith(bin, ['--version']).output.trim();
      if (reported !== `v${version}`) throw new LineFailed(`node --version says ${reported}`);
      if (synthesize(bin) !== expected)
        throw new LineFailed(`the default configuration synthesizes differently than under ${process.version}`);
      const tests = JEST_RUNS.map((args) => jestSummary(bin, args));
      console.log(
        `Node.js ${version}: same synth as ${process.version}; ${tests.join('; ')} ` +
          `(${((Date.now() - started) / 1000).toFixed(0)} s)`,
      );
    } catch (error) {
      if (!(error instanceof LineFailed)) throw error;
      console.error(`Node.js ${version}: ${error.message}`);
      failed += 1;
    }
  }
  return failed === 0 ? 0 : 1;
}

if (require.main === module) process.exitCode = main();
