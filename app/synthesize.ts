import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { checkApp, formatReport, GuardrailsError, StackReport } from '../guardrails';
import { lockPath, OutputLock, tryLock } from './output-lock';
import {
  isMountPoint,
  isSwapLeftover,
  journalPath,
  makeStaging,
  recover,
  removedStacksWithState,
  stackChanges,
  sweep,
  swapIn,
} from './output-swap';

/** The guardrails report, written beside the stacks in the output directory. */
export const GUARDRAILS_REPORT_FILE = 'guardrails-report.md';

/**
 * An output directory that cannot be written: a file, a read-only or full file system, no permission. One line, no
 * stack trace.
 */
export class OutputDirError extends Error {
  constructor(outdir: string, reason: string) {
    super(
      `Cannot write the output directory ${outdir}: ${reason}. Name another one with CDKTF_OUTDIR, or unset it to ` +
        `use cdktf.out.`,
    );
    this.name = 'OutputDirError';
  }
}

/**
 * A stack left the configuration while its directory holds local Terraform state, which synth will not delete. One
 * line, no stack trace.
 */
export class LocalStateError extends Error {
  constructor(outdir: string, stacks: readonly string[]) {
    super(
      `The configuration no longer has stack ${stacks.join(', ')}, but ` +
        `${stacks.map((stack) => path.join(outdir, 'stacks', stack)).join(', ')} holds local Terraform state ` +
        '(terraform.tfstate or terraform.tfstate.d), which synth would delete with the directory. Run `terraform ' +
        'destroy` there, or move the state elsewhere, then synth again.',
    );
    this.name = 'LocalStateError';
  }
}

/** What file system errors mean, in words. */
const FILE_SYSTEM_ERRORS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space is left on the device',
  ENOTDIR: 'a part of its path is a file, not a directory',
  EEXIST: 'a file is where a directory is needed',
  EISDIR: 'a directory is where a file should be',
  ENOENT: 'a part of its path does not exist and cannot be created',
  EBUSY: 'it is busy',
};

/** Runs a file operation on the output directory; a file system error becomes an OutputDirError. */
function onOutputDir<T>(outdir: string, operation: () => T): T {
  try {
    return operation();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === undefined || FILE_SYSTEM_ERRORS[code] === undefined) throw error;
    throw new OutputDirError(
      outdir,
      `${FILE_SYSTEM_ERRORS[code]} (${code} on ${(error as NodeJS.ErrnoException).path ?? outdir})`,
    );
  }
}

/** How a synth tells what it waits for, and how far it got. */
export interface SynthesizeOptions {
  /**
   * Told after each stack is synthesized, with how many are done of how many.
   * @default - not told
   */
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * Told once when another synth holds the output directory and this one waits for it to finish.
   * @default - not told
   */
  readonly onWait?: (message: string) => void;
  /**
   * Told, before the new tree is put in place, of the stacks the output directory held that this synth no longer
   * writes (whatever they deployed keeps running), and of its new stacks.
   * @default - not told
   */
  readonly onStacksRemoved?: (removed: readonly string[], added: readonly string[]) => void;
}

/**
 * Synthesizes the stacks that `build` adds to an app into a staging directory,
 * checks each stack as written with every guardrail, writes the guardrails
 * report beside them, and only then puts the whole tree in place of `outdir`
 * at once (see output-swap.ts). A finding, a prop error or a crash leaves
 * `outdir` as it was. Terraform's files in the stacks that remain
 * (`.terraform`, `.terraform.lock.hcl`) are kept; stacks no longer built, and
 * anything else in `outdir`, are not. Synths into one directory take turns
 * (output-lock.ts): this one waits while another live process holds it.
 * Checking the written files, rather than resolving each stack once more before
 * synth, saves a fifth of a fleet's synth.
 *
 * @returns one report per stack
 * @throws GuardrailsError listing every finding of every stack
 */
export function synthesizeChecked(
  outdir: string,
  build: (app: App) => readonly TerraformStack[],
  options: SynthesizeOptions = {},
): StackReport[] {
  const steps = synthesisSteps(outdir, build, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (step.value > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, step.value);
  }
}

/**
 * `synthesizeChecked`, handing the event loop a turn between its steps, so that
 * a signal handler can run; when `stopped()` then says so, it stops, removes
 * its staging directory, frees the lock and returns undefined. The swap itself
 * is one step: it is never stopped half-way.
 */
export async function synthesizeCheckedUnlessStopped(
  outdir: string,
  build: (app: App) => readonly TerraformStack[],
  stopped: () => boolean,
  options: SynthesizeOptions = {},
): Promise<StackReport[] | undefined> {
  const steps = synthesisSteps(outdir, build, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await new Promise((resolve) => (step.value > 0 ? setTimeout(resolve, step.value) : setImmediate(resolve)));
    if (stopped()) {
      steps.return([]);
      return undefined;
    }
  }
}

/**
 * Has each stack's synthesizer tell `onProgress` when its stack is written: cdktf synthesizes them one by one in
 * `app.synth()`.
 */
function reportProgress(stacks: readonly TerraformStack[], onProgress: SynthesizeOptions['onProgress']): void {
  if (onProgress === undefined) return;
  let done = 0;
  for (const stack of stacks) {
    const synthesizer = stack.synthesizer;
    stack.synthesizer = {
      synthesize: (session) => {
        synthesizer.synthesize(session);
        onProgress((done += 1), stacks.length);
      },
    };
  }
}

