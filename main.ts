/**
 * The app: reads the configuration and composes its stacks. `npm run synth`
 * runs this file; synthesizing, checking and reporting are `app/`'s.
 */
import { App, Aspects, TerraformStack } from 'cdktf';
import { runSynth, runSynthUnlessSignalled, RunOptions, StackBuilder } from './app/cli';
import { SpeedupsSwitchError, useSpeedups } from './app/speedups';
import { configPathFromEnvironment, loadConfigFile } from './config/load';
import { PipelinesConfig } from './config/schema';
import {
  bootstrapStackProps,
  ConfiguredPipeline,
  connectionStackProps,
  createsRepository,
  GITHUB_CONNECTION_STACK_ID,
  INFRASTRUCTURE_PIPELINE_STACK_ID,
  infrastructurePipelineStackProps,
  PERMISSIONS_BOUNDARY_STACK_ID,
  permissionsBoundaryStackProps,
  pipelineIdentity,
  pipelineStackId,
  pipelineStackProps,
  repositoryStackId,
  repositoryStackProps,
  retiredPipelineStackProps,
  retiredRepositoryStackProps,
  STATE_BOOTSTRAP_STACK_ID,
  usesSharedConnection,
} from './config/stack-props';
import { CiPipelineStack } from './stacks/ci-pipeline-stack';
import { GitHubConnectionStack } from './stacks/github-connection-stack';
import { InfrastructurePipelineStack } from './stacks/infrastructure-pipeline-stack';
import { PermissionsBoundaryStack } from './stacks/permissions-boundary-stack';
import { PermissionsBoundaryAspect } from './constructs/infrastructure-pipeline/permissions-boundary';
import { INFRASTRUCTURE_PIPELINE_DEFAULTS } from './constructs/infrastructure-pipeline/infrastructure-pipeline';
import { RepositoryStack } from './stacks/repository-stack';
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
  /**
   * The stack of each repository a pipeline creates (`github.create`, the default), deployed before the pipeline's.
   */
  readonly repositories: readonly RepositoryStack[];
  /** One stack per pipeline, in the configuration's order (a retired pipeline's has no pipeline: see `retired`). */
  readonly pipelines: readonly CiPipelineStack[];
  /**
   * The stacks of retired pipelines, and of the repositories they created: their state and providers, so that a deploy
   * destroys what they created.
   */
  readonly retired: readonly RetiredPipelineStack[];
  /** The infrastructure pipeline's stack, with the configuration's `infrastructurePipeline` section. */
  readonly infrastructurePipeline?: InfrastructurePipelineStack;
  /** The infrastructure pipeline's permissions boundary, which an administrator deploys. */
  readonly permissionsBoundary?: PermissionsBoundaryStack;
  /**
   * All of them: the bootstrap stack, the connection's, the infrastructure pipeline's, then each pipeline's repository
   * and pipeline.
   */
  readonly all: readonly TerraformStack[];
}

/**
 * Adds the state bootstrap stack (unless the state bucket exists already), the
 * stack of the connection the pipelines share (when one is to be created), and
 * one stack per pipeline to `app`, after the stack of the repository it creates.
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
  const permissionsBoundary =
    config.infrastructurePipeline === undefined
      ? undefined
      : new PermissionsBoundaryStack(app, PERMISSIONS_BOUNDARY_STACK_ID, {
          ...permissionsBoundaryStackProps(config, config.infrastructurePipeline),
          ...options,
        });
  const infrastructurePipeline =
    config.infrastructurePipeline === undefined
      ? undefined
      : new InfrastructurePipelineStack(app, INFRASTRUCTURE_PIPELINE_STACK_ID, {
          ...infrastructurePipelineStackProps(config, config.infrastructurePipeline),
          ...options,
        });
  if (permissionsBoundary !== undefined) infrastructurePipeline!.addDependency(permissionsBoundary);
  const pipelines: CiPipelineStack[] = [];
  const retired: RetiredPipelineStack[] = [];
  const repositories: RepositoryStack[] = [];
  const pipelineStacks = config.pipelines.flatMap((pipeline): TerraformStack[] => {
    if (pipeline.retired === true) {
      const stacks = retiredPipelineStacks(app, config, pipeline);
      retired.push(...stacks);
      return stacks;
    }
    const { repository, stack } = livePipelineStacks(app, config, pipeline, options);
    // `cdktf deploy` creates the connection before the pipelines that look it up.
    if (connection !== undefined && usesSharedConnection(pipeline)) stack.addDependency(connection);
    if (permissionsBoundary !== undefined) boundRoles(stack, permissionsBoundary);
    pipelines.push(stack);
    repositories.push(...(repository === undefined ? [] : [repository]));
    return [...(repository === undefined ? [] : [repository]), stack];
  });
  return {
    bootstrap,
    connection,
    permissionsBoundary,
    infrastructurePipeline,
    repositories,
    pipelines,
    retired,
    all: [
      ...(bootstrap === undefined ? [] : [bootstrap]),
      ...(connection === undefined ? [] : [connection]),
      ...(permissionsBoundary === undefined ? [] : [permissionsBoundary]),
      ...(infrastructurePipeline === undefined ? [] : [infrastructurePipeline]),
      ...pipelineStacks,
    ],
  };
}

/**
 * Gives the stack's roles the infrastructure pipeline's permissions boundary, which its apply may create and change
 * roles with only, and orders the stack after the boundary's, so that `cdktf deploy` creates the boundary first.
 */
function boundRoles(stack: TerraformStack, boundary: PermissionsBoundaryStack): void {
  Aspects.of(stack).add(new PermissionsBoundaryAspect(INFRASTRUCTURE_PIPELINE_DEFAULTS.name));
  stack.addDependency(boundary);
}

/** A pipeline's stack, after the stack of the repository it creates, so that a token or an app can be given it. */
function livePipelineStacks(
  app: App,
  config: PipelinesConfig,
  pipeline: ConfiguredPipeline,
  options: GuardrailsProps,
): { readonly repository?: RepositoryStack; readonly stack: CiPipelineStack } {
  const identity = pipelineIdentity(pipeline);
  const repository = createsRepository(pipeline)
    ? new RepositoryStack(app, repositoryStackId(identity), { ...repositoryStackProps(config, pipeline), ...options })
    : undefined;
  const stack = new CiPipelineStack(app, pipelineStackId(identity), {
    ...pipelineStackProps(config, pipeline),
    ...options,
    repositoryStack: repository,
  });
  return { repository, stack };
}

/** A retired pipeline's stacks: its pipeline's, then its repository's, which the pipeline's holds a webhook on. */
function retiredPipelineStacks(
  app: App,
  config: PipelinesConfig,
  pipeline: ConfiguredPipeline,
): RetiredPipelineStack[] {
  const identity = pipelineIdentity(pipeline);
  const stack = new RetiredPipelineStack(app, pipelineStackId(identity), retiredPipelineStackProps(config, pipeline));
  if (!createsRepository(pipeline)) return [stack];
  const repository = new RetiredPipelineStack(
    app,
    repositoryStackId(identity),
    retiredRepositoryStackProps(config, pipeline),
  );
  repository.addDependency(stack);
  return [stack, repository];
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
