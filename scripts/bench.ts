/**
 * `npm run bench`: how fast the project synthesizes, at 1 to 200 pipelines, what
 * the speedups (app/speedups/) buy, what the first run after an edit costs, and
 * how fast the whole test suite runs from clean caches. Every measurement is a
 * separate process started the way users start it. The report (a Markdown table
 * with the targets, and the raw samples) goes to bench/results/bench-node<major>.md and
 * bench.json, headed by the date, commit, machine and Node.js version, and the
 * Markdown to stdout too.
 *
 *   npm run bench -- [--runs 5] [--test-runs 3] [--sizes 1,10,100,200]
 *
 * With `--peers`, instead: our synth side by side with the equivalent AWS CDK
 * app and the naive cdktf project, and `npm test` from clean caches
 * (scripts/bench-peers.ts, bench/peers/), written to bench/results/peers-node<major>.md and
 * peers.json.
 *
 *   npm run bench -- --peers [--runs 5] [--fleet-runs 2] [--test-runs 1]
 */
import { mkdtempSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { APP_BUILD_DIR, PROJECT_ROOT } from './app-command';
import {
  anomalyLines,
  BenchError,
  cleanEnv,
  describeTestRow,
  largestRun,
  markdownTable,
  MeasurableRow,
  Measured,
  measureInterleaved,
  MEASUREMENT_COLUMNS,
  measurementCells,
  measureOnce,
  meetsTestTarget,
  npmTestRun,
  ourSynth,
  ratioCell,
  Report,
  reportMarkdown,
  ResultsHeader,
  resultsHeader,
  rowData,
  SPEEDUPS_OFF,
  TEST_HOW_MEASURED,
  TEST_TARGET,
  writeReport,
} from './bench-measure';
import { runPeers } from './bench-peers';

/** A target a row is held to. */
interface Target {
  readonly text: string;
  readonly met: (row: MeasuredRow, rows: readonly MeasuredRow[]) => boolean;
  /** What the row achieved, when the table's columns do not show it. */
  readonly describe?: (row: MeasuredRow, rows: readonly MeasuredRow[]) => string;
}

interface Row extends MeasurableRow {
  readonly label: string;
  readonly target?: Target;
  /** The row this one is compared with in the Ratio column (its label), and how the ratio reads. */
  readonly compare?: { readonly label: string; readonly text: string };
}

type MeasuredRow = Measured<Row>;

type Options = ReturnType<typeof parseOptions>;

function parseOptions(args: string[] = process.argv.slice(2)) {
  const { values } = parseArgs({
    args,
    options: {
      runs: { type: 'string', default: '5' },
      'test-runs': { type: 'string' },
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
    // Three cold `npm test` runs for our own report; one beside the peers, where it is one row of many.
    testRuns: count('test-runs', values['test-runs'] ?? (values.peers ? '1' : '3'), 0),
    sizes: values.sizes.split(',').map((size) => count('sizes', size.trim(), 1)),
    peers: values.peers,
    fleetRuns: count('fleet-runs', values['fleet-runs'], 1),
  };
}

const DEFAULT_LABEL = 'default configuration, `npm run synth` (the app directly)';
const fleetLabel = (size: number) => `fleet of ${size} pipeline${size === 1 ? '' : 's'}`;

/** A row's median wall time over the 100-pipeline fleet's. */
const ratioTo100 = (row: MeasuredRow, rows: readonly MeasuredRow[]) =>
  row.medianWallMs / rows.find((other) => other.row.label === fleetLabel(100))!.medianWallMs;

const synthTarget = (maxSeconds: number, maxMb: number): Target => ({
  text: `≤ ${maxSeconds} s, ≤ ${maxMb} MB`,
  met: (row) => row.medianWallMs <= maxSeconds * 1000 && row.medianPeakRssMb <= maxMb,
});

/** When esbuild last started to build the app's bundle (app/launch.cjs records it in its metafile). */
const bundleBuiltAt = (): number =>
  JSON.parse(readFileSync(join(APP_BUILD_DIR, 'meta.json'), 'utf8')).buildStartedAt as number;

/**
 * The default configuration's first run after an edit of `file` (the project's; its modification time set to now),
 * with the check that the run did (`rebuilds`) or did not rebuild the app's bundle, as the label says.
 */
function afterEditRow(file: string, rebuilds: boolean, label: string, runs: number, workDir: string): Row {
  let builtBefore = 0;
  return {
    label,
    run: ourSynth(workDir),
    runs,
    countsResources: true,
    before: () => {
      builtBefore = bundleBuiltAt();
      const now = new Date();
      utimesSync(join(PROJECT_ROOT, file), now, now);
    },
    after: () =>
      (bundleBuiltAt() !== builtBefore) === rebuilds
        ? undefined
        : `the app's bundle was ${rebuilds ? 'not ' : ''}rebuilt after ${file} was touched`,
    compare: { label: DEFAULT_LABEL, text: 'after the edit / without' },
  };
}

/** The default configuration's group: the app, with the speedups off, and its first run after each kind of edit. */
function defaultGroup(options: Options, workDir: string): Row[] {
  const edit = (file: string, rebuilds: boolean, what: string): Row =>
    afterEditRow(file, rebuilds, `default configuration, first run after ${what}`, options.runs, workDir);
  return [
    {
      label: DEFAULT_LABEL,
      run: ourSynth(workDir),
      runs: options.runs,
      countsResources: true,
      target: synthTarget(1.5, 300),
    },
    {
      label: 'default configuration, speedups off (`CI_PIPELINES_SPEEDUPS=off`)',
      run: ourSynth(workDir, undefined, SPEEDUPS_OFF),
      runs: options.runs,
      countsResources: true,
      compare: { label: DEFAULT_LABEL, text: 'speedups off / on' },
    },
    edit('config/pipelines.json', false, 'a configuration edit (`config/pipelines.json` touched: no rebuild)'),
    edit('main.ts', true, 'a TypeScript edit (`main.ts` touched: the bundle is rebuilt)'),
  ];
}

/** One group per fleet size; the 100-pipeline fleet's also has the speedups off. */
function fleetGroups(options: Options, workDir: string): Row[][] {
  return options.sizes.map((size): Row[] => {
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
    const fleet: Row = {
      label: fleetLabel(size),
      run: ourSynth(workDir, size),
      runs: options.runs,
      countsResources: true,
      target,
    };
    if (size !== 100) return [fleet];
    const off: Row = {
      label: `${fleetLabel(size)}, speedups off (\`CI_PIPELINES_SPEEDUPS=off\`)`,
      run: ourSynth(workDir, size, SPEEDUPS_OFF),
      runs: options.runs,
      countsResources: true,
      compare: { label: fleetLabel(size), text: 'speedups off / on' },
    };
    return [fleet, off];
  });
}

/** `npx cdktf synth` of the default configuration: the CLI around the same app. */
function cliRow(options: Options): Row {
  return {
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
  };
}

function testRow(runs: number): Row {
  return {
    ...npmTestRun(),
    label: '`npm test` from clean caches (an empty Jest cache)',
    runs,
    target: { text: TEST_TARGET.text, met: (row) => meetsTestTarget(row), describe: (row) => describeTestRow(row) },
  };
}

function verdict(target: Target, row: MeasuredRow, rows: readonly MeasuredRow[]): string {
  const achieved = target.describe === undefined ? '' : ` (${target.describe(row, rows)})`;
  return `${target.met(row, rows) ? 'yes' : '**no**'}${achieved}`;
}

/** The Ratio cell: the row's median over the one it is compared with, and their difference. */
function ratio(measured: MeasuredRow, rows: readonly MeasuredRow[]): string {
  const compare = measured.row.compare;
  if (compare === undefined) return '–';
  return ratioCell(
    compare.text,
    measured,
    rows.find((other) => other.row.label === compare.label)!,
  );
}

function formatTable(rows: readonly MeasuredRow[]): string {
  const columns = [
    ['Measurement', '---'],
    ...MEASUREMENT_COLUMNS.map((title) => [title, '---:'] as const),
    ['Resources/s', '---:'],
    ['Ratio', '---'],
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
        ratio(measured, rows),
        target?.text ?? '–',
        target === undefined ? '–' : verdict(target, measured, rows),
      ];
    }),
  );
}

