import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'cdktf';
import { ConfigError, configPathFromEnvironment, loadConfigFile } from './config/load';
import { PipelinesConfig } from './config/schema';
import { CiPipelineStack, PropValidationError, StateBootstrapStack } from './constructs';
import { formatReport, GuardrailsError } from './guardrails';
import { checkStacksBeforeSynth } from './guardrails/security-checks';

/** The bootstrap stack's ID; pipeline stacks are `ci-<name>`, so they cannot collide with it. */
export const STATE_BOOTSTRAP_STACK_ID = 'state-bootstrap';

/** The guardrails report, written beside the stacks in the output directory. */
export const GUARDRAILS_REPORT_FILE = 'guardrails-report.md';

/** The stack ID of a pipeline. */
export const pipelineStackId = (pipelineName: string): string => `ci-${pipelineName}`;

/** The state object key of a pipeline's stack. */
export const pipelineStateKey = (config: PipelinesConfig, pipelineName: string): string =>
  `${config.state.keyPrefix}/${pipelineName}/terraform.tfstate`;

/** Adds the state bootstrap stack and one stack per pipeline to `app`. */
export function buildStacks(app: App, config: PipelinesConfig): { bootstrap: StateBootstrapStack; pipelines: CiPipelineStack[] } {
  const bootstrap = new StateBootstrapStack(app, STATE_BOOTSTRAP_STACK_ID, {
    bucketName: config.state.bucket,
    region: config.state.region,
  });
  const pipelines = config.pipelines.map(
    (pipeline) =>
      new CiPipelineStack(app, pipelineStackId(pipeline.name), {
        pipeline,
        region: config.region,
        state: {
          bucket: config.state.bucket,
          region: config.state.region,
          key: pipelineStateKey(config, pipeline.name),
          kmsKeyArn: config.state.kmsKeyArn,
        },
      }),
  );
  return { bootstrap, pipelines };
}

/** Where `run` reads its settings and writes its messages. */
export interface RunOptions {
  /**
   * The environment: `CI_PIPELINES_CONFIG` selects the configuration, `CDKTF_OUTDIR` the output directory.
   * @default process.env
   */
  readonly env?: NodeJS.ProcessEnv;
  /** @default process.stdout */
  readonly stdout?: (text: string) => void;
  /** @default process.stderr */
  readonly stderr?: (text: string) => void;
}

/**
 * Synthesizes every stack of the configuration, as `npm run synth` does, and
 * returns the exit code. A mistake the user can make (configuration, props,
 * guardrail findings) is printed without a stack trace, returns 1 and leaves no
 * stack written; anything else is a bug and is thrown.
 */
export function run(options: RunOptions = {}): number {
  const env = options.env ?? process.env;
  const stdout = options.stdout ?? ((text: string) => process.stdout.write(text));
  const stderr = options.stderr ?? ((text: string) => process.stderr.write(text));
  try {
    // Validate everything before `new App()`, which creates the output directory:
    // a bad configuration must leave nothing behind.
    const config = loadConfigFile(configPathFromEnvironment(env));
    const app = new App({ outdir: env.CDKTF_OUTDIR });
    const { bootstrap, pipelines } = buildStacks(app, config);
    // Check every stack before writing any, so a finding leaves no stack half-synthesized.
    const reports = checkStacksBeforeSynth([bootstrap, ...pipelines]);
    const findings = reports.flatMap((report) => report.findings);
    if (findings.length > 0) throw new GuardrailsError(findings);
    app.synth();
    const reportPath = path.join(app.outdir, GUARDRAILS_REPORT_FILE);
    fs.writeFileSync(reportPath, formatReport(reports));
    const total = (count: (report: (typeof reports)[number]) => number) => reports.reduce((sum, report) => sum + count(report), 0);
    stdout(
      `Guardrails: ${reports.length} stacks, ${total((report) => report.checks)} checks, no findings, ` +
        `${total((report) => report.suppressed.length)} suppressed with reasons (${reportPath})\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof ConfigError || error instanceof PropValidationError || error instanceof GuardrailsError) {
      stderr(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

if (require.main === module) {
  // tsx turns source maps on, and cdktf captures a stack trace for every token it
  // creates: mapping each one is a fifth of a fleet's synth. Stack traces are
  // formatted when first read, so turning maps back on before an unexpected
  // error is reported still shows TypeScript lines.
  process.setSourceMapsEnabled(false);
  try {
    process.exitCode = run();
  } catch (error) {
    process.setSourceMapsEnabled(true);
    throw error;
  }
}
