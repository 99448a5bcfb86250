import {
  buildLogGroupName,
  buildReportGroupName,
  buildRoleName,
  BuildSettings,
  validateBuildSettings,
} from '../aws/build-project';
import { checkChatbotSlackChannelArn, checkEmailAddresses } from '../aws/failure-notifications';
import { pipelineRoleName } from '../aws/pipeline';
import { EXECUTION_MODES, ExecutionMode } from '../aws/pipeline-action';
import { ARTIFACT_FOLDER_NAME_LENGTH, pipelineArtifactPrefix } from '../../shared/artifact-store';
import {
  canonicalRelativePath,
  checkBoolean,
  checkIntegerBetween,
  checkOneOf,
  checkRelativePath,
  matches,
} from '../private/checks';
import {
  checkConnectionArn,
  checkConnectionName,
  checkTriggerFilterPattern,
  tagPatternProblems,
  triggerBranchProblems,
} from '../github/github-connection-source';
import {
  checkBranchName,
  checkGitHubOwner,
  checkGitHubRepository,
  RepositorySettings,
  validateRepositorySettings,
} from '../github/source-repository';
import { checkEcrRepositoryName } from '../aws/image-repository';
import { checkKmsKeyArn } from '../aws/encryption-key';
import { checkS3BucketName, checkS3BucketPrefix } from '../aws/secure-bucket';
import { checkSecretId } from '../aws/registry-credentials';
import {
  Check,
  checkDerivedName,
  checkOptionalList,
  checkOptionalProp,
  checkProp,
  crossPropProblem,
  nestedProblems,
} from '../private/validation';
import { PropProblem } from '../core/validation';
import { UniqueIn } from '../core/stack-names';
import { pipelineWebhookName } from '../github/github-webhook-source';
import { Construct } from 'constructs';

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
   * Webhook trigger only: Secrets Manager secret (name or ARN) holding the GitHub token that
   * CodeBuild uses for pull-request builds, in CodeBuild's JSON format:
   * `{"ServerType":"GITHUB","AuthType":"PERSONAL_ACCESS_TOKEN","Token":"<token>"}`. Only its ARN
   * is read, never its value. The token needs Contents (read), Pull requests (read), Commit
   * statuses (read and write) and Webhooks (read and write) on the repository.
   * @default "github/codebuild-token"
   */
  readonly buildTokenSecret?: string;
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

/** The build that verifies pull requests before they merge. */
export interface PullRequestBuildSettings {
  /**
   * Build every pull request into the branch: its tests and image, without
   * pushing, with no registry credentials, reporting its status to GitHub.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Require the build's status (its context, `codebuild/<name>`) in the branch
   * protection created here, so a pull request merges only once it passed.
   * Set to false, only pull requests that change files under `appPath` are
   * built, since no protection waits for the others; otherwise every one is
   * (an existing repository's protection may require the context unseen).
   * True only for a created repository.
   * @default true with `github.create` true, else false
   */
  readonly requiredStatusCheck?: boolean;
  /**
   * Which pull requests wait for an approver's `/codebuild_run(<commit SHA>)`
   * comment before they are built: `ALL_PULL_REQUESTS` (those of anyone without
   * an approver role) or `FORK_PULL_REQUESTS` (those from forks). Setting it, or
   * `approverRoles`, writes the policy, which needs hashicorp/aws 6.13.0 or later.
   * @default - not written: CodeBuild's default for a new project applies, ALL_PULL_REQUESTS
   */
  readonly commentApproval?: 'ALL_PULL_REQUESTS' | 'FORK_PULL_REQUESTS';
  /**
   * The repository roles whose pull requests build at once and whose comments
   * approve others': GITHUB_WRITE, GITHUB_MAINTAIN, GITHUB_ADMIN.
   * @default - CodeBuild's: GITHUB_ADMIN, GITHUB_MAINTAIN and GITHUB_WRITE
   */
  readonly approverRoles?: readonly ('GITHUB_WRITE' | 'GITHUB_MAINTAIN' | 'GITHUB_ADMIN')[];
}

