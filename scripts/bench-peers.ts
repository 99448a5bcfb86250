/**
 * `npm run bench -- --peers`: our synth side by side with its peers, each
 * installed from its own lockfile under bench/peers/ so that the project's own
 * install stays lean: the equivalent AWS CDK app (bench/peers/aws-cdk, with and
 * without aws-cdk-lib's synth-time validation) and the naive cdktf project
 * (bench/peers/naive-cdktf); beside ours, ours with the speedups off; then our
 * 1,000 pipelines, and `npm test` from clean caches, so that one run checks
 * every target of issue 26. Runs are interleaved between the tools, so that
 * drift on the machine hits all of them alike.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PROJECT_ROOT } from './app-command';
import {
  anomalyLines,
  BenchError,
  cleanEnv,
  describeTestRow,
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
  ResultsHeader,
  rowData,
  RunFailure,
  RunSpec,
  SPEEDUPS_OFF,
  TEST_HOW_MEASURED,
  TEST_TARGET,
  times,
} from './bench-measure';

export interface PeerOptions {
  /** Timed runs of each default-configuration and 100-pipeline row (the naive baseline's are at most 3). */
  readonly runs: number;
  /** Timed runs of our 1,000-pipeline fleet. */
  readonly fleetRuns: number;
  /** Timed runs of `npm test` from clean caches; 0 leaves it out. */
  readonly testRuns: number;
}

const PEERS_DIR = join(PROJECT_ROOT, 'bench', 'peers');
const AWS_CDK_DIR = join(PEERS_DIR, 'aws-cdk');
const NAIVE_DIR = join(PEERS_DIR, 'naive-cdktf');
/** The naive baseline takes 10 s and more a run; three are enough to see where it stands. */
const NAIVE_MAX_RUNS = 3;

/** A peer project: where it lives and what it is called in progress and errors. */
interface Peer {
  readonly label: string;
  readonly dir: string;
}

const PEERS: readonly Peer[] = [
  { label: 'AWS CDK peer', dir: AWS_CDK_DIR },
  { label: 'naive cdktf peer', dir: NAIVE_DIR },
];

/** A target a row is held to, given our row of the same group (for a row of ours, the row itself). */
interface PeerTarget {
  readonly text: string;
  readonly met: (row: MeasuredPeerRow, ours: MeasuredPeerRow) => boolean;
  /** What was achieved, for the Met column. */
  readonly describe: (row: MeasuredPeerRow, ours: MeasuredPeerRow) => string;
}

/** One tool at one size: a row of the table. */
export interface PeerRow extends MeasurableRow {
  readonly group: string;
  readonly tool: string;
  /** Whether the row is the one of ours that the group's other rows are compared with. */
  readonly ours?: boolean;
  /** The configuration whose row of ours this row is compared with; its own by default. */
  readonly comparedWith?: string;
  /** How the Ratio column reads for this row, given its median over ours (ours' own rows leave it out). */
  readonly ratioText?: string;
  readonly target?: PeerTarget;
}

type MeasuredPeerRow = Measured<PeerRow>;

/**
 * What identifies an installed package; npm recomputes the rest of an entry (`dev`, `peer`, ...) as it installs,
 * without rewriting the lockfile.
 */
const installedIdentity = (entry: unknown): string => {
  const { version, resolved, integrity, link } = (entry ?? {}) as Record<string, unknown>;
  return JSON.stringify({ version, resolved, integrity, link });
};

/**
 * A peer's install is current when npm's record of what it installed (node_modules/.package-lock.json) is its
 * lockfile's packages.
 */
export function installMatchesLockfile(
  lockfile: { packages?: Record<string, unknown> },
  installed: { packages?: Record<string, unknown> },
): boolean {
  const locked = lockfile.packages ?? {};
  const present = installed.packages ?? {};
  const sameEntries = Object.entries(present).every(
    ([path, entry]) => path in locked && installedIdentity(entry) === installedIdentity(locked[path]),
  );
  // npm leaves out of its record the optional packages this platform does not take (fsevents on Linux).
  const nothingMissing = Object.entries(locked).every(
    ([path, entry]) => path === '' || path in present || (entry as { optional?: boolean }).optional === true,
  );
  return sameEntries && nothingMissing;
}

