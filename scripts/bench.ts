/**
 * `npm run bench`: how fast the project synthesizes, at 1 to 200 pipelines, and
 * how fast its whole test suite runs. Every measurement is a separate process
 * started the way users start it; the output is a Markdown table with the
 * targets, ready for the README's performance section.
 *
 *   npm run bench -- [--runs 5] [--test-runs 3] [--sizes 1,10,100,200]
 *
 * With `--peers`, instead: our synth side by side with the equivalent AWS CDK
 * app and the naive cdktf project (scripts/bench-peers.ts, bench/peers/).
 *
 *   npm run bench -- --peers [--runs 5] [--fleet-runs 2]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from './app-command';
import {
  BenchError,
  cleanEnv,
  countResources,
  machine,
  markdownTable,
  Measured,
  MEASUREMENT_COLUMNS,
  measurementCells,
  measureOnce,
  ourSynth,
  reportRun,
  RunSpec,
  Sample,
  summarize,
  TERMINAL,
} from './bench-measure';
import { runPeers } from './bench-peers';

/** A target a row is held to. */
interface Target {
  readonly text: string;
  readonly met: (row: MeasuredRow, rows: readonly MeasuredRow[]) => boolean;
  /** What the row achieved, when the table's columns do not show it. */
  readonly describe?: (row: MeasuredRow, rows: readonly MeasuredRow[]) => string;
}

interface Row {
  readonly label: string;
  readonly run: (outdir: string) => RunSpec;
  /** Runs before each timed run, untimed. */
  readonly before?: () => void;
  readonly runs: number;
  /** Counts the synthesized resources after a run. */
  readonly countsResources: boolean;
  readonly target?: Target;
}

type MeasuredRow = Measured<Row>;

function parseOptions() {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '5' },
      'test-runs': { type: 'string', default: '3' },
      sizes: { type: 'string', default: '1,10,100,200' },
      peers: { type: 'boolean', default: false },
      'fleet-runs': { type: 'string', default: '2' },
    },
  });
  const count = (name: string, text: string, min: number) => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < min)
      throw new BenchError(`--${name}: got "${text}"; expected an integer >= ${min}`);
    return value;
  };
  return {
    runs: count('runs', values.runs, 1),
    testRuns: count('test-runs', values['test-runs'], 0),
    sizes: values.sizes.split(',').map((size) => count('sizes', size.trim(), 1)),
    peers: values.peers,
    fleetRuns: count('fleet-runs', values['fleet-runs'], 1),
  };
}

function measureRow(row: Row, workDir: string): MeasuredRow {
  const samples: Sample[] = [];
  let counted: { stacks: number; resources: number } | undefined;
  for (let index = 0; index < row.runs; index += 1) {
    const outdir = join(workDir, `out-${process.hrtime.bigint()}`);
    row.before?.();
    if (TERMINAL) process.stderr.write(`\r  ${row.label}: run ${index + 1} of ${row.runs}…\x1b[K`);
    samples.push(measureOnce(row.label, row.run(outdir), workDir));
    reportRun(row.label, index, row.runs, samples[index]);
    if (row.countsResources && counted === undefined) counted = countResources(outdir);
    rmSync(outdir, { recursive: true, force: true });
  }
  return summarize(row, row.label, samples, counted);
}

function synthRows(options: ReturnType<typeof parseOptions>, workDir: string): Row[] {
  const synthTarget = (maxSeconds: number, maxMb: number): Target => ({
    text: `≤ ${maxSeconds} s, ≤ ${maxMb} MB`,
    met: (row) => row.medianWallMs <= maxSeconds * 1000 && row.medianPeakRssMb <= maxMb,
  });
  const fleetRows = options.sizes.map((size): Row => {
    const target: Target | undefined =
      size === 100
        ? synthTarget(5, 600)
        : size === 200 && options.sizes.includes(100)
          ? {
              text: '≤ 2.2 × the 100-pipeline time',
              met: (row, rows) => ratioTo100(row, rows) <= 2.2,
              describe: (row, rows) => `${ratioTo100(row, rows).toFixed(2)} ×`,
            }
          : undefined;
    return {
      label: fleetLabel(size),
      run: ourSynth(workDir, size),
      runs: options.runs,
      countsResources: true,
      target,
    };
  });
  return [
    {
      label: 'default configuration, `npm run synth` (the app directly)',
      run: ourSynth(workDir),
      runs: options.runs,
      countsResources: true,
      target: synthTarget(1.5, 300),
    },
    {
      label: 'default configuration, `npx cdktf synth`',
      run: (outdir) => ({
        command: join(PROJECT_ROOT, 'node_modules', '.bin', 'cdktf'),
        args: ['synth', '--output', outdir],
        // The CLI sets this itself when NODE_OPTIONS is empty; the peak-memory hook makes it non-empty.
        env: cleanEnv({ CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: '1', NODE_OPTIONS: '--max-old-space-size=4096' }),
      }),
      runs: options.runs,
      countsResources: true,
      target: { text: '≤ 5 s', met: (row) => row.medianWallMs <= 5000 },
    },
    ...fleetRows,
  ];
}

const fleetLabel = (size: number) => `fleet of ${size} pipeline${size === 1 ? '' : 's'}`;