/**
 * The comment approvals a configuration may choose; `DISABLED` would build anyone's code unreviewed (guardrail
 * CIP_CB_2).
 */
export const PULL_REQUEST_APPROVALS = ['ALL_PULL_REQUESTS', 'FORK_PULL_REQUESTS'] as const;
/** The roles that may approve builds: those that can push to the repository anyway. */
export const PULL_REQUEST_APPROVER_ROLES = ['GITHUB_WRITE', 'GITHUB_MAINTAIN', 'GITHUB_ADMIN'] as const;

/** Where failed pipeline runs and builds are reported. */
export interface NotificationSettings {
  /**
   * Report failures: a CodeStar Notifications rule for the pipeline and each
   * build project, to an SNS topic encrypted with the pipeline's key. Must be
   * false in regions where AWS offers no CodeStar Notifications (China,
   * GovCloud and others), which the pipeline's stack checks.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * E-mail addresses subscribed to the topic; each must confirm once.
   * @default - none (subscribe later to the topic)
   */
  readonly emails?: readonly string[];
  /**
   * ARN of an existing AWS Chatbot Slack channel configuration to notify too
   * (a Slack workspace is authorized once, in the console).
   * @default - no Slack channel
   */
  readonly slackChannelConfigurationArn?: string;
}

export interface CiPipelineProps {
  /**
   * The pipeline's short name (2-32 lowercase letters, digits and hyphens, starting and ending with a letter or
   * digit); it names every resource.
   */
  readonly name: string;
  /**
   * What the names of this pipeline's Terraform input variables and outputs start with (`api_dockerhub_username`,
   * `api_pipeline_name`), so that pipelines that share a stack keep theirs apart: lowercase letters, digits and "_",
   * ending in "_"; or "" for none.
   * @default - the pipeline's name with "-" as "_", and "_" (`my_app_` for "my-app"), after a "_" when the name starts
   * with a digit, as a Terraform name cannot (`_2fa_service_`); {@link CiPipelineStack}, which holds one pipeline,
   * passes ""
   */
  readonly terraformNamePrefix?: string;
  /**
   * Where a repository the pipeline creates (`github.create`, the default) goes: a construct in another stack, which
   * `cdktf deploy` then applies before the pipeline's. The repository exists once that stack is applied, so a GitHub
   * token can be scoped to it (webhook mode) or the AWS Connector app given it (connection mode) before the pipeline
   * needs either; the pipeline's own stack looks it up by name. Refused with `github.create: false`.
   * @default - the pipeline itself, in its own stack: a first deployment then stops at the webhook until the token or
   * the connection can reach the new repository, and is deployed again ("docs/first-deployment.md")
   */
  readonly repositoryScope?: Construct;
  /** The GitHub repository and branch. */
  readonly github: GitHubSettings;
  /**
   * How a push starts the pipeline.
   * @default "webhook"
   */
  readonly trigger?: TriggerMode;
  /**
   * How pushes that arrive while the pipeline runs are built: `QUEUED` (each
   * one, in order), `SUPERSEDED` (a newer push may replace an older one waiting
   * between stages) or `PARALLEL` (all at once). Trigger "webhook" makes a V1
   * pipeline, which runs only `SUPERSEDED`.
   * @default - `QUEUED` with trigger "connection", `SUPERSEDED` with "webhook"
   */
  readonly executionMode?: ExecutionMode;
  /** Where the image goes. */
  readonly registry: RegistrySettings;
  /**
   * Build settings.
   * @default - see {@link BuildSettings}
   */
  readonly build?: BuildSettings;
  /**
   * The app's directory in the repository, holding its `buildspec.yml` and `Dockerfile`.
   * With trigger "connection", the pipeline runs only for pushes that change a file under it.
   * @default "."
   */
  readonly appPath?: string;
  /**
   * Connection trigger only: glob patterns of tag names (1-8, such as `v*`, not `refs/tags/v*`) whose push runs the
   * pipeline too.
   * @default - tags start nothing
   */
  readonly releaseTags?: readonly string[];
  /**
   * The build that verifies pull requests.
   * @default - see {@link PullRequestBuildSettings}
   */
  readonly pullRequestBuilds?: PullRequestBuildSettings;
  /**
   * Failure notifications.
   * @default - see {@link NotificationSettings}
   */
  readonly notifications?: NotificationSettings;
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

/**
 * What a pipeline's Terraform variables and outputs start with, as {@link CiPipelineProps.terraformNamePrefix} says.
 */
export const terraformNamePrefixOf = (props: CiPipelineProps): string =>
  props.terraformNamePrefix ?? `${/^\d/.test(props.name) ? '_' : ''}${props.name.replace(/-/g, '_')}_`;

/** The CodeBuild project that verifies a pipeline's pull requests. */
export const pullRequestProjectName = (name: string) => `${name}-pull-requests`;
/** The commit status context a pipeline's pull-request builds report, and branch protection requires. */
export const pullRequestStatusContext = (name: string) => `codebuild/${name}`;
/** The SNS topic of a pipeline's failure notifications. */
export const notificationTopicName = (name: string) => `${name}-ci-failures`;
/** The notification rules of a pipeline: its executions, its build, its pull-request build. */
export const notificationRuleNames = (name: string) => ({
  pipeline: `${name}-pipeline-failed`,
  build: `${name}-build-failed`,
  pullRequestBuild: `${name}-pull-request-build-failed`,
});
/** The CodeBuild-format token secret pull-request builds read in webhook mode when none is named. */
export const DEFAULT_BUILD_TOKEN_SECRET = 'github/codebuild-token';

/** Whether a pipeline has a pull-request build. */
export const buildsPullRequests = (props: CiPipelineProps): boolean => props.pullRequestBuilds?.enabled ?? true;
/** Whether branch protection created here requires the pull-request build's status. */
export const requiresPullRequestStatus = (props: CiPipelineProps): boolean =>
  buildsPullRequests(props) && props.github.create !== false && (props.pullRequestBuilds?.requiredStatusCheck ?? true);
/** Whether a pipeline reports failures. */
export const notifiesFailures = (props: CiPipelineProps): boolean => props.notifications?.enabled ?? true;

/** The secret of the Docker Hub credentials of a pipeline. */
export const credentialsSecretName = (name: string) => `ci/${name}/dockerhub`;
/** The alias of a pipeline's created key, without `alias/`. */
export const keyAliasName = (name: string) => `ci/${name}`;
/** The prefix Terraform makes the name of a created artifact bucket from (37 characters at most). */
export const artifactBucketPrefix = (name: string) => `${name}-artifacts-`.slice(0, 37);

/**
 * A required status context that nothing reports deadlocks the branch: no pull request can ever merge. The
 * pipeline's own pull-request context (`codebuild/<name>`) is reported only when its pull-request builds are on, and
 * then for every pull request only when they are not filtered by `appPath` (requiredStatusCheck: false).
 */
function unreportedStatusProblems(props: CiPipelineProps): PropProblem[] {
  const contexts = props.github?.requiredStatusChecks;
  const own = typeof props.name === 'string' ? pullRequestStatusContext(props.name) : undefined;
  if (!Array.isArray(contexts) || own === undefined || !contexts.includes(own)) return [];
  const why = !buildsPullRequests(props)
    ? 'pullRequestBuilds.enabled is false, so nothing reports it, and no pull request could ever merge'
    : props.pullRequestBuilds?.requiredStatusCheck === false
      ? 'pullRequestBuilds.requiredStatusCheck is false, so only pull requests that change appPath are built, and ' +
        'the others could never merge'
      : undefined;
  if (why === undefined) return [];
  return [
    {
      prop: 'github.requiredStatusChecks',
      value: contexts,
      allowed: `must not require "${own}": ${why}; remove it, or build every pull request`,
    },
  ];
}

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
    ...checkOptionalProp('terraformNamePrefix', props.terraformNamePrefix, checkTerraformNamePrefix),
    ...(bucketPrefix
      ? checkDerivedName(
          'name',
          props.name,
          'artifact bucket name prefix',
          artifactBucketPrefix(props.name),
          checkS3BucketPrefix,
        )
      : []),
    ...nestedProblems(
      'github',
      validateGitHubSettings(props.github, props.trigger ?? 'webhook', buildsPullRequests(props)),
    ),
    ...crossPropProblem(
      props.repositoryScope !== undefined && props.github?.create === false,
      'repositoryScope',
      props.repositoryScope?.node.path,
      'applies only to a repository created here (github.create: true); an existing one is looked up by name',
    ),
    ...executionProblems(props),
    ...nestedProblems('registry', validateRegistrySettings(props.registry)),
    ...nestedProblems('build', validateBuildSettings(props.build ?? {})),
    ...checkOptionalProp('appPath', props.appPath, checkRelativePath),
    ...appFilesProblems(props),
    ...tagPatternProblems('releaseTags', props.releaseTags),
    ...crossPropProblem(
      (props.trigger ?? 'webhook') === 'webhook' && props.releaseTags !== undefined,
      'releaseTags',
      props.releaseTags,
      onlyForTrigger('connection'),
    ),
    ...nestedProblems(
      'pullRequestBuilds',
      validatePullRequestBuildSettings(props.pullRequestBuilds ?? {}, props.github),
    ),
    ...unreportedStatusProblems(props),
    ...nestedProblems('notifications', validateNotificationSettings(props.notifications ?? {})),
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

/** The trigger and execution mode, and what they allow of the build's concurrency. */
function executionProblems(props: CiPipelineProps): PropProblem[] {
  return [
    ...checkOptionalProp('trigger', props.trigger, checkOneOf(TRIGGER_MODES)),
    ...checkOptionalProp('executionMode', props.executionMode, checkOneOf(EXECUTION_MODES)),
    ...crossPropProblem(
      (props.trigger ?? 'webhook') === 'webhook' &&
        (props.executionMode === 'QUEUED' || props.executionMode === 'PARALLEL'),
      'executionMode',
      props.executionMode,
      'must be SUPERSEDED with trigger "webhook", whose GitHub version 1 source runs only in V1 pipelines; QUEUED ' +
        'and PARALLEL need trigger "connection"',
    ),
    ...crossPropProblem(
      props.executionMode === 'PARALLEL' && props.build?.concurrentBuildLimit !== undefined,
      'build.concurrentBuildLimit',
      props.build?.concurrentBuildLimit,
      'must be left out with executionMode "PARALLEL": parallel executions start builds at once, and CodeBuild ' +
        'fails those over the limit instead of queueing them; use executionMode "QUEUED" to build one change at a time',
    ),
  ];
}

const onlyForTrigger = (mode: TriggerMode) =>
  `applies only to trigger "${mode}"; remove it or set trigger to "${mode}"`;

/** The trigger's glob for the files under `appPath`; none for the repository root. */
export const appPathPattern = (appPath: string): string | undefined => {
  const directory = canonicalRelativePath(appPath);
  return directory === '.' ? undefined : `${directory}/**`;
};

/** The connection trigger's pattern for the files under `appPath`, held to the trigger's limit. */
function appFilesProblems(props: CiPipelineProps): PropProblem[] {
  if (props.trigger !== 'connection' || props.appPath === undefined || checkRelativePath(props.appPath) !== undefined)
    return [];
  const pattern = appPathPattern(props.appPath);
  return pattern === undefined
    ? []
    : checkDerivedName('appPath', props.appPath, 'trigger file path pattern', pattern, checkTriggerFilterPattern);
}

function validatePullRequestBuildSettings(settings: PullRequestBuildSettings, github: GitHubSettings): PropProblem[] {
  const unreviewed =
    "DISABLED would build the code of anyone's pull request, with the build's role, before anyone read it";
  const readOnly = 'a role that cannot push must not approve running its code';
  return [
    ...checkOptionalProp('commentApproval', settings.commentApproval, (value) =>
      checkOneOf(PULL_REQUEST_APPROVALS)(value) === undefined
        ? undefined
        : `must be one of ${PULL_REQUEST_APPROVALS.join(', ')} (${unreviewed})`,
    ),
    ...checkOptionalList('approverRoles', settings.approverRoles, (value) =>
      checkOneOf(PULL_REQUEST_APPROVER_ROLES)(value) === undefined
        ? undefined
        : `must be one of ${PULL_REQUEST_APPROVER_ROLES.join(', ')} (${readOnly})`,
    ),
    ...crossPropProblem(
      Array.isArray(settings.approverRoles) && settings.approverRoles.length === 0,
      'approverRoles',
      [],
      'must name at least one role, or be left out',
    ),
    ...(['commentApproval', 'approverRoles'] as const).flatMap((prop) =>
      crossPropProblem(
        settings.enabled === false && settings[prop] !== undefined,
        prop,
        settings[prop],
        'applies only with pull-request builds enabled',
      ),
    ),
    ...checkOptionalProp('enabled', settings.enabled, checkBoolean),
    ...checkOptionalProp('requiredStatusCheck', settings.requiredStatusCheck, checkBoolean),
    ...crossPropProblem(
      settings.requiredStatusCheck === true && github?.create === false,
      'requiredStatusCheck',
      true,
      'applies only to a repository created here (github.create: true); require the context in the existing branch ' +
        'protection instead',
    ),
    ...crossPropProblem(
      settings.enabled === false && settings.requiredStatusCheck !== undefined,
      'requiredStatusCheck',
      settings.requiredStatusCheck,
      'applies only with pull-request builds enabled',
    ),
  ];
}

function validateNotificationSettings(settings: NotificationSettings): PropProblem[] {
  const disabled = settings.enabled === false;
  return [
    ...checkOptionalProp('enabled', settings.enabled, checkBoolean),
    ...checkEmailAddresses('emails', settings.emails),
    ...checkOptionalProp(
      'slackChannelConfigurationArn',
      settings.slackChannelConfigurationArn,
      checkChatbotSlackChannelArn,
    ),
    ...(['emails', 'slackChannelConfigurationArn'] as const).flatMap((prop) =>
      crossPropProblem(
        disabled && settings[prop] !== undefined,
        prop,
        settings[prop],
        'applies only with notifications enabled; remove it or remove "enabled: false"',
      ),
    ),
  ];
}

function validateGitHubSettings(github: GitHubSettings, trigger: TriggerMode, pullRequests: boolean): PropProblem[] {
  const onlyFor = onlyForTrigger;
  return [
    ...checkProp('owner', github.owner, checkGitHubOwner),
    ...checkProp('repository', github.repository, checkGitHubRepository),
    ...checkOptionalProp('branch', github.branch, checkBranchName),
    ...(trigger === 'connection' && github.branch !== undefined && checkBranchName(github.branch) === undefined
      ? triggerBranchProblems('branch', github.branch)
      : []),
    ...validateRepositorySettings(github, github.owner),
    ...checkOptionalProp('oauthTokenSecret', github.oauthTokenSecret, checkSecretId),
    ...crossPropProblem(
      trigger === 'connection' && github.oauthTokenSecret !== undefined,
      'oauthTokenSecret',
      github.oauthTokenSecret,
      onlyFor('webhook'),
    ),
    ...checkOptionalProp('buildTokenSecret', github.buildTokenSecret, checkSecretId),
    ...crossPropProblem(
      trigger === 'connection' && github.buildTokenSecret !== undefined,
      'buildTokenSecret',
      github.buildTokenSecret,
      onlyFor('webhook'),
    ),
    ...crossPropProblem(
      trigger === 'webhook' && !pullRequests && github.buildTokenSecret !== undefined,
      'buildTokenSecret',
      github.buildTokenSecret,
      'applies only with pull-request builds enabled',
    ),
    ...checkOptionalProp('webhookSecret', github.webhookSecret, checkSecretId),
    ...crossPropProblem(
      trigger === 'connection' && github.webhookSecret !== undefined,
      'webhookSecret',
      github.webhookSecret,
      onlyFor('webhook'),
    ),
    ...checkOptionalProp('connectionArn', github.connectionArn, checkConnectionArn),
    ...crossPropProblem(
      trigger === 'webhook' && github.connectionArn !== undefined,
      'connectionArn',
      github.connectionArn,
      onlyFor('connection'),
    ),
    ...checkOptionalProp('connectionName', github.connectionName, checkConnectionName),
    ...crossPropProblem(
      trigger === 'webhook' && github.connectionName !== undefined,
      'connectionName',
      github.connectionName,
      onlyFor('connection'),
    ),
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

/** A resource whose name AWS holds unique in its account, or its account and region, as a pipeline names it. */
export interface NamedResource {
  /** What it is, as AWS calls it. */
  readonly kind: string;
  /** Where AWS holds the name unique. */
  readonly uniqueIn: UniqueIn;
  /** Its name, as the constructs write it (IAM role names lowercased: IAM compares them without case). */
  readonly name: string;
  /** The prop the name comes from. */
  readonly prop: string;
}

/**
 * The kinds of resource whose names AWS holds unique in the whole account rather than in a region: IAM roles (IAM is a
 * global service; IAM User Guide, "IAM identifiers": names must be unique within the account) and CodeStar
 * Notifications rules (API Reference, CreateNotificationRule: "Notification rule names must be unique in your AWS
 * account").
 */
const ACCOUNT_WIDE_NAMES: readonly string[] = ['IAM role', 'CodeStar Notifications rule'];

/**
 * The resources a pipeline creates whose names must be unique in the account, or the account and region, named as the
 * constructs name them, so that a configuration and an app can refuse two pipelines that would create the same one.
 */
export function namedResourcesOf(props: CiPipelineProps): NamedResource[] {
  const trigger = props.trigger ?? 'webhook';
  const named = (kind: string, name: string, prop = 'name'): NamedResource => ({
    kind,
    name,
    prop,
    uniqueIn: ACCOUNT_WIDE_NAMES.includes(kind) ? 'account' : 'region',
  });
  const projects = [props.name, ...(buildsPullRequests(props) ? [pullRequestProjectName(props.name)] : [])];
  const rules = notificationRuleNames(props.name);
  return [
    named('CodePipeline pipeline', props.name),
    ...projects.flatMap((project) => [
      named('CodeBuild project', project),
      named('CloudWatch Logs log group', buildLogGroupName(project)),
      named('CodeBuild report group', buildReportGroupName(project)),
      // IAM names are unique regardless of case (IAM User Guide, "IAM identifiers").
      named('IAM role', buildRoleName(project).toLowerCase()),
    ]),
    ...(notifiesFailures(props)
      ? [
          named('SNS topic', notificationTopicName(props.name)),
          named('CodeStar Notifications rule', rules.pipeline),
          named('CodeStar Notifications rule', rules.build),
          ...(buildsPullRequests(props) ? [named('CodeStar Notifications rule', rules.pullRequestBuild)] : []),
        ]
      : []),
    named('IAM role', pipelineRoleName(props.name).toLowerCase()),
    ...(props.encryptionKeyArn === undefined ? [named('KMS alias', `alias/${keyAliasName(props.name)}`)] : []),
    ...(props.registry.type === 'ecr' ? [named('ECR repository', props.registry.image, 'registry.image')] : []),
    ...(props.registry.type === 'dockerhub' || props.registry.dockerHubCredentials
      ? [named('Secrets Manager secret', credentialsSecretName(props.name))]
      : []),
    ...(trigger === 'webhook' ? [named('CodePipeline webhook', pipelineWebhookName(props.name))] : []),
    // Pipelines that share a bucket are kept apart by their artifact folders, which CodePipeline names after them,
    // truncated.
    ...(typeof props.artifactBucketName === 'string'
      ? [
          named(
            `artifact folder (the first ${ARTIFACT_FOLDER_NAME_LENGTH} characters of the name) in ` +
              `s3://${props.artifactBucketName}`,
            pipelineArtifactPrefix(props.name),
          ),
        ]
      : []),
    ...(trigger === 'connection' &&
    props.github.connectionArn === undefined &&
    props.github.connectionName === undefined
      ? [named('CodeConnections connection', props.name)]
      : []),
  ];
}

// --- Rules for the values of its props (limits from the owning service's documentation) ---

/**
 * A pipeline's short name. It becomes part of the stack name, the state key, the CodeBuild project, the CodePipeline,
 * IAM role names (64 characters at most) and S3 bucket names (lowercase only), so it is held to the strictest of those
 * rules: a CodeBuild project name starts with a letter or digit (CodeBuild API Reference, "CreateProject"), a bucket
 * name starts and ends with one (Amazon S3 User Guide, "General purpose bucket naming rules"). The Terraform names it
 * starts, which cannot start with a digit, get a "_" before it ({@link terraformNamePrefixOf}).
 */
export const checkPipelineName = matches(
  /^[a-z0-9][a-z0-9-]{0,30}[a-z0-9]$/,
  'must be 2-32 characters of lowercase letters, digits and hyphens, starting and ending with a letter or digit',
);

/**
 * A Docker Hub repository, `namespace/name`: the namespace is a Docker ID or
 * organization, 4-30 lowercase letters and digits (Docker Docs, "Create an
 * account"); the name 2-255 lowercase letters, digits, "-" and "_" (Docker Docs,
 * "Create a repository"), beginning and ending with a letter or digit as image
 * references require (OCI distribution, repository name components).
 */
export const checkDockerHubRepository: Check<string> = (value) => {
  const [namespace, name, ...rest] = typeof value === 'string' ? value.split('/') : [];
  // "library" is the namespace of Docker Official Images, which Docker publishes (Docker Docs, "Docker Official
  // Images"): a pipeline's push there is refused.
  if (namespace === 'library')
    return 'must be in a namespace of your own: "library" is Docker\'s, for Docker Official Images, and refuses pushes';
  return rest.length === 0 &&
    /^[a-z0-9]{4,30}$/.test(namespace ?? '') &&
    /^[a-z0-9][a-z0-9_-]{0,253}[a-z0-9]$/.test(name ?? '')
    ? undefined
    : 'must be a Docker Hub repository "namespace/name": a namespace of 4-30 lowercase letters and digits, and a ' +
        'name of 2-255 lowercase letters, digits, "-" and "_" that begins and ends with a letter or digit (e.g. ' +
        '"myorg/my-app")';
};

/**
 * The start of Terraform variable and output names (Terraform Language, "Input variables": an identifier of letters,
 * digits, "_" and "-", not starting with a digit); held to lowercase, "_" and a final "_" so that names read alike.
 */
export const checkTerraformNamePrefix: Check<string> = (value) =>
  typeof value === 'string' && (value === '' || /^[a-z_][a-z0-9_]{0,40}_$/.test(value))
    ? undefined
    : 'must be "" or 2-42 lowercase letters, digits and "_", not starting with a digit and ending with "_"';
