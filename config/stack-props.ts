/**
 * What each stack is given for a configuration: one mapping, used by the app
 * to build the stacks and by the schema to validate the configuration with the
 * stacks' own rules, so the two cannot drift apart.
 */
import { CiPipelineProps } from '../constructs/ci-pipeline/ci-pipeline-props';
import { InfrastructurePipelineStackProps } from '../stacks/infrastructure-pipeline-stack';
import { PermissionsBoundaryStackProps } from '../stacks/permissions-boundary-stack';
import { CiPipelineStackProps } from '../stacks/ci-pipeline-stack';
import { GitHubConnectionStackProps } from '../stacks/github-connection-stack';
import { RepositoryStackProps } from '../stacks/repository-stack';
import { RetiredPipelineStackProps } from '../stacks/retired-pipeline-stack';
import { stateKeyAlias, StateBootstrapStackProps } from '../stacks/state-bootstrap-stack';

/** The bootstrap stack's ID; pipeline stacks are `ci-<name>`, so they cannot collide with it. */
export const STATE_BOOTSTRAP_STACK_ID = 'state-bootstrap';

/** The ID of the stack of the connection the pipelines share; not `ci-…`, so no pipeline's stack can have it. */
export const GITHUB_CONNECTION_STACK_ID = 'github-connection';

/**
 * The shared connection's name when the configuration does not name it (at most 32 characters, as CodeConnections
 * allows).
 */
export const DEFAULT_CONNECTION_NAME = 'ci-pipelines-github';

/** The ID of the infrastructure pipeline's stack; not `ci-…` or `repo-…`, so no pipeline's stack can have it. */
export const INFRASTRUCTURE_PIPELINE_STACK_ID = 'infrastructure-pipeline';
/** The stack of the infrastructure pipeline's permissions boundary, which an administrator applies. */
export const PERMISSIONS_BOUNDARY_STACK_ID = 'infrastructure-pipeline-boundary';

/**
 * How the infrastructure pipeline's builds run `cdktf-ci-infrastructure` in the configuration's repository, which is
 * this project: its npm script (a package's own bins are not installed in its own node_modules).
 */
export const CONFIGURATION_REPOSITORY_COMMAND = 'npm run -s infrastructure --';

/** The stack ID of a pipeline, from its identity ({@link pipelineIdentity}). */
export const pipelineStackId = (identity: string): string => `ci-${identity}`;

/** The stack ID of the repository a pipeline creates, deployed before the pipeline's; not `ci-…` either. */
export const repositoryStackId = (identity: string): string => `repo-${identity}`;

/** A pipeline as the configuration holds it: its props, and the fields of the configuration's own. */
export type ConfiguredPipeline = CiPipelineProps & {
  /** Its stack identity, when it differs from its name (a renamed pipeline keeps its old one). */
  readonly id?: string;
  /** Whether its stack is kept only to destroy what the pipeline created. */
  readonly retired?: boolean;
};

/** What names a pipeline's stack and state key: its `id`, else its name. */
export const pipelineIdentity = (pipeline: ConfiguredPipeline): string => pipeline.id ?? pipeline.name;

/** The parts of a configuration that every stack shares. */
export interface SharedSettings {
  readonly region: string;
  readonly state: {
    readonly bucket: string;
    readonly region: string;
    readonly keyPrefix: string;
    readonly kmsKeyArn?: string;
    readonly s3ManagedEncryption?: boolean;
    readonly create?: boolean;
  };
  /** The connection that pipelines in connection mode share. */
  readonly connection?: {
    readonly name?: string;
    readonly create?: boolean;
  };
}

/** The configuration's `infrastructurePipeline` section. */
export interface InfrastructurePipelineSettings {
  readonly owner: string;
  readonly repository: string;
  readonly branch?: string;
  readonly connectionArn: string;
  readonly commentTokenSecretArn: string;
  readonly providerTokenSecretArns: { readonly plan: string; readonly apply: string };
  readonly terraform: { readonly version: string; readonly sha256: string };
  readonly statusContext?: string;
  readonly command?: string;
  readonly alwaysApprove?: boolean;
}

/**
 * The state object key of a stack: under the prefix, the region the stack deploys to, so that configurations for two
 * regions sharing a bucket and prefix keep their states apart (the same pipeline name, or the shared connection, in
 * each region would otherwise be one state file, and a plan in one region would destroy the other's resources).
 */
const stateKey = (settings: SharedSettings, stackName: string, file = PIPELINE_STATE_FILE): string =>
  `${settings.state.keyPrefix}/${settings.region}/${stackName}/${file}`;

/** The state object of a pipeline's stack, under its identity. */
const PIPELINE_STATE_FILE = 'terraform.tfstate';
/**
 * The state object of its repository's stack, beside it: shorter, so the pipeline's key, which is checked against S3's
 * limit at the field that makes it, is the longer of the two.
 */
