/**
 * `npm run synth` killed at random moments, and run twice at once, as real
 * processes: the output directory is always one whole configuration's output
 * (or a swap the next run completes), staging directories do not outlive the
 * next run, and Terraform's files survive. Kill points come from a seeded
 * random (KILL_TEST_SEED picks another); every failure message names the seed.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { appCommand } from '../../scripts/app-command';
import { fileTree } from '../file-tree';

const ROOT = resolve(__dirname, '..', '..');
const app = appCommand();
const SEED = Number(process.env.KILL_TEST_SEED ?? 1301);
/** Two lanes (output directories) run side by side, one synth each at a time. */
const LANES = 2;
/** Killed runs per lane, alternating between the two configurations (KILL_TEST_KILLS_PER_LANE for a longer soak). */
const KILLS_PER_LANE = Number(process.env.KILL_TEST_KILLS_PER_LANE ?? 6);
/** A run that is not killed after every this many kills. */
const COMPLETE_EVERY = 3;
/** Rounds of two synths started at once into one output directory. */
const CONCURRENT_ROUNDS = 2;

/** mulberry32: a small seeded generator (https://gist.github.com/tommyettinger/46a874533244883189143505d203312c). */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const base = JSON.parse(readFileSync(join(ROOT, 'config', 'pipelines.json'), 'utf8'));
const pipeline = (name: string, computeType: string) => ({
  ...base.pipelines[0],
  name,
  github: { ...base.pipelines[0].github, repository: name },
  build: { ...base.pipelines[0].build, computeType },
});
/**
 * Two configurations with different stacks: `ci-shared` and `repo-shared` in both (with other settings), the bootstrap
 * stack and `alpha`'s only in A, `gamma`'s only in B.
 */
const CONFIGS = {
  A: { ...base, pipelines: [pipeline('shared', 'BUILD_GENERAL1_SMALL'), pipeline('alpha', 'BUILD_GENERAL1_SMALL')] },
  B: {
    ...base,
    state: { ...base.state, create: false, kmsKeyArn: 'alias/terraform-state/my-state-bucket' },
    pipelines: [pipeline('shared', 'BUILD_GENERAL1_MEDIUM'), pipeline('gamma', 'BUILD_GENERAL1_SMALL')],
  },
};
type ConfigName = keyof typeof CONFIGS;
const SHARED_TERRAFORM = {
  'stacks/ci-shared/.terraform/providers/marker': 'init once',
  'stacks/ci-shared/.terraform.lock.hcl': 'lock',
};

const work = mkdtempSync(join(tmpdir(), 'ci-kill-'));
const configPath = (name: ConfigName) => join(work, `${name}.json`);

/** Where kills aim: after which name appears beside the output directory, and how many milliseconds later at most. */
const AIMS: Record<'start' | 'staging' | 'journal', { sign?: RegExp; maxDelay: number }> = {
  start: { sign: undefined, maxDelay: 1200 },
  staging: { sign: /\.staging-/, maxDelay: 250 },
  journal: { sign: /\.swap\.json/, maxDelay: 0 },
};

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

/** Starts the app as `npm run synth` does; `onStart` may kill it. */
function synth(
  config: ConfigName,
  outdir: string,
  onStart: (child: ChildProcess) => void = () => undefined,
): Promise<Exit & { pid: number }> {
  return new Promise((done) => {
    const child = spawn(app.command, app.args, {
      cwd: ROOT,
      env: { ...process.env, CI_PIPELINES_CONFIG: configPath(config), CDKTF_OUTDIR: outdir },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code, signal) => done({ code, signal, stderr, pid: child.pid! }));
    onStart(child);
  });
}

const expected: Record<ConfigName, Record<string, string>> = { A: {}, B: {} };

/**
 * The configuration whose whole output `outdir` holds, Terraform's files of the shared stack included; undefined if
 * none.
 */
