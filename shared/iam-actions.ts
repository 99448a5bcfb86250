/**
 * The IAM actions this project grants, as named lists: the constructs grant
 * with them and the guardrails check with them, so a grant and its check
 * cannot drift apart, and a reviewer reads the whole permission surface here.
 *
 * A leaf module (`shared/`): it imports nothing, and both `constructs/` and `guardrails/` import it.
 */

/** What a service does with a role it is trusted by: assume it, nothing more. */
export const ASSUME_ROLE_ACTIONS = ['sts:AssumeRole'] as const;

/** Writing a build's log streams. */
export const LOG_WRITE_ACTIONS = ['logs:CreateLogStream', 'logs:PutLogEvents'] as const;

/** Publishing test reports to a report group. */
export const REPORT_ACTIONS = [
  'codebuild:BatchPutCodeCoverages',
  'codebuild:BatchPutTestCases',
  'codebuild:CreateReport',
  'codebuild:UpdateReport',
] as const;

/** Reading a secret that a `SECRETS_MANAGER` environment variable refers to. */
export const SECRET_READ_ACTIONS = ['secretsmanager:GetSecretValue'] as const;

/** Decrypting such a secret, on the key that encrypts it (granted with the encryption key's actions). */
export const SECRET_DECRYPT_ACTIONS = ['kms:Decrypt'] as const;

/** What CodePipeline needs to run a build and follow it. */
export const START_BUILD_ACTIONS = ['codebuild:BatchGetBuilds', 'codebuild:StartBuild'] as const;

/** What a principal needs to read and write data encrypted under a key (S3, Secrets Manager, CodeBuild). */
export const KEY_ENCRYPT_DECRYPT_ACTIONS = [
  'kms:Decrypt',
  'kms:DescribeKey',
  'kms:Encrypt',
  'kms:GenerateDataKey*',
  'kms:ReEncrypt*',
] as const;

/** What CloudWatch Logs needs to encrypt a log group (granted to its service principal in the key policy). */
export const LOGS_KEY_ACTIONS = [
  'kms:Decrypt*',
  'kms:Describe*',
  'kms:Encrypt*',
  'kms:GenerateDataKey*',
  'kms:ReEncrypt*',
] as const;

/**
 * The service principal of AWS CodeStar Notifications, which publishes a
 * notification rule's events to its SNS topic targets.
 */
export const CODESTAR_NOTIFICATIONS_PRINCIPAL = 'codestar-notifications.amazonaws.com';

/**
 * What CodeStar Notifications needs on a notification rule's SNS topic, granted
 * to its service principal in the topic policy ("Configure Amazon SNS topics for
 * notifications", Developer Tools console User Guide,
 * https://docs.aws.amazon.com/dtconsole/latest/userguide/set-up-sns.html).
 */
export const NOTIFICATION_PUBLISH_ACTIONS = ['sns:Publish'] as const;

/**
 * What CodeStar Notifications needs on the key of an encrypted topic, granted to
 * its service principal in the key policy, through SNS only (`kms:ViaService`):
 * same page, step 6.
 */
export const NOTIFICATION_KEY_ACTIONS = ['kms:GenerateDataKey*', 'kms:Decrypt'] as const;

/** What a build or pipeline needs to exchange artifacts through a bucket. */
export const OBJECT_READ_WRITE_ACTIONS = ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject'] as const;

/**
 * What CodePipeline and CodeBuild need on the artifact bucket itself: the
 * CodePipeline User Guide's service role policy grants `s3:GetBucketAcl`,
 * `s3:GetBucketLocation` and `s3:GetBucketVersioning`, the CodeBuild User
 * Guide's ("Create a CodeBuild service role") the first two.
 */
export const BUCKET_READ_ACTIONS = ['s3:GetBucketAcl', 's3:GetBucketLocation', 's3:GetBucketVersioning'] as const;

/**
 * What `terraform plan` needs of the S3 backend's state objects: reading them (Terraform, "Backend Type: s3",
 * "S3 Bucket Permissions": `s3:GetObject` on the state keys).
 */
export const STATE_READ_ACTIONS = ['s3:GetObject'] as const;

/** Reading and writing the state object itself, as an apply does (same page): `s3:GetObject`, `s3:PutObject`. */
export const STATE_WRITE_ACTIONS = ['s3:GetObject', 's3:PutObject'] as const;

/**
 * Taking and releasing the backend's lock file, `<key>.tflock` (same page, with `use_lockfile`): `s3:GetObject`,
 * `s3:PutObject` and `s3:DeleteObject` on it. A plan takes the lock too.
 */
export const STATE_LOCK_ACTIONS = ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'] as const;

/** Reading state encrypted under a customer-managed key: S3 decrypts it with the reader's `kms:Decrypt`. */
export const STATE_KEY_READ_ACTIONS = ['kms:Decrypt'] as const;

/**
 * Every action that returns a secret's value (Secrets Manager API Reference: GetSecretValue, and
 * BatchGetSecretValue, which also needs GetSecretValue on each secret), for a policy that denies them.
 */
