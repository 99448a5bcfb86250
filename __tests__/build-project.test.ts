import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CodebuildProject } from '@cdktf/provider-aws/lib/codebuild-project';
import { CodebuildReportGroup } from '@cdktf/provider-aws/lib/codebuild-report-group';
import { Construct } from 'constructs';
import { BuildProject, BuildProjectProps, LOG_WRITE_ACTIONS, REPORT_ACTIONS, SECRET_READ_ACTIONS, UNIT_TEST_REPORT_KEY } from '../constructs/build-project';
import { EncryptionKey, KEY_ENCRYPT_DECRYPT_ACTIONS } from '../constructs/encryption-key';
import { OBJECT_READ_WRITE_ACTIONS, SecureBucket } from '../constructs/secure-bucket';
import { only, policyStatements, statement, synthScope } from './helpers';

const SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:ci/app/dockerhub-AbCdEf';

function build(scope: Construct, props: Partial<BuildProjectProps> = {}): BuildProject {
  const encryptionKey = new EncryptionKey(scope, 'key', { alias: 'ci/app', description: 'd', allowCloudWatchLogs: true });
  const artifactBucket = new SecureBucket(scope, 'artifacts', { bucketPrefix: 'app-', encryptionKeyArn: encryptionKey.keyArn });
  return new BuildProject(scope, 'build', { projectName: 'app', encryptionKey, artifactBucket, ...props });
}