const USAGE =
  'Usage: npm run bench -- [--runs 5] [--test-runs 3] [--sizes 1,10,100,200]\n' +
  '       npm run bench -- --peers [--runs 5] [--fleet-runs 2] [--test-runs 1]';

const HOW_MEASURED: readonly string[] = [
  'Each run is a separate process tree started with `child_process.spawnSync`, as users start it ' +
    "(`npm run synth`'s command, `node app/launch.cjs`, with `CI_PIPELINES_CONFIG` and `CDKTF_OUTDIR` set; " +
    '`cdktf synth --output`; `npm test`). Rows of one configuration are measured interleaved, one run of each a ' +
    'round, so that drift on the machine hits them alike. Wall time is `process.hrtime` around the spawn. Peak RSS ' +
    "is the largest `process.resourceUsage().maxRSS` (getrusage) among the run's Node processes, reported by a hook " +
    'loaded through `NODE_OPTIONS=--require scripts/peak-rss-hook.cjs` at exit and as it grows (so that a killed ' +
    'process, such as a test worker ended by its runner, counts too).',
  'Fleets rotate the three pipeline shapes (webhook + Docker Hub, connection + ECR, webhook + ECR with Docker Hub ' +
    "credentials) and add the state bootstrap stack. One untimed synth first builds the app's bundle if it is stale " +
    'and fills the file cache. Resources/s counts resources and data sources over the median wall time.',
  'Speedups off: `CI_PIPELINES_SPEEDUPS=off`, which runs cdktf as installed (app/speedups/); the ratio is what the ' +
    'speedups buy. First run after an edit: before each run the file’s modification time is set to now. A ' +
    'TypeScript edit (`main.ts`) makes app/launch.cjs rebuild the esbuild bundle (dist/app/main.js) before it runs ' +
    'it, which the row checks. The bundle’s bytes are the same, so V8’s compile cache still matches it, and a real ' +
    'edit adds the compilation of the bundle. A configuration-only edit ' +
    '(`config/pipelines.json`, or any file named by `CI_PIPELINES_CONFIG`) costs nothing extra: the configuration ' +
    'is read when the app runs, not bundled, so the bundle is not rebuilt (the row checks that too).',
  TEST_HOW_MEASURED,
];

