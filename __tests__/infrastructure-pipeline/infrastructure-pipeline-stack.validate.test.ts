/**
 * Opt-in (`npm run test:validate`): the infrastructure pipeline's stack, planned by real Terraform with the real AWS
 * provider from the mirror, as `npm run validate` plans it (the AWS stand-in answers its lookups, the state key's
 * alias among them), including the order-of-creation check on the plan's configuration.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdktf';
import { InfrastructurePipelineStack } from '../../stacks/infrastructure-pipeline-stack';
import { checkDirectory } from '../../tools/validate/check';
import { findProviderMirror } from '../../tools/validate/mirror';
import { formatReport } from '../../tools/validate/report';
import { providerSetup } from '../../tools/validate/terraform';
import { describeWithTerraformAndMirror } from '../tools/validate/with-terraform';

describeWithTerraformAndMirror('the infrastructure pipeline stack, planned by real Terraform')(
  'the infrastructure pipeline stack, planned by real Terraform',
  () => {
    let outdir: string;
    beforeAll(() => {
      outdir = mkdtempSync(join(tmpdir(), 'infrastructure-pipeline-validate-'));
      const app = new App({ outdir });
      new InfrastructurePipelineStack(app, 'infrastructure-pipeline', {
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
          connectionArn:
            'arn:aws:codeconnections:eu-west-1:123456789012:connection/0a1b2c3d-aaaa-bbbb-cccc-0123456789ab',
          commentTokenSecretArn:
            'arn:aws:secretsmanager:eu-west-1:123456789012:secret:infrastructure/github-comments-AbCdEf',
          terraform: { version: '1.11.4', sha256: 'a'.repeat(64) },
        },
      });
      app.synth();
    });
    afterAll(() => rmSync(outdir, { recursive: true, force: true }));

    test('plans every resource, with the project waiting for every policy of its role', async () => {
      const { setup } = providerSetup(process.env, findProviderMirror(process.env));
      try {
        const outcome = await checkDirectory(outdir, setup);
        if (outcome.kind !== 'checked') throw new Error(`expected a report, got ${JSON.stringify(outcome)}`);
        const { text, passed } = formatReport(outcome.report);
        expect({ passed, text }).toEqual({ passed: true, text: expect.stringContaining('Result: valid') });
        expect(text).toContain('terraform plan: 20 to add, 0 to change, 0 to destroy (both copies)');
        expect(text).toContain('KMS.DescribeKey');
      } finally {
        setup.dispose();
      }
    }, 300_000);
  },
);
