import {
  checkArnInPartitionOf,
  checkArnUsableIn,
  checkAwsRegion,
  checkRelativePath,
  partitionOf,
} from '../../../constructs/private/checks';
import { checkBranchName, checkGitHubOwner, checkGitHubRepository } from '../../../constructs/github/source-repository';
import {
  checkChatbotSlackChannelArn,
  checkEmailAddress,
  checkNotificationEventTypeId,
  checkNotificationRuleName,
  checkNotificationRuleResource,
  checkSnsTopicName,
} from '../../../constructs/aws/failure-notifications';
import {
  checkCodeBuildProjectName,
  checkConcurrentBuildLimit,
  checkEnvironmentVariableName,
  checkLogGroupName,
  checkLogRetentionDays,
  checkReportGroupName,
} from '../../../constructs/aws/build-project';
import { checkCodePipelineName } from '../../../constructs/aws/pipeline';
import { checkConnectionName } from '../../../constructs/github/github-connection-source';
import { checkDockerHubRepository, checkPipelineName } from '../../../constructs/ci-pipeline/ci-pipeline-props';
import {
  checkIamPolicyName,
  checkIamRoleName,
  checkServicePrincipal,
  checkStatementId,
} from '../../../constructs/aws/service-role';
import { checkEcrRepositoryName } from '../../../constructs/aws/image-repository';
import { checkKmsAliasName, checkKmsKeyArn, checkKmsKeyOrAliasArn } from '../../../constructs/aws/encryption-key';
import {
  checkNewS3BucketName,
  checkS3BucketName,
  checkS3BucketPrefix,
  checkS3KeyPrefix,
} from '../../../constructs/aws/secure-bucket';
import { checkSecretArn, checkSecretName, checkVariablePrefix } from '../../../constructs/aws/registry-credentials';
import { Check } from '../../../constructs/private/validation';

function expectRule<T>(check: Check<T>, valid: T[], invalid: T[]): void {
  for (const value of valid) expect([value, check(value)]).toEqual([value, undefined]);
  for (const value of invalid) expect([value, typeof check(value)]).toEqual([value, 'string']);
}