export const SECRET_VALUE_ACTIONS = ['secretsmanager:GetSecretValue', 'secretsmanager:BatchGetSecretValue'] as const;

/** Every action that returns an SSM parameter's value (Systems Manager API Reference, "GetParameter*"). */
export const PARAMETER_VALUE_ACTIONS = [
  'ssm:GetParameter',
  'ssm:GetParameters',
  'ssm:GetParametersByPath',
  'ssm:GetParameterHistory',
] as const;

/** Every action that returns an S3 object's content or metadata (`s3:GetObject`, its versions, ACLs, tags…). */
export const OBJECT_VALUE_ACTIONS = ['s3:GetObject*'] as const;

/** Listing the bucket's keys; granted only under the grantee's own prefix (an `s3:prefix` condition). */
export const BUCKET_LIST_ACTIONS = ['s3:ListBucket'] as const;

/** `docker login` to ECR; the API offers no resource scoping for it. */
export const ECR_AUTH_ACTIONS = ['ecr:GetAuthorizationToken'] as const;

/** `docker push` to one repository. */
export const ECR_PUSH_ACTIONS = [
  'ecr:BatchCheckLayerAvailability',
  'ecr:CompleteLayerUpload',
  'ecr:InitiateLayerUpload',
  'ecr:PutImage',
  'ecr:UploadLayerPart',
] as const;

/** `docker push` to ECR Public (Amazon ECR Public API Reference: the layer uploads and PutImage). */
export const ECR_PUBLIC_PUSH_ACTIONS = [
  'ecr-public:CompleteLayerUpload',
  'ecr-public:InitiateLayerUpload',
  'ecr-public:PutImage',
  'ecr-public:UploadLayerPart',
] as const;

/** Every way to start a CodeBuild build (CodeBuild API Reference: StartBuild, StartBuildBatch and their retries). */
export const BUILD_START_ACTIONS = [
  'codebuild:StartBuild',
  'codebuild:StartBuildBatch',
  'codebuild:RetryBuild',
  'codebuild:RetryBuildBatch',
] as const;

/**
 * What a pipeline needs to use a CodeConnections connection. Both service
 * prefixes, because connections created since AWS renamed the service carry
 * `codeconnections` ARNs.
 */
export const USE_CONNECTION_ACTIONS = ['codestar-connections:UseConnection', 'codeconnections:UseConnection'] as const;

/**
 * What a CodeBuild project that reads GitHub through a connection needs on it
 * (CodeBuild User Guide, "GitHub App connections":
 * https://docs.aws.amazon.com/codebuild/latest/userguide/connections-github-app.html);
 * both service prefixes, as for {@link USE_CONNECTION_ACTIONS}.
 */
export const CONNECTION_TOKEN_ACTIONS = [
  'codeconnections:GetConnection',
  'codeconnections:GetConnectionToken',
  'codestar-connections:GetConnection',
  'codestar-connections:GetConnectionToken',
] as const;

/**
 * Of `actions`, those that can apply to the connection `arn`: IAM matches a
 * connection only with actions of the prefix its ARN carries ("When specifying
 * a resource in the IAM policy, the service prefix needs to match that of the
 * resource": "Connections rename - Summary of changes", Developer Tools console
 * User Guide, https://docs.aws.amazon.com/dtconsole/latest/userguide/rename.html).
 * All of them while the ARN is not known before apply.
 */
export function connectionActionsFor(arn: string, actions: readonly string[]): string[] {
  const prefix = /^arn:[^:]+:(codestar-connections|codeconnections):/.exec(arn)?.[1];
  return actions.filter((action) => prefix === undefined || action.startsWith(`${prefix}:`));
}

/**
 * Actions that support no resource-level scoping, so `Resource: "*"` is the
 * only way to grant them; anything else on `*` is broader than it needs to be.
 * See the "Resource types" column of each service's page in the Service
 * Authorization Reference ("Actions, resources, and condition keys for Amazon
 * ECR", "... for AWS Security Token Service").
 */
export const UNSCOPED_ACTIONS: readonly string[] = [
  ...ECR_AUTH_ACTIONS,
  'ecr-public:GetAuthorizationToken',
  'sts:GetCallerIdentity',
  'sts:GetServiceBearerToken',
];

/**
 * Service principals that document the `aws:SourceAccount` and `aws:SourceArn`
 * condition keys in the trust policy of the roles they assume, so a trust
 * policy can pin them to this account's resources (the confused deputy
 * problem). Only services that say they send these keys belong here: for any
 * other, the condition would never match and the service could not assume the
 * role.
 * - CodeBuild: "Cross-service confused deputy prevention", AWS CodeBuild User Guide,
 *   https://docs.aws.amazon.com/codebuild/latest/userguide/cross-service-confused-deputy-prevention.html
 *   (aws:SourceArn is the project ARN `arn:aws:codebuild:region:account:project/name`).
 */
export const CONFUSED_DEPUTY_SERVICES: readonly string[] = ['codebuild.amazonaws.com'];
