/**
 * Opt-in (`npm run test:validate`): a stage entered only when a build's exported variable says so (an entry
 * condition with a VariableCheck rule, and the build action's namespace), planned by real Terraform with the real
 * AWS provider from the mirror, as `npm run validate` plans it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { BuildProject } from '../../../constructs/aws/build-project';
import { CodeBuildAction } from '../../../constructs/aws/codebuild-action';
import { EncryptionKey } from '../../../constructs/aws/encryption-key';
import { ManualApprovalAction } from '../../../constructs/aws/manual-approval-action';
import { Pipeline } from '../../../constructs/aws/pipeline';
import { ActionConfig, IAction } from '../../../constructs/aws/pipeline-action';
import { SecureBucket } from '../../../constructs/aws/secure-bucket';
import { addAwsProvider } from '../../../stacks/aws-provider';
import { describeWithTerraformAndMirror, validateDirectory } from '../../tools/validate/with-terraform';

/** A source of the pipeline's own: an S3 object, so the stack needs no GitHub provider. */
const s3Source: IAction = {
  actionName: 'Fetch',
  bind: (): ActionConfig => ({
    declaration: {
      name: 'Fetch',
      category: 'Source',
      owner: 'AWS',
      provider: 'S3',
      version: '1',
      outputArtifacts: ['source_output'],
      configuration: { S3Bucket: 'example-source-bucket', S3ObjectKey: 'source.zip', PollForSourceChanges: 'false' },
    },
  }),
};

const SUITE = 'a stage entry condition on an exported variable, planned by real Terraform';
describeWithTerraformAndMirror(SUITE)(SUITE, () => {
  let outdir: string;
  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'pipeline-conditions-validate-'));
    const app = new App({ outdir });
    const stack = new TerraformStack(app, 'conditions');
    addAwsProvider(stack, { region: 'eu-west-1' });
    const encryptionKey = new EncryptionKey(stack, 'key', {
      alias: 'ci/c',
      description: 'd',
      allowCloudWatchLogs: true,
    });
    const artifactBucket = new SecureBucket(stack, 'artifacts', { bucketPrefix: 'c-', encryptionKey });
    const project = new BuildProject(stack, 'plan', { projectName: 'c-plan', encryptionKey, buildsImages: false });
    const pipeline = new Pipeline(stack, 'pipeline', { pipelineName: 'c', artifactBucket, encryptionKey });
    pipeline.addStage({ stageName: 'Source', actions: [s3Source] });
    pipeline.addStage({
      stageName: 'Plan',
      actions: [new CodeBuildAction({ actionName: 'Plan', project, input: 'source_output', namespace: 'Plan' })],
    });
    pipeline.addStage({
      stageName: 'Approve',
      actions: [new ManualApprovalAction({ actionName: 'Review', comments: 'A plan destroys data.' })],
      entryCondition: {
        result: 'SKIP',
        rules: [{ ruleName: 'NeedsApproval', variable: '#{Plan.NEEDS_APPROVAL}', operator: 'EQ', value: 'true' }],
      },
    });
    app.synth();
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  test('the provider takes the condition and the namespace: the plan is valid', async () => {
    const { text, passed } = await validateDirectory(outdir);
    expect({ passed, text }).toEqual({ passed: true, text: expect.stringContaining('Result: valid') });
  }, 300_000);
});