/** A pause between two steps of a synth: 0 for a turn of the event loop, else milliseconds to wait for the lock. */
type Pause = number;

/** How often a waiting synth looks at the lock again. */
const LOCK_POLL_MS = 100;

/** The steps of a synth, as a generator that pauses between them; `return()` at a pause cleans up. */
function* synthesisSteps(
  outdir: string,
  build: (app: App) => readonly TerraformStack[],
  options: SynthesizeOptions,
): Generator<Pause, StackReport[], void> {
  yield 0;
  const target = resolveOutdir(outdir);
  const lock = yield* takeLock(target, outdir, options);
  let staging: string | undefined;
  try {
    onOutputDir(outdir, () => {
      recover(target);
      sweep(target);
    });
    checkReplaceable(target, outdir);
    yield 0;
    const inPlace = onOutputDir(outdir, () => isMountPoint(target));
    staging = onOutputDir(outdir, () => makeStaging(target, inPlace));
    const app = new App({ outdir: staging });
    const stacks = build(app);
    reportProgress(stacks, options.onProgress);
    yield 0;
    // cdktf writes each stack's files here: a full disk or a quota is the output directory's problem too.
    onOutputDir(outdir, () => app.synth());
    yield 0;
    const reports = checkWritten(staging, stacks);
    const written = staging;
    onOutputDir(outdir, () => fs.writeFileSync(path.join(written, GUARDRAILS_REPORT_FILE), formatReport(reports)));
    yield 0;
    const withState = removedStacksWithState(target, written);
    if (withState.length > 0) throw new LocalStateError(outdir, withState);
    const { removed, added } = stackChanges(target, written);
    if (removed.length > 0) options.onStacksRemoved?.(removed, added);
    onOutputDir(outdir, () => swapIn(target, written, inPlace));
    return reports;
  } finally {
    // A swap that failed after something moved in keeps the rest of the staged tree for the next run to complete.
    if (staging !== undefined && !fs.existsSync(journalPath(target)))
      fs.rmSync(staging, { recursive: true, force: true });
    lock.release();
  }
}

/**
 * The absolute output directory; where it points, if it is a symbolic link (the
 * link stays). Synth replaces the whole directory, so it refuses one that holds
 * the current directory (and, under the lock, one that holds files that are
 * not a synth's output: checkReplaceable).
 */
function resolveOutdir(outdir: string): string {
  const absolute = path.resolve(outdir);
  if (!fs.existsSync(absolute)) return absolute;
  if (!fs.statSync(absolute).isDirectory()) throw new OutputDirError(outdir, 'it is a file, not a directory');
  const target = fs.realpathSync(absolute);
  const fromHere = path.relative(target, fs.realpathSync(process.cwd()));
  if (!fromHere.startsWith('..') && !path.isAbsolute(fromHere))
    throw new OutputDirError(outdir, 'it holds the current directory, and synth replaces the whole output directory');
  return target;
}

/**
 * Refuses an output directory that holds files, but neither a manifest nor stacks: not a synth's output, which synth
 * would delete.
 */
function checkReplaceable(target: string, outdir: string): void {
  const entries = fs.existsSync(target) ? fs.readdirSync(target).filter((name) => !isSwapLeftover(name)) : [];
  if (entries.length > 0 && !entries.includes('manifest.json') && !entries.includes('stacks')) {
    throw new OutputDirError(
      outdir,
      `it holds files that are not a synth's output (no manifest.json or stacks/, but ` +
        `${entries.slice(0, 3).join(', ')}), and synth replaces the whole output directory`,
    );
  }
}

/** Takes the output directory's lock, pausing while another live process holds it. */
function* takeLock(target: string, outdir: string, options: SynthesizeOptions): Generator<Pause, OutputLock, void> {
  onOutputDir(outdir, () => fs.mkdirSync(path.dirname(target), { recursive: true }));
  for (let told = false; ; told = true) {
    const held = onOutputDir(outdir, () => tryLock(target));
    if (held instanceof OutputLock) return held;
    if (!told) {
      options.onWait?.(
        `Waiting for process ${held.pid} on ${held.host}, which is synthesizing into ${outdir} (if it is not ` +
          `running, delete its lock file ${lockPath(target)}).`,
      );
    }
    yield LOCK_POLL_MS;
  }
}

/** Checks each stack as synth wrote it into `staging`. */
function checkWritten(staging: string, stacks: readonly TerraformStack[]): StackReport[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(staging, 'manifest.json'), 'utf8'));
  const reports = checkApp(
    stacks.map((stack) => {
      const written = path.join(staging, manifest.stacks[stack.node.id].synthesizedStackPath);
      // `cdktf synth --hcl` writes HCL, which the guardrails cannot read: they check the stack as JSON instead.
      const json = written.endsWith('.json') ? JSON.parse(fs.readFileSync(written, 'utf8')) : stack.toTerraform();
      return { name: stack.node.id, json };
    }),
  );
  const findings = reports.flatMap((report) => report.findings);
  if (findings.length > 0) throw new GuardrailsError(findings);
  return reports;
}
