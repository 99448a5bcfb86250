/**
 * What `npm run bench` measures with, for our rows and the peers' alike: one
 * timed run of a command as its own process tree, rows measured in interleaved
 * rounds, medians, resource counts of what a synth wrote, `npm test` from clean
 * caches, and the results files (bench/results/) headed by when, where and on
 * what the figures were measured.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, totalmem, type } from 'node:os';
import { join, relative } from 'node:path';
import { CORE_SWITCH, type CoreName, DEFAULT_CORE, selectedCore } from '../app/cores.cjs';
import { SPEEDUPS_SWITCH } from '../app/speedups';
import { appCommand, PROJECT_ROOT } from './app-command';
import { fleetConfig } from './fleet';

const PEAK_RSS_HOOK = join(__dirname, 'peak-rss-hook.cjs');

/** Where both commands write their reports, overwritten each run (git keeps their history). */
export const RESULTS_DIR = join(PROJECT_ROOT, 'bench', 'results');

/** A mistake or failure the benchmark reports in its own words, without a stack trace. */
export class BenchError extends Error {}

/** A command that failed: its own words for a multi-line report, and {@link RunFailure.oneLine} for one line. */
export class RunFailure extends BenchError {
  constructor(
    readonly label: string,
    readonly commandLine: string,
    readonly cwd: string,
    readonly reason: string,
    readonly output: string,
  ) {
    super(`${label}: \`${commandLine}\`${where(cwd)} failed (${reason}):\n${output}`);
  }

  /**
   * The failure in one line: who, what, where, why, and what the output shows (Jest's summary of the tests, else a
   * thrown error, else its last line but Node's version).
   */
  oneLine(): string {
    return `${this.label}: ${this.summary()}`;
  }

  /** {@link RunFailure.oneLine} without the label: what, where, why. */
  summary(): string {
    const lines = this.output.split('\n').filter((line) => line.trim() !== '' && !/^Node\.js v\d/.test(line));
    const last =
      lines.find((line) => /^Tests: /.test(line)) ?? // Jest's summary
      lines.find((line) => /^\s*\w*Error: /.test(line)) ??
      lines.pop();
    const why = last === undefined ? '' : `: ${last.trim()}`;
    return `\`${this.commandLine}\`${where(this.cwd)} failed (${this.reason})${why}`;
  }
}

/** " in <dir>" for a directory other than the project's. */
const where = (cwd: string) => (cwd === PROJECT_ROOT ? '' : ` in ${relative(PROJECT_ROOT, cwd)}`);

/** How to start one run: the command, its arguments, and its environment and directory (the project's by default). */
export interface RunSpec {
  readonly command: string;
  readonly args: string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

/** The environment of a run, without the variables that would change what a tool synthesizes, or how. */
export function cleanEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of [
    'CI_PIPELINES_CONFIG',
    'CDKTF_OUTDIR',
    'CDK_OUTDIR',
    'CDK_VALIDATION',
    'PIPELINES',
    SPEEDUPS_SWITCH,
  ])
    delete env[name];
  return { ...env, ...extra };
}

/** The environment that runs our app with cdktf as installed (app/speedups/). */
export const SPEEDUPS_OFF: NodeJS.ProcessEnv = { [SPEEDUPS_SWITCH]: 'off' };

/**
 * Our synth, as `npm run synth` runs it: of the default configuration, or of a generated fleet of `pipelines`
 * (scripts/fleet.ts), whose configuration is written to `workDir` now; `env` adds to its environment.
 */
export function ourSynth(
  workDir: string,
  pipelines?: number,
  env: NodeJS.ProcessEnv = {},
): (outdir: string) => RunSpec {
  const app = appCommand();
  if (pipelines === undefined) return (outdir) => ({ ...app, env: cleanEnv({ ...env, CDKTF_OUTDIR: outdir }) });
  const configPath = join(workDir, `fleet-${pipelines}.json`);
  writeFileSync(configPath, JSON.stringify(fleetConfig(pipelines), null, 2));
  return (outdir) => ({ ...app, env: cleanEnv({ ...env, CI_PIPELINES_CONFIG: configPath, CDKTF_OUTDIR: outdir }) });
}

