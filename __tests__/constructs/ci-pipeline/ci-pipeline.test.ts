import { CodebuildProject } from '@cdktf/provider-aws/lib/codebuild-project';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { Codepipeline } from '@cdktf/provider-aws/lib/codepipeline';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { ActionBinding, ActionConfig, IAction } from '../../../constructs/aws/pipeline-action';
import { BUILD_ENVIRONMENT_VARIABLES } from '../../../constructs/ci-pipeline/build-environment';
import { BUILD_STAGE, CiPipeline, SOURCE_STAGE } from '../../../constructs/ci-pipeline/ci-pipeline';
import { pipelineProps, statement, synth, synthPipeline, testApp } from '../../helpers';
import { writeStackOutputs } from '../../../constructs/core/stack-output';
import { App, Testing, TerraformStack, TerraformVariable } from 'cdktf';
import { AwsProvider, AwsProviderConfig } from '@cdktf/provider-aws/lib/provider';

const EXISTING_KEY = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

const envOf = (stack: { at(path: string): any }) =>
  Object.fromEntries(stack.at('ci/build/project').environment.environment_variable.map((v: any) => [v.name, v]));

describe('CiPipeline with Docker Hub (the default shape)', () => {
  let stack: ReturnType<typeof synthPipeline>;
  beforeAll(() => {
    stack = synthPipeline({ registry: { type: 'dockerhub', image: 'myorg/app' } });
  });

  test('pushes latest too, and logs in with credentials from Secrets Manager', () => {
    const env = envOf(stack);
    expect(env.IMAGE_REPOSITORY_URI.value).toBe('docker.io/myorg/app');
    expect(env.PUSH_LATEST_TAG.value).toBe('true');
    expect(env.ECR_REGISTRY).toBeUndefined();
    expect(env.DOCKERHUB_USERNAME).toEqual({
      name: 'DOCKERHUB_USERNAME',
      type: 'SECRETS_MANAGER',
      value: `${stack.ref('ci/dockerhub-credentials/secret', 'arn')}:username`,
    });
    expect(stack.text).toHaveResourceWithProperties(SecretsmanagerSecret, { name: 'ci/app/dockerhub' });
    expect(stack.text).not.toHaveResource(EcrRepository);
  });

  test('creates its own key and hardened artifact bucket', () => {
    expect(stack.text).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true });
    expect(stack.text).toHaveResourceWithProperties(S3Bucket, { bucket_prefix: 'app-artifacts-' });
    expect(stack.at('ci/artifacts/encryption').rule[0].apply_server_side_encryption_by_default.kms_master_key_id).toBe(
      stack.ref('ci/key/key', 'arn'),
    );
  });

  test(
    'lists its outputs: the pipeline, the build, the logs, the commands, the image, the pull-request build, then ' +
      'the source, the credentials and the notifications, each under its name prefix',
    () => {
      expect(stack.pipeline.outputs.map((output) => output.name)).toEqual(
        [
          'pipeline_name',
          'pipeline_console_url',
          'build_project_name',
          'build_project_console_url',
          'log_group_name',
          'log_group_console_url',
          'pipeline_state_command',
          'list_builds_command',
          'latest_build_command',
          'tail_logs_command',
          'image_repository',
          'pull_request_build_project_name',
          'pull_request_status_context',
          'pull_request_build_console_url',
          'pull_request_latest_build_command',
          'pull_request_tail_logs_command',
          'webhook_url',
          'registry_credentials_variables',
          'failure_notifications_topic_arn',
        ].map((name) => `app_${name}`),
      );
    },
  );
});