/** The closing lines: the largest test process, runs that measured something else, and the targets. */
function ownVerdict(measured: readonly MeasuredRow[]): string[] {
  const missed = measured.filter((row) => row.row.target !== undefined && !row.row.target.met(row, measured));
  const tests = measured.find((row) => row.row.label.startsWith('`npm test`'));
  const largest = tests === undefined ? undefined : largestRun(tests);
  return [
    ...(largest === undefined
      ? []
      : [`Largest test process: ${largest.peakProcess} (${Math.round(largest.peakRssMb)} MB).`, '']),
    ...anomalyLines(measured),
    missed.length === 0 ? 'Every target met.' : `Targets missed: ${missed.map((row) => row.row.label).join('; ')}.`,
  ];
}

/** Our own rows: synth at each size, with the speedups off, after edits, the CLI, and `npm test`. */
function ownBench(options: Options, workDir: string, header: ResultsHeader, command: string): Report {
  // One untimed run builds the app's bundle if a source changed, and fills the file cache, as any earlier synth on
  // the machine would have.
  measureOnce('warm-up', ourSynth(workDir)(join(workDir, 'warm-up')), workDir);
  const groups = [
    defaultGroup(options, workDir),
    [cliRow(options)],
    ...fleetGroups(options, workDir),
    ...(options.testRuns > 0 ? [[testRow(options.testRuns)]] : []),
  ];
  const measured = groups.flatMap((rows) => measureInterleaved(rows, workDir, (row) => row.label));
  const rows = measured.map((row) => ({
    label: row.row.label,
    target: row.row.target?.text,
    met: row.row.target?.met(row, measured),
    ...rowData(row),
  }));
  return {
    name: 'bench',
    command,
    header,
    table: formatTable(measured),
    howMeasured: HOW_MEASURED,
    verdict: ownVerdict(measured),
    data: { options, rows },
  };
}

function main(): number {
  let options: Options;
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
  const header = resultsHeader();
  const command = ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' ');
  const workDir = mkdtempSync(join(tmpdir(), 'ci-bench-'));
  try {
    process.stderr.write(`Benchmark in ${workDir}\n`);
    const report = options.peers
      ? runPeers(options, workDir, header, command)
      : ownBench(options, workDir, header, command);
    const paths = writeReport(report);
    process.stdout.write(reportMarkdown(report));
    process.stderr.write(`Written: ${relative(PROJECT_ROOT, paths.markdown)}, ${relative(PROJECT_ROOT, paths.json)}\n`);
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
