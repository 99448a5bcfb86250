import { InfrastructurePipelineStackProps } from '../../stacks/infrastructure-pipeline-stack';

export const CONNECTION =
  'arn:aws:codeconnections:eu-west-1:123456789012:connection/0a1b2c3d-aaaa-bbbb-cccc-0123456789ab';
export const COMMENT_TOKEN =
  'arn:aws:secretsmanager:eu-west-1:123456789012:secret:infrastructure/github-comments-AbCdEf';
export const PROVIDER_READ_TOKEN =
  'arn:aws:secretsmanager:eu-west-1:123456789012:secret:infrastructure/github-provider-read-AbCdEf';
export const PROVIDER_WRITE_TOKEN =
  'arn:aws:secretsmanager:eu-west-1:123456789012:secret:infrastructure/github-provider-write-AbCdEf';
export const TERRAFORM = { version: '1.11.4', sha256: 'a'.repeat(64) };

/** An infrastructure pipeline stack's props: its state beside the others, under the key prefix `ci-pipelines`. */
export const INFRASTRUCTURE_STACK_PROPS: InfrastructurePipelineStackProps = {
  region: 'eu-west-1',
  state: {
    bucket: 'example-org-terraform-state',
    region: 'eu-west-1',
    key: 'ci-pipelines/eu-west-1/infrastructure-pipeline/terraform.tfstate',
    kmsKeyId: 'alias/terraform-state/example-org-terraform-state',
  },
  stateKeyPrefix: 'ci-pipelines',
  pipeline: {
    owner: 'example-org',
    repositoryName: 'platform-pipelines',
    connectionArn: CONNECTION,
    commentTokenSecretArn: COMMENT_TOKEN,
    providerTokenSecretArns: { plan: PROVIDER_READ_TOKEN, apply: PROVIDER_WRITE_TOKEN },
    terraform: TERRAFORM,
  },
};