/** One timed run of a command. */
export interface Sample {
  readonly wallMs: number;
  /** The largest peak RSS among the Node processes of the run. */
  readonly peakRssMb: number;
  readonly peakProcess: string;
  /** Why the run failed, when its row allows failed runs (see {@link MeasurableRow.mayFail}). */
  readonly failure?: string;
}

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** The test files Jest reported as failed, in its output. */
const failedTestFiles = (output: string): string[] => [
  ...new Set(output.split('\n').flatMap((line) => /^FAIL (\S+)/.exec(line)?.[1] ?? [])),
];

/**
 * Runs a command once as its own process tree: wall time from here, peak RSS from the hook in each Node process.
 * A command that exits non-zero throws a RunFailure, unless `mayFail`: then its sample says why it failed.
 */
export function measureOnce(label: string, spec: RunSpec, workDir: string, mayFail = false): Sample {
  const rssFile = join(workDir, `peak-rss-${process.hrtime.bigint()}.jsonl`);
  const baseEnv = spec.env ?? process.env;
  const env: NodeJS.ProcessEnv = {
    ...baseEnv,
    NODE_OPTIONS: [baseEnv.NODE_OPTIONS, `--require ${JSON.stringify(PEAK_RSS_HOOK)}`].filter(Boolean).join(' '),
    BENCH_PEAK_RSS_FILE: rssFile,
  };
  const cwd = spec.cwd ?? PROJECT_ROOT;
  const start = process.hrtime.bigint();
  const result = spawnSync(spec.command, spec.args, { cwd, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  let failure: string | undefined;
  if (result.error !== undefined || result.status !== 0) {
    const output = `${result.stderr ?? ''}${result.stdout ?? ''}`.trim();
    const error = new RunFailure(
      label,
      [spec.command, ...spec.args].join(' '),
      cwd,
      result.error?.message ?? `exit ${result.status ?? result.signal}`,
      output.split('\n').slice(-30).join('\n'),
    );
    if (!mayFail || result.error !== undefined) throw error;
    const files = failedTestFiles(output);
    failure = `${error.summary()}${files.length === 0 ? '' : `; failed: ${files.join(', ')}`}`;
  }
  const records = readFileSync(rssFile, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as { maxRssKb: number; argv: string });
  const peak = records.reduce((largest, record) => (record.maxRssKb > largest.maxRssKb ? record : largest));
  const peakProcess = peak.argv.split(`${PROJECT_ROOT}/`).join('');
  return {
    wallMs,
    peakRssMb: (peak.maxRssKb * 1024) / 1e6,
    peakProcess,
    ...(failure === undefined ? {} : { failure }),
  };
}

/** What a synth wrote: its stacks, and their resources and data sources. */
export interface Counted {
  readonly stacks: number;
  readonly resources: number;
}

/**
 * Counts the stacks and resources that a synth wrote: a cdktf output directory's
 * resources and data sources, or an AWS CDK cloud assembly's CloudFormation resources.
 */
export function countResources(outdir: string): Counted {
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8'));
  const readJson = (path: string) => JSON.parse(readFileSync(join(outdir, path), 'utf8'));
  if (manifest.stacks === undefined) {
    const templates = Object.values<{ type: string; properties?: { templateFile: string } }>(manifest.artifacts ?? {})
      .filter((artifact) => artifact.type === 'aws:cloudformation:stack')
      .map((artifact) => readJson(artifact.properties!.templateFile));
    return {
      stacks: templates.length,
      resources: templates.reduce((sum, template) => sum + Object.keys(template.Resources ?? {}).length, 0),
    };
  }
  const stacks = Object.values<{ synthesizedStackPath: string }>(manifest.stacks);
  let resources = 0;
  for (const stack of stacks) {
    const json = readJson(stack.synthesizedStackPath);
    for (const block of [json.resource, json.data]) {
      for (const ofType of Object.values<Record<string, unknown>>(block ?? {})) resources += Object.keys(ofType).length;
    }
  }
  return { stacks: stacks.length, resources };
}

/** Whether stderr is a terminal, where progress rewrites one line. */
export const TERMINAL = process.stderr.isTTY === true;
/** Runs longer than this get a line of their own in a log (`npm test`), so that a long benchmark is seen to move. */
const SLOW_RUN_MS = 10_000;

/** Progress after a run: on a terminal, the rewritten line; in a log, a line for each slow run. */
export function reportRun(label: string, index: number, runs: number, sample: Sample): void {
  const seconds = (sample.wallMs / 1000).toFixed(1);
  if (TERMINAL) process.stderr.write(`\r  ${label}: run ${index + 1} of ${runs} took ${seconds} s\x1b[K`);
  else if (sample.wallMs > SLOW_RUN_MS)
    process.stderr.write(`  ${label}: run ${index + 1} of ${runs} took ${seconds} s\n`);
}

/** A row's runs and their medians: what both benchmarks' tables show. */
export interface Measured<Row> {
  readonly row: Row;
  readonly samples: readonly Sample[];
  readonly medianWallMs: number;
  readonly medianPeakRssMb: number;
  readonly stacks?: number;
  readonly resources?: number;
  /** Runs that did not do what the row says it measures, each in a line (see {@link MeasurableRow.after}). */
  readonly anomalies: readonly string[];
}

/** Wall time as the tables and progress lines print it. */
const seconds = (ms: number): string => (ms / 1000).toFixed(2);

/** A row's medians, with what its synth wrote when counted; prints the line that ends the row's progress. */
export function summarize<Row>(
  row: Row,
  label: string,
  samples: readonly Sample[],
  counted?: Counted,
  anomalies: readonly string[] = [],
): Measured<Row> {
  const measured = {
    row,
    samples,
    anomalies,
    medianWallMs: median(samples.map((sample) => sample.wallMs)),
    medianPeakRssMb: median(samples.map((sample) => sample.peakRssMb)),
    ...counted,
  };
  process.stderr.write(
    `${TERMINAL ? '\r\x1b[K' : ''}  ${label}: ${samples.length} runs, median ${seconds(measured.medianWallMs)} s\n`,
  );
  return measured;
}

/** What either benchmark measures of a row: how to start a run, how often, and what happens around each run. */
export interface MeasurableRow {
  readonly run: (outdir: string) => RunSpec;
  readonly runs: number;
  /** Runs before each timed run, untimed (an edit, a cache cleared). */
  readonly before?: () => void;
  /**
   * Runs after each timed run, untimed: says what went wrong when the run did not do what the row says it measures
   * (another job on the machine may have rebuilt the app meanwhile), for the report rather than an abort.
   */
  readonly after?: () => string | undefined;
  /** Whether the run writes a synth's output, whose resources are then counted once. */
  readonly countsResources: boolean;
  /**
   * Whether a run that exits non-zero is kept, its failure noted, rather than ending the benchmark: `npm test`'s
   * time is still its time when a test fails, and the synth rows measured before it are not lost.
   */
  readonly mayFail?: boolean;
}

/**
 * Measures rows in rounds (each row once a round, while it has runs left), so that drift on the machine hits them
 * all alike and their ratios hold even when the medians move.
 */
export function measureInterleaved<Row extends MeasurableRow>(
  rows: readonly Row[],
  workDir: string,
  labelOf: (row: Row) => string,
): Measured<Row>[] {
  const samples = rows.map((): Sample[] => []);
  const counts = rows.map((): Counted | undefined => undefined);
  const anomalies = rows.map((): string[] => []);
  const rounds = Math.max(...rows.map((row) => row.runs));
  for (let round = 0; round < rounds; round += 1) {
    rows.forEach((row, index) => {
      if (round >= row.runs) return;
      const label = labelOf(row);
      const outdir = join(workDir, `out-${process.hrtime.bigint()}`);
      row.before?.();
      if (TERMINAL) process.stderr.write(`\r  ${label}: run ${round + 1} of ${row.runs}…\x1b[K`);
      const sample = measureOnce(label, row.run(outdir), workDir, row.mayFail);
      samples[index].push(sample);
      const anomaly = sample.failure ?? row.after?.();
      if (anomaly !== undefined) anomalies[index].push(`${label}, run ${round + 1}: ${anomaly}`);
      reportRun(label, round, row.runs, samples[index][round]);
      if (row.countsResources) counts[index] ??= countResources(outdir);
      rmSync(outdir, { recursive: true, force: true });
    });
  }
  return rows.map((row, index) => summarize(row, labelOf(row), samples[index], counts[index], anomalies[index]));
}

/** `npm test`'s target (issue 26): cold, from clean caches, on a 2-core machine. */
export const TEST_TARGET = { maxSeconds: 25, maxPeakRssMb: 500, text: '≤ 25 s, ≤ 500 MB per process' } as const;

/** How many of a row's runs failed. */
const failedRuns = (measured: Measured<unknown>) => measured.samples.filter((sample) => sample.failure).length;

/**
 * Whether a measured `npm test` row meets {@link TEST_TARGET}: every run passed, its median time and median largest
 * process within it.
 */
export const meetsTestTarget = (measured: Measured<unknown>): boolean =>
  failedRuns(measured) === 0 &&
  measured.medianWallMs <= TEST_TARGET.maxSeconds * 1000 &&
  measured.medianPeakRssMb <= TEST_TARGET.maxPeakRssMb;

/** The run among a row's whose largest process was largest. */
export const largestRun = (measured: Measured<unknown>): Sample =>
  measured.samples.reduce((largest, sample) => (sample.peakRssMb > largest.peakRssMb ? sample : largest));

/** What a measured `npm test` row achieved, for the Met column: its medians (time, largest process), failed runs. */
export function describeTestRow(measured: Measured<unknown>): string {
  const failed = failedRuns(measured);
  const failures = failed === 0 ? '' : `; ${failed} of ${measured.samples.length} runs failed`;
  const largest = Math.round(measured.medianPeakRssMb);
  return `${(measured.medianWallMs / 1000).toFixed(1)} s; largest process ${largest} MB${failures}`;
}

/**
 * The cold `npm test`, for either benchmark's rows: each run with a Jest cache of its own that starts empty (the
 * run's fresh output directory, removed after it), which is what `jest --clearCache` leaves, without emptying the
 * cache that other Jest runs on the machine are using meanwhile, and without their transforms filling ours.
 */
export function npmTestRun(): Pick<MeasurableRow, 'run' | 'countsResources' | 'mayFail'> {
  return {
    run: (outdir) => ({
      command: process.platform === 'win32' ? 'npm.cmd' : 'npm',
      args: ['test', '--silent', '--', `--cacheDirectory=${outdir}`],
      env: cleanEnv({}),
    }),
    countsResources: false,
    mayFail: true,
  };
}

/** What `npm test` from clean caches means here, for both reports' "how measured". */
export const TEST_HOW_MEASURED =
  '`npm test` runs from a clean Jest cache each time: `npm test -- --cacheDirectory=<an empty directory of its ' +
  "own>`, the state `jest --clearCache` leaves, so ts-jest transpiles every file again (a cache of the run's own, " +
  'so that other Jest runs on the machine neither empty it midway nor fill it). The sample app’s Python ' +
  'environment (node_modules/.cache/sample-app-python, built once per requirements hash) is kept, as node_modules ' +
  'is. Its peak RSS is its largest process (a Jest worker, usually). A run in which a test fails keeps its time, ' +
  'and misses the target.';

/** The columns both tables share, between a row's name and its own columns. */
export const MEASUREMENT_COLUMNS = [
  'Runs',
  'Stacks',
  'Resources',
  'Median wall (s)',
  'Range (s)',
  'Median peak RSS (MB)',
] as const;

/** A measured row's cells under {@link MEASUREMENT_COLUMNS}. */
export function measurementCells(measured: Measured<unknown>): string[] {
  const walls = measured.samples.map((sample) => sample.wallMs);
  return [
    String(measured.samples.length),
    String(measured.stacks ?? '–'),
    String(measured.resources ?? '–'),
    seconds(measured.medianWallMs),
    `${seconds(Math.min(...walls))}–${seconds(Math.max(...walls))}`,
    String(Math.round(measured.medianPeakRssMb)),
  ];
}

/** A ratio as the tables print it. */
export const times = (ratio: number): string => `${ratio.toFixed(ratio < 10 ? 2 : 1)}×`;

/** The Ratio cell of a row compared with another: "<text> = 1.80× (+0.30 s)", the difference of their medians. */
export function ratioCell(text: string, row: Measured<unknown>, base: Measured<unknown>): string {
  const difference = (row.medianWallMs - base.medianWallMs) / 1000;
  const magnitude = Math.abs(difference).toFixed(2);
  const signed = `${magnitude === '0.00' ? '±' : difference < 0 ? '−' : '+'}${magnitude} s`;
  return `${text} = ${times(row.medianWallMs / base.medianWallMs)} (${signed})`;
}

/** The report's lines about runs that did not do what their row says they measure, if any. */
export function anomalyLines(measured: readonly Measured<unknown>[]): string[] {
  const anomalies = measured.flatMap((row) => row.anomalies);
  if (anomalies.length === 0) return [];
  return [
    'Runs that did not do what their row says (their times are in the medians):',
    '',
    ...anomalies.map((line) => `- ${line}`),
    '',
  ];
}

/** A Markdown table: each column a title and its alignment row cell (`---`, `---:`, `:-:`). */
export function markdownTable(
  columns: readonly (readonly [title: string, alignment: string])[],
  rows: readonly (readonly string[])[],
): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [
    line(columns.map(([title]) => title)),
    line(columns.map(([, alignment]) => alignment)),
    ...rows.map(line),
  ].join('\n');
}

/** The machine a report was measured on. */
export interface Machine {
  readonly cpu: string;
  readonly cpuCount: number;
  readonly ramGiB: number;
  /** The operating system: its distribution's name where it says one (/etc/os-release), else its kernel's. */
  readonly os: string;
  readonly kernel: string;
  /** The load average (1, 5 and 15 minutes) as the benchmark started: another job on the machine shows here. */
  readonly loadAverage: readonly number[];
}

/** What heads each results file: when, on which code, on which machine, with which Node.js. */
export interface ResultsHeader {
  /** ISO 8601, UTC. */
  readonly date: string;
  /** `git rev-parse --short HEAD`, and " + uncommitted changes" when the working tree differs from it. */
  readonly commit: string;
  readonly machine: Machine;
  readonly node: string;
  /** The core the app's runs use (`CI_PIPELINES_CORE`, app/cores.cjs), and its installed release. */
  readonly core: { readonly name: CoreName; readonly version: string };
}

/** The distribution's name from /etc/os-release, if the file says one. */
function distribution(): string | undefined {
  if (!existsSync('/etc/os-release')) return undefined;
  const match = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'));
  return match?.[1];
}

/** This machine. */
export function machine(): Machine {
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
    cpuCount: availableParallelism(),
    ramGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    os: distribution() ?? type(),
    kernel: `${type()} ${release()}`,
    loadAverage: loadavg().map((load) => Math.round(load * 100) / 100),
  };
}

