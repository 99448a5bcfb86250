import { stateOutOfReach } from '../../tools/infrastructure-pipeline/stack-plans';
import { SynthesizedStackInfo } from '../../tools/infrastructure-pipeline/synth-output';

const stack = (bucket: string, key: string): SynthesizedStackInfo => ({
  id: 'ci-app',
  workingDirectory: '/tmp/stacks/ci-app',
  file: '/tmp/stacks/ci-app/cdk.tf.json',
  dependencies: [],
  backend: 's3',
  s3State: { bucket, key },
  digest: 'd',
});

describe("a stack's state against what the plan build's role may read", () => {
  const build = { TF_STATE_BUCKET: 'org-state', TF_STATE_KEY_PREFIX: 'ci-pipelines' };

  test('a state under the prefix of the bucket is in reach; a build that names nothing judges nothing', () => {
    expect(stateOutOfReach(stack('org-state', 'ci-pipelines/eu-west-1/app/terraform.tfstate'), build)).toBeUndefined();
    expect(stateOutOfReach(stack('elsewhere', 'x/terraform.tfstate'), {})).toBeUndefined();
  });

  test('another bucket, or a key outside the prefix (its prefix as a mere start of a name), is out of reach', () => {
    expect(stateOutOfReach(stack('other-state', 'ci-pipelines/eu-west-1/app/terraform.tfstate'), build)).toBe(
      "its state, s3://other-state/ci-pipelines/eu-west-1/app/terraform.tfstate, is outside what this build's role " +
        'may read (s3://org-state/ci-pipelines/): keep it under that prefix, or give the infrastructure pipeline ' +
        'this bucket and prefix',
    );
    expect(stateOutOfReach(stack('org-state', 'ci-pipelines-old/app/terraform.tfstate'), build)).toContain(
      'is outside what',
    );
  });
});
