/**
 * The app: reads the configuration and composes its stacks. `npm run synth`
 * runs this file; synthesizing, checking and reporting are `app/`'s.
 */
import { App, TerraformStack } from 'cdktf';
import { runSynth, runSynthUnlessSignalled, RunOptions, StackBuilder } from './app/cli';
import { SpeedupsSwitchError, useSpeedups } from './app/speedups';
import { configPathFromEnvironment, loadConfigFile } from './config/load';
import { PipelinesConfig } from './config/schema';
import {
  bootstrapStackProps,
  connectionStackProps,
  GITHUB_CONNECTION_STACK_ID,
  pipelineIdentity,
  pipelineStackId,
  pipelineStackProps,
  retiredPipelineStackProps,
  STATE_BOOTSTRAP_STACK_ID,
  usesSharedConnection,
} from './config/stack-props';
import { CiPipelineStack } from './stacks/ci-pipeline-stack';
import { GitHubConnectionStack } from './stacks/github-connection-stack';
import { RetiredPipelineStack } from './stacks/retired-pipeline-stack';
import { GuardrailsProps } from './stacks/security-checks';
import { StateBootstrapStack } from './stacks/state-bootstrap-stack';

/** The stacks of a configuration. */
export interface ConfiguredStacks {
  /**
   * The stack that creates the state bucket; undefined when the configuration uses an existing bucket (`state.create:
   * false`).
   */
  readonly bootstrap?: StateBootstrapStack;
  /**
   * The connection the pipelines share; undefined when none uses one, or it exists already (`connection.create:
   * false`).
   */
  readonly connection?: GitHubConnectionStack;
  /** One stack per pipeline, in the configuration's order (a retired pipeline's has no pipeline: see `retired`). */
  readonly pipelines: readonly CiPipelineStack[];
  /** The stacks of retired pipelines: their state and providers, so that a deploy destroys what they created. */
  readonly retired: readonly RetiredPipelineStack[];
  /** All of them: the bootstrap stack, the connection's, then the pipelines'. */
  readonly all: readonly TerraformStack[];
}

/**
 * Adds the state bootstrap stack (unless the state bucket exists already), the
 * stack of the connection the pipelines share (when one is to be created), and
 * one stack per pipeline to `app`.
 */
export function buildStacks(app: App, config: PipelinesConfig, options: GuardrailsProps = {}): ConfiguredStacks {
  const bootstrapProps = bootstrapStackProps(config);
  const bootstrap =
    bootstrapProps === undefined
      ? undefined
      : new StateBootstrapStack(app, STATE_BOOTSTRAP_STACK_ID, { ...bootstrapProps, ...options });
  const connectionProps = connectionStackProps(config, config.pipelines);
  const connection =
    connectionProps === undefined
      ? undefined
      : new GitHubConnectionStack(app, GITHUB_CONNECTION_STACK_ID, { ...connectionProps, ...options });
  const pipelines: CiPipelineStack[] = [];
  const retired: RetiredPipelineStack[] = [];
  const pipelineStacks = config.pipelines.map((pipeline) => {
    const id = pipelineStackId(pipelineIdentity(pipeline));
    if (pipeline.retired === true) {
      const stack = new RetiredPipelineStack(app, id, retiredPipelineStackProps(config, pipeline));
      retired.push(stack);
      return stack;
    }
    const stack = new CiPipelineStack(app, id, { ...pipelineStackProps(config, pipeline), ...options });
    // `cdktf deploy` creates the connection before the pipelines that look it up.
    if (connection !== undefined && usesSharedConnection(pipeline)) stack.addDependency(connection);
    pipelines.push(stack);
    return stack;
  });
  return {
    bootstrap,
    connection,
    pipelines,
    retired,
    all: [
      ...(bootstrap === undefined ? [] : [bootstrap]),
      ...(connection === undefined ? [] : [connection]),
      ...pipelineStacks,
    ],
  };
}

/**
 * Synthesizes every stack of the configuration (`CI_PIPELINES_CONFIG`, else
 * `config/pipelines.json`) into `CDKTF_OUTDIR` (else `cdktf.out`), and returns
 * the exit code: 0, or 1 for a mistake the user can fix, printed without a trace.
 */
export function run(options: RunOptions = {}): number {
  return runSynth(configured(options), options);
}

/** Reads the configuration, and returns what adds its stacks to an app. */
const configured = (options: RunOptions) => (): StackBuilder => {
  const config = loadConfigFile(configPathFromEnvironment(options.env ?? process.env));
  // The stacks add no guardrails of their own: runSynth checks the JSON it writes, once, and writes the report.
  return (app) => buildStacks(app, config, { securityChecks: false }).all;
};

/**
 * The command: `npm run synth` and `cdktf synth` (through `app/launch.cjs`). A signal stops it cleanly (app/cli.ts).
 */
export function main(): void {
  try {
    useSpeedups();
  } catch (error) {
    if (!(error instanceof SpeedupsSwitchError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
    return;
  }
  void runSynthUnlessSignalled(configured({})).then((code) => {
    process.exitCode = code;
  });
}

if (require.main === module) main();