function wholeOutput(outdir: string): ConfigName | undefined {
  if (!existsSync(outdir)) return undefined;
  const files = fileTree(outdir);
  const manifest = JSON.parse(files['manifest.json'] ?? '{"stacks": {}}');
  const stackDirs = existsSync(join(outdir, 'stacks')) ? readdirSync(join(outdir, 'stacks')).sort() : [];
  if (JSON.stringify(Object.keys(manifest.stacks).sort()) !== JSON.stringify(stackDirs)) return undefined;
  return (['A', 'B'] as const).find(
    (name) => JSON.stringify(sorted(files)) === JSON.stringify(sorted({ ...expected[name], ...SHARED_TERRAFORM })),
  );
}
/**
 * How `outdir` differs from each configuration's whole output, for a failure message: the files missing, extra or
 * changed, at most a few of each.
 */
function differences(outdir: string): Record<ConfigName, { missing: string[]; extra: string[]; changed: string[] }> {
  const files = existsSync(outdir) ? fileTree(outdir) : {};
  const against = (name: ConfigName) => {
    const want: Record<string, string> = { ...expected[name], ...SHARED_TERRAFORM };
    return {
      missing: Object.keys(want)
        .filter((file) => !(file in files))
        .slice(0, 5),
      extra: Object.keys(files)
        .filter((file) => !(file in want))
        .slice(0, 5),
      changed: Object.keys(want)
        .filter((file) => file in files && files[file] !== want[file])
        .slice(0, 5),
    };
  };
  return { A: against('A'), B: against('B') };
}
const sorted = (files: Record<string, string>) =>
  Object.fromEntries(Object.entries(files).sort(([a], [b]) => a.localeCompare(b)));

const leftovers = (outdir: string) => [
  ...readdirSync(dirname(outdir)).filter((name) => name !== 'cdktf.out'),
  ...(existsSync(outdir) ? readdirSync(outdir).filter((name) => name.startsWith('.')) : []),
];

function plantTerraform(outdir: string): void {
  for (const [name, content] of Object.entries(SHARED_TERRAFORM)) {
    mkdirSync(dirname(join(outdir, name)), { recursive: true });
    writeFileSync(join(outdir, name), content);
  }
}

