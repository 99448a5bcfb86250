/**
 * What `npm run bench` measures with, for our rows and the peers' alike: one
 * timed run of a command as its own process tree, medians, resource counts of
 * what a synth wrote, and a line about the machine.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, platform, release, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import { appCommand, PROJECT_ROOT } from './app-command';
import { fleetConfig } from './fleet';

const PEAK_RSS_HOOK = join(__dirname, 'peak-rss-hook.cjs');

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
    super(
      `${label}: \`${commandLine}\`${cwd === PROJECT_ROOT ? '' : ` in ${relative(PROJECT_ROOT, cwd)}`} failed (${reason}):\n${output}`,
    );
  }

  /** The failure in one line: who, what, where, why, and the error the output shows (a thrown one, else its last line but Node's version). */
  oneLine(): string {
    const lines = this.output.split('\n').filter((line) => line.trim() !== '' && !/^Node\.js v\d/.test(line));
    const last = lines.find((line) => /^\s*\w*Error: /.test(line)) ?? lines.pop();
    const where = this.cwd === PROJECT_ROOT ? '' : ` in ${relative(PROJECT_ROOT, this.cwd)}`;
    return `${this.label}: \`${this.commandLine}\`${where} failed (${this.reason})${last === undefined ? '' : `: ${last.trim()}`}`;
  }
}

/** How to start one run: the command, its arguments, and its environment and directory (the project's by default). */
export interface RunSpec {
  readonly command: string;
  readonly args: string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

/** The environment of a run, without the variables that would change what a tool synthesizes. */
export function cleanEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['CI_PIPELINES_CONFIG', 'CDKTF_OUTDIR', 'CDK_OUTDIR', 'CDK_VALIDATION', 'PIPELINES'])
    delete env[name];
  return { ...env, ...extra };
}

/**
 * Our synth, as `npm run synth` runs it: of the default configuration, or of a generated fleet of `pipelines`
 * (scripts/fleet.ts), whose configuration is written to `workDir` now.
 */
export function ourSynth(workDir: string, pipelines?: number): (outdir: string) => RunSpec {
  const app = appCommand();
  if (pipelines === undefined) return (outdir) => ({ ...app, env: cleanEnv({ CDKTF_OUTDIR: outdir }) });
  const configPath = join(workDir, `fleet-${pipelines}.json`);
  writeFileSync(configPath, JSON.stringify(fleetConfig(pipelines), null, 2));
  return (outdir) => ({ ...app, env: cleanEnv({ CI_PIPELINES_CONFIG: configPath, CDKTF_OUTDIR: outdir }) });
}

/** One timed run of a command. */
export interface Sample {
  readonly wallMs: number;
  /** The largest peak RSS among the Node processes of the run. */
  readonly peakRssMb: number;
  readonly peakProcess: string;
}

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** Runs a command once as its own process tree: wall time from here, peak RSS from the hook in each Node process. */
export function measureOnce(label: string, spec: RunSpec, workDir: string): Sample {
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
  if (result.error !== undefined || result.status !== 0) {
    const output = `${result.stderr ?? ''}${result.stdout ?? ''}`.trim().split('\n').slice(-30).join('\n');
    throw new RunFailure(
      label,
      [spec.command, ...spec.args].join(' '),
      cwd,
      result.error?.message ?? `exit ${result.status ?? result.signal}`,
      output,
    );
  }
  const records = readFileSync(rssFile, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as { maxRssKb: number; argv: string });
  const peak = records.reduce((largest, record) => (record.maxRssKb > largest.maxRssKb ? record : largest));
  return { wallMs, peakRssMb: (peak.maxRssKb * 1024) / 1e6, peakProcess: peak.argv.split(`${PROJECT_ROOT}/`).join('') };
}

/**
 * Counts the stacks and resources that a synth wrote: a cdktf output directory's
 * resources and data sources, or an AWS CDK cloud assembly's CloudFormation resources.
 */
export function countResources(outdir: string): { stacks: number; resources: number } {
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
/** Runs longer than this get a line of their own in a log (the `npm test` runs), so a long benchmark is seen to progress. */
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
}

/** Wall time as the tables and progress lines print it. */
const seconds = (ms: number): string => (ms / 1000).toFixed(2);

/** A row's medians, with what its synth wrote when counted; prints the line that ends the row's progress. */
export function summarize<Row>(
  row: Row,
  label: string,
  samples: readonly Sample[],
  counted?: { stacks: number; resources: number },
): Measured<Row> {
  const measured = {
    row,
    samples,
    medianWallMs: median(samples.map((sample) => sample.wallMs)),
    medianPeakRssMb: median(samples.map((sample) => sample.peakRssMb)),
    ...counted,
  };
  process.stderr.write(
    `${TERMINAL ? '\r\x1b[K' : ''}  ${label}: ${samples.length} runs, median ${seconds(measured.medianWallMs)} s\n`,
  );
  return measured;
}

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

/** The machine, for the line above a table. */
export function machine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `${availableParallelism()} × ${cpu}, ${Math.round(totalmem() / 1024 ** 3)} GiB RAM, ${platform()} ${release()}, Node ${process.version}`;
}
