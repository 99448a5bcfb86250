import { constants } from 'node:os';
import * as path from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { ConfigError } from '../config/load';
import { PropValidationError } from '../constructs/core/validation';
import { GuardrailsError, StackReport, summaryLine, SuppressionError } from '../guardrails';
import {
  GUARDRAILS_REPORT_FILE,
  LocalStateError,
  OutputDirError,
  synthesizeChecked,
  synthesizeCheckedUnlessStopped,
  SynthesizeOptions,
} from './synthesize';

export { GUARDRAILS_REPORT_FILE } from './synthesize';

/** Where a synth run reads its settings and writes its messages. */
export interface RunOptions {
  /**
   * The environment: `CDKTF_OUTDIR` selects the output directory (and the app's own settings, such as the configuration
   * file).
   * @default process.env
   */
  readonly env?: NodeJS.ProcessEnv;
  /** @default process.stdout */
  readonly stdout?: (text: string) => void;
  /** @default process.stderr */
  readonly stderr?: (text: string) => void;
  /**
   * Show progress (stacks synthesized of all) on `stderr`, rewriting one line: for a terminal.
   * Otherwise the summary line alone tells the outcome.
   * @default - when `stderr` is the process's and a terminal
   */
  readonly progress?: boolean;
}

/**
 * Whether an error is a mistake the user can fix (configuration, props, suppressions, guardrail findings) rather than a
 * bug.
 */
const isUserError = (error: unknown) =>
  error instanceof ConfigError ||
  error instanceof PropValidationError ||
  error instanceof SuppressionError ||
  error instanceof GuardrailsError ||
  error instanceof OutputDirError ||
  error instanceof LocalStateError;

/**
 * Why `cdktf synth --hcl` is refused: cdktf 0.21 writes HCL that Terraform
 * cannot parse for these stacks (`npm run validate` found it).
 */
export const HCL_REFUSED =
  'cdktf synth --hcl is not supported: cdktf 0.21 writes HCL that Terraform cannot parse for these stacks ' +
  '(the terraform block\'s required_version override becomes `0 = "required_version"`, and quotes inside output ' +
  'values are not escaped). ' +
  'Run `cdktf synth` or `npm run synth` without --hcl: Terraform reads the JSON they write (cdk.tf.json) as it is.';

/**
 * What a synth says of the stacks the last one wrote and this one does not: what they deployed keeps running, and how
 * to rename a pipeline without losing its state, or to destroy one (docs/deploying.md).
 */
export function removedStacksWarning(removed: readonly string[], added: readonly string[]): string {
  const pipelines = removed.filter((stack) => stack.startsWith('ci-'));
  const lines = [
    `Warning: the last synth wrote stack${removed.length === 1 ? '' : 's'} ${removed.join(', ')}, which this one ` +
      `does not. What ${removed.length === 1 ? 'it' : 'they'} deployed keeps running, and no deploy will touch ` +
      `${removed.length === 1 ? 'it' : 'them'} again.`,
  ];
  if (pipelines.length > 0) {
    const renamedTo = added.filter((stack) => stack.startsWith('ci-'));
    const example = pipelines[0].slice('ci-'.length);
    lines.push(
      `  - A renamed pipeline keeps its stack and state with its old name as its id ("id": "${example}")` +
        (renamedTo.length > 0 ? `; this synth adds ${renamedTo.join(', ')}.` : '.'),
      `  - To destroy a pipeline, keep its entry with "retired": true, deploy its stack, then remove the entry.`,
      '  - A pipeline destroyed already needs nothing more.',
    );
  }
  lines.push('  See docs/deploying.md, "Renaming or removing a pipeline".');
  return `${lines.join('\n')}\n`;
}

/** Adds an app's stacks to it. */
export type StackBuilder = (app: App) => readonly TerraformStack[];