/** `npm ci` in a peer's directory, unless its node_modules already holds what its lockfile says. */
function installPeer(peer: Peer): void {
  const where = relative(PROJECT_ROOT, peer.dir);
  const installedPath = join(peer.dir, 'node_modules', '.package-lock.json');
  const lockfile = JSON.parse(readFileSync(join(peer.dir, 'package-lock.json'), 'utf8'));
  if (existsSync(installedPath) && installMatchesLockfile(lockfile, JSON.parse(readFileSync(installedPath, 'utf8')))) {
    process.stderr.write(`  ${peer.label}: ${where}/node_modules matches its package-lock.json; not installing\n`);
    return;
  }
  const args = ['ci', '--no-audit', '--no-fund'];
  process.stderr.write(`  ${peer.label}: npm ${args.join(' ')} in ${where}…\n`);
  const start = Date.now();
  const result = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, {
    cwd: peer.dir,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error !== undefined || result.status !== 0) {
    const output = `${result.stderr ?? ''}${result.stdout ?? ''}`.trim();
    throw new RunFailure(
      peer.label,
      `npm ${args.join(' ')}`,
      peer.dir,
      result.error?.message ?? `exit ${result.status ?? result.signal}`,
      output,
    );
  }
  process.stderr.write(`  ${peer.label}: installed in ${((Date.now() - start) / 1000).toFixed(1)} s\n`);
}

/**
 * `node app.js` in the AWS CDK peer, for `pipelines` pipelines (undefined: our default configuration), validation
 * on or off.
 */
function awsCdkRun(validation: boolean, pipelines?: number) {
  return (outdir: string): RunSpec => ({
    command: process.execPath,
    args: ['app.js'],
    cwd: AWS_CDK_DIR,
    env: cleanEnv({
      CDK_OUTDIR: outdir,
      ...(validation ? {} : { CDK_VALIDATION: 'false' }),
      ...(pipelines === undefined ? {} : { PIPELINES: String(pipelines) }),
    }),
  });
}

/** `npx cdktf synth` in the naive peer, as its README-following team runs it. */
function naiveRun(outdir: string): RunSpec {
  return {
    command: process.platform === 'win32' ? 'npx.cmd' : 'npx',
    args: ['cdktf', 'synth', '--output', outdir],
    cwd: NAIVE_DIR,
    // The CLI sets NODE_OPTIONS itself when it is empty; the peak-memory hook makes it non-empty.
    env: cleanEnv({ CHECKPOINT_DISABLE: '1', NODE_OPTIONS: '--max-old-space-size=4096' }),
  };
}

const ratioOf = (row: MeasuredPeerRow, ours: MeasuredPeerRow) => row.medianWallMs / ours.medianWallMs;

/** "Ours at least `factor` times faster than this row", and optionally "ours' peak RSS no more than this row's". */
function fasterTarget(factor: number, memoryToo: boolean): PeerTarget {
  const faster = (row: MeasuredPeerRow, ours: MeasuredPeerRow) => ratioOf(row, ours) >= factor;
  const leaner = (row: MeasuredPeerRow, ours: MeasuredPeerRow) =>
    !memoryToo || ours.medianPeakRssMb <= row.medianPeakRssMb;
  const memory = (row: MeasuredPeerRow, ours: MeasuredPeerRow) =>
    `; peak RSS ours ${Math.round(ours.medianPeakRssMb)} MB, this ${Math.round(row.medianPeakRssMb)} MB`;
  return {
    text: `ours ≥ ${factor} × faster${memoryToo ? ", ours' peak RSS ≤ this row's" : ''}`,
    met: (row, ours) => faster(row, ours) && leaner(row, ours),
    describe: (row, ours) => `${times(ratioOf(row, ours))}${memoryToo ? memory(row, ours) : ''}`,
  };
}

/** A row of our own synth, the one its group compares with. */
const ourRow = (group: string, run: (outdir: string) => RunSpec, runs: number, extra: Partial<PeerRow> = {}) => ({
  group,
  tool: 'ours, `npm run synth`',
  ours: true,
  run,
  runs,
  countsResources: true,
  ...extra,
});

/** Ours with the speedups off (`CI_PIPELINES_SPEEDUPS=off`: cdktf as installed), compared with ours. */
const speedupsOffRow = (group: string, run: (outdir: string) => RunSpec, runs: number): PeerRow => ({
  group,
  tool: 'ours, speedups off (`CI_PIPELINES_SPEEDUPS=off`)',
  run,
  runs,
  countsResources: true,
  ratioText: 'speedups off / ours',
});

/** `npm test` from clean caches: a group of its own, its own baseline, held to {@link TEST_TARGET}. */
export function npmTestPeerRow(runs: number): PeerRow {
  return {
    ...npmTestRun(),
    group: '`npm test` from clean caches',
    tool: 'ours, Jest from an empty cache',
    ours: true,
    runs,
    target: {
      text: TEST_TARGET.text,
      met: (row) => meetsTestTarget(row),
      describe: (row) => describeTestRow(row),
    },
  };
}

