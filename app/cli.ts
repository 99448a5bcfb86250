import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { ConfigError } from '../config/load';
import { PropValidationError } from '../constructs/core/validation';
import { formatReport, GuardrailsError, StackReport, SuppressionError } from '../guardrails';
import { OutputDirError, synthesizeChecked } from './synthesize';

/** The guardrails report, written beside the stacks in the output directory. */
export const GUARDRAILS_REPORT_FILE = 'guardrails-report.md';

/** Where a synth run reads its settings and writes its messages. */
export interface RunOptions {
  /**
   * The environment: `CDKTF_OUTDIR` selects the output directory (and the app's own settings, such as the configuration file).
   * @default process.env
   */
  readonly env?: NodeJS.ProcessEnv;
  /** @default process.stdout */
  readonly stdout?: (text: string) => void;
  /** @default process.stderr */
  readonly stderr?: (text: string) => void;
}

/** Whether an error is a mistake the user can fix (configuration, props, suppressions, guardrail findings) rather than a bug. */
const isUserError = (error: unknown) =>
  error instanceof ConfigError ||
  error instanceof PropValidationError ||
  error instanceof SuppressionError ||
  error instanceof GuardrailsError ||
  error instanceof OutputDirError;

/**
 * Why `cdktf synth --hcl` is refused: cdktf 0.21 writes HCL that Terraform
 * cannot parse for these stacks (`npm run validate` found it).
 */
export const HCL_REFUSED =
  'cdktf synth --hcl is not supported: cdktf 0.21 writes HCL that Terraform cannot parse for these stacks ' +
  '(the terraform block\'s required_version override becomes `0 = "required_version"`, and quotes inside output values are not escaped). ' +
  'Run `cdktf synth` or `npm run synth` without --hcl: Terraform reads the JSON they write (cdk.tf.json) as it is.';

/** Adds an app's stacks to it. */
export type StackBuilder = (app: App) => readonly TerraformStack[];

/**
 * Synthesizes an app's stacks, as `npm run synth` does, writes the guardrails
 * report, and returns the exit code. `prepare` reads the app's inputs (its
 * configuration) before anything is written, and returns what adds the stacks.
 * A mistake the user can make is printed without a stack trace, returns 1 and
 * leaves the output directory as it was; anything else is a bug and is thrown.
 */
export function runSynth(prepare: () => StackBuilder, options: RunOptions = {}): number {
  const env = options.env ?? process.env;
  const stdout = options.stdout ?? ((text: string) => process.stdout.write(text));
  const stderr = options.stderr ?? ((text: string) => process.stderr.write(text));
  if (env.SYNTH_HCL_OUTPUT === 'true') {
    stderr(`${HCL_REFUSED}\n`);
    return 1;
  }
  try {
    const outdir = env.CDKTF_OUTDIR ?? 'cdktf.out';
    if (outdir.trim() === '') throw new OutputDirError(JSON.stringify(outdir), 'CDKTF_OUTDIR is set but empty, which would write the stacks into the current directory');
    const build = prepare();
    const reports = synthesizeChecked(outdir, build);
    const reportPath = path.join(outdir, GUARDRAILS_REPORT_FILE);
    fs.writeFileSync(reportPath, formatReport(reports));
    const total = (count: (report: StackReport) => number) => reports.reduce((sum, report) => sum + count(report), 0);
    stdout(
      `Guardrails: ${reports.length} stacks, ${total((report) => report.checks)} checks, no findings, ` +
        `${total((report) => report.suppressed.length)} suppressed with reasons (${reportPath})\n`,
    );
    return 0;
  } catch (error) {
    if (!isUserError(error)) throw error;
    stderr(`${(error as Error).message}\n`);
    return 1;
  }
}
