/**
 * The package's public face: the constructs, their props, grants, resources and importers, and the stacks. Everything
 * else (the rules behind each prop, naming helpers, the app) is internal and may change in any release. The
 * guardrails have their own entry point, `cdktf-github-codepipeline-ci/guardrails`. `api/*.api.md` is the report of
 * what is public; CI fails when it changes without the report changing in the same commit.
 *
 * @packageDocumentation
 */

// First: a project without the packages this form needs gets one error that names them all.
import { requirePeerPackages } from './constructs/core/peer-packages';
requirePeerPackages();

// The vocabulary the constructs share: grants, outputs, the error a mistaken prop raises, suppressions.
export type { Grant, IGrantable, PolicyCondition, PolicyStatement } from './constructs/core/grants';
export { writeStackOutputs } from './constructs/core/stack-output';
export type { StackOutput } from './constructs/core/stack-output';
export { PropValidationError } from './constructs/core/validation';
export type { PropProblem } from './constructs/core/validation';
export { SuppressionError, Suppressions } from './shared/suppressions';
export type { Suppression } from './shared/suppressions';

// AWS building blocks.
export { BuildProject, COMPUTE_TYPES } from './constructs/aws/build-project';
export type {
  BuildProjectProps,
  BuildProjectResources,
  BuildSettings,
  ComputeType,
  EnvironmentVariable,
  ExistingProjectOptions,
  IBuildProject,
  SecretEnvironmentVariable,
} from './constructs/aws/build-project';
export { GITHUB_APPROVER_ROLES, PULL_REQUEST_COMMENT_APPROVALS } from './constructs/aws/build-source';
export type {
  BuildSourceAuth,
  GitHubApproverRole,
  GitHubBuildSource,
  PullRequestBuildPolicy,
  PullRequestCommentApproval,
  WebhookFilter,
} from './constructs/aws/build-source';
export { CodeBuildAction } from './constructs/aws/codebuild-action';
export type { CodeBuildActionProps } from './constructs/aws/codebuild-action';
export { EncryptionKey } from './constructs/aws/encryption-key';
export type { EncryptionKeyProps, EncryptionKeyResources, IEncryptionKey } from './constructs/aws/encryption-key';
export {
  buildFailures,
  FailureNotifications,
  NOTIFICATION_DETAIL_TYPES,
  pipelineFailures,
} from './constructs/aws/failure-notifications';
export type {
  FailureNotificationRule,
  FailureNotificationsProps,
  FailureNotificationsResources,
  NotificationDetailType,
} from './constructs/aws/failure-notifications';
export { ImageRepository } from './constructs/aws/image-repository';
export type { ImageRepositoryProps, ImageRepositoryResources } from './constructs/aws/image-repository';
export { ManualApprovalAction } from './constructs/aws/manual-approval-action';
export type { ManualApprovalActionProps } from './constructs/aws/manual-approval-action';
export { ENTRY_CONDITION_RESULTS, Pipeline, VARIABLE_CHECK_OPERATORS } from './constructs/aws/pipeline';
export type {
  EntryCondition,
  EntryConditionResult,
  IPipeline,
  IStage,
  PipelineProps,
  PipelineResources,
  StagePlacement,
  StageProps,
  VariableCheckOperator,
  VariableCheckRule,
} from './constructs/aws/pipeline';
export { EXECUTION_MODES, PIPELINE_TYPES } from './constructs/aws/pipeline-action';
export type {
  ActionBinding,
  ActionConfig,
  ExecutionMode,
  IAction,
  PipelineType,
} from './constructs/aws/pipeline-action';
export { RegistryCredentials } from './constructs/aws/registry-credentials';
export type { RegistryCredentialsProps, RegistryCredentialsResources } from './constructs/aws/registry-credentials';
export { SecureBucket } from './constructs/aws/secure-bucket';
export type {
  ExistingBucketOptions,
  GrantReadWriteOptions,
  IBucket,
  SecureBucketProps,
  SecureBucketResources,
} from './constructs/aws/secure-bucket';
export { ServiceRole } from './constructs/aws/service-role';
export type {
  ExistingRoleOptions,
  IServiceRole,
  ServiceRoleProps,
  ServiceRoleResources,
} from './constructs/aws/service-role';