const REPOSITORY_STATE_FILE = 'repo.tfstate';

/**
 * The bootstrap stack's props, or undefined when the configuration uses an existing state bucket (`state.create:
 * false`).
 */
export function bootstrapStackProps(settings: SharedSettings): StateBootstrapStackProps | undefined {
  return settings.state.create === false
    ? undefined
    : { bucketName: settings.state.bucket, region: settings.state.region };
}

/**
 * The key the pipeline stacks' backends name: the configured one, else, for a
 * bucket the bootstrap stack creates, that stack's key by its alias (known
 * before the bootstrap is applied, unlike the key's ARN). An existing bucket's
 * key must be configured, unless S3-managed keys are chosen explicitly.
 */
function stateKeyOf(settings: SharedSettings): string | undefined {
  if (settings.state.kmsKeyArn !== undefined || settings.state.s3ManagedEncryption === true)
    return settings.state.kmsKeyArn;
  // The configuration's validation calls this with values of any type; a bucket of the wrong type is reported at
  // `state.bucket`.
  return settings.state.create === false ? undefined : stateKeyAlias(String(settings.state.bucket));
}

/**
 * Whether a pipeline uses the connection the configuration shares: connection mode, naming no connection of its own.
 */
export const usesSharedConnection = (pipeline: CiPipelineProps): boolean =>
  pipeline.trigger === 'connection' &&
  pipeline.github?.connectionArn === undefined &&
  pipeline.github?.connectionName === undefined;

/** The name of the connection the pipelines share. */
export const sharedConnectionName = (settings: SharedSettings): string =>
  settings.connection?.name ?? DEFAULT_CONNECTION_NAME;

/** The state settings of a stack whose state object is `key` in the configuration's state bucket. */
function stateAt(settings: SharedSettings, key: string) {
  return {
    bucket: settings.state.bucket,
    region: settings.state.region,
    key,
    kmsKeyId: stateKeyOf(settings),
    s3ManagedEncryption: settings.state.s3ManagedEncryption,
  };
}

/**
 * The props of the stack of the shared connection, or undefined when no
 * pipeline uses it or the connection exists already (`connection.create: false`).
 * Its state key starts with "_", which no pipeline name can, so it never meets a pipeline's.
 */
export function connectionStackProps(
  settings: SharedSettings,
  pipelines: readonly ConfiguredPipeline[],
): GitHubConnectionStackProps | undefined {
  const live = pipelines.filter((pipeline) => pipeline.retired !== true);
  if (settings.connection?.create === false || !live.some(usesSharedConnection)) return undefined;
  return {
    connectionName: sharedConnectionName(settings),
    region: settings.region,
    state: stateAt(settings, stateKey(settings, `_${GITHUB_CONNECTION_STACK_ID}`)),
  };
}

/** A pipeline stack's props: the pipeline, with the shared connection where it uses one. */
export function pipelineStackProps(settings: SharedSettings, configured: ConfiguredPipeline): CiPipelineStackProps {
  const { id: _id, retired: _retired, ...pipeline } = configured;
  return {
    pipeline: usesSharedConnection(pipeline)
      ? { ...pipeline, github: { ...pipeline.github, connectionName: sharedConnectionName(settings) } }
      : pipeline,
    region: settings.region,
    state: stateAt(settings, stateKey(settings, pipelineIdentity(configured))),
  };
}

/** Whether a pipeline creates its repository, which then has a stack of its own ({@link repositoryStackProps}). */
export const createsRepository = (pipeline: CiPipelineProps): boolean => pipeline.github?.create !== false;

/** The props of the stack of the repository a pipeline creates. */
export function repositoryStackProps(settings: SharedSettings, configured: ConfiguredPipeline): RepositoryStackProps {
  return {
    githubOwner: configured.github.owner,
    state: stateAt(settings, stateKey(settings, pipelineIdentity(configured), REPOSITORY_STATE_FILE)),
  };
}

/**
 * A retired pipeline's repository stack props: its state, and the GitHub owner whose repository its provider archives
 * (`archive_on_destroy`).
 */
export const retiredRepositoryStackProps = (settings: SharedSettings, configured: ConfiguredPipeline) =>
  retiredStackProps(settings, configured, REPOSITORY_STATE_FILE);

/** A retired pipeline's stack props: where its state is, and what its providers need to destroy what it holds. */
export const retiredPipelineStackProps = (settings: SharedSettings, configured: ConfiguredPipeline) =>
  retiredStackProps(settings, configured, PIPELINE_STATE_FILE);

function retiredStackProps(
  settings: SharedSettings,
  configured: ConfiguredPipeline,
  stateFile: string,
): RetiredPipelineStackProps {
  return {
    pipelineName: configured.name,
    githubOwner: configured.github.owner,
    region: settings.region,
    state: stateAt(settings, stateKey(settings, pipelineIdentity(configured), stateFile)),
  };
}