describe('CiPipeline with ECR', () => {
  let stack: ReturnType<typeof synthPipeline>;
  beforeAll(() => {
    stack = synthPipeline({ registry: { type: 'ecr', image: 'app' } });
  });

  test('pushes only the immutable SHA tag, may push to its repository, and skips Docker Hub unless asked', () => {
    const env = envOf(stack);
    expect(env.IMAGE_REPOSITORY_URI.value).toBe(stack.ref('ci/image-repository/repository', 'repository_url'));
    expect(env.PUSH_LATEST_TAG.value).toBe('false');
    expect(env.ECR_REGISTRY.value).toBe(
      `\${element(split("/", ${stack.address('ci/image-repository/repository')}.repository_url), 0)}`,
    );
    expect(env.DOCKERHUB_USERNAME).toBeUndefined();
    expect(stack.text).not.toHaveResource(SecretsmanagerSecret);
    const sids = stack.statements('ci/build/role/permissions').map((s) => s.sid);
    expect(sids).toEqual(expect.arrayContaining(['EcrLogin', 'EcrPushImages']));
    expect(sids).not.toContain('ReadBuildSecrets');
    expect(stack.pipeline.outputs.map((output) => output.name)).not.toContain('registry_credentials_variables');
  });

  test('with dockerHubCredentials, also logs in to Docker Hub', () => {
    const withLogin = synthPipeline({ registry: { type: 'ecr', image: 'app', dockerHubCredentials: true } });
    expect(envOf(withLogin).DOCKERHUB_PASSWORD.type).toBe('SECRETS_MANAGER');
    expect(withLogin.statements('ci/build/role/permissions').map((s) => s.sid)).toContain('ReadBuildSecrets');
  });
});

