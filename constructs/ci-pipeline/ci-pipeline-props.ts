import { buildLogGroupName, buildReportGroupName, buildRoleName, BuildSettings, validateBuildSettings } from '../aws/build-project';
import { pipelineRoleName } from '../aws/pipeline';
import { ARTIFACT_FOLDER_NAME_LENGTH, pipelineArtifactPrefix } from '../../iam/artifact-store';
import {
  checkBranchName,
  checkConnectionArn,
  checkConnectionName,
  checkDockerHubRepository,
  checkGitHubOwner,
  checkGitHubRepository,
  checkEcrRepositoryName,
  checkIntegerBetween,
  checkKmsKeyArn,
  checkOneOf,
  checkPipelineName,
  checkRelativePath,
  checkS3BucketName,
  checkS3BucketPrefix,
  checkSecretId,
} from '../core/checks';
import { checkDerivedName, checkOptionalProp, checkProp, crossPropProblem, nestedProblems, PropProblem } from '../core/validation';
import { triggerBranchProblems } from '../github/github-connection-source';
import { pipelineWebhookName } from '../github/github-webhook-source';
import { RepositorySettings, validateRepositorySettings } from '../github/source-repository';

/** How a push to GitHub starts the pipeline. */
export type TriggerMode = 'webhook' | 'connection';
export const TRIGGER_MODES: readonly TriggerMode[] = ['webhook', 'connection'];

/** Where the image is pushed. */
export type RegistryType = 'dockerhub' | 'ecr';
export const REGISTRY_TYPES: readonly RegistryType[] = ['dockerhub', 'ecr'];

/**
 * The GitHub side of the pipeline. The settings of a created repository
 * ({@link RepositorySettings}) apply with `create` true, the default.
 */
export interface GitHubSettings extends RepositorySettings {
  /** The user or organization that owns the repository. */
  readonly owner: string;
  /** The repository's name. */
  readonly repository: string;
  /**
   * The branch that is built (and protected, when the repository is created).
   * @default "main"
   */
  readonly branch?: string;
  /**
   * Webhook trigger only: Secrets Manager secret (name or ARN) holding the GitHub token CodePipeline uses.
   * @default "github/codepipeline-oauth-token"
   */
  readonly oauthTokenSecret?: string;
  /**
   * Webhook trigger only: Secrets Manager secret (name or ARN) holding the webhook's HMAC secret.
   * @default - generated once, alphanumeric, kept in state
   */
  readonly webhookSecret?: string;
  /**
   * Connection trigger only: ARN of an existing, approved connection.
   * @default - a connection named after the pipeline is created
   */
  readonly connectionArn?: string;
  /**
   * Connection trigger only: the name of an existing connection in the
   * pipeline's account and region, looked up when Terraform plans; the one
   * connection a fleet shares (the configuration's `connection`).
   * @default - a connection named after the pipeline is created
   */
  readonly connectionName?: string;
}

/** The image registry. */
export interface RegistrySettings {
  /** `dockerhub` or `ecr`. */
  readonly type: RegistryType;
  /** The image repository: `namespace/name` on Docker Hub, the repository name on ECR. */
  readonly image: string;
  /**
   * ECR only: also log in to Docker Hub with stored credentials, so base-image pulls are not rate-limited.
   * Always true for `dockerhub`, where it may only be left out or set to true.
   * @default false
   */
  readonly dockerHubCredentials?: boolean;
}