// GitHub building blocks.
export { GitHubConnectionSource } from './constructs/github/github-connection-source';
export type {
  GitHubConnectionSourceProps,
  GitHubConnectionSourceResources,
} from './constructs/github/github-connection-source';
export { GitHubWebhookSource } from './constructs/github/github-webhook-source';
export type { GitHubWebhookSourceProps, GitHubWebhookSourceResources } from './constructs/github/github-webhook-source';
export type { IPipelineSource } from './constructs/github/pipeline-source';
export { SourceRepository } from './constructs/github/source-repository';
export type {
  RepositorySettings,
  RepositoryVisibility,
  RepositoryReference,
  SourceRepositoryProps,
  SourceRepositoryResources,
} from './constructs/github/source-repository';

// The composed pipeline.
export { CiPipeline } from './constructs/ci-pipeline/ci-pipeline';
export type {
  CiPipelineProps,
  GitHubSettings,
  NotificationSettings,
  PullRequestBuildSettings,
  RegistrySettings,
  RegistryType,
  TriggerMode,
} from './constructs/ci-pipeline/ci-pipeline-props';
export { PULL_REQUEST_BUILD_EVENTS, PullRequestBuilds } from './constructs/ci-pipeline/pull-request-builds';
export type { PullRequestBuildsProps } from './constructs/ci-pipeline/pull-request-builds';
export type { ConsoleUrls, TroubleshootingCommands } from './constructs/ci-pipeline/troubleshooting';

// The platform team's own pipeline, for the repository that holds this cdktf app.
export {
  INFRASTRUCTURE_PIPELINE_DEFAULTS,
  InfrastructurePipeline,
  MERGE_PIPELINE_STAGES,
} from './constructs/infrastructure-pipeline/infrastructure-pipeline';
export { PLANNED_STACK_SERVICES } from './constructs/infrastructure-pipeline/planned-services';
export type {
  GitHubProviderTokens,
  InfrastructurePipelineProps,
  InfrastructurePipelineResources,
  InfrastructureState,
  PlanReadResources,
} from './constructs/infrastructure-pipeline/infrastructure-pipeline';
export type { TerraformRelease } from './constructs/infrastructure-pipeline/buildspecs';
export {
  PermissionsBoundary,
  PermissionsBoundaryAspect,
  permissionsBoundaryName,
} from './constructs/infrastructure-pipeline/permissions-boundary';
export type { PermissionsBoundaryProps } from './constructs/infrastructure-pipeline/permissions-boundary';

// The stacks: each a deployable unit with its backend and providers, checked by the guardrails at synth.
export { CiPipelineStack } from './stacks/ci-pipeline-stack';
export type { CiPipelineStackProps } from './stacks/ci-pipeline-stack';
export { InfrastructurePipelineStack } from './stacks/infrastructure-pipeline-stack';
export type { InfrastructurePipelineStackProps } from './stacks/infrastructure-pipeline-stack';
export { PermissionsBoundaryStack } from './stacks/permissions-boundary-stack';
export type { PermissionsBoundaryStackProps } from './stacks/permissions-boundary-stack';
export { GitHubConnectionStack } from './stacks/github-connection-stack';
export type { GitHubConnectionStackProps } from './stacks/github-connection-stack';
export { RepositoryStack } from './stacks/repository-stack';
export type { RepositoryStackProps } from './stacks/repository-stack';
export { RetiredPipelineStack } from './stacks/retired-pipeline-stack';
export type { RetiredPipelineStackProps } from './stacks/retired-pipeline-stack';
export type { RemoteStateSettings } from './stacks/s3-backend';
export type { GuardrailsProps } from './stacks/security-checks';
export { StateBootstrapStack } from './stacks/state-bootstrap-stack';
export type { StateBootstrapStackProps } from './stacks/state-bootstrap-stack';
