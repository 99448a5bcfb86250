import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'cdktf';
import { ConfigError, configPathFromEnvironment, loadConfigFile } from './config/load';
import { PipelinesConfig } from './config/schema';
import { CiPipelineStack, PropValidationError, StateBootstrapStack } from './constructs';
import { checkStacks, formatReport, GuardrailsError } from './guardrails';

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

function main(): void {
  // Validate everything before `new App()`, which creates the output directory:
  // a bad configuration must leave nothing behind.
  const config = loadConfigFile(configPathFromEnvironment());
  const app = new App();
  const { bootstrap, pipelines } = buildStacks(app, config);
  // Check every stack before writing any, so a finding leaves no stack half-synthesized.
  const reports = checkStacks([bootstrap, ...pipelines]);
  const findings = reports.flatMap((report) => report.findings);
  if (findings.length > 0) throw new GuardrailsError(findings);
  app.synth();
  const reportPath = path.join(app.outdir, GUARDRAILS_REPORT_FILE);
  fs.writeFileSync(reportPath, formatReport(reports));
  const count = (key: 'checks' | 'suppressed') => reports.reduce((sum, report) => sum + (key === 'checks' ? report.checks : report.suppressed.length), 0);
  process.stdout.write(`Guardrails: ${reports.length} stacks, ${count('checks')} checks, no findings, ${count('suppressed')} suppressed with reasons (${reportPath})\n`);
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    if (error instanceof ConfigError || error instanceof PropValidationError || error instanceof GuardrailsError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