export interface CiPipelineProps {
  /** The pipeline's short name (2-32 lowercase letters, digits, hyphens); it names every resource. */
  readonly name: string;
  /** The GitHub repository and branch. */
  readonly github: GitHubSettings;
  /**
   * How a push starts the pipeline.
   * @default "webhook"
   */
  readonly trigger?: TriggerMode;
  /** Where the image goes. */
  readonly registry: RegistrySettings;
  /**
   * Build settings.
   * @default - see {@link BuildSettings}
   */
  readonly build?: BuildSettings;
  /**
   * The app's directory in the repository, holding its `buildspec.yml` and `Dockerfile`.
   * @default "."
   */
  readonly appPath?: string;
  /**
   * Days pipeline artifacts are kept in the artifact bucket (1-3650). Only for a created
   * bucket: an existing bucket's lifecycle is its owner's.
   * @default 30
   */
  readonly artifactRetentionDays?: number;
  /**
   * ARN of an existing customer-managed KMS key, in the pipeline's region, to encrypt
   * artifacts, logs, secrets and images with instead of creating a key. Its key policy
   * must let the account's IAM policies grant its use and let CloudWatch Logs use it
   * (see {@link EncryptionKey.fromKeyArn}).
   * @default - a key with alias `ci/<name>` is created
   */
  readonly encryptionKeyArn?: string;
  /**
   * Name of an existing S3 bucket, in the pipeline's region and account, to keep the
   * pipeline's artifacts in instead of creating a bucket. CodePipeline writes under a
   * prefix named after the pipeline, so pipelines can share one bucket.
   * @default - a hardened bucket named `<name>-artifacts-<suffix>` is created
   */
  readonly artifactBucketName?: string;
}

/** The secret of the Docker Hub credentials of a pipeline. */
export const credentialsSecretName = (name: string) => `ci/${name}/dockerhub`;
/** The alias of a pipeline's created key, without `alias/`. */
export const keyAliasName = (name: string) => `ci/${name}`;
/** The prefix Terraform makes the name of a created artifact bucket from (37 characters at most). */
export const artifactBucketPrefix = (name: string) => `${name}-artifacts-`.slice(0, 37);

/**
 * Every problem with a pipeline's props, each value's rule and the rules
 * across values. {@link CiPipeline} throws them; the configuration schema
 * reports them for each `pipelines[]` entry.
 */
export function validateCiPipelineProps(props: CiPipelineProps): PropProblem[] {
  const nameProblems = checkProp('name', props.name, checkPipelineName);
  const bucketPrefix = props.artifactBucketName === undefined && nameProblems.length === 0;
  return [
    ...nameProblems,
    ...(bucketPrefix ? checkDerivedName('name', props.name, 'artifact bucket name prefix', artifactBucketPrefix(props.name), checkS3BucketPrefix) : []),
    ...nestedProblems('github', validateGitHubSettings(props.github, props.trigger ?? 'webhook')),
    ...checkOptionalProp('trigger', props.trigger, checkOneOf(TRIGGER_MODES)),
    ...nestedProblems('registry', validateRegistrySettings(props.registry)),
    ...nestedProblems('build', validateBuildSettings(props.build ?? {})),
    ...checkOptionalProp('appPath', props.appPath, checkRelativePath),
    ...checkOptionalProp('artifactRetentionDays', props.artifactRetentionDays, checkIntegerBetween(1, 3650)),
    ...crossPropProblem(
      props.artifactBucketName !== undefined && props.artifactRetentionDays !== undefined,
      'artifactRetentionDays',
      props.artifactRetentionDays,
      'applies only to a created artifact bucket; remove it or remove artifactBucketName',
    ),
    ...checkOptionalProp('encryptionKeyArn', props.encryptionKeyArn, checkKmsKeyArn),
    ...checkOptionalProp('artifactBucketName', props.artifactBucketName, checkS3BucketName),
  ];
}

