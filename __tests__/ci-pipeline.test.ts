import { CodebuildProject } from '@cdktf/provider-aws/lib/codebuild-project';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { Codepipeline } from '@cdktf/provider-aws/lib/codepipeline';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { BUILD_ENVIRONMENT_VARIABLES } from '../constructs/ci-pipeline';
import { only, policyStatements, statement, synthPipeline } from './helpers';

const EXISTING_KEY = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

const envOf = (json: any) =>
  Object.fromEntries(only(json, 'aws_codebuild_project').environment.environment_variable.map((v: any) => [v.name, v]));

describe('CiPipeline', () => {
  test('Docker Hub: pushes latest too, and logs in with credentials from Secrets Manager', () => {
    const { text, json } = synthPipeline({ registry: { type: 'dockerhub', image: 'my-org/app' } });
    const env = envOf(json);
    expect(env.IMAGE_REPOSITORY_URI.value).toBe('docker.io/my-org/app');
    expect(env.PUSH_LATEST_TAG.value).toBe('true');
    expect(env.ECR_REGISTRY).toBeUndefined();
    expect(env.DOCKERHUB_USERNAME).toMatchObject({ type: 'SECRETS_MANAGER', value: expect.stringMatching(/aws_secretsmanager_secret\.ci_dockerhub-credentials_secret_.*\.arn\}:username$/) });
    expect(text).toHaveResourceWithProperties(SecretsmanagerSecret, { name: 'ci/app/dockerhub' });
    expect(text).not.toHaveResource(EcrRepository);
  });

  test('ECR: pushes only the immutable SHA tag, may push to its repository, and skips Docker Hub unless asked', () => {
    const { text, json } = synthPipeline({ registry: { type: 'ecr', image: 'app' } });
    const env = envOf(json);
    expect(env.IMAGE_REPOSITORY_URI.value).toMatch(/^\$\{aws_ecr_repository\.ci_image-repository_[0-9A-F]{8}\.repository_url\}$/);
    expect(env.PUSH_LATEST_TAG.value).toBe('false');
    expect(env.ECR_REGISTRY.value).toMatch(/split\("\/", aws_ecr_repository/);
    expect(env.DOCKERHUB_USERNAME).toBeUndefined();
    expect(text).not.toHaveResource(SecretsmanagerSecret);
    expect(policyStatements(json, 'ci_build_role_permissions').map((s) => s.sid)).toEqual(
      expect.arrayContaining(['EcrLogin', 'EcrPushImages']),
    );
    expect(policyStatements(json, 'ci_build_role_permissions').map((s) => s.sid)).not.toContain('ReadBuildSecrets');

    const withLogin = synthPipeline({ registry: { type: 'ecr', image: 'app', dockerHubCredentials: true } });
    expect(envOf(withLogin.json).DOCKERHUB_PASSWORD.type).toBe('SECRETS_MANAGER');
    expect(policyStatements(withLogin.json, 'ci_build_role_permissions').map((s) => s.sid)).toContain('ReadBuildSecrets');
  });

  test('every configuration sets the variables the buildspec always needs, and no others', () => {
    const always = Object.entries(BUILD_ENVIRONMENT_VARIABLES).filter(([, v]) => v.always).map(([name]) => name);
    for (const registry of [
      { type: 'dockerhub' as const, image: 'o/app' },
      { type: 'ecr' as const, image: 'app' },
      { type: 'ecr' as const, image: 'app', dockerHubCredentials: true },
    ]) {
      const names = Object.keys(envOf(synthPipeline({ registry }).json));
      expect(names).toEqual(expect.arrayContaining(always));
      expect(Object.keys(BUILD_ENVIRONMENT_VARIABLES)).toEqual(expect.arrayContaining(names));
    }
  });

  test('build settings reach the project', () => {
    const { text, json } = synthPipeline({ build: { computeType: 'BUILD_GENERAL1_MEDIUM', concurrentBuildLimit: 3, timeoutMinutes: 45 } });
    expect(text).toHaveResourceWithProperties(CodebuildProject, { concurrent_build_limit: 3, build_timeout: 45 });
    expect(only(json, 'aws_codebuild_project').environment.compute_type).toBe('BUILD_GENERAL1_MEDIUM');
  });

  test('creates its own key and hardened artifact bucket by default', () => {
    const { text, pipeline } = synthPipeline();
    expect(text).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true });
    expect(text).toHaveResourceWithProperties(S3Bucket, { bucket_prefix: 'app-artifacts-' });
    expect(pipeline.encryptionKey.keyArn).toMatch(/^\$\{TfToken/);
  });

  test('an existing KMS key encrypts everything, and only the roles are granted its use', () => {
    const { text, json } = synthPipeline({ registry: { type: 'ecr', image: 'app', dockerHubCredentials: true }, encryptionKeyArn: EXISTING_KEY });
    expect(text).not.toHaveResource(KmsKey);
    expect(text).toHaveResourceWithProperties(CloudwatchLogGroup, { kms_key_id: EXISTING_KEY });
    expect(text).toHaveResourceWithProperties(CodebuildProject, { encryption_key: EXISTING_KEY });
    expect(text).toHaveResourceWithProperties(SecretsmanagerSecret, { kms_key_id: EXISTING_KEY });
    expect(text).toHaveResourceWithProperties(EcrRepository, { encryption_configuration: [{ encryption_type: 'KMS', kms_key: EXISTING_KEY }] });
    expect(only(json, 'aws_codepipeline').artifact_store[0].encryption_key).toEqual({ type: 'KMS', id: EXISTING_KEY });
    expect(only(json, 'aws_s3_bucket_server_side_encryption_configuration').rule[0].apply_server_side_encryption_by_default.kms_master_key_id).toBe(EXISTING_KEY);
    for (const role of ['build', 'pipeline']) {
      expect(statement(policyStatements(json, `ci_${role}_role_permissions`), 'UseEncryptionKey').resources).toEqual([EXISTING_KEY]);
    }
  });

  test('an existing artifact bucket is used as is: no bucket, no bucket settings, grants on its name', () => {
    const { text, json } = synthPipeline({ artifactBucketName: 'shared-ci-artifacts' });
    expect(text).not.toHaveResource(S3Bucket);
    expect(Object.keys(json.resource ?? {}).filter((type) => type.startsWith('aws_s3_'))).toEqual([]);
    expect(text).toHaveResourceWithProperties(Codepipeline, { artifact_store: [expect.objectContaining({ location: 'shared-ci-artifacts', type: 'S3' })] });
    const objects = statement(policyStatements(json, 'ci_pipeline_role_permissions'), 'BucketObjectsReadWrite');
    expect(objects.resources).toEqual([expect.stringMatching(/^arn:\$\{data\.aws_partition\.[^}]+\.partition\}:s3:::shared-ci-artifacts\/\*$/)]);
  });

  test.each([
    [{ name: 'Bad_Name' }, /CiPipeline: invalid prop "name" = "Bad_Name"/],
    [{ encryptionKeyArn: 'arn:aws:kms:eu-west-1:123456789012:alias/ci' }, /CiPipeline: invalid prop "encryptionKeyArn" = "arn:aws:kms:eu-west-1:123456789012:alias\/ci": must be a KMS key ARN .*\(not an alias ARN\)/],
    [{ artifactBucketName: 'Shared_Artifacts' }, /CiPipeline: invalid prop "artifactBucketName" = "Shared_Artifacts": must be a valid S3 bucket name/],
    [{ artifactBucketName: 'shared-ci-artifacts', artifactRetentionDays: 7 }, /prop "artifactRetentionDays" applies only to a created artifact bucket/],
    [{ trigger: 'poll' as never }, /invalid prop "trigger" = "poll": must be one of webhook, connection/],
    [{ registry: { type: 'gcr' as never, image: 'x/y' } }, /invalid prop "registry.type" = "gcr"/],
    [{ registry: { type: 'dockerhub' as const, image: 'no-namespace' } }, /invalid prop "registry.image" = "no-namespace"/],
    [{ trigger: 'connection' as const, github: { owner: 'o', repository: 'r', oauthTokenSecret: 's' } }, /apply only to trigger "webhook"/],
    [{ github: { owner: 'o', repository: 'r', connectionArn: 'arn' } }, /applies only to trigger "connection"/],
    [{ artifactRetentionDays: 0 }, /"artifactRetentionDays" = 0/],
  ])('rejects %j', (overrides, message) => {
    expect(() => synthPipeline(overrides)).toThrow(message);
  });
});
