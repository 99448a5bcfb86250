/**
 * The AWS services a plan of this project's stacks reads, by the IAM service prefix of each Terraform type they
 * hold: the plan role may read these and nothing else. A type maps by its longest matching prefix; types that call no
 * AWS API (`aws_region`, `aws_partition`, `aws_iam_policy_document`) map to none.
 */
export const TERRAFORM_TYPE_SERVICES: Readonly<Record<string, string | null>> = {
  // GetCallerIdentity needs no permission (STS API Reference), and sts:* would let the role assume others.
  aws_caller_identity: null,
  aws_cloudwatch_log_group: 'logs',
  aws_codebuild_: 'codebuild',
  aws_codepipeline: 'codepipeline',
  aws_codestarconnections_: 'codestar-connections',
  aws_codestarnotifications_: 'codestar-notifications',
  aws_ecr_: 'ecr',
  aws_iam_policy_document: null,
  aws_iam_: 'iam',
  aws_kms_: 'kms',
  aws_partition: null,
  aws_region: null,
  aws_s3_: 's3',
  aws_secretsmanager_: 'secretsmanager',
  aws_sns_: 'sns',
};

/** The IAM service a Terraform resource or data source type calls, null when none, undefined when unknown. */
export function serviceOfTerraformType(type: string): string | null | undefined {
  const bare = type.replace(/^data\./, '');
  const prefix = Object.keys(TERRAFORM_TYPE_SERVICES)
    .filter((candidate) => bare.startsWith(candidate))
    .sort((a, b) => b.length - a.length)[0];
  return prefix === undefined ? undefined : TERRAFORM_TYPE_SERVICES[prefix];
}

/**
 * Every service a plan of this project's stacks reads, and those the build itself uses (CodeBuild's logs, reports,
 * source connection and secret variables, all among them); CodeConnections answers under two prefixes.
 */
export const PLANNED_STACK_SERVICES: readonly string[] = [
  ...new Set([
    ...Object.values(TERRAFORM_TYPE_SERVICES).filter((service): service is string => service !== null),
    'codeconnections',
  ]),
].sort();

/**
 * The actions of those services that return data rather than configuration, which a plan never calls: log events and
 * queries (CloudWatch Logs API Reference), and image layers (ECR API Reference, "BatchGetImage",
 * "GetDownloadUrlForLayer"). Secret values, parameter values and objects are denied on their own.
 */
export const DATA_ACTIONS_OF_PLANNED_SERVICES: readonly string[] = [
  'logs:GetLogEvents',
  'logs:FilterLogEvents',
  'logs:GetLogRecord',
  'logs:StartQuery',
  'logs:GetQueryResults',
  'logs:StartLiveTail',
  'logs:Unmask',
  'ecr:BatchGetImage',
  'ecr:GetDownloadUrlForLayer',
];