describe('BuildProject', () => {
  const { text, json } = synthScope((scope) =>
    build(scope, {
      appPath: 'service',
      concurrentBuildLimit: 2,
      environmentVariables: [{ name: 'IMAGE_REPOSITORY_URI', value: 'docker.io/o/app' }],
      secretEnvironmentVariables: [
        { name: 'DOCKERHUB_USERNAME', secretArn: SECRET, jsonKey: 'username' },
        { name: 'DOCKERHUB_PASSWORD', secretArn: SECRET, jsonKey: 'password' },
      ],
    }),
  );
  const project = only(json, 'aws_codebuild_project');

  test('runs the app\'s buildspec from CodePipeline, encrypted with the customer key', () => {
    expect(text).toHaveResourceWithProperties(CodebuildProject, {
      name: 'app',
      source: { type: 'CODEPIPELINE', buildspec: 'service/buildspec.yml' },
      artifacts: { type: 'CODEPIPELINE' },
      concurrent_build_limit: 2,
      build_timeout: 30,
      queued_timeout: 60,
    });
    expect(project.encryption_key).toMatch(/^\$\{aws_kms_key\.key_[0-9A-F]{8}\.arn\}$/);
  });

  test('runs Docker in privileged mode with a local layer cache, on a current standard image', () => {
    expect(project.environment).toMatchObject({
      privileged_mode: true,
      image: 'aws/codebuild/standard:7.0',
      compute_type: 'BUILD_GENERAL1_SMALL',
      type: 'LINUX_CONTAINER',
    });
    expect(project.cache).toEqual({ type: 'LOCAL', modes: ['LOCAL_DOCKER_LAYER_CACHE', 'LOCAL_SOURCE_CACHE'] });
  });

  test('no privileged mode and no Docker cache for builds that make no image', () => {
    const { json: plain } = synthScope((scope) => build(scope, { buildsImages: false }));
    const plainProject = only(plain, 'aws_codebuild_project');
    expect(plainProject.environment.privileged_mode).toBe(false);
    expect(plainProject.cache.modes).toEqual(['LOCAL_SOURCE_CACHE']);
  });

  test('passes plain values as PLAINTEXT and secrets as SECRETS_MANAGER references', () => {
    expect(project.environment.environment_variable).toEqual([
      { name: 'APP_DIR', type: 'PLAINTEXT', value: 'service' },
      { name: 'IMAGE_REPOSITORY_URI', type: 'PLAINTEXT', value: 'docker.io/o/app' },
      { name: 'DOCKERHUB_USERNAME', type: 'SECRETS_MANAGER', value: `${SECRET}:username` },
      { name: 'DOCKERHUB_PASSWORD', type: 'SECRETS_MANAGER', value: `${SECRET}:password` },
    ]);
  });

  test('logs to its own encrypted log group with retention, and reports tests to a TEST report group', () => {
    expect(text).toHaveResourceWithProperties(CloudwatchLogGroup, { name: '/aws/codebuild/app', retention_in_days: 365 });
    expect(only(json, 'aws_cloudwatch_log_group').kms_key_id).toMatch(/aws_kms_key\.key_/);
    expect(project.logs_config.cloudwatch_logs).toEqual({ status: 'ENABLED', group_name: expect.stringMatching(/aws_cloudwatch_log_group\.build_logs_/) });
    expect(text).toHaveResourceWithProperties(CodebuildReportGroup, { name: `app-${UNIT_TEST_REPORT_KEY}`, type: 'TEST', export_config: { type: 'NO_EXPORT' } });
  });

  test('its role may do what the build does, on these resources only', () => {
    const statements = policyStatements(json, 'build_role_permissions');
    expect(statements.map((s) => s.sid)).toEqual(['WriteBuildLogs', 'PublishTestReports', 'BucketObjectsReadWrite', 'BucketRead', 'UseEncryptionKey', 'ReadBuildSecrets']);
    expect(statement(statements, 'WriteBuildLogs')).toMatchObject({ actions: LOG_WRITE_ACTIONS });
    expect(statement(statements, 'WriteBuildLogs').resources.every((r: string) => r.includes('aws_cloudwatch_log_group.build_logs_'))).toBe(true);
    expect(statement(statements, 'PublishTestReports')).toMatchObject({ actions: REPORT_ACTIONS, resources: [expect.stringMatching(/aws_codebuild_report_group\.build_unit-test-reports_/)] });
    expect(statement(statements, 'BucketObjectsReadWrite')).toMatchObject({ actions: OBJECT_READ_WRITE_ACTIONS, resources: [expect.stringMatching(/aws_s3_bucket\.artifacts_bucket_.*\.arn\}\/\*$/)] });
    expect(statement(statements, 'UseEncryptionKey')).toMatchObject({ actions: KEY_ENCRYPT_DECRYPT_ACTIONS });
    expect(statement(statements, 'ReadBuildSecrets')).toEqual({ sid: 'ReadBuildSecrets', effect: 'Allow', actions: [...SECRET_READ_ACTIONS], resources: [SECRET] });
    for (const granted of statements) {
      expect(granted.actions).not.toContain('*');
      expect(granted.resources).not.toContain('*');
    }
  });

  test('runs on ARM for aarch64 images', () => {
    const { json: arm } = synthScope((scope) => build(scope, { image: 'aws/codebuild/amazonlinux-aarch64-standard:3.0' }));
    expect(only(arm, 'aws_codebuild_project').environment.type).toBe('ARM_CONTAINER');
  });

  test.each([
    [{ concurrentBuildLimit: 0 }, /"concurrentBuildLimit" = 0: must be an integer >= 1/],
    [{ concurrentBuildLimit: 1.5 }, /"concurrentBuildLimit" = 1.5: must be an integer >= 1/],
    [{ timeoutMinutes: 2 }, /"timeoutMinutes" = 2: must be an integer from 5 to 2160/],
    [{ queuedTimeoutMinutes: 481 }, /"queuedTimeoutMinutes" = 481/],
    [{ logRetentionDays: 0 }, /"logRetentionDays" = 0: must be one of CloudWatch Logs' retention periods/],
    [{ computeType: 'HUGE' as never }, /"computeType" = "HUGE": must be one of BUILD_GENERAL1_SMALL/],
    [{ appPath: '../x' }, /"appPath" = "..\/x"/],
    [{ projectName: '-x' }, /"projectName" = "-x"/],
    [{ environmentVariables: [{ name: 'APP_DIR', value: 'x' }] }, /environment variable "APP_DIR" is defined twice/],
    [{ environmentVariables: [{ name: 'CODEBUILD_X', value: 'x' }] }, /environment variable name "CODEBUILD_X" is invalid/],
  ])('rejects %j', (props, message) => {
    expect(() => synthScope((scope) => build(scope, props))).toThrow(message);
  });
});