function validateGitHubSettings(github: GitHubSettings, trigger: TriggerMode): PropProblem[] {
  const onlyFor = (mode: TriggerMode) => `applies only to trigger "${mode}"; remove it or set trigger to "${mode}"`;
  return [
    ...checkProp('owner', github.owner, checkGitHubOwner),
    ...checkProp('repository', github.repository, checkGitHubRepository),
    ...checkOptionalProp('branch', github.branch, checkBranchName),
    ...(trigger === 'connection' && github.branch !== undefined && checkBranchName(github.branch) === undefined ? triggerBranchProblems('branch', github.branch) : []),
    ...validateRepositorySettings(github),
    ...checkOptionalProp('oauthTokenSecret', github.oauthTokenSecret, checkSecretId),
    ...crossPropProblem(trigger === 'connection' && github.oauthTokenSecret !== undefined, 'oauthTokenSecret', github.oauthTokenSecret, onlyFor('webhook')),
    ...checkOptionalProp('webhookSecret', github.webhookSecret, checkSecretId),
    ...crossPropProblem(trigger === 'connection' && github.webhookSecret !== undefined, 'webhookSecret', github.webhookSecret, onlyFor('webhook')),
    ...checkOptionalProp('connectionArn', github.connectionArn, checkConnectionArn),
    ...crossPropProblem(trigger === 'webhook' && github.connectionArn !== undefined, 'connectionArn', github.connectionArn, onlyFor('connection')),
    ...checkOptionalProp('connectionName', github.connectionName, checkConnectionName),
    ...crossPropProblem(trigger === 'webhook' && github.connectionName !== undefined, 'connectionName', github.connectionName, onlyFor('connection')),
    ...crossPropProblem(
      github.connectionArn !== undefined && github.connectionName !== undefined,
      'connectionName',
      github.connectionName,
      'must not be set with connectionArn: name one existing connection',
    ),
  ];
}

function validateRegistrySettings(registry: RegistrySettings): PropProblem[] {
  // The image's rule depends on the registry; while the type is wrong, hold the image to ECR's.
  const imageRule = registry.type === 'dockerhub' ? checkDockerHubRepository : checkEcrRepositoryName;
  return [
    ...checkProp('type', registry.type, checkOneOf(REGISTRY_TYPES)),
    ...checkProp('image', registry.image, imageRule),
    ...crossPropProblem(
      registry.type === 'dockerhub' && registry.dockerHubCredentials === false,
      'dockerHubCredentials',
      false,
      'must be true or absent with registry type "dockerhub", which always logs in',
    ),
  ];
}

/** A resource whose name must be unique in its account and region, as a pipeline names it. */
export interface NamedResource {
  /** What it is, as AWS calls it. */
  readonly kind: string;
  /** Its name, as the constructs write it (IAM role names lowercased: IAM compares them without case). */
  readonly name: string;
  /** The prop the name comes from. */
  readonly prop: string;
}

/**
 * The resources a pipeline creates whose names must be unique in the account
 * and region, named as the constructs name them, so that a configuration can
 * refuse two pipelines that would create the same one.
 */
export function namedResourcesOf(props: CiPipelineProps): NamedResource[] {
  const trigger = props.trigger ?? 'webhook';
  const named = (kind: string, name: string, prop = 'name') => ({ kind, name, prop });
  return [
    named('CodePipeline pipeline', props.name),
    named('CodeBuild project', props.name),
    named('CloudWatch Logs log group', buildLogGroupName(props.name)),
    named('CodeBuild report group', buildReportGroupName(props.name)),
    // IAM names are unique regardless of case (IAM User Guide, "IAM identifiers").
    named('IAM role', buildRoleName(props.name).toLowerCase()),
    named('IAM role', pipelineRoleName(props.name).toLowerCase()),
    ...(props.encryptionKeyArn === undefined ? [named('KMS alias', `alias/${keyAliasName(props.name)}`)] : []),
    ...(props.registry.type === 'ecr' ? [named('ECR repository', props.registry.image, 'registry.image')] : []),
    ...(props.registry.type === 'dockerhub' || props.registry.dockerHubCredentials ? [named('Secrets Manager secret', credentialsSecretName(props.name))] : []),
    ...(trigger === 'webhook' ? [named('CodePipeline webhook', pipelineWebhookName(props.name))] : []),
    // Pipelines that share a bucket are kept apart by their artifact folders, which CodePipeline names after them, truncated.
    ...(typeof props.artifactBucketName === 'string'
      ? [named(`artifact folder (the first ${ARTIFACT_FOLDER_NAME_LENGTH} characters of the name) in s3://${props.artifactBucketName}`, pipelineArtifactPrefix(props.name))]
      : []),
    ...(trigger === 'connection' && props.github.connectionArn === undefined && props.github.connectionName === undefined ? [named('CodeConnections connection', props.name)] : []),
  ];
}
