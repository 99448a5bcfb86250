import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { ConfigError, configPathFromEnvironment, loadConfigFile } from './config/load';
import { PipelinesConfig } from './config/schema';
import { CiPipelineStack, PropValidationError, skipTokenStackTraces, StateBootstrapStack } from './constructs';
import { checkStack, formatReport, GuardrailsError, StackReport } from './guardrails';
import { checkedByCaller } from './guardrails/security-checks';

/** The bootstrap stack's ID; pipeline stacks are `ci-<name>`, so they cannot collide with it. */
export const STATE_BOOTSTRAP_STACK_ID = 'state-bootstrap';

/** The guardrails report, written beside the stacks in the output directory. */
export const GUARDRAILS_REPORT_FILE = 'guardrails-report.md';

/** The stack ID of a pipeline. */
export const pipelineStackId = (pipelineName: string): string => `ci-${pipelineName}`;

/** The state object key of a pipeline's stack. */
export const pipelineStateKey = (config: PipelinesConfig, pipelineName: string): string =>
  `${config.state.keyPrefix}/${pipelineName}/terraform.tfstate`;

/** The stacks of a configuration. */
export interface ConfiguredStacks {
  /** The stack that creates the state bucket; undefined when the configuration uses an existing bucket (`state.create: false`). */
  readonly bootstrap?: StateBootstrapStack;
  /** One stack per pipeline, in the configuration's order. */
  readonly pipelines: readonly CiPipelineStack[];
  /** All of them, the bootstrap stack first. */
  readonly all: readonly TerraformStack[];
}

/** Adds the state bootstrap stack (unless the state bucket exists already) and one stack per pipeline to `app`. */
export function buildStacks(app: App, config: PipelinesConfig): ConfiguredStacks {
  const bootstrap =
    config.state.create === false
      ? undefined
      : new StateBootstrapStack(app, STATE_BOOTSTRAP_STACK_ID, {
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
  return { bootstrap, pipelines, all: [...(bootstrap === undefined ? [] : [bootstrap]), ...pipelines] };
}

/**
 * Synthesizes the stacks that `build` adds to an app into a staging directory,
 * checks each stack as written with every guardrail, and only then moves the
 * files into `outdir`. A finding, a prop error or a crash leaves `outdir` as it
 * was; files there that synth does not write (Terraform's `.terraform`
 * directories and lock files) stay. Checking the written files, rather than
 * resolving each stack once more before synth, saves a fifth of a fleet's synth.
 *
 * @returns one report per stack
 * @throws GuardrailsError listing every finding of every stack
 */
export function synthesizeChecked(outdir: string, build: (app: App) => readonly TerraformStack[]): StackReport[] {
  // Beside the output directory, so that moving the files is a rename on one file system.
  fs.mkdirSync(path.dirname(path.resolve(outdir)), { recursive: true });
  const staging = fs.mkdtempSync(`${path.resolve(outdir)}.staging-`);
  try {
    const app = new App({ outdir: staging });
    const stacks = build(app);
    checkedByCaller(stacks);
    app.synth();
    const manifest = JSON.parse(fs.readFileSync(path.join(staging, 'manifest.json'), 'utf8'));
    const reports = stacks.map((stack) => {
      const written = path.join(staging, manifest.stacks[stack.node.id].synthesizedStackPath);
      // `cdktf synth --hcl` writes HCL, which the guardrails cannot read: they check the stack as JSON instead.
      const json = written.endsWith('.json') ? JSON.parse(fs.readFileSync(written, 'utf8')) : stack.toTerraform();
      return checkStack(json, { stackName: stack.node.id });
    });
    const findings = reports.flatMap((report) => report.findings);
    if (findings.length > 0) throw new GuardrailsError(findings);
    moveFiles(staging, outdir);
    return reports;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** Moves every file under `from` to the same relative path under `to`, replacing files of the same name. */
function moveFiles(from: string, to: string): void {
  for (const relative of fs.readdirSync(from, { recursive: true, encoding: 'utf8' })) {
    const source = path.join(from, relative);
    if (!fs.statSync(source).isFile()) continue;
    const target = path.join(to, relative);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.renameSync(source, target);
  }
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
 * guardrail findings) is printed without a stack trace, returns 1 and leaves the
 * output directory as it was; anything else is a bug and is thrown.
 */
export function run(options: RunOptions = {}): number {
  const env = options.env ?? process.env;
  const stdout = options.stdout ?? ((text: string) => process.stdout.write(text));
  const stderr = options.stderr ?? ((text: string) => process.stderr.write(text));
  try {
    const config = loadConfigFile(configPathFromEnvironment(env));
    const outdir = env.CDKTF_OUTDIR ?? 'cdktf.out';
    const reports = synthesizeChecked(outdir, (app) => buildStacks(app, config).all);
    const reportPath = path.join(outdir, GUARDRAILS_REPORT_FILE);
    fs.writeFileSync(reportPath, formatReport(reports));
    const total = (count: (report: StackReport) => number) => reports.reduce((sum, report) => sum + count(report), 0);
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
  skipTokenStackTraces();
  process.exitCode = run();
}
