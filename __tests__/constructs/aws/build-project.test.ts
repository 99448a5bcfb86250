import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CodebuildProject } from '@cdktf/provider-aws/lib/codebuild-project';
import { CodebuildReportGroup } from '@cdktf/provider-aws/lib/codebuild-report-group';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { BuildProject, BuildProjectProps, UNIT_TEST_REPORT_KEY } from '../../../constructs/aws/build-project';
import { GitHubBuildSource } from '../../../constructs/aws/build-source';
import { EncryptionKey } from '../../../constructs/aws/encryption-key';
import {
  KEY_ENCRYPT_DECRYPT_ACTIONS,
  LOG_WRITE_ACTIONS,
  REPORT_ACTIONS,
  SECRET_READ_ACTIONS,
} from '../../../shared/iam-actions';
import { contextArn, statement, synth, Synthesized, testApp } from '../../helpers';

const SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:ci/app/dockerhub-AbCdEf';

function build(scope: Construct, props: Partial<BuildProjectProps> = {}): BuildProject {
  const encryptionKey = new EncryptionKey(scope, 'key', {
    alias: 'ci/app',
    description: 'd',
    allowCloudWatchLogs: true,
  });
  return new BuildProject(scope, 'build', { projectName: 'app', encryptionKey, ...props });
}

