import { SERVICE_REGIONS } from '../../constructs/aws/regional-availability';
import { spawnSync } from 'node:child_process';
import { App, Testing } from 'cdktf';
import { AWS_PROVIDER_VERSIONS } from '../../stacks/aws-provider';
import { CiPipelineStack, CiPipelineStackProps, REQUIRED_TERRAFORM_VERSION } from '../../stacks/ci-pipeline-stack';
import { pipelineProps, testApp } from '../helpers';

const STATE = {
  bucket: 'my-state-bucket',
  region: 'eu-west-1',
  key: 'ci/app/terraform.tfstate',
  kmsKeyId: 'alias/terraform-state/my-state-bucket',
};

function synthStack(props: Partial<CiPipelineStackProps> = {}) {
  const app: App = testApp();
  const stack = new CiPipelineStack(app, 'ci-app', {
    pipeline: pipelineProps(),
    region: 'eu-west-1',
    state: STATE,
    ...props,
  });
  return JSON.parse(Testing.synth(stack, true));
}

describe('CiPipelineStack', () => {
  let json: any;
  beforeAll(() => {
    json = synthStack();
  });

  test('keeps state in S3, encrypted under the customer key, with native S3 locking', () => {
    expect(json.terraform.backend).toEqual({
      s3: {
        bucket: 'my-state-bucket',
        key: 'ci/app/terraform.tfstate',
        region: 'eu-west-1',
        encrypt: true,
        kms_key_id: 'alias/terraform-state/my-state-bucket',
        use_lockfile: true,
      },
    });
    expect(json.terraform.required_version).toBe(REQUIRED_TERRAFORM_VERSION);
  });

  test.each([
    ['a key ARN', 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'],
    ['an alias ARN', 'arn:aws:kms:eu-west-1:123456789012:alias/state'],
    ['an alias name', 'alias/state'],
    ['a key ID', '1234abcd-12ab-34cd-56ef-1234567890ab'],
  ])('names the state key by %s', (_form, kmsKeyId) => {
    expect(synthStack({ state: { ...STATE, kmsKeyId } }).terraform.backend.s3.kms_key_id).toBe(kmsKeyId);
  });

  test('S3-managed keys only when chosen explicitly, and then the guardrail is suppressed with the reason', () => {
    const { kmsKeyId: _key, ...withoutKey } = STATE;
    expect(() => synthStack({ state: withoutKey })).toThrow(
      'invalid prop "state.kmsKeyId" = undefined: is required: name the customer-managed KMS key that encrypts ' +
        'the state, or set s3ManagedEncryption to true',
    );
    const weaker = synthStack({ state: { ...withoutKey, s3ManagedEncryption: true } });
    expect(weaker.terraform.backend.s3).toMatchObject({ encrypt: true });
    expect(weaker.terraform.backend.s3.kms_key_id).toBeUndefined();
    const stack = new CiPipelineStack(testApp(), 'ci-app', {
      pipeline: pipelineProps(),
      region: 'eu-west-1',
      state: { ...withoutKey, s3ManagedEncryption: true },
    });
    expect(stack.toTerraform()['//'].suppressions.terraform).toEqual([
      { rule: 'CIP_TF_2', reason: expect.stringMatching(/s3ManagedEncryption is set/) },
    ]);
    expect(() => synthStack({ state: { ...STATE, s3ManagedEncryption: true } })).toThrow(
      'invalid prop "state.kmsKeyId" = "alias/terraform-state/my-state-bucket": ' +
        'must not be set with s3ManagedEncryption',
    );
  });

  test('allows the AWS provider 5.x and 6.x, using no attribute that only one of them has', () => {
    expect(json.terraform.required_providers.aws.version).toBe(AWS_PROVIDER_VERSIONS);
    const text = JSON.stringify(json);
    expect(text).toMatch(/data\.aws_region\.[^.]+\.id\b/);
    // 5.x has no `region` on the region data source; 6.x deprecates its `name`.
    expect(text).not.toMatch(/data\.aws_region\.[^.]+\.(region|name)\b/);
  });

  test('configures the AWS, GitHub and random providers', () => {
    expect(json.provider.aws[0]).toMatchObject({
      region: 'eu-west-1',
      default_tags: [{ tags: { ManagedBy: 'cdktf', Pipeline: 'app', Stack: 'ci-app' } }],
    });
    expect(json.provider.github[0]).toEqual({ owner: 'my-org' });
    expect(Object.keys(json.terraform.required_providers).sort()).toEqual(['aws', 'github', 'random']);
  });

  test('outputs what an operator needs, for each trigger mode, with their descriptions', () => {
    expect(Object.keys(json.output)).toEqual(
      [
        'build_project_console_url',
        'build_project_name',
        'failure_notifications_topic_arn',
        'image_repository',
        'latest_build_command',
        'list_builds_command',
        'log_group_console_url',
        'log_group_name',
        'pipeline_console_url',
        'pipeline_name',
        'pipeline_state_command',
        'pull_request_build_console_url',
        'pull_request_build_project_name',
        'pull_request_latest_build_command',
        'pull_request_status_context',
        'pull_request_tail_logs_command',
        'registry_credentials_variables',
        'tail_logs_command',
        'webhook_url',
      ].sort(),
    );
    expect(json.output.webhook_url.description).toBe('The CodePipeline webhook that GitHub calls on push');
    expect(json.output.pipeline_console_url.value).toMatch(
      new RegExp(
        String.raw`^https:\/\/\$\{data\.aws_region\..*\}\.console\.aws\.amazon\.com\/codesuite\/codepipeline` +
          String.raw`\/pipelines\/\$\{aws_codepipeline\..*\.name\}\/view\?region=`,
      ),
    );
    const connection = synthStack({ pipeline: pipelineProps({ trigger: 'connection' }) });
    expect(connection.output.connection_arn.value).toMatch(/aws_codestarconnections_connection\..*\.arn/);
    expect(connection.output.connection_status.value).toMatch(/\.connection_status\}$/);
    expect(connection.output.connection_next_step.value).toMatch(/Approve the connection once/);
    expect(connection.output.webhook_url).toBeUndefined();
    expect(Object.keys(connection.terraform.required_providers).sort()).toEqual(['aws', 'github']);
  });

  test('links the build history and the log group in the console', () => {
    expect(json.output.build_project_console_url.value).toMatch(
      new RegExp(
        String.raw`^https:\/\/\$\{data\.aws_region\.[^}]+\}\.console\.aws\.amazon\.com\/codesuite\/codebuild` +
          String.raw`\/projects\/\$\{aws_codebuild_project\.[^}]+\.name\}` +
          String.raw`\/history\?region=\$\{data\.aws_region\.`,
      ),
    );
    expect(json.output.log_group_console_url.value).toMatch(
      new RegExp(
        String.raw`\/cloudwatch\/home\?region=\$\{data\.aws_region\.[^}]+\}#logsV2:log-groups\/log-group\/` +
          String.raw`\$\{replace\(aws_cloudwatch_log_group\.[^,]+\.name, "\/", "\$252F"\)\}$`,
      ),
    );
  });

  describe('the AWS CLI commands, run by bash once Terraform has filled in the names', () => {
    /**
     * Fills the Terraform expressions in, runs the command with `aws` replaced by a printer, and returns each call's
     * arguments.
     */
    function awsCalls(command: string): string[][] {
      const filled = command
        .replace(/\$\{data\.aws_region\.[^}]+\}/g, 'eu-west-1')
        .replace(/\$\{aws_codebuild_project\.[^}]+\.name\}/g, 'app')
        .replace(/\$\{aws_codepipeline\.[^}]+\.name\}/g, 'app')
        .replace(/\$\{aws_cloudwatch_log_group\.[^}]+\.name\}/g, '/aws/codebuild/app');
      expect(filled).not.toContain('${');
      // `aws` prints its arguments to fd 3 and answers "build-1" (the ID a nested call asks for).
      const printer = `aws() { printf '%s\\0' "$@" >&3; printf '\\n' >&3; echo build-1; }`;
      const result = spawnSync('bash', ['-c', `${printer}\n${filled}`], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      return String(result.output[3])
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => line.split('\0').filter((arg) => arg !== ''));
    }
    const commandOutputs = [
      'pipeline_state_command',
      'list_builds_command',
      'latest_build_command',
      'tail_logs_command',
    ];

    test.each(commandOutputs)('%s runs, each AWS CLI call with its region', (name) => {
      for (const call of awsCalls(json.output[name].value)) expect(call).toContain('--region');
    });

    test('latest_build_command asks for the newest build, then its failed phases', () => {
      const [list, get] = awsCalls(json.output.latest_build_command.value);
      expect(list).toEqual([
        'codebuild',
        'list-builds-for-project',
        '--region',
        'eu-west-1',
        '--project-name',
        'app',
        '--query',
        'ids[0]',
        '--output',
        'text',
      ]);
      expect(get.slice(0, 6)).toEqual(['codebuild', 'batch-get-builds', '--region', 'eu-west-1', '--ids', 'build-1']);
      expect(get[6]).toBe('--query');
      expect(get[7]).toBe(
        "builds[0].{status: buildStatus, phase: currentPhase, failed: phases[?phaseStatus == 'FAILED'].[phaseType, " +
          'contexts[0].message], logs: logs.deepLink}',
      );
    });

    test('tail_logs_command follows the log group', () => {
      expect(awsCalls(json.output.tail_logs_command.value)).toEqual([
        ['logs', 'tail', '/aws/codebuild/app', '--region', 'eu-west-1', '--since', '1h', '--follow'],
      ]);
    });
  });

  test('remoteState reads the stack from another stack through the same backend', () => {
    const pipelineBackend = json.terraform.backend.s3;
    const reader = JSON.parse(Testing.synthScope((scope) => CiPipelineStack.remoteState(scope, 'pipeline', STATE)));
    const { use_lockfile: _lock, ...backend } = pipelineBackend;
    expect(reader.data.terraform_remote_state.pipeline).toEqual({ backend: 's3', config: backend });
  });

  test('reports every bad setting at once, naming the stack and each prop', () => {
    expect(() => synthStack({ region: 'moon-1', state: { ...STATE, bucket: 'UPPER', region: 'mars' } })).toThrow(
      /"region" = "moon-1".*\n.*"state.bucket" = "UPPER".*\n.*"state.region" = "mars"/,
    );
  });

  test('rejects bad regions and state settings, naming the prop', () => {
    expect(() => synthStack({ region: 'moon-1' })).toThrow(
      /CiPipelineStack at ci-app: invalid prop "region" = "moon-1"/,
    );
    expect(() => synthStack({ state: { ...STATE, bucket: 'UPPER' } })).toThrow(/invalid prop "state.bucket" = "UPPER"/);
    expect(() => synthStack({ state: { ...STATE, key: '/abs' } })).toThrow(/invalid prop "state.key" = "\/abs"/);
    expect(() => synthStack({ state: { ...STATE, kmsKeyId: 'key-1' } })).toThrow(
      /invalid prop "state.kmsKeyId" = "key-1": must be a KMS key ARN, alias ARN, alias name/,
    );
  });

  test('an existing pipeline key must be in the pipeline region', () => {
    const keyIn = (region: string) => `arn:aws:kms:${region}:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    expect(
      synthStack({ pipeline: pipelineProps({ encryptionKeyArn: keyIn('eu-west-1') }) }).resource.aws_kms_key,
    ).toBeUndefined();
    expect(() => synthStack({ pipeline: pipelineProps({ encryptionKeyArn: keyIn('us-east-1') }) })).toThrow(
      `CiPipelineStack at ci-app: invalid prop "pipeline.encryptionKeyArn" = "${keyIn('us-east-1')}": must be in ` +
        `the region "eu-west-1" of the pipelines (keys and secrets serve only their own region), not "us-east-1"`,
    );
  });

  test('a state key leaves room for the lock file: at most 1,017 bytes', () => {
    const key = (bytes: number) => `${'k'.repeat(bytes - '/terraform.tfstate'.length)}/terraform.tfstate`;
    expect(Buffer.byteLength(key(1017))).toBe(1017);
    expect(() => synthStack({ state: { ...STATE, key: key(1017) } })).not.toThrow();
    expect(() => synthStack({ state: { ...STATE, key: key(1019) } })).toThrow(
      'must be at most 1017 bytes, not 1019: S3 keys are at most 1,024 bytes, and the lock file adds ".tflock"',
    );
  });

  test('a compute type CodeBuild offers only in some regions is refused elsewhere, and accepted there', () => {
    const twoXLarge = pipelineProps({ build: { computeType: 'BUILD_GENERAL1_2XLARGE' } });
    expect(() => synthStack({ region: 'sa-east-1', pipeline: twoXLarge })).toThrow(
      'CiPipelineStack at ci-app: invalid prop "pipeline.build.computeType" = "BUILD_GENERAL1_2XLARGE": must be ' +
        'offered by CodeBuild in sa-east-1: BUILD_GENERAL1_2XLARGE on LINUX_CONTAINER is offered only in us-east-1,',
    );
    for (const region of ['eu-west-1', 'ap-northeast-2', 'ca-central-1']) {
      const [project] = Object.values<any>(
        synthStack({ region, pipeline: twoXLarge, state: { ...STATE, region } }).resource.aws_codebuild_project,
      );
      expect([region, project.environment.compute_type]).toEqual([region, 'BUILD_GENERAL1_2XLARGE']);
    }
    expect(() =>
      synthStack({ region: 'sa-east-1', pipeline: pipelineProps({ build: { computeType: 'BUILD_GENERAL1_XLARGE' } }) }),
    ).not.toThrow();
    // An Arm image runs in an Arm container, which São Paulo offers, at 2XLARGE too; Paris offers none.
    const arm = (computeType?: 'BUILD_GENERAL1_2XLARGE') =>
      pipelineProps({ build: { image: 'aws/codebuild/amazonlinux-aarch64-standard:3.0', computeType } });
    expect(() => synthStack({ region: 'sa-east-1', pipeline: arm('BUILD_GENERAL1_2XLARGE') })).not.toThrow();
    expect(() => synthStack({ region: 'eu-west-3', pipeline: arm() })).toThrow(
      'invalid prop "pipeline.build.image" = "aws/codebuild/amazonlinux-aarch64-standard:3.0": must be offered by ' +
        "CodeBuild in eu-west-3: ARM_CONTAINER (the image's environment type) is offered only in us-east-1,",
    );
  });

  test('a region where AWS offers no CodePipeline is refused, as the one problem of the pipeline', () => {
    const calgary = { region: 'ca-west-1', state: { ...STATE, region: 'ca-west-1' } };
    // Failure notifications (the default) are not offered there either; the region is the mistake to report.
    expect(() => synthStack({ ...calgary, pipeline: pipelineProps() })).toThrow(
      'CiPipelineStack at ci-app: invalid prop "region" = "ca-west-1": must be a region where AWS offers what every ' +
        'pipeline uses: AWS does not offer CodePipeline and CodeBuild in ca-west-1 (no endpoint in the data AWS ' +
        `publishes for its SDKs, ${SERVICE_REGIONS.source}; https://docs.aws.amazon.com/general/latest/gr/` +
        'codepipeline.html, https://docs.aws.amazon.com/general/latest/gr/codebuild.html)',
    );
    expect(() => synthStack({ ...calgary, pipeline: pipelineProps() })).not.toThrow('notifications');
  });

  test('a setting that needs a service the region lacks is refused at that setting, and accepted elsewhere', () => {
    const connection = pipelineProps({ trigger: 'connection' });
    for (const region of ['ap-east-1', 'me-central-1', 'us-gov-west-1', 'cn-north-1']) {
      const at = { region, state: { ...STATE, region } };
      expect(() => synthStack({ ...at, pipeline: { ...connection, notifications: { enabled: false } } })).toThrow(
        `invalid prop "pipeline.trigger" = "connection": must be "webhook": AWS does not offer CodeConnections in ` +
          `${region} (`,
      );
    }
    for (const region of ['af-south-1', 'eu-south-1', 'us-gov-east-1', 'cn-northwest-1']) {
      const at = { region, state: { ...STATE, region } };
      expect(() => synthStack({ ...at, pipeline: pipelineProps() })).toThrow(
        'invalid prop "pipeline.notifications.enabled" = true: must be false: AWS does not offer CodeStar ' +
          `Notifications in ${region} (`,
      );
      const quiet = synthStack({ ...at, pipeline: pipelineProps({ notifications: { enabled: false } }) });
      expect(quiet.resource.aws_codestarnotifications_notification_rule).toBeUndefined();
      expect(Object.keys(quiet.resource.aws_codepipeline)).toHaveLength(1);
    }
    for (const region of ['eu-west-3', 'us-gov-east-1', 'ca-central-1']) {
      const pipeline = { ...connection, notifications: { enabled: !region.startsWith('us-gov-') } };
      const synthesized = synthStack({ region, pipeline, state: { ...STATE, region } });
      expect(Object.keys(synthesized.resource.aws_codestarconnections_connection)).toHaveLength(1);
    }
  });

  test("the state key must serve the state bucket's region, and the artifact bucket is not the state bucket", () => {
    const key = 'arn:aws:kms:us-east-1:123456789012:alias/terraform-state';
    expect(() => synthStack({ state: { ...STATE, kmsKeyId: key } })).toThrow(
      `invalid prop "state.kmsKeyId" = "${key}": must be in the region "eu-west-1" of the state bucket`,
    );
    expect(() => synthStack({ pipeline: pipelineProps({ artifactBucketName: STATE.bucket }) })).toThrow(
      'invalid prop "pipeline.artifactBucketName" = "my-state-bucket": must not be the state bucket',
    );
  });
});