/**
 * Synthesizes an app's stacks, as `npm run synth` does, with the guardrails
 * report, and returns the exit code. `prepare` reads the app's inputs (its
 * configuration) before anything is written, and returns what adds the stacks.
 * A mistake the user can make is printed without a stack trace, returns 1 and
 * leaves the output directory as it was; anything else is a bug and is thrown.
 */
export function runSynth(prepare: () => StackBuilder, options: RunOptions = {}): number {
  const run = start(options);
  if (typeof run === 'number') return run;
  try {
    const { outdir, build } = run.prepared(prepare);
    run.summarize(outdir, synthesizeChecked(outdir, build, run.synthesizeOptions));
    return 0;
  } catch (error) {
    return run.userError(error);
  }
}

/** The signals that stop a synth cleanly: Ctrl-C, `kill`, a closed terminal. */
export const STOPPING_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * `runSynth` for the command line: on SIGINT, SIGTERM or SIGHUP it stops at
 * the next step, removes its staging directory, frees the output directory's
 * lock, and returns the shell's code for death by that signal (128 + its
 * number: 130 for SIGINT, 143 for SIGTERM). The swap into the output directory
 * is never cut in two; a signal during it takes effect after.
 */
export async function runSynthUnlessSignalled(prepare: () => StackBuilder, options: RunOptions = {}): Promise<number> {
  const run = start(options);
  if (typeof run === 'number') return run;
  let received: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    received ??= signal;
  };
  for (const signal of STOPPING_SIGNALS) process.on(signal, onSignal);
  try {
    const { outdir, build } = run.prepared(prepare);
    const reports = await synthesizeCheckedUnlessStopped(
      outdir,
      build,
      () => received !== undefined,
      run.synthesizeOptions,
    );
    await new Promise(setImmediate); // a signal that came during the swap
    if (received !== undefined) {
      run.stderr(
        `Stopped by ${received}: ` +
          `${reports === undefined ? `${outdir} is as it was` : `${outdir} was written whole first`}.\n`,
      );
      return 128 + constants.signals[received];
    }
    run.summarize(outdir, reports!);
    return 0;
  } catch (error) {
    return run.userError(error);
  } finally {
    for (const signal of STOPPING_SIGNALS) process.off(signal, onSignal);
  }
}

/** What both ways of running share: streams, the output directory, messages; or the exit code of a refused run. */
function start(options: RunOptions) {
  const env = options.env ?? process.env;
  const stdout = options.stdout ?? ((text: string) => process.stdout.write(text));
  const stderr = options.stderr ?? ((text: string) => process.stderr.write(text));
  if (env.SYNTH_HCL_OUTPUT === 'true') {
    stderr(`${HCL_REFUSED}\n`);
    return 1;
  }
  const progress = options.progress ?? (options.stderr === undefined && process.stderr.isTTY === true);
  const synthesizeOptions: SynthesizeOptions = {
    onWait: (message) => stderr(`${message}\n`),
    onStacksRemoved: (removed, added) => stderr(removedStacksWarning(removed, added)),
    // "\r" rewrites the line; "\x1b[K" clears what a longer line left; the last report clears the line for the summary.
    onProgress: progress
      ? (done, total) => stderr(done < total ? `\rSynthesizing stacks: ${done} of ${total}\x1b[K` : '\r\x1b[K')
      : undefined,
  };
  return {
    stderr,
    synthesizeOptions,
    prepared(prepare: () => StackBuilder) {
      const outdir = env.CDKTF_OUTDIR ?? 'cdktf.out';
      if (outdir.trim() === '')
        throw new OutputDirError(
          JSON.stringify(outdir),
          'CDKTF_OUTDIR is set but empty, which would write the stacks into the current directory',
        );
      return { outdir, build: prepare() };
    },
    summarize(outdir: string, reports: readonly StackReport[]) {
      stdout(`${summaryLine(reports)} (${path.join(outdir, GUARDRAILS_REPORT_FILE)})\n`);
    },
    userError(error: unknown): number {
      if (!isUserError(error)) throw error;
      stderr(`${(error as Error).message}\n`);
      return 1;
    },
  };
}