/**
 * The groups of rows, each measured interleaved: the default configuration, 100 pipelines, our 1,000, and
 * `npm test` from clean caches (unless `testRuns` is 0).
 */
function peerGroups(options: PeerOptions, workDir: string): PeerRow[][] {
  const [defaults, hundred] = ['default configuration', '100 pipelines'];
  const awsCdk = (group: string, validation: boolean, target?: PeerTarget, pipelines?: number): PeerRow => ({
    group,
    tool: validation ? 'AWS CDK, validation on (its default)' : 'AWS CDK, validation off',
    run: awsCdkRun(validation, pipelines),
    runs: options.runs,
    countsResources: true,
    ratioText: `AWS CDK (validation ${validation ? 'on' : 'off'}) / ours`,
    target,
  });
  const naive: PeerRow = {
    group: defaults,
    tool: 'naive cdktf, `npx cdktf synth`',
    run: naiveRun,
    runs: Math.min(options.runs, NAIVE_MAX_RUNS),
    countsResources: true,
    ratioText: 'naive cdktf / ours',
    target: fasterTarget(20, false),
  };
  const thousand = ourRow('1,000 pipelines', ourSynth(workDir, 1000), options.fleetRuns, {
    ratioText: 'ours 1,000 / ours 100',
    comparedWith: hundred,
    target: {
      text: '≤ 10.5 × our 100-pipeline time',
      met: (row, base) => ratioOf(row, base) <= 10.5,
      describe: (row, base) => times(ratioOf(row, base)),
    },
  });
  return [
    [
      ourRow(defaults, ourSynth(workDir), options.runs),
      speedupsOffRow(defaults, ourSynth(workDir, undefined, SPEEDUPS_OFF), options.runs),
      awsCdk(defaults, false, fasterTarget(1.5, true)),
      awsCdk(defaults, true),
      naive,
    ],
    [
      ourRow(hundred, ourSynth(workDir, 100), options.runs),
      speedupsOffRow(hundred, ourSynth(workDir, 100, SPEEDUPS_OFF), options.runs),
      awsCdk(hundred, false, fasterTarget(1.5, false), 100),
    ],
    [thousand],
    ...(options.testRuns > 0 ? [[npmTestPeerRow(options.testRuns)]] : []),
  ];
}

/** The label of a row's runs in progress lines and errors. */
const runLabel = (row: PeerRow) => `${row.group}: ${row.tool}`;

/** The row a row is compared with: ours of the configuration it names (its own by default). */
function baseline(measured: MeasuredPeerRow, all: readonly MeasuredPeerRow[]): MeasuredPeerRow {
  const group = measured.row.comparedWith ?? measured.row.group;
  return all.find((other) => other.row.ours === true && other.row.group === group)!;
}

const isMet = (measured: MeasuredPeerRow, all: readonly MeasuredPeerRow[]) =>
  measured.row.target?.met(measured, baseline(measured, all));

function verdict(measured: MeasuredPeerRow, all: readonly MeasuredPeerRow[]): string {
  const target = measured.row.target;
  if (target === undefined) return '–';
  return `${isMet(measured, all) ? 'yes' : '**no**'} (${target.describe(measured, baseline(measured, all))})`;
}

export function formatPeerTable(all: readonly MeasuredPeerRow[]): string {
  const columns = [
    ['Configuration', '---'],
    ['Tool', '---'],
    ...MEASUREMENT_COLUMNS.map((title) => [title, '---:'] as const),
    ['Ratio', '---'],
    ['Target', '---'],
    ['Met', '---'],
  ] as const;
  return markdownTable(
    columns,
    all.map((measured) => {
      const { row } = measured;
      const ratio = row.ratioText === undefined ? '–' : ratioCell(row.ratioText, measured, baseline(measured, all));
      return [
        row.group,
        row.tool,
        ...measurementCells(measured),
        ratio,
        row.target?.text ?? '–',
        verdict(measured, all),
      ];
    }),
  );
}