describe(`npm run synth killed at random points and run concurrently (seed ${SEED})`, () => {
  /** Lane 0 starts with A, lane 1 with B: their first outputs are what each configuration gives. */
  const laneOutdir = (lane: number) => join(work, `lane-${lane}`, 'cdktf.out');
  beforeAll(async () => {
    for (const name of ['A', 'B'] as const) writeFileSync(configPath(name), JSON.stringify(CONFIGS[name]));
    const exits = await Promise.all((['A', 'B'] as const).map((name, lane) => synth(name, laneOutdir(lane))));
    expect(exits.map((exit) => [exit.code, exit.stderr])).toEqual([
      [0, ''],
      [0, ''],
    ]);
    (['A', 'B'] as const).forEach((name, lane) => {
      expected[name] = fileTree(laneOutdir(lane));
      plantTerraform(laneOutdir(lane));
    });
  }, 60_000);

  test('the two configurations have different stacks', () => {
    const stacks = (name: ConfigName) => Object.keys(JSON.parse(expected[name]['manifest.json']).stacks).sort();
    // Each pipeline creates its repository, in a stack of its own.
    expect(stacks('A')).toEqual(['ci-alpha', 'ci-shared', 'repo-alpha', 'repo-shared', 'state-bootstrap']);
    expect(stacks('B')).toEqual(['ci-gamma', 'ci-shared', 'repo-gamma', 'repo-shared']);
    expect(expected.A['stacks/ci-shared/cdk.tf.json']).not.toBe(expected.B['stacks/ci-shared/cdk.tf.json']);
    expect(expected.A['guardrails-report.md']).not.toBe(expected.B['guardrails-report.md']);
  });

  test(
    `${LANES * KILLS_PER_LANE} kills (SIGKILL, SIGTERM, SIGINT) leave one whole configuration, or a swap the next ` +
      `run completes`,
    async () => {
      const random = seeded(SEED);
      const kills: string[] = [];
      /** How the kills ended, printed with KILL_TEST_TALLY=1. */
      const tally = new Map<string, number>();
      const lane = async (laneNumber: number, otherFailed: () => boolean) => {
        const outdir = laneOutdir(laneNumber);
        for (let iteration = 0; iteration < KILLS_PER_LANE && !otherFailed(); iteration++) {
          const config: ConfigName = (iteration + laneNumber) % 2 === 0 ? 'B' : 'A';
          const signal = (['SIGKILL', 'SIGKILL', 'SIGTERM', 'SIGINT'] as const)[Math.floor(random() * 4)];
          // What the kill waits for: the staging directory (then some milliseconds: synth, checks, swap), the swap's
          // journal (then at once), or nothing (from the start).
          const roll = random();
          const aim: keyof typeof AIMS = roll < 0.5 ? 'staging' : roll < 0.75 ? 'journal' : 'start';
          const delay = Math.round(random() * AIMS[aim].maxDelay);
          const context = { seed: SEED, laneNumber, iteration, config, signal, aim, delay };
          kills.push(JSON.stringify(context));
          const stale = new Set(leftovers(outdir));
          const exit = await synth(config, outdir, (child) => {
            const watch = setInterval(() => {
              const sign = AIMS[aim].sign;
              if (
                child.exitCode !== null ||
                sign === undefined ||
                leftovers(outdir).some((name) => sign.test(name) && !stale.has(name))
              ) {
                clearInterval(watch);
                setTimeout(() => child.kill(signal), delay).unref();
              }
            }, 1);
          });
          const handled = signal !== 'SIGKILL';
          // Finished before the kill (0); stopped cleanly (128 + the signal's number); or killed outright, before the
          // handlers were set or by SIGKILL.
          const codes = [0, ...(handled ? [128 + constants.signals[signal]] : [])];
          const ended = exit.code === null ? exit.signal : exit.code;
          expect({
            ...context,
            ended,
            expected: exit.code === null ? exit.signal === signal : codes.includes(exit.code),
          }).toEqual({ ...context, ended, expected: true });
          expect({ ...context, stackTrace: /^\s+at /m.test(exit.stderr) }).toEqual({ ...context, stackTrace: false });
          const whole = wholeOutput(outdir);
          const leftBehind = leftovers(outdir).some((name) => name.includes('.staging-') || name.includes('.old-'));
          const journal = existsSync(`${outdir}.swap.json`);
          const outcome =
            `${aim}: ${signal} -> ${ended}, ` +
            `${whole === undefined ? 'not whole' : 'whole'}` +
            `${journal ? ', journal' : ''}${leftBehind ? ', leftovers' : ''}`;
          tally.set(outcome, (tally.get(outcome) ?? 0) + 1);
          if (whole === undefined) {
            // Only SIGKILL between the renames of a swap: the journal says what the next run does.
            const recoverable = existsSync(`${outdir}.swap.json`);
            // What the run said and left, should it not be recoverable: enough to tell a lost file from a mixed tree.
            const seen = recoverable
              ? {}
              : { ended, stderr: exit.stderr, beside: leftovers(outdir), differences: differences(outdir) };
            expect({ ...context, recoverable, ...seen }).toEqual({ ...context, recoverable: true, ...seen });
          }
          if (handled) {
            // A handled signal removes its staging directory and frees its lock before exiting; SIGKILL's leftovers go
            // with the next run.
            const lockOwner = existsSync(`${outdir}.lock`)
              ? JSON.parse(readFileSync(`${outdir}.lock`, 'utf8')).pid
              : undefined;
            const own = leftovers(outdir).filter(
              (name) => !stale.has(name) && !(name.endsWith('.lock') && lockOwner !== exit.pid),
            );
            expect({ ...context, leftovers: own }).toEqual({ ...context, leftovers: [] });
          }
          if (iteration % COMPLETE_EVERY === COMPLETE_EVERY - 1 || iteration === KILLS_PER_LANE - 1)
            await completeRun(outdir, config, context);
        }
      };
      // A lane that fails stops the other at its next run, so that no synth outlives this test into the next ones.
      let failed = false;
      const lanes = await Promise.allSettled(
        Array.from({ length: LANES }, (_, index) =>
          lane(index, () => failed).catch((error) => {
            failed = true;
            throw error;
          }),
        ),
      );
      for (const outcome of lanes) if (outcome.status === 'rejected') throw outcome.reason;
      expect(kills).toHaveLength(LANES * KILLS_PER_LANE);
      if (process.env.KILL_TEST_TALLY)
        process.stdout.write(`${JSON.stringify(Object.fromEntries([...tally].sort()), undefined, 2)}\n`);
    },
    60_000 + KILLS_PER_LANE * 10_000,
  );

  test(
    `${CONCURRENT_ROUNDS} rounds of two synths at once into one directory: both succeed, one after the other, ` +
      `never mixed`,
    async () => {
      // Lane 0's output directory, after its kills, with Terraform's files in the shared stack.
      const outdir = laneOutdir(0);
      for (let round = 0; round < CONCURRENT_ROUNDS; round++) {
        const exits = await Promise.all([synth('A', outdir), synth('B', outdir)]);
        const context = { seed: SEED, round };
        expect({ ...context, codes: exits.map((exit) => exit.code) }).toEqual({ ...context, codes: [0, 0] });
        for (const exit of exits)
          expect({ ...context, stderr: exit.stderr }).toEqual({
            ...context,
            stderr: expect.not.stringMatching(/Error|\bat /),
          });
        expect({ ...context, whole: wholeOutput(outdir) }).toEqual({
          ...context,
          whole: expect.stringMatching(/^[AB]$/),
        });
        expect({ ...context, leftovers: leftovers(outdir) }).toEqual({ ...context, leftovers: [] });
      }
    },
    60_000,
  );

  test(
    'SIGTERM once the staging directory exists: exit 143, the staging directory removed, the output ' + 'whole',
    async () => {
      const outdir = laneOutdir(1);
      const before = new Set(leftovers(outdir));
      const exit = await synth('A', outdir, (child) => {
        const watch = setInterval(() => {
          if (
            child.exitCode !== null ||
            leftovers(outdir).some((name) => name.includes('.staging-') && !before.has(name))
          ) {
            clearInterval(watch);
            child.kill('SIGTERM');
          }
        }, 1);
      });
      // Stopped before the swap, or (if the swap was already under way) after it: either way the same code and a whole
      // output.
      expect({ seed: SEED, code: exit.code, stderr: exit.stderr }).toEqual({
        seed: SEED,
        code: 143,
        stderr: expect.stringMatching(/^Stopped by SIGTERM: .*cdktf\.out (is as it was|was written whole first)\.\n$/),
      });
      expect({ seed: SEED, leftovers: leftovers(outdir).filter((name) => !before.has(name)) }).toEqual({
        seed: SEED,
        leftovers: [],
      });
      expect(wholeOutput(outdir)).toMatch(/^[AB]$/);
    },
    30_000,
  );

  /**
   * A run that is not killed: exit 0, exactly the configuration's output with the shared stack's Terraform files,
   * nothing left beside it.
   */
  async function completeRun(outdir: string, config: ConfigName, context: object): Promise<void> {
    const exit = await synth(config, outdir);
    // A run after another configuration's says which of its stacks it no longer writes (app/cli.ts), and nothing else.
    const stderr = exit.stderr.replace(/^Warning: the last synth wrote stacks? .*\n(?: {2}.*\n)*/, '');
    expect({ ...context, complete: config, code: exit.code, stderr }).toEqual({
      ...context,
      complete: config,
      code: 0,
      stderr: '',
    });
    expect({ ...context, complete: config, whole: wholeOutput(outdir), leftovers: leftovers(outdir) }).toEqual({
      ...context,
      complete: config,
      whole: config,
      leftovers: [],
    });
  }
});