describe('CiPipeline', () => {
  test('every configuration sets the variables the buildspec always needs, and no others', () => {
    const always = Object.entries(BUILD_ENVIRONMENT_VARIABLES)
      .filter(([, v]) => v.always)
      .map(([name]) => name);
    for (const registry of [
      { type: 'dockerhub' as const, image: 'myorg/app' },
      { type: 'ecr' as const, image: 'app' },
      { type: 'ecr' as const, image: 'app', dockerHubCredentials: true },
    ]) {
      const names = Object.keys(envOf(synthPipeline({ registry })));
      expect(names).toEqual(expect.arrayContaining(always));
      expect(Object.keys(BUILD_ENVIRONMENT_VARIABLES)).toEqual(expect.arrayContaining(names));
    }
  });

  test('build settings reach the project', () => {
    const stack = synthPipeline({
      build: { computeType: 'BUILD_GENERAL1_MEDIUM', concurrentBuildLimit: 3, timeoutMinutes: 45 },
    });
    expect(stack.text).toHaveResourceWithProperties(CodebuildProject, { concurrent_build_limit: 3, build_timeout: 45 });
    expect(stack.at('ci/build/project').environment.compute_type).toBe('BUILD_GENERAL1_MEDIUM');
  });

  test('an existing KMS key encrypts everything, and only the roles are granted its use', () => {
    const stack = synthPipeline({
      registry: { type: 'ecr', image: 'app', dockerHubCredentials: true },
      encryptionKeyArn: EXISTING_KEY,
    });
    expect(stack.text).not.toHaveResource(KmsKey);
    expect(stack.text).toHaveResourceWithProperties(CloudwatchLogGroup, { kms_key_id: EXISTING_KEY });
    expect(stack.text).toHaveResourceWithProperties(CodebuildProject, { encryption_key: EXISTING_KEY });
    expect(stack.text).toHaveResourceWithProperties(SecretsmanagerSecret, { kms_key_id: EXISTING_KEY });
    expect(stack.text).toHaveResourceWithProperties(EcrRepository, {
      encryption_configuration: [{ encryption_type: 'KMS', kms_key: EXISTING_KEY }],
    });
    expect(stack.at('ci/pipeline/pipeline').artifact_store[0].encryption_key).toEqual({
      type: 'KMS',
      id: EXISTING_KEY,
    });
    expect(stack.at('ci/artifacts/encryption').rule[0].apply_server_side_encryption_by_default.kms_master_key_id).toBe(
      EXISTING_KEY,
    );
    for (const role of ['build', 'pipeline']) {
      expect(statement(stack.statements(`ci/${role}/role/permissions`), 'UseEncryptionKey').resources).toEqual([
        EXISTING_KEY,
      ]);
    }
  });

  test('an existing artifact bucket is used as is: no bucket, no bucket settings, grants on its name', () => {
    const stack = synthPipeline({ artifactBucketName: 'shared-ci-artifacts' });
    expect(stack.text).not.toHaveResource(S3Bucket);
    expect(Object.keys(stack.json.resource ?? {}).filter((type) => type.startsWith('aws_s3_'))).toEqual([]);
    expect(stack.text).toHaveResourceWithProperties(Codepipeline, {
      artifact_store: [expect.objectContaining({ location: 'shared-ci-artifacts', type: 'S3' })],
    });
    const objects = statement(stack.statements('ci/pipeline/role/permissions'), 'BucketObjectsReadWrite');
    expect(objects.resources).toEqual([
      `arn:${stack.ref('aws-context/partition', 'partition')}:s3:::shared-ci-artifacts/app/*`,
    ]);
  });

  test('takes more stages through its pipeline, and the OAuth token stays ignored where the source action is', () => {
    const manual = (name: string): IAction => ({
      actionName: name,
      bind: (_binding: ActionBinding): ActionConfig => ({
        declaration: { name, category: 'Approval', owner: 'AWS', provider: 'Manual', version: '1' },
      }),
    });
    const stack = synth((scope) => {
      const ci = new CiPipeline(scope, 'ci', pipelineProps());
      ci.pipeline.addStage({
        stageName: 'Approve',
        actions: [manual('Release')],
        placement: { rightBefore: ci.pipeline.stage(BUILD_STAGE)! },
      });
      ci.pipeline.addStage({ stageName: 'Announce', actions: [manual('Tell')] });
    });
    const pipeline = stack.at('ci/pipeline/pipeline');
    expect(pipeline.stage.map((stage: any) => stage.name)).toEqual([SOURCE_STAGE, 'Approve', BUILD_STAGE, 'Announce']);
    expect(pipeline.lifecycle.ignore_changes).toEqual(['stage[0].action[0].configuration["OAuthToken"]']);
  });

  test.each([
    [{ name: 'Bad_Name' }, /CiPipeline at stack\/ci: invalid prop "name" = "Bad_Name"/],
    [
      { encryptionKeyArn: 'arn:aws:kms:eu-west-1:123456789012:alias/ci' },
      new RegExp(
        String.raw`invalid prop "encryptionKeyArn" = "arn:aws:kms:eu-west-1:123456789012:alias\/ci": ` +
          String.raw`must be a KMS key ARN .*\(not an alias ARN\)`,
      ),
    ],
    [
      { artifactBucketName: 'Shared_Artifacts' },
      /invalid prop "artifactBucketName" = "Shared_Artifacts": must be a valid S3 bucket name/,
    ],
    [
      { artifactBucketName: 'shared-ci-artifacts', artifactRetentionDays: 7 },
      /invalid prop "artifactRetentionDays" = 7: applies only to a created artifact bucket/,
    ],
    [{ trigger: 'poll' as never }, /invalid prop "trigger" = "poll": must be one of webhook, connection/],
    [{ registry: { type: 'gcr' as never, image: 'x/y' } }, /invalid prop "registry.type" = "gcr"/],
    [
      { registry: { type: 'dockerhub' as const, image: 'no-namespace' } },
      /invalid prop "registry.image" = "no-namespace"/,
    ],
    [
      { registry: { type: 'dockerhub' as const, image: 'myorg/app', dockerHubCredentials: false } },
      /invalid prop "registry.dockerHubCredentials" = false: must be true or absent with registry type "dockerhub"/,
    ],
    [
      { trigger: 'connection' as const, github: { owner: 'o', repository: 'r', oauthTokenSecret: 's' } },
      /invalid prop "github.oauthTokenSecret" = "s": applies only to trigger "webhook"/,
    ],
    [
      {
        github: {
          owner: 'o',
          repository: 'r',
          connectionArn: 'arn:aws:codeconnections:eu-west-1:123456789012:connection/abc',
        },
      },
      /invalid prop "github.connectionArn" = .*: applies only to trigger "connection"/,
    ],
    [
      { github: { owner: '-o', repository: 'r', branch: 'a..b' } },
      /"github.owner" = "-o".*\n.*"github.branch" = "a..b"/,
    ],
    [{ build: { timeoutMinutes: 1 } }, /invalid prop "build.timeoutMinutes" = 1: must be an integer from 5 to 2160/],
    [{ artifactRetentionDays: 0 }, /"artifactRetentionDays" = 0/],
  ])('rejects %j, naming its path, the prop, the value and what is allowed', (overrides, message) => {
    expect(() => synthPipeline(overrides)).toThrow(message);
  });

  describe('CiPipeline code owners', () => {
    test('own the buildspec and the Dockerfile of the app, which the build runs with its role and credentials', () => {
      const stack = synth(
        (scope) =>
          new CiPipeline(
            scope,
            'ci',
            pipelineProps({
              appPath: 'services/app',
              github: { owner: 'my-org', repository: 'app', codeOwners: ['@my-org/platform'] },
            }),
          ),
      );
      const lines = stack
        .at('ci/repository/codeowners')
        .content.split('\n')
        .filter((line: string) => line.startsWith('/'));
      expect(lines).toEqual([
        '/.github/CODEOWNERS @my-org/platform',
        '/services/app/buildspec.yml @my-org/platform',
        '/services/app/Dockerfile @my-org/platform',
      ]);
      const atRoot = synth(
        (scope) =>
          new CiPipeline(
            scope,
            'ci',
            pipelineProps({
              appPath: '.',
              github: { owner: 'my-org', repository: 'app', codeOwners: ['@my-org/platform'] },
            }),
          ),
      );
      expect(atRoot.at('ci/repository/codeowners').content).toContain(
        '\n/buildspec.yml @my-org/platform\n/Dockerfile @my-org/platform\n',
      );
    });
  });
});