const HOW_MEASURED: readonly string[] = [
  'Each run is a separate process tree started with `child_process.spawnSync` from the tool’s own directory, as ' +
    "its users start it: ours with `npm run synth`'s command (`CDKTF_OUTDIR`, and `CI_PIPELINES_CONFIG` for a fleet " +
    'of scripts/fleet.ts), and with the speedups off (`CI_PIPELINES_SPEEDUPS=off`, which runs cdktf as installed: ' +
    'app/speedups/); the AWS CDK app (bench/peers/aws-cdk, aws-cdk-lib L2 constructs, one stack per pipeline and ' +
    'the state stack) with `node app.js` (`CDK_OUTDIR`, `PIPELINES=100` for its fleet of the same three shapes), ' +
    "validation off being `CDK_VALIDATION=false`, which skips aws-cdk-lib's built-in CloudFormation template " +
    'validation (on by default; `AppProps.builtinCloudFormationValidation`); the naive cdktf project ' +
    '(bench/peers/naive-cdktf, providers imported from their package roots, ts-node) with ' +
    '`npx cdktf synth --output` and `CHECKPOINT_DISABLE=1`.',
  'Each peer has its own package.json and lockfile, installed with `npm ci` into its own node_modules. Within each ' +
    'configuration the runs are interleaved, one of each tool a round, so that drift hits all alike; one untimed ' +
    "run of each default-configuration tool first fills caches (our app's bundle, the file cache).",
  'Wall time is `process.hrtime` around the spawn; peak RSS is the largest `process.resourceUsage().maxRSS` among ' +
    "the run's Node processes (a hook loaded through `NODE_OPTIONS=--require scripts/peak-rss-hook.cjs`). " +
    'Resources: Terraform resources and data sources for cdktf, CloudFormation resources for AWS CDK (which has no ' +
    "GitHub resources: those are not in its stacks). Ratio: the row's median wall time over ours of the same " +
    'configuration, and the difference of the two.',
  TEST_HOW_MEASURED,
];

/** The closing lines: every target met, or those missed; and a word when `npm test` was left out. */
function peerVerdict(measured: readonly MeasuredPeerRow[], options: PeerOptions): string[] {
  const missed = measured.filter((row) => row.row.target !== undefined && !isMet(row, measured));
  const missedText = missed.map(
    (row) =>
      `${runLabel(row.row)}: ${row.row.target!.text} (${row.row.target!.describe(row, baseline(row, measured))})`,
  );
  return [
    ...anomalyLines(measured),
    missed.length === 0 ? 'Every target met.' : `Targets missed: ${missedText.join('; ')}.`,
    ...(options.testRuns > 0 ? [] : ['', '`npm test` not measured (`--test-runs 0`): its target is not checked.']),
  ];
}

/**
 * Runs one untimed synth of each default-configuration tool; returns the peers that cannot run here, with why (the
 * naive cdktf peer's native modules, installed under one Node.js line, do not load under another). Ours must run.
 */
function warmUp(rows: readonly PeerRow[], workDir: string): Map<string, string> {
  process.stderr.write('Warm-up (untimed):\n');
  const cannotRun = new Map<string, string>();
  for (const row of rows) {
    const outdir = join(workDir, `warm-up-${process.hrtime.bigint()}`);
    try {
      const sample = measureOnce(`warm-up, ${runLabel(row)}`, row.run(outdir), workDir);
      process.stderr.write(`  ${runLabel(row)}: ${(sample.wallMs / 1000).toFixed(1)} s\n`);
    } catch (error) {
      if (row.ours || !(error instanceof RunFailure)) throw error;
      cannotRun.set(row.tool, error.oneLine());
      process.stderr.write(`  ${runLabel(row)}: cannot run here, left out (${error.oneLine()})\n`);
    }
  }
  return cannotRun;
}

/** Installs the peers, measures every group, and returns the report (header, table, verdict, how measured). */
export function runPeers(options: PeerOptions, workDir: string, header: ResultsHeader, command: string): Report {
  try {
    process.stderr.write('Peers:\n');
    for (const peer of PEERS) installPeer(peer);
    const all = peerGroups(options, workDir);
    const cannotRun = warmUp(all[0], workDir);
    const groups = all.map((rows) => rows.filter((row) => !cannotRun.has(row.tool)));
    process.stderr.write('Measured, interleaved:\n');
    const measured = groups.flatMap((rows) => measureInterleaved(rows, workDir, runLabel));
    const rows = measured.map((row) => ({
      configuration: row.row.group,
      tool: row.row.tool,
      ratio: row.row.ratioText === undefined ? undefined : ratioOf(row, baseline(row, measured)),
      target: row.row.target?.text,
      met: isMet(row, measured),
      ...rowData(row),
    }));
    return {
      name: 'peers',
      command,
      header,
      table: formatPeerTable(measured),
      howMeasured: HOW_MEASURED,
      verdict: [
        ...peerVerdict(measured, options),
        ...[...cannotRun].map(([tool, why]) => `Not measured: ${tool}, which cannot run under this Node.js (${why}).`),
      ],
      data: { options, rows },
    };
  } catch (error) {
    // One line that names the peer (or our app) and the command; the output's last line says why.
    if (error instanceof RunFailure) throw new BenchError(error.oneLine());
    throw error;
  }
}