describe('shared validation rules', () => {
  test('pipeline names fit stack, role and bucket naming', () => {
    expectRule(
      checkPipelineName,
      ['ab', 'sample-flask-app', 'a'.repeat(32), '2fa-service', '42'],
      ['a', 'Sample', '-app', 'app-', 'a_b', 'a'.repeat(33), ''],
    );
  });

  test('KMS key ARNs: key IDs only where an alias will not do', () => {
    const key = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const multiRegion = 'arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/mrk-0123456789abcdef0123456789abcdef';
    const alias = 'arn:aws:kms:eu-west-1:123456789012:alias/ci/app';
    expectRule(
      checkKmsKeyArn,
      [key, multiRegion],
      [alias, 'key/1234', 'arn:aws:kms:eu-west-1:123456789012:key/abc', `${key} `, 'arn:aws:s3:::bucket', ''],
    );
    expectRule(
      checkKmsKeyOrAliasArn,
      [key, multiRegion, alias],
      ['alias/ci/app', 'arn:aws:kms:eu-west-1:12345:key/abc', ''],
    );
  });

  test('ARNs usable in a region: same region and partition', () => {
    expectRule(
      checkArnUsableIn('eu-west-1', 'the stack'),
      ['arn:aws:kms:eu-west-1:123456789012:key/x'],
      [
        'arn:aws:kms:eu-west-2:123456789012:key/x',
        'arn:aws-cn:kms:eu-west-1:123456789012:key/x',
        'arn:aws:s3:::bucket',
        '',
      ],
    );
    expectRule(
      checkArnUsableIn('cn-north-1', 'the stack'),
      ['arn:aws-cn:kms:cn-north-1:123456789012:key/x'],
      ['arn:aws:kms:cn-north-1:123456789012:key/x'],
    );
    expect(checkArnUsableIn('eu-west-1', 'the stack')('arn:aws:kms:eu-west-2:1:key/x')).toContain('"eu-west-2"');
  });

  test('ARNs in the partition of a region, whatever their own region', () => {
    expectRule(
      checkArnInPartitionOf('eu-west-1'),
      ['arn:aws:codeconnections:us-east-1:123456789012:connection/x'],
      ['arn:aws-us-gov:codeconnections:us-gov-west-1:123456789012:connection/x', ''],
    );
  });

  test('partitions of regions', () => {
    expect(
      [
        'us-east-1',
        'cn-north-1',
        'us-gov-west-1',
        'us-iso-east-1',
        'us-isob-east-1',
        'eu-isoe-west-1',
        'us-isof-south-1',
        'eusc-de-east-1',
      ].map(partitionOf),
    ).toEqual(['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc']);
  });

  test('GitHub owners', () => {
    expectRule(
      checkGitHubOwner,
      ['octocat', 'my-org', 'A1'],
      ['-org', 'org-', 'my--org', 'my_org', '', 'a'.repeat(40)],
    );
  });

  test('GitHub repository names', () => {
    expectRule(
      checkGitHubRepository,
      ['repo', 'my.repo_1-x'],
      ['.', '..', 'repo.git', 'my repo', 'a/b', '', 'a'.repeat(101)],
    );
  });

  test('a ref (refs/heads/main) is refused, naming the branch it means: the filters would never match a push', () => {
    expect(checkBranchName('refs/heads/main')).toBe('must be the branch\'s own name, such as "main", not a ref');
    expect(checkBranchName('refs/release')).toBe('must be the branch\'s own name, such as "release", not a ref');
    expect(checkBranchName('feature/refs/x')).toBeUndefined();
  });

  test('branch names follow git check-ref-format', () => {
    expectRule(
      checkBranchName,
      ['main', 'release/1.2', 'feature/x-y_z', 'head', 'a'.repeat(39), 'g'.repeat(40), 'é'.repeat(127)],
      [
        'HEAD',
        '0123456789abcdef0123456789abcdef01234567',
        'ABCDEF0123456789ABCDEF0123456789ABCDEF01',
        'é'.repeat(128),
        'a\tb',
        '',
        'a..b',
        'has space',
        '-x',
        '/x',
        'x/',
        'x.',
        'x.lock',
        'a/.hidden',
        'a~b',
        'a^b',
        'a:b',
        'a?b',
        'a*b',
        'a[b',
        'a\\b',
        'a@{b',
        '@',
        'a//b',
      ],
    );
  });

  test('AWS regions: those AWS lists, in every partition; a code of the right shape AWS never launched is none', () => {
    expectRule(
      checkAwsRegion,
      [
        'us-east-1',
        'eu-central-1',
        'us-gov-west-1',
        'ap-southeast-5',
        'ap-southeast-7',
        'mx-central-1',
        'cn-northwest-1',
        'eusc-de-east-1',
        'us-isob-east-1',
        'eu-isoe-west-1',
      ],
      ['eu-west-9', 'us-east-3', 'cn-south-1', 'us-gov-north-1', 'EU-WEST-1', 'eu-west', 'mars-1', 'euwest1', ''],
    );
  });

  test("a partition's global endpoint (aws-global) is not a region any regional service runs in", () => {
    expect(checkAwsRegion('aws-global')).toBeDefined();
    expect(checkAwsRegion('aws-cn-global')).toBeDefined();
  });

  test('a refused region is answered with where the list of regions is, and the release this check knows', () => {
    expect(checkAwsRegion('eu-west-9')).toMatch(
      /regions\.html; this check knows the regions of @aws-sdk\/core \d+\.\d+\.\d+\)$/,
    );
  });

  test('S3 bucket names', () => {
    expectRule(
      checkS3BucketName,
      ['my-bucket', 'a.b.c', 'abc', 'a'.repeat(63), 'plan', 'logs-123456789012-eu-west-1-an', 'xn-x', 's3alias'],
      [
        'ab',
        'My-Bucket',
        '-bucket',
        'bucket-',
        'a..b',
        '192.168.1.1',
        'xn--bucket',
        'sthree-x',
        'amzn-s3-demo-bucket',
        'x-s3alias',
        'x--ol-s3',
        'x.mrap',
        'x--x-s3',
        'x--table-s3',
        'logs-an',
        'a_b',
        'a'.repeat(64),
      ],
    );
    expectRule(checkNewS3BucketName, ['state-bucket'], ['logs-123456789012-eu-west-1-an', 'xn--x']);
  });

  test('S3 key prefixes', () => {
    expectRule(checkS3KeyPrefix, ['ci', 'ci/pipelines'], ['', '/ci', 'ci/', 'ci//x', 'c i']);
  });

  test('image repository names', () => {
    expectRule(
      checkEcrRepositoryName,
      ['app', 'my-org/my_app', 'a/b/c', 'a.b', 'ab', 'a'.repeat(256)],
      ['App', 'app:latest', '/app', 'app/', 'a', 'a..b', 'a__b', 'a-_b', '-a', 'a-', 'a//b', 'a'.repeat(257)],
    );
    expectRule(
      checkDockerHubRepository,
      ['myorg/app', 'abcd/my_app-1', `${'a'.repeat(30)}/ab`, `myorg/${'a'.repeat(255)}`],
      [
        'app',
        'a/b/c',
        'org/app',
        'my-org/app',
        'MyOrg/app',
        `${'a'.repeat(31)}/app`,
        'myorg/a',
        'myorg/-app',
        'myorg/app_',
        'myorg/a.b',
        `myorg/${'a'.repeat(256)}`,
        'myorg/',
      ],
    );
  });

  test('log retention is one of CloudWatch values, never 0', () => {
    expectRule(checkLogRetentionDays, [1, 365, 3653], [0, 2, 366, -1, 1.5]);
  });

  test('concurrent build limit is an integer >= 1', () => {
    expectRule(checkConcurrentBuildLimit, [1, 20], [0, -1, 1.5, NaN]);
    expect(checkConcurrentBuildLimit(0)).toBe('must be an integer >= 1');
  });

  test('relative paths stay inside the repository', () => {
    expectRule(checkRelativePath, ['.', 'app', 'services/api'], ['', '/abs', '../up', 'a/../b', 'a b']);
  });

  test('names of CodePipeline, CodeBuild, IAM, KMS, Secrets Manager and CodeConnections', () => {
    expectRule(checkCodePipelineName, ['app', 'a.b@c_d-e', 'a'.repeat(100)], ['', 'a b', 'a/b', 'a'.repeat(101)]);
    expectRule(
      checkCodeBuildProjectName,
      ['ab', 'app_1-x', 'a'.repeat(150)],
      ['a', '-ab', '_ab', 'a.b', 'a'.repeat(151)],
    );
    expectRule(checkIamRoleName, ['app-codebuild', 'a+=,.@_-b', 'a'.repeat(64)], ['', 'a b', 'a/b', 'a'.repeat(65)]);
    expectRule(
      checkIamPolicyName,
      ['app-codebuild-permissions', 'a+=,.@_-b', 'a'.repeat(128)],
      ['', 'a b', 'a/b', 'a'.repeat(129)],
    );
    expectRule(checkStatementId, ['UseEncryptionKey', 'Sid2'], ['', 'Use-Key', 'use key', 'a'.repeat(101)]);
    expectRule(
      checkServicePrincipal,
      ['codebuild.amazonaws.com', 'logs.eu-west-1.amazonaws.com'],
      ['codebuild', 'arn:aws:iam::1:root', '*'],
    );
    expectRule(
      checkKmsAliasName,
      ['ci/app', 'terraform-state/my_bucket'],
      ['', 'aws/ebs', 'ci:app', 'ci app', 'a'.repeat(251)],
    );
    expectRule(checkSecretName, ['ci/app/dockerhub', 'a+=.@-_/b'], ['', 'has space', 'a'.repeat(513)]);
    expectRule(
      checkSecretArn,
      ['arn:aws:secretsmanager:eu-west-1:123456789012:secret:ci/app-AbCdEf'],
      ['ci/app', 'arn:aws:s3:::b', ''],
    );
    expectRule(checkConnectionName, ['app', 'a'.repeat(32)], ['', 'a b', 'a'.repeat(33)]);
    expectRule(checkVariablePrefix, ['dockerhub', 'quay_io', '_2fa_dockerhub'], ['', 'Docker', '1x', 'docker-hub']);
  });

  test('S3 bucket prefixes leave Terraform room for its suffix', () => {
    expectRule(
      checkS3BucketPrefix,
      ['app-artifacts-', 'a', 'a'.repeat(37)],
      ['', '-a', 'App', 'a'.repeat(38), 'xn--app-', 'sthree-app-', 'a..b-'],
    );
  });

  test('log group names', () => {
    expectRule(
      checkLogGroupName,
      ['/aws/codebuild/app', 'a', 'a.b-c_d/e#f', 'a'.repeat(512)],
      ['', 'aws/codebuild/app', 'a b', 'a:b', 'a*', 'a'.repeat(513)],
    );
  });

  test('report group names', () => {
    expectRule(
      checkReportGroupName,
      ['app-tests', 'a_1', 'a'.repeat(128)],
      ['a', '-ab', 'a.b', 'a b', 'a'.repeat(129)],
    );
  });

  test("build environment variables are shell names outside CodeBuild's own", () => {
    expectRule(checkEnvironmentVariableName, ['APP_DIR', '_x', 'a1'], ['', '1A', 'A-B', 'CODEBUILD_X', 'A B']);
  });
  test('notification topics, rules, events, e-mail addresses and Slack channels', () => {
    expectRule(
      checkSnsTopicName,
      ['a', 'ci-app_failures', 'A'.repeat(256)],
      ['', 'a.fifo', 'a b', 'a/b', 'A'.repeat(257)],
    );
    expectRule(
      checkNotificationRuleName,
      ['a', 'App pipeline failed', 'a_b-c', 'a'.repeat(64)],
      ['', 'a/b', 'a.b', 'a'.repeat(65)],
    );
    expectRule(
      checkNotificationEventTypeId,
      ['codepipeline-pipeline-pipeline-execution-failed', 'codebuild-project-build-state-failed'],
      ['', 'failed', 'Build-Failed', 'a--b', '-a-b'],
    );
    expectRule(
      checkNotificationRuleResource,
      [
        'arn:aws:codepipeline:eu-west-1:123456789012:app',
        'arn:aws-cn:codebuild:cn-north-1:123456789012:project/app',
        '${aws_codepipeline.p.arn}',
      ],
      ['', 'app', 'arn:aws:codepipeline:eu-west-1:1234:app', 'arn:aws:codepipeline:eu-west-1:123456789012:'],
    );
    expectRule(
      checkEmailAddress,
      ['team@example.com', 'a.b+ci@mail.example.co.uk'],
      ['', 'team', 'team@example', '@example.com', 'a b@example.com', 'a@b@example.com', `${'a'.repeat(250)}@x.io`],
    );
    expectRule(
      checkChatbotSlackChannelArn,
      [
        'arn:aws:chatbot::123456789012:chat-configuration/slack-channel/ci-alerts',
        'arn:aws-us-gov:chatbot::123456789012:chat-configuration/slack-channel/a_b',
      ],
      [
        '',
        'arn:aws:chatbot:eu-west-1:123456789012:chat-configuration/slack-channel/x',
        'arn:aws:chatbot::123456789012:chat-configuration/microsoft-teams-channel/x',
        'arn:aws:chatbot::123456789012:chat-configuration/slack-channel/a b',
      ],
    );
  });
});