describe('two CiPipelines with Docker Hub in one stack', () => {
  const twoPipelines = (prefixes: readonly (string | undefined)[], names = ['api', 'web-app']) => {
    const stack = new TerraformStack(testApp(), 'team');
    const pipelines = names.map(
      (name, index) =>
        new CiPipeline(stack, name, {
          ...pipelineProps({ name, github: { owner: 'my-org', repository: name } }),
          terraformNamePrefix: prefixes[index],
        }),
    );
    return { stack, pipelines };
  };

  test('each keeps its own variables and outputs, named after the pipeline', () => {
    const { stack, pipelines } = twoPipelines([undefined, undefined]);
    for (const pipeline of pipelines) writeStackOutputs(stack, pipeline.outputs);
    const json = JSON.parse(Testing.synth(stack));
    expect(Object.keys(json.variable).sort()).toEqual([
      'api_dockerhub_credentials_version',
      'api_dockerhub_password',
      'api_dockerhub_username',
      'web_app_dockerhub_credentials_version',
      'web_app_dockerhub_password',
      'web_app_dockerhub_username',
    ]);
    expect(json.output.api_pipeline_name.value).toMatch(/^\$\{aws_codepipeline\.api_pipeline_[0-9A-F]+\.name\}$/);
    expect(json.output.web_app_pipeline_name.value).toMatch(
      /^\$\{aws_codepipeline\.web-app_pipeline_[0-9A-F]+\.name\}$/,
    );
    expect(Object.keys(json.output)).toHaveLength(2 * 19);
    expect(json.output.web_app_registry_credentials_variables.value).toContain('TF_VAR_web_app_dockerhub_username');
  });

  test('a name two pipelines share is refused: it names the AWS resources of each', () => {
    const stack = new TerraformStack(testApp(), 'team');
    const props = pipelineProps({ name: 'api' });
    new CiPipeline(stack, 'one', { ...props, terraformNamePrefix: 'one_' });
    expect(() => new CiPipeline(stack, 'two', { ...props, terraformNamePrefix: 'two_' })).toThrow(
      'CiPipeline at team/two: invalid prop "name" = "api": must be unique among the CiPipelines of the stack team, ' +
        'since it names their AWS resources: team/one has it already',
    );
  });

  test(
    'two names that make one account-unique name are refused as the configuration refuses them: the artifact ' +
      "folder of a shared bucket is the name's first 20 characters",
    () => {
      const stack = new TerraformStack(testApp(), 'team');
      const shared = { artifactBucketName: 'acme-ci-artifacts' };
      new CiPipeline(stack, 'a', pipelineProps({ name: 'payments-service-backend-a', ...shared }));
      expect(
        () => new CiPipeline(stack, 'b', pipelineProps({ name: 'payments-service-backend-b', ...shared })),
      ).toThrow(
        'CiPipeline at team/b: invalid prop "name" = "payments-service-bac": must be unique in the account and ' +
          'region: team/a creates the artifact folder (the first 20 characters of the name) in ' +
          's3://acme-ci-artifacts "payments-service-bac" too',
      );
      // In buckets of their own, the same two names keep their folders apart.
      const apart = new TerraformStack(testApp(), 'apart');
      new CiPipeline(
        apart,
        'a',
        pipelineProps({ name: 'payments-service-backend-a', artifactBucketName: 'one-bucket' }),
      );
      expect(
        () =>
          new CiPipeline(
            apart,
            'b',
            pipelineProps({ name: 'payments-service-backend-b', artifactBucketName: 'other' }),
          ),
      ).not.toThrow();
    },
  );

  describe('names AWS holds unique, across the stacks of an app, where they deploy', () => {
    /** A stack of `app` whose default AWS provider deploys to `region`, with the identity settings `identity`. */
    const stackIn = (app: App, id: string, region: string, identity: Partial<AwsProviderConfig> = {}) => {
      const stack = new TerraformStack(app, id);
      new AwsProvider(stack, 'aws', { region, ...identity });
      return stack;
    };

    test('an IAM role name is unique in the whole account: the same pipeline in two regions is refused', () => {
      const app = testApp();
      new CiPipeline(stackIn(app, 'ireland', 'eu-west-1'), 'ci', pipelineProps({ name: 'api' }));
      expect(() => new CiPipeline(stackIn(app, 'virginia', 'us-east-1'), 'ci', pipelineProps({ name: 'api' }))).toThrow(
        'CiPipeline at virginia/ci: invalid prop "name" = "api-codebuild": must be unique in the account (in every ' +
          'region): ireland/ci creates the IAM role "api-codebuild" too',
      );
    });

    test('in one region, the first regional name is refused', () => {
      const app = testApp();
      new CiPipeline(stackIn(app, 'one', 'eu-west-1'), 'ci', pipelineProps({ name: 'api' }));
      expect(() => new CiPipeline(stackIn(app, 'two', 'eu-west-1'), 'ci', pipelineProps({ name: 'api' }))).toThrow(
        'CiPipeline at two/ci: invalid prop "name" = "api": must be unique in the account and region: one/ci ' +
          'creates the CodePipeline pipeline "api" too',
      );
    });

    test('stacks that deploy with other identities (other accounts) may reuse every name', () => {
      const app = testApp();
      const role = (account: string) => ({ assumeRole: [{ roleArn: `arn:aws:iam::${account}:role/deploy` }] });
      new CiPipeline(stackIn(app, 'prod', 'eu-west-1', role('111111111111')), 'ci', pipelineProps({ name: 'api' }));
      expect(
        () =>
          new CiPipeline(stackIn(app, 'test', 'eu-west-1', role('222222222222')), 'ci', pipelineProps({ name: 'api' })),
      ).not.toThrow();
      expect(
        () =>
          new CiPipeline(stackIn(app, 'eu', 'us-east-1', { profile: 'sandbox' }), 'ci', pipelineProps({ name: 'api' })),
      ).not.toThrow();
    });

    test('a region known only at apply still deploys to the account: its IAM roles are held to it', () => {
      const app = testApp();
      new CiPipeline(stackIn(app, 'one', 'eu-west-1'), 'ci', pipelineProps({ name: 'api' }));
      const anywhere = new TerraformStack(app, 'two');
      const region = new TerraformVariable(anywhere, 'region', { type: 'string' });
      new AwsProvider(anywhere, 'aws', { region: region.stringValue });
      expect(() => new CiPipeline(anywhere, 'ci', pipelineProps({ name: 'api' }))).toThrow(
        'must be unique in the account (in every region): one/ci creates the IAM role "api-codebuild" too',
      );
    });

    test('where synth cannot tell the account (identity known at apply, no provider), each stack stands alone', () => {
      const app = testApp();
      new CiPipeline(stackIn(app, 'one', 'eu-west-1'), 'ci', pipelineProps({ name: 'api' }));
      const elsewhere = new TerraformStack(app, 'two');
      const role = new TerraformVariable(elsewhere, 'deploy_role', { type: 'string' });
      new AwsProvider(elsewhere, 'aws', { region: 'eu-west-1', assumeRole: [{ roleArn: role.stringValue }] });
      expect(() => new CiPipeline(elsewhere, 'ci', pipelineProps({ name: 'api' }))).not.toThrow();
      expect(
        () => new CiPipeline(new TerraformStack(app, 'three'), 'ci', pipelineProps({ name: 'api' })),
      ).not.toThrow();
    });

    test('different pipelines in two regions of one account are accepted', () => {
      const app = testApp();
      new CiPipeline(stackIn(app, 'ireland', 'eu-west-1'), 'ci', pipelineProps({ name: 'api' }));
      expect(
        () => new CiPipeline(stackIn(app, 'virginia', 'us-east-1'), 'ci', pipelineProps({ name: 'web' })),
      ).not.toThrow();
    });
  });

  test('a prefix two pipelines share is refused, naming the prop, the value and the other pipeline', () => {
    expect(() => twoPipelines(['ci_', 'ci_'])).toThrow(
      'CiPipeline at team/web-app: invalid prop "terraformNamePrefix" = "ci_": ' +
        'must be unique among the CiPipelines of the stack team: team/api has it already',
    );
  });

  test('outputs written twice under one name are refused, naming the output', () => {
    const { stack, pipelines } = twoPipelines(['', 'web_']);
    writeStackOutputs(stack, pipelines[0].outputs);
    expect(() => writeStackOutputs(stack, pipelines[0].outputs)).toThrow(
      'writeStackOutputs at team: invalid prop "outputs" = "pipeline_name": must give an output name unique in the ' +
        'stack team',
    );
    expect(() => writeStackOutputs(stack, pipelines[1].outputs)).not.toThrow();
  });

  test('a prefix that is not a Terraform name start is refused', () => {
    expect(() => twoPipelines(['API-', undefined])).toThrow(
      'invalid prop "terraformNamePrefix" = "API-": must be "" or 2-42 lowercase letters, digits and "_", not ' +
        'starting with a digit and ending with "_"',
    );
    expect(() => twoPipelines(['2fa_', undefined])).toThrow('invalid prop "terraformNamePrefix" = "2fa_"');
  });

  test('a pipeline name starting with a digit starts its Terraform names with "_", as Terraform requires', () => {
    const { stack } = twoPipelines([undefined, undefined], ['2fa-service', 'api']);
    expect(Object.keys(JSON.parse(Testing.synth(stack)).variable).sort()).toEqual([
      '_2fa_service_dockerhub_credentials_version',
      '_2fa_service_dockerhub_password',
      '_2fa_service_dockerhub_username',
      'api_dockerhub_credentials_version',
      'api_dockerhub_password',
      'api_dockerhub_username',
    ]);
  });
});
