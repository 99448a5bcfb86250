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
import { describeWithTerraformAndMirror, validateDirectory } from '../tools/validate/with-terraform';
import { INFRASTRUCTURE_STACK_PROPS } from './stack-props';

describeWithTerraformAndMirror('the infrastructure pipeline stack, planned by real Terraform')(
  'the infrastructure pipeline stack, planned by real Terraform',
  () => {
    let outdir: string;
    beforeAll(() => {
      outdir = mkdtempSync(join(tmpdir(), 'infrastructure-pipeline-validate-'));
      const app = new App({ outdir });
      new InfrastructurePipelineStack(app, 'infrastructure-pipeline', INFRASTRUCTURE_STACK_PROPS);
      app.synth();
    });
    afterAll(() => rmSync(outdir, { recursive: true, force: true }));

    test('plans every resource of both paths, what runs as a role waiting for every policy of it', async () => {
      const { text, passed } = await validateDirectory(outdir);
      expect({ passed, text }).toEqual({ passed: true, text: expect.stringContaining('Result: valid') });
      expect(text).toContain('terraform plan: 66 to add, 0 to change, 0 to destroy (both copies)');
      expect(text).toContain('KMS.DescribeKey');
    }, 300_000);
  },
);