/** A row's median wall time over the 100-pipeline fleet's. */
const ratioTo100 = (row: MeasuredRow, rows: readonly MeasuredRow[]) =>
  row.medianWallMs / rows.find((other) => other.row.label === fleetLabel(100))!.medianWallMs;

function testRow(runs: number): Row {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  return {
    label: '`npm test` from clean caches (the Jest suites, the Flask tests)',
    before: () => {
      const cleared = spawnSync(join(PROJECT_ROOT, 'node_modules', '.bin', 'jest'), ['--clearCache'], {
        cwd: PROJECT_ROOT,
        encoding: 'utf8',
      });
      if (cleared.status !== 0) throw new BenchError(`jest --clearCache failed:\n${cleared.stderr}`);
    },
    run: () => ({ command: npm, args: ['test', '--silent'] }),
    runs,
    countsResources: false,
    target: {
      text: '≤ 25 s, ≤ 500 MB per process',
      met: (row) => row.medianWallMs <= 25_000 && row.medianPeakRssMb <= 500,
    },
  };
}

function verdict(target: Target, row: MeasuredRow, rows: readonly MeasuredRow[]): string {
  const achieved = target.describe === undefined ? '' : ` (${target.describe(row, rows)})`;
  return `${target.met(row, rows) ? 'yes' : '**no**'}${achieved}`;
}

function formatTable(rows: readonly MeasuredRow[]): string {
  const columns = [
    ['Measurement', '---'],
    ...MEASUREMENT_COLUMNS.map((title) => [title, '---:'] as const),
    ['Resources/s', '---:'],
    ['Target', '---'],
    ['Met', ':-:'],
  ] as const;
  return markdownTable(
    columns,
    rows.map((measured) => {
      const rate =
        measured.resources === undefined
          ? '–'
          : Math.round(measured.resources / (measured.medianWallMs / 1000)).toString();
      const target = measured.row.target;
      return [
        measured.row.label,
        ...measurementCells(measured),
        rate,
        target?.text ?? '–',
        target === undefined ? '–' : verdict(target, measured, rows),
      ];
    }),
  );
}

const USAGE =
  'Usage: npm run bench -- [--runs 5] [--test-runs 3] [--sizes 1,10,100,200]\n       npm run bench -- --peers [--runs 5] [--fleet-runs 2]';

/** Our own rows: synth at each size, the CLI, and `npm test`; returns the report. */
function ownBench(options: ReturnType<typeof parseOptions>, workDir: string): string {
  // One untimed run fills the loader's cache (the app's bundle and V8's code for it), as any earlier synth on the
  // machine would have.
  measureOnce('warm-up', ourSynth(workDir)(join(workDir, 'warm-up')), workDir);
  const rows = [...synthRows(options, workDir), ...(options.testRuns > 0 ? [testRow(options.testRuns)] : [])];
  const measured: MeasuredRow[] = [];
  for (const row of rows) measured.push(measureRow(row, workDir));

  const missed = measured.filter((row) => row.row.target !== undefined && !row.row.target.met(row, measured));
  const peakTest = measured.find((row) => !row.row.countsResources);
  const largestTestProcess = peakTest?.samples.reduce((largest, sample) =>
    sample.peakRssMb > largest.peakRssMb ? sample : largest,
  );
  return [
    `Machine: ${machine()}`,
    '',
    formatTable(measured),
    '',
    'How measured: each run is a separate process tree started with `child_process.spawnSync`, as users start it ' +
      "(`npm run synth`'s command with `CI_PIPELINES_CONFIG` and `CDKTF_OUTDIR` set; `cdktf synth --output`; `npm test`). " +
      'Wall time is `process.hrtime` around the spawn. Peak RSS is the largest `process.resourceUsage().maxRSS` (getrusage) ' +
      "among the run's Node processes, reported by a hook loaded through `NODE_OPTIONS=--require scripts/peak-rss-hook.cjs` at exit and as it grows (so that a killed process, such as a test worker ended by its runner, counts too). " +
      'Fleets rotate the three pipeline shapes (webhook + Docker Hub, connection + ECR, webhook + ECR with Docker Hub credentials) and add the state bootstrap stack. ' +
      "One untimed synth fills the loader's cache first (the app's bundle and V8's code for it); `npm test` runs after `jest --clearCache` and with the loaders' caches removed, each time. Resources/s counts resources and data sources over the median wall time.",
    ...(largestTestProcess === undefined
      ? []
      : [
          '',
          `Largest test process: ${largestTestProcess.peakProcess} (${Math.round(largestTestProcess.peakRssMb)} MB).`,
        ]),
    '',
    missed.length === 0 ? 'Every target met.' : `Targets missed: ${missed.map((row) => row.row.label).join('; ')}.`,
    '',
  ].join('\n');
}

function main(): number {
  let options: ReturnType<typeof parseOptions>;
  try {
    options = parseOptions();
  } catch (error) {
    // parseArgs's own errors (unknown option, missing value) carry a code and a clear message.
    if (error instanceof BenchError || (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
  const workDir = mkdtempSync(join(tmpdir(), 'ci-bench-'));
  try {
    process.stderr.write(`Benchmark in ${workDir}\n`);
    process.stdout.write(options.peers ? runPeers(options, workDir) : ownBench(options, workDir));
    return 0;
  } catch (error) {
    if (error instanceof BenchError) {
      process.stderr.write(`\n${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

process.exitCode = main();