describe('BuildProject', () => {
  let stack: Synthesized;
  let project: any;
  beforeAll(() => {
    stack = synth((scope) =>
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
    project = stack.at('build/project');
  });

  test("runs the app's buildspec from CodePipeline, encrypted with the customer key", () => {
    expect(stack.text).toHaveResourceWithProperties(CodebuildProject, {
      name: 'app',
      source: { type: 'CODEPIPELINE', buildspec: 'service/buildspec.yml' },
      artifacts: { type: 'CODEPIPELINE' },
      concurrent_build_limit: 2,
      build_timeout: 30,
      queued_timeout: 60,
    });
    expect(project.encryption_key).toBe(stack.ref('key/key', 'arn'));
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

  test('passes plain values as PLAINTEXT and secrets as SECRETS_MANAGER references', () => {
    expect(project.environment.environment_variable).toEqual([
      { name: 'APP_DIR', type: 'PLAINTEXT', value: 'service' },
      { name: 'IMAGE_REPOSITORY_URI', type: 'PLAINTEXT', value: 'docker.io/o/app' },
      { name: 'DOCKERHUB_USERNAME', type: 'SECRETS_MANAGER', value: `${SECRET}:username` },
      { name: 'DOCKERHUB_PASSWORD', type: 'SECRETS_MANAGER', value: `${SECRET}:password` },
    ]);
  });

  test('logs to its own encrypted log group with retention, and reports tests to a TEST report group', () => {
    expect(stack.text).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: '/aws/codebuild/app',
      retention_in_days: 365,
    });
    expect(stack.at('build/logs').kms_key_id).toBe(stack.ref('key/key', 'arn'));
    expect(project.logs_config.cloudwatch_logs).toEqual({
      status: 'ENABLED',
      group_name: stack.ref('build/logs', 'name'),
    });
    expect(stack.text).toHaveResourceWithProperties(CodebuildReportGroup, {
      name: `app-${UNIT_TEST_REPORT_KEY}`,
      type: 'TEST',
      export_config: { type: 'NO_EXPORT' },
    });
  });

  test('keeps logs a year unless told otherwise, and records a shorter period as chosen, for review', () => {
    // The suppression is in the resource's `//` metadata, which Testing.synth leaves out.
    const logGroupOf = (props: Partial<BuildProjectProps>) => {
      const root = new TerraformStack(testApp(), 'stack');
      build(root, props);
      return Object.values<any>((root.toTerraform() as any).resource.aws_cloudwatch_log_group)[0];
    };
    expect(logGroupOf({})['//'].suppressions).toBeUndefined();
    const shorter = logGroupOf({ logRetentionDays: 90 });
    expect(shorter.retention_in_days).toBe(90);
    expect(shorter['//'].suppressions).toEqual([
      {
        rule: 'cw-loggroup-retention-period-check',
        reason: 'logRetentionDays is 90 on stack/build: the build logs are kept that long, as its owner chose',
      },
    ]);
  });

  test('its role trusts CodeBuild only for builds of this project in this account (confused deputy)', () => {
    const [trust] = stack.statements('build/role/trust');
    expect(trust.condition).toEqual([
      { test: 'StringEquals', variable: 'aws:SourceAccount', values: [stack.ref('aws-context/account', 'account_id')] },
      { test: 'ArnLike', variable: 'aws:SourceArn', values: [contextArn(stack, 'codebuild', 'project/app')] },
    ]);
  });

  test(
    'its role may do what the build does, on these resources only (artifacts come with the pipeline action that ' +
      'runs it)',
    () => {
      const statements = stack.statements('build/role/permissions');
      expect(statements.map((s) => s.sid)).toEqual([
        'WriteBuildLogs',
        'PublishTestReports',
        'UseEncryptionKey',
        'ReadBuildSecrets',
      ]);
      // Log group and report group ARNs are built from their names, known at plan time (no policy diff when they
      // change).
      const logGroup = contextArn(stack, 'logs', 'log-group:/aws/codebuild/app');
      expect(statement(statements, 'WriteBuildLogs')).toEqual({
        sid: 'WriteBuildLogs',
        effect: 'Allow',
        actions: [...LOG_WRITE_ACTIONS],
        resources: [logGroup, `${logGroup}:*`],
      });
      expect(statement(statements, 'PublishTestReports')).toMatchObject({
        actions: REPORT_ACTIONS,
        resources: [contextArn(stack, 'codebuild', 'report-group/app-unit-tests')],
      });
      expect(statement(statements, 'UseEncryptionKey')).toMatchObject({
        actions: KEY_ENCRYPT_DECRYPT_ACTIONS,
        resources: [stack.ref('key/key', 'arn')],
      });
      expect(statement(statements, 'ReadBuildSecrets')).toEqual({
        sid: 'ReadBuildSecrets',
        effect: 'Allow',
        actions: [...SECRET_READ_ACTIONS],
        resources: [SECRET],
      });
      for (const granted of statements) {
        expect(granted.actions).not.toContain('*');
        expect(granted.resources).not.toContain('*');
      }
    },
  );
});

describe('BuildProject variants', () => {
  test('no privileged mode and no Docker cache for builds that make no image', () => {
    const plain = synth((scope) => build(scope, { buildsImages: false })).at('build/project');
    expect(plain.environment.privileged_mode).toBe(false);
    expect(plain.cache.modes).toEqual(['LOCAL_SOURCE_CACHE']);
  });

  test('sets no concurrent build limit unless asked, since CodeBuild fails the builds over one', () => {
    expect(synth((scope) => build(scope)).at('build/project').concurrent_build_limit).toBeUndefined();
  });

  test('runs on ARM for aarch64 images', () => {
    const arm = synth((scope) => build(scope, { image: 'aws/codebuild/amazonlinux-aarch64-standard:3.0' })).at(
      'build/project',
    );
    expect(arm.environment.type).toBe('ARM_CONTAINER');
  });

  test.each([
    [
      { concurrentBuildLimit: 0 },
      /BuildProject at stack\/build: invalid prop "concurrentBuildLimit" = 0: must be an integer >= 1/,
    ],
    [{ concurrentBuildLimit: 1.5 }, /"concurrentBuildLimit" = 1.5: must be an integer >= 1/],
    [{ timeoutMinutes: 2 }, /"timeoutMinutes" = 2: must be an integer from 5 to 2160/],
    [{ queuedTimeoutMinutes: 481 }, /"queuedTimeoutMinutes" = 481/],
    [{ logRetentionDays: 0 }, /"logRetentionDays" = 0: must be one of CloudWatch Logs' retention periods/],
    [{ computeType: 'HUGE' as never }, /"computeType" = "HUGE": must be one of BUILD_GENERAL1_SMALL/],
    [{ appPath: '../x' }, /"appPath" = "..\/x"/],
    [{ projectName: '-x' }, /"projectName" = "-x"/],
    // Valid for CodeBuild (150), but the role name it gives is over IAM's 64 and the report group's over 128.
    [
      { projectName: 'a'.repeat(60) },
      /"projectName" = "a{60}": gives the IAM role name "a{60}-codebuild", which must be 1-64/,
    ],
    [{ projectName: 'a'.repeat(120) }, /gives the report group name "a{120}-unit-tests", which must be 2-128/],
    [
      { environmentVariables: [{ name: 'APP_DIR', value: 'x' }] },
      '"environmentVariables[].name" = "APP_DIR": must be unique among the build\'s variables ' +
        '(APP_DIR is set from "appPath")',
    ],
    [
      { environmentVariables: [{ name: 'CODEBUILD_X', value: 'x' }] },
      '"environmentVariables[].name" = "CODEBUILD_X": must be letters, digits and "_", ' +
        'not starting with a digit or with CODEBUILD_',
    ],
  ])('rejects %j, naming the construct path, the prop, the value and what is allowed', (props, message) => {
    expect(() => synth((scope) => build(scope, props))).toThrow(message);
  });

  test.each([
    ['a Docker Hub image by tag', 'docker:27-dind'],
    ['a public ECR image by tag', 'public.ecr.aws/docker/library/docker:latest'],
  ])('refuses %s for a build that runs Docker (privileged), naming the prop', (_name, image) => {
    expect(() => synth((scope) => build(scope, { image }))).toThrow(
      new RegExp(
        `invalid prop "image" = "${image.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}": must be a CodeBuild image .* or ` +
          `pinned by digest`,
      ),
    );
  });

  test('takes any image pinned by digest, and any image for a build that runs no Docker', () => {
    expect(() => synth((scope) => build(scope, { image: `docker@sha256:${'0'.repeat(64)}` }))).not.toThrow();
    expect(() => synth((scope) => build(scope, { image: 'python:3.12', buildsImages: false }))).not.toThrow();
  });

  const digest = `sha256:${'0'.repeat(64)}`;
  test.each([
    ['an uppercase tag pinned by digest', `docker:27-DIND@${digest}`],
    ['a registry host with capitals and a port', `Registry.Example.com:5000/team/builder:V1@${digest}`],
    ['an ECR image by digest', `123456789012.dkr.ecr.eu-west-1.amazonaws.com/build/image@${digest}`],
    ['a CodeBuild image', 'aws/codebuild/amazonlinux-x86_64-standard:5.0'],
  ])('takes %s, as Docker reads image references', (_name, image) => {
    expect(() => synth((scope) => build(scope, { image }))).not.toThrow();
  });

  test.each([
    ['capitals in a path component', `Team/Image@${digest}`],
    ['an empty tag', 'docker:'],
    ['a digest too short', 'docker@sha256:abc'],
    ['a tag of 129 characters', `docker:${'t'.repeat(129)}`],
    ['an empty path component', 'team//image'],
  ])('refuses %s, naming the prop', (_name, image) => {
    expect(() => synth((scope) => build(scope, { image, buildsImages: false }))).toThrow(
      /invalid prop "image" = .*: must be a CodeBuild image such as ".*" or an image reference such as/,
    );
  });

  test('reports every invalid prop at once', () => {
    expect(() => synth((scope) => build(scope, { timeoutMinutes: 2, queuedTimeoutMinutes: 1 }))).toThrow(
      /"timeoutMinutes" = 2.*\n.*"queuedTimeoutMinutes" = 1/,
    );
  });
});

describe('BuildProject with a GitHub source', () => {
  const TOKEN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:github/codebuild-token-AbCdEf';
  const source = (overrides: Partial<GitHubBuildSource> = {}): GitHubBuildSource => ({
    repositoryUrl: 'https://github.com/o/r.git',
    auth: { type: 'SECRETS_MANAGER', secretArn: TOKEN },
    statusContext: 'codebuild/app',
    webhookFilterGroups: [[{ type: 'EVENT', pattern: 'PULL_REQUEST_CREATED' }]],
    ...overrides,
  });

  test('builds the repository on its own, reports its status, and its role may read exactly the token', () => {
    const stack = synth((scope) => build(scope, { gitHubSource: source() }));
    expect(stack.at('build/project').source).toMatchObject({
      type: 'GITHUB',
      location: 'https://github.com/o/r.git',
      report_build_status: true,
      auth: { type: 'SECRETS_MANAGER', resource: TOKEN },
    });
    expect(stack.at('build/project').artifacts).toEqual({ type: 'NO_ARTIFACTS' });
    expect(stack.at('build/webhook').project_name).toBe(stack.ref('build/project', 'name'));
    expect(statement(stack.statements('build/role/permissions'), 'ReadSourceToken')).toMatchObject({
      actions: [...SECRET_READ_ACTIONS],
      resources: [TOKEN],
    });
  });

  test('writes a DISABLED policy without approver roles, which apply only to approvals', () => {
    const stack = synth((scope) =>
      build(scope, { gitHubSource: source({ pullRequestBuildPolicy: { requiresCommentApproval: 'DISABLED' } }) }),
    );
    expect(stack.at('build/webhook').pull_request_build_policy).toEqual({ requires_comment_approval: 'DISABLED' });
  });

  test.each([
    [
      'a filter group without an EVENT filter',
      { webhookFilterGroups: [[{ type: 'BASE_REF' as const, pattern: '^refs/heads/main$' }]] },
      /invalid prop "gitHubSource.webhookFilterGroups\[0\]" = \["BASE_REF"\]: must hold an EVENT filter/,
    ],
    [
      'no filter group',
      { webhookFilterGroups: [] },
      /invalid prop "gitHubSource.webhookFilterGroups" = \[\]: must hold at least one filter group/,
    ],
    [
      'a status context with a leading space',
      { statusContext: ' ci' },
      /invalid prop "gitHubSource.statusContext" = " ci": must be a status check context/,
    ],
    [
      'an unknown comment approval',
      { pullRequestBuildPolicy: { requiresCommentApproval: 'SOMETIMES' as any } },
      /"gitHubSource.pullRequestBuildPolicy.requiresCommentApproval" = "SOMETIMES": must be one of ALL_PULL_REQUESTS/,
    ],
    [
      'an unknown approver role',
      {
        pullRequestBuildPolicy: {
          requiresCommentApproval: 'ALL_PULL_REQUESTS' as const,
          approverRoles: ['GITHUB_OWNER' as any],
        },
      },
      /"gitHubSource.pullRequestBuildPolicy.approverRoles\[0\]" = "GITHUB_OWNER": must be one of GITHUB_READ/,
    ],
    [
      'approver roles with DISABLED',
      {
        pullRequestBuildPolicy: {
          requiresCommentApproval: 'DISABLED' as const,
          approverRoles: ['GITHUB_ADMIN' as const],
        },
      },
      /approverRoles" = \["GITHUB_ADMIN"\]: applies only when requiresCommentApproval is not DISABLED/,
    ],
  ])('refuses %s, naming the prop', (_case, overrides, message) => {
    expect(() =>
      synth((scope) => build(scope, { gitHubSource: source(overrides as Partial<GitHubBuildSource>) })),
    ).toThrow(message);
  });
});
