import { App, Testing } from 'cdktf';
import { CiPipelineStack, CiPipelineStackProps, REQUIRED_TERRAFORM_VERSION } from '../constructs/ci-pipeline-stack';
import { pipelineProps } from './helpers';

const STATE = { bucket: 'my-state-bucket', region: 'eu-west-1', key: 'ci/app/terraform.tfstate' };

function synthStack(props: Partial<CiPipelineStackProps> = {}) {
  const app: App = Testing.app();
  const stack = new CiPipelineStack(app, 'ci-app', { pipeline: pipelineProps(), region: 'eu-west-1', state: STATE, ...props });
  return JSON.parse(Testing.synth(stack, true));
}

describe('CiPipelineStack', () => {
  const json = synthStack();

  test('keeps state in S3, encrypted, with native S3 locking', () => {
    expect(json.terraform.backend).toEqual({
      s3: { bucket: 'my-state-bucket', key: 'ci/app/terraform.tfstate', region: 'eu-west-1', encrypt: true, use_lockfile: true },
    });
    expect(json.terraform.required_version).toBe(REQUIRED_TERRAFORM_VERSION);
  });

  test('encrypts state with a customer key when one is given', () => {
    const kmsKeyArn = 'arn:aws:kms:eu-west-1:123456789012:key/abc';
    expect(synthStack({ state: { ...STATE, kmsKeyArn } }).terraform.backend.s3.kms_key_id).toBe(kmsKeyArn);
  });

  test('configures the AWS, GitHub and random providers', () => {
    expect(json.provider.aws[0]).toMatchObject({ region: 'eu-west-1', default_tags: [{ tags: { ManagedBy: 'cdktf', Pipeline: 'app', Stack: 'ci-app' } }] });
    expect(json.provider.github[0]).toEqual({ owner: 'my-org' });
    expect(Object.keys(json.terraform.required_providers).sort()).toEqual(['aws', 'github', 'random']);
  });

  test('outputs what an operator needs, for each trigger mode', () => {
    expect(Object.keys(json.output).sort()).toEqual(
      ['build_project_name', 'image_repository', 'log_group_name', 'pipeline_console_url', 'pipeline_name', 'registry_credentials_variables', 'webhook_url'].sort(),
    );
    expect(json.output.pipeline_console_url.value).toMatch(/^https:\/\/\$\{data\.aws_region\..*\}\.console\.aws\.amazon\.com\/codesuite\/codepipeline\/pipelines\/\$\{aws_codepipeline\..*\.name\}\/view\?region=/);
    const connection = synthStack({ pipeline: pipelineProps({ trigger: 'connection' }) });
    expect(connection.output.connection_arn.value).toMatch(/aws_codestarconnections_connection\..*\.arn/);
    expect(connection.output.connection_status.value).toMatch(/\.connection_status\}$/);
    expect(connection.output.connection_next_step.value).toMatch(/Approve the connection once/);
    expect(connection.output.webhook_url).toBeUndefined();
    expect(Object.keys(connection.terraform.required_providers).sort()).toEqual(['aws', 'github']);
  });

  test('rejects bad regions and state settings, naming the prop', () => {
    expect(() => synthStack({ region: 'moon-1' })).toThrow(/CiPipelineStack: invalid prop "region" = "moon-1"/);
    expect(() => synthStack({ state: { ...STATE, bucket: 'UPPER' } })).toThrow(/invalid prop "state.bucket" = "UPPER"/);
    expect(() => synthStack({ state: { ...STATE, key: '/abs' } })).toThrow(/invalid prop "state.key" = "\/abs"/);
  });
});
