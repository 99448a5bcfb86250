/**
 * What a library user reaches beyond the props, through the package's public entry point as a user imports it: the
 * provider resources each construct creates (escape hatches), the importers of what exists elsewhere, and the
 * versions a user's own stack is told it needs.
 */
import { CodebuildProject } from '@cdktf/provider-aws/lib/codebuild-project';
import { Codepipeline } from '@cdktf/provider-aws/lib/codepipeline';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { Repository } from '@cdktf/provider-github/lib/repository';
import { TerraformStack, Testing } from 'cdktf';
import {
  BuildProject,
  CiPipeline,
  CodeBuildAction,
  EncryptionKey,
  Pipeline,
  PropValidationError,
  SecureBucket,
  ServiceRole,
} from 'cdktf-github-codepipeline-ci';
import { pipelineProps, testApp } from '../helpers';

const KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/service-role/existing-build';

describe('escape hatches: every construct exposes the provider resources it creates', () => {
  let stack: TerraformStack;
  let ci: CiPipeline;
  beforeAll(() => {
    stack = new TerraformStack(testApp(), 'team');
    ci = new CiPipeline(stack, 'ci', pipelineProps({ registry: { type: 'ecr', image: 'app' } }));
  });

  test('as typed, read-only resources, with the main one as node.defaultChild', () => {
    const key = ci.encryptionKey as EncryptionKey;
    const bucket = ci.artifactBucket as SecureBucket;
    expect(key.resources.key).toBeInstanceOf(KmsKey);
    expect(key.node.defaultChild).toBe(key.resources.key);
    expect(bucket.resources.bucket).toBeInstanceOf(S3Bucket);
    expect(ci.buildProject.resources.project).toBeInstanceOf(CodebuildProject);
    expect(ci.buildProject.role.resources.role).toBeInstanceOf(IamRole);
    expect(ci.pipeline.resources.pipeline).toBeInstanceOf(Codepipeline);
    expect(ci.failureNotifications?.resources.topic).toBeInstanceOf(SnsTopic);
    expect(ci.repository.resources.repository).toBeInstanceOf(Repository);
    expect(ci.pullRequestBuilds?.resources.webhook).toBeDefined();
    expect(ci.imageRepository?.resources.lifecyclePolicy).toBeDefined();
  });

  test('an argument the props do not model reaches the JSON through them', () => {
    ci.buildProject.resources.project.addOverride('badge_enabled', true);
    (ci.artifactBucket as SecureBucket).resources.bucket.addOverride('object_lock_enabled', true);
    const json = JSON.parse(Testing.synth(stack));
    const projects = Object.values<any>(json.resource.aws_codebuild_project);
    expect(projects.filter((project) => project.badge_enabled === true)).toHaveLength(1);
    expect(Object.values<any>(json.resource.aws_s3_bucket)[0].object_lock_enabled).toBe(true);
  });
});

describe('importers: what exists elsewhere, by name or ARN', () => {
  test('Pipeline.fromPipelineName: its ARN in the stack account and region; a bad name names the prop', () => {
    const stack = new TerraformStack(testApp(), 'team');
    const pipeline = Pipeline.fromPipelineName(stack, 'legacy-app');
    expect(pipeline.pipelineName).toBe('legacy-app');
    expect(pipeline.pipelineArn).toMatch(/^arn:.+:codepipeline:.+:.+:legacy-app$/);
    expect(() => Pipeline.fromPipelineName(stack, 'has space')).toThrow(PropValidationError);
    expect(() => Pipeline.fromPipelineName(stack, 'has space')).toThrow(
      'Pipeline.fromPipelineName at team: invalid prop "pipelineName" = "has space"',
    );
  });

  test('ServiceRole.fromRoleArn: grants go into an inline policy of the existing role, or are refused', () => {
    const stack = new TerraformStack(testApp(), 'team');
    const role = ServiceRole.fromRoleArn(stack, 'existing-role', ROLE_ARN);
    expect(role.roleName).toBe('existing-build');
    role.addToPolicy({ sid: 'ReadThings', actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] });
    const json = JSON.parse(Testing.synth(stack));
    const [policy] = Object.values<any>(json.resource.aws_iam_role_policy);
    expect(policy).toMatchObject({ name: 'existing-build-permissions', role: 'existing-build' });
    expect(json.resource.aws_iam_role).toBeUndefined();

    const fixed = ServiceRole.fromRoleArn(stack, 'fixed-role', ROLE_ARN, { mutable: false });
    expect(() => fixed.addToPolicy({ sid: 'Any', actions: ['s3:GetObject'], resources: ['*'] })).toThrow(
      /imported with mutable: false; grant it in the role's own policies/,
    );
    expect(() => ServiceRole.fromRoleArn(stack, 'bad', 'arn:aws:iam::123:role/x')).toThrow(
      'invalid prop "roleArn" = "arn:aws:iam::123:role/x": must be an IAM role ARN',
    );
  });

  test('BuildProject.fromProjectName runs in a pipeline stage, its role granted the stage artifacts', () => {
    const stack = new TerraformStack(testApp(), 'team');
    const ci = new CiPipeline(stack, 'ci', pipelineProps());
    const existing = BuildProject.fromProjectName(stack, 'integration-tests', 'integration-tests', {
      roleArn: ROLE_ARN,
    });
    ci.pipeline.addStage({
      stageName: 'Test',
      actions: [new CodeBuildAction({ actionName: 'Integration', project: existing, input: 'build_output' })],
    });
    const json = JSON.parse(Testing.synth(stack));
    const policies = Object.values<any>(json.resource.aws_iam_role_policy).map((policy) => policy.role);
    expect(policies).toContain('existing-build');
    const stages = Object.values<any>(json.resource.aws_codepipeline)[0].stage.map((stage: any) => stage.name);
    expect(stages).toEqual(['Source', 'Build', 'Test']);
  });

  test('an imported project without its role cannot run in a stage: the error says to pass roleArn', () => {
    const stack = new TerraformStack(testApp(), 'team');
    const ci = new CiPipeline(stack, 'ci', pipelineProps());
    const existing = BuildProject.fromProjectName(stack, 'lint', 'lint');
    expect(() =>
      ci.pipeline.addStage({
        stageName: 'Lint',
        actions: [new CodeBuildAction({ actionName: 'Lint', project: existing, input: 'build_output' })],
      }),
    ).toThrow(/invalid prop "project" = "lint": must have a known role .* \{ roleArn \}/);
  });

  test('EncryptionKey.fromKeyArn and SecureBucket.fromBucketName create nothing', () => {
    const stack = new TerraformStack(testApp(), 'team');
    const key = EncryptionKey.fromKeyArn(stack, KEY_ARN);
    const bucket = SecureBucket.fromBucketName(stack, 'team-artifacts', { encryptionKey: key });
    expect(bucket.bucketArn).toMatch(/:s3:::team-artifacts$/);
    const json = JSON.parse(Testing.synth(stack));
    expect(json.resource).toBeUndefined();
  });
});

describe("a user's own stack is told what the constructs need", () => {
  test(
    'Terraform 1.11 and the AWS provider range the constructs are written for, not the bindings exact ' + 'version',
    () => {
      const stack = new TerraformStack(testApp(), 'team');
      new CiPipeline(stack, 'ci', pipelineProps());
      const terraform = JSON.parse(Testing.synth(stack)).terraform;
      expect(terraform.required_version).toBe('>= 1.11.0');
      expect(terraform.required_providers.aws.version).toBe('>= 5.100.0, < 7.0.0');
    },
  );
});