/**
 * Where each prop of a stack comes from in the configuration, for reporting a
 * stack's problems at the field the user wrote. A prop mapped to `undefined`
 * is derived from fields that are checked where they are written (the state
 * key, from `state.keyPrefix`, the region and the pipeline's name).
 */
export const BOOTSTRAP_STACK_FIELDS: Readonly<Record<string, string | undefined>> = {
  bucketName: 'state.bucket',
  region: 'state.region',
};
const STATE_FIELDS: Readonly<Record<string, string | undefined>> = {
  'state.bucket': 'state.bucket',
  'state.region': 'state.region',
  'state.key': undefined,
  'state.kmsKeyId': 'state.kmsKeyArn',
  'state.s3ManagedEncryption': 'state.s3ManagedEncryption',
};
export const PIPELINE_STACK_FIELDS: Readonly<Record<string, string | undefined>> = {
  region: 'region',
  ...STATE_FIELDS,
};
export const CONNECTION_STACK_FIELDS: Readonly<Record<string, string | undefined>> = {
  connectionName: 'connection.name',
  region: 'region',
  ...STATE_FIELDS,
};

/**
 * The infrastructure pipeline's stack props: its state beside the others (its key starts with "_", which no pipeline
 * name can), and the prefix every planned stack's key is under. Its plans read no secret: the configuration refuses
 * webhook-mode pipelines beside it, whose state holds theirs.
 */
export function infrastructurePipelineStackProps(
  settings: SharedSettings,
  section: InfrastructurePipelineSettings,
): InfrastructurePipelineStackProps {
  return {
    region: settings.region,
    state: stateAt(settings, stateKey(settings, `_${INFRASTRUCTURE_PIPELINE_STACK_ID}`)),
    stateKeyPrefix: settings.state.keyPrefix,
    pipeline: {
      owner: section.owner,
      repositoryName: section.repository,
      branch: section.branch,
      connectionArn: section.connectionArn,
      commentTokenSecretArn: section.commentTokenSecretArn,
      providerTokenSecretArns: section.providerTokenSecretArns,
      terraform: section.terraform,
      statusContext: section.statusContext,
      command: section.command ?? CONFIGURATION_REPOSITORY_COMMAND,
      alwaysApprove: section.alwaysApprove,
      // Planned on every pull request and merge, applied by an administrator only.
      adminStacks: [PERMISSIONS_BOUNDARY_STACK_ID],
    },
  };
}

/** Where the permissions boundary stack's props come from in the configuration. */
export const PERMISSIONS_BOUNDARY_STACK_FIELDS: Readonly<Record<string, string | undefined>> = {
  region: 'region',
  ...STATE_FIELDS,
  // applyReadableSecrets is providerTokenSecretArns.apply, checked as the infrastructure pipeline's field.
};

/** The permissions boundary's stack props: its state beside the infrastructure pipeline's. */
export function permissionsBoundaryStackProps(
  settings: SharedSettings,
  section: InfrastructurePipelineSettings,
): PermissionsBoundaryStackProps {
  return {
    region: settings.region,
    state: stateAt(settings, stateKey(settings, `_${PERMISSIONS_BOUNDARY_STACK_ID}`)),
    // The apply build reads its GitHub token with its role: the one secret value the apply may read.
    applyReadableSecrets: [section.providerTokenSecretArns?.apply].filter((arn): arn is string => arn !== undefined),
  };
}

/** Where the infrastructure pipeline stack's props come from in the configuration. */
export const INFRASTRUCTURE_PIPELINE_STACK_FIELDS: Readonly<Record<string, string | undefined>> = {
  region: 'region',
  ...STATE_FIELDS,
  // Checked as the configuration's own `state.keyPrefix`.
  stateKeyPrefix: undefined,
  'pipeline.owner': 'infrastructurePipeline.owner',
  'pipeline.repositoryName': 'infrastructurePipeline.repository',
  'pipeline.branch': 'infrastructurePipeline.branch',
  'pipeline.connectionArn': 'infrastructurePipeline.connectionArn',
  'pipeline.commentTokenSecretArn': 'infrastructurePipeline.commentTokenSecretArn',
  'pipeline.providerTokenSecretArns.plan': 'infrastructurePipeline.providerTokenSecretArns.plan',
  'pipeline.providerTokenSecretArns.apply': 'infrastructurePipeline.providerTokenSecretArns.apply',
  'pipeline.terraform.version': 'infrastructurePipeline.terraform.version',
  'pipeline.terraform.sha256': 'infrastructurePipeline.terraform.sha256',
  'pipeline.statusContext': 'infrastructurePipeline.statusContext',
  'pipeline.command': 'infrastructurePipeline.command',
  'pipeline.alwaysApprove': 'infrastructurePipeline.alwaysApprove',
};
