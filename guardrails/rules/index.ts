import { Rule } from '../core/rule';
import { CLOUDWATCH_LOGS_RULES } from './cloudwatch-logs';
import { CODEBUILD_RULES } from './codebuild';
import { CODEPIPELINE_RULES } from './codepipeline';
import { CROSS_ACCOUNT_RULES } from './cross-account';
import { ECR_RULES } from './ecr';
import { GITHUB_RULES } from './github';
import { IAM_RULES } from './iam';
import { KMS_RULES } from './kms';
import { LEAST_PRIVILEGE_RULE, PRINCIPALS_RULE } from './least-privilege';
import { MANAGED_POLICY_RULES } from './managed-policies';
import { RESOURCE_POLICY_RULES } from './resource-policies';
import { SECRET_RULES } from './secrets';
import { TRUST_RULES } from './trust';
import { PERMISSION_RULES } from './permissions';
import { PULL_REQUEST_BUILD_RULES } from './pull-request-builds';
import { S3_RULES } from './s3';
import { SECRETS_MANAGER_RULES } from './secrets-manager';
import { STATE_SECRET_RULES } from './state-secrets';
import { TERRAFORM_RULES } from './terraform';

export * from './cloudwatch-logs';
export * from './codebuild';
export * from './codepipeline';
export * from './cross-account';
export * from './ecr';
export * from './github';
export * from './iam';
export * from './kms';
export * from './least-privilege';
export * from './managed-policies';
export * from './resource-policies';
export * from './secrets';
export * from './trust';
export * from './permissions';
export * from './pull-request-builds';
export * from './s3';
export * from './secrets-manager';
export * from './state-secrets';
export * from './terraform';

/** Every rule, in the order reports list them. */
export const ALL_RULES: readonly Rule[] = [
  ...CODEBUILD_RULES,
  ...PULL_REQUEST_BUILD_RULES,
  ...CODEPIPELINE_RULES,
  ...S3_RULES,
  ...SECRETS_MANAGER_RULES,
  ...ECR_RULES,
  ...CLOUDWATCH_LOGS_RULES,
  ...KMS_RULES,
  ...IAM_RULES,
  ...MANAGED_POLICY_RULES,
  ...TRUST_RULES,
  ...RESOURCE_POLICY_RULES,
  ...CROSS_ACCOUNT_RULES,
  ...SECRET_RULES,
  ...STATE_SECRET_RULES,
  ...GITHUB_RULES,
  ...TERRAFORM_RULES,
  ...PERMISSION_RULES,
  LEAST_PRIVILEGE_RULE,
  PRINCIPALS_RULE,
];