/** Changes that do not count against the commit: the benchmark's own results, which it overwrites. */
const isOwnResult = (porcelainLine: string) =>
  porcelainLine
    .slice(3)
    .split(' -> ')
    .every((path) => path.replace(/^"/, '').startsWith('bench/results/'));

/**
 * The commit line of a header from `git rev-parse --short HEAD` and `git status --porcelain`: the short hash, and
 * " + uncommitted changes" when any path but bench/results/ (this benchmark's own output) differs from it.
 */
export function describeCommit(shortHash: string, porcelain: string): string {
  const changed = porcelain.split('\n').filter((line) => line.trim() !== '' && !isOwnResult(line));
  return changed.length === 0 ? shortHash : `${shortHash} + uncommitted changes`;
}

/** The project's commit, as {@link describeCommit} words it; "unknown" outside a git checkout. */
function gitCommit(): string {
  const git = (...args: string[]) => spawnSync('git', args, { cwd: PROJECT_ROOT, encoding: 'utf8' });
  const head = git('rev-parse', '--short', 'HEAD');
  const status = git('status', '--porcelain');
  if (head.status !== 0 || status.status !== 0) return 'unknown (not a git checkout, or git is missing)';
  return describeCommit(head.stdout.trim(), status.stdout);
}

/** The header of a report measured now, on this machine, from this checkout. */
export function resultsHeader(now: Date = new Date(), env: NodeJS.ProcessEnv = process.env): ResultsHeader {
  const name = selectedCore(env);
  const { version } = JSON.parse(readFileSync(join(PROJECT_ROOT, 'node_modules', name, 'package.json'), 'utf8'));
  return {
    date: now.toISOString(),
    commit: gitCommit(),
    machine: machine(),
    node: process.version,
    core: { name, version },
  };
}

/** The header as the Markdown report's first lines. */
export function headerMarkdown(header: ResultsHeader): string[] {
  const { machine: m } = header;
  return [
    `- Date: ${header.date}`,
    `- Commit: ${header.commit}`,
    `- Machine: ${m.cpuCount} × ${m.cpu}, ${m.ramGiB} GiB RAM, ${m.os}, kernel ${m.kernel}`,
    `- Load average as the benchmark started (1, 5, 15 min): ${m.loadAverage.join(', ')}`,
    `- Node.js: ${header.node}`,
    `- Core: ${header.core.name} ${header.core.version} (picked by ${CORE_SWITCH})`,
  ];
}

/** A benchmark's report: what it writes to bench/results/<name>-node<major>.md and .json, and prints. */
export interface Report {
  /** The file names' stem: `bench`, `peers`. */
  readonly name: string;
  /** The command that measured it, as typed. */
  readonly command: string;
  readonly header: ResultsHeader;
  readonly table: string;
  readonly howMeasured: readonly string[];
  /** The closing lines: the targets met or missed, and anything else to note. */
  readonly verdict: readonly string[];
  /** The raw figures, for the JSON file: the options and each row's samples. */
  readonly data: Record<string, unknown>;
}

/** The Markdown report: its command as title, the header, the table, how it was measured, the verdict. */
export function reportMarkdown(report: Report): string {
  return [
    `# \`${report.command}\``,
    '',
    ...headerMarkdown(report.header),
    '',
    report.table,
    '',
    ...report.verdict,
    '',
    '## How measured',
    '',
    ...report.howMeasured.flatMap((paragraph, index) => (index === 0 ? [paragraph] : ['', paragraph])),
    '',
  ].join('\n');
}

/** The JSON report: the header's fields first, then the command, how it was measured and the raw figures. */
export function reportJson(report: Report): string {
  const { date, commit, machine: onMachine, node, core } = report.header;
  const body = { date, commit, machine: onMachine, node, core, command: report.command, ...report.data };
  return `${JSON.stringify({ ...body, howMeasured: report.howMeasured }, null, 2)}\n`;
}

/**
 * Writes the report's two files to `dir` (bench/results/ by default), named for the Node.js line that ran it
 * (`peers-node22.md`) and the core when it is not cdktf (`peers-node22-cdktn.md`), since the figures differ from one
 * to the next; returns their paths.
 */
export function writeReport(report: Report, dir: string = RESULTS_DIR): { markdown: string; json: string } {
  mkdirSync(dir, { recursive: true });
  // One file per Node.js line and core: cdktf's keep their names from before there were two cores.
  const core = report.header.core.name === DEFAULT_CORE ? '' : `-${report.header.core.name}`;
  const stem = `${report.name}-node${process.versions.node.split('.')[0]}${core}`;
  const paths = { markdown: join(dir, `${stem}.md`), json: join(dir, `${stem}.json`) };
  writeFileSync(paths.markdown, reportMarkdown(report));
  writeFileSync(paths.json, reportJson(report));
  return paths;
}

/** A measured row's figures for the JSON file: medians and every sample, in milliseconds and MB. */
export function rowData(measured: Measured<unknown>): Record<string, unknown> {
  const round = (value: number) => Math.round(value * 10) / 10;
  return {
    runs: measured.samples.length,
    stacks: measured.stacks,
    resources: measured.resources,
    medianWallMs: round(measured.medianWallMs),
    medianPeakRssMb: round(measured.medianPeakRssMb),
    anomalies: measured.anomalies,
    samples: measured.samples.map((sample) => ({
      wallMs: round(sample.wallMs),
      peakRssMb: round(sample.peakRssMb),
      peakProcess: sample.peakProcess,
      ...(sample.failure === undefined ? {} : { failure: sample.failure }),
    })),
  };
}
