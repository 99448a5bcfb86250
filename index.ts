/**
 * The package's public face: the constructs, their props, grants and importers, and the stacks. Everything else
 * (the rules behind each prop, naming helpers, the app) is internal and may change in any release. The guardrails
 * have their own entry point, `cdktf-github-codepipeline-ci/guardrails`.
 *
 * @packageDocumentation
 */

// The vocabulary the constructs share: grants, outputs, and the error a mistaken prop raises.
export type { Grant, IGrantable, PolicyCondition, PolicyStatement } from './constructs/core/grants';
export { writeStackOutputs } from './constructs/core/stack-output';
export type { StackOutput } from './constructs/core/stack-output';
export { PropValidationError } from './constructs/core/validation';
export type { PropProblem } from './constructs/core/validation';
export { Suppressions, SuppressionError } from './shared/suppressions';
export type { Suppression } from './shared/suppressions';

// AWS building blocks.
export { BuildProject } from './constructs/aws/build-project';
export type {
  BuildProjectProps,
  BuildSettings,
  ComputeType,
  EnvironmentVariable,
  SecretEnvironmentVariable,
} from './constructs/aws/build-project';
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
export type { EncryptionKeyProps, IEncryptionKey } from './constructs/aws/encryption-key';
export { buildFailures, FailureNotifications, pipelineFailures } from './constructs/aws/failure-notifications';
export type {
  FailureNotificationRule,
  FailureNotificationsProps,
  NotificationDetailType,
} from './constructs/aws/failure-notifications';
export { ImageRepository } from './constructs/aws/image-repository';
export type { ImageRepositoryProps } from './constructs/aws/image-repository';
export { Pipeline } from './constructs/aws/pipeline';
export type { IStage, PipelineProps, StagePlacement, StageProps } from './constructs/aws/pipeline';
export type {
  ActionBinding,
  ActionConfig,
  ExecutionMode,
  IAction,
  PipelineType,
} from './constructs/aws/pipeline-action';
export { RegistryCredentials } from './constructs/aws/registry-credentials';
export type { RegistryCredentialsProps } from './constructs/aws/registry-credentials';
export { SecureBucket } from './constructs/aws/secure-bucket';
export type {
  ExistingBucketOptions,
  GrantReadWriteOptions,
  IBucket,
  SecureBucketProps,
} from './constructs/aws/secure-bucket';
export { ServiceRole } from './constructs/aws/service-role';
export type { ServiceRoleProps } from './constructs/aws/service-role';

// GitHub building blocks.
export { GitHubConnectionSource } from './constructs/github/github-connection-source';
export type { GitHubConnectionSourceProps } from './constructs/github/github-connection-source';
export { GitHubWebhookSource } from './constructs/github/github-webhook-source';
export type { GitHubWebhookSourceProps } from './constructs/github/github-webhook-source';
export type { IPipelineSource } from './constructs/github/pipeline-source';
export { SourceRepository } from './constructs/github/source-repository';
export type {
  RepositorySettings,
  RepositoryVisibility,
  SourceRepositoryProps,
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
export type { ConsoleUrls, TroubleshootingCommands } from './constructs/ci-pipeline/troubleshooting';

// The stacks: each a deployable unit with its backend and providers, checked by the guardrails at synth.
export { CiPipelineStack } from './stacks/ci-pipeline-stack';
export type { CiPipelineStackProps } from './stacks/ci-pipeline-stack';
export { GitHubConnectionStack } from './stacks/github-connection-stack';
export type { GitHubConnectionStackProps } from './stacks/github-connection-stack';
export type { RemoteStateSettings } from './stacks/s3-backend';
export { StateBootstrapStack } from './stacks/state-bootstrap-stack';
export type { StateBootstrapStackProps } from './stacks/state-bootstrap-stack';
