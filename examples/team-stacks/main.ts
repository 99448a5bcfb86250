// Two stacks a platform team writes in its own cdktf app, using this project's
// constructs (docs/using-the-constructs.md). Tested in
// __tests__/examples.test.ts, and run on its own against the packed package by
// `npm run test:consumer`; docs/using-the-constructs.md shows this file.
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { GithubProvider } from '@cdktf/provider-github/lib/provider';
import { App, Aspects, Fn, S3Backend, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { CiPipeline, CiPipelineStack, RemoteStateSettings } from 'cdktf-github-codepipeline-ci';
import { SecurityChecks } from 'cdktf-github-codepipeline-ci/guardrails';

/** The team's state settings: its own bucket and customer-managed key, a state key per stack. */
export const API_PIPELINE_STATE: RemoteStateSettings = {
  bucket: 'acme-terraform-state',
  region: 'eu-west-1',
  key: 'platform/api-ci.tfstate',
  kmsKeyId: 'alias/acme-terraform-state',
};

/** The team's stack with its own backend and providers, and one CiPipeline in it. */
export class ApiCiStack extends TerraformStack {
  public readonly ci: CiPipeline;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    Aspects.of(this).add(new SecurityChecks()); // optional: the same guardrails as this project's stacks
    new S3Backend(this, { ...API_PIPELINE_STATE, encrypt: true });
    this.addOverride('terraform.backend.s3.use_lockfile', true);
    new AwsProvider(this, 'aws', { region: 'eu-west-1' });
    new GithubProvider(this, 'github', { owner: 'acme' });
    this.ci = new CiPipeline(this, 'ci', {
      name: 'api',
      github: { owner: 'acme', repository: 'api', create: false },
      trigger: 'connection',
      registry: { type: 'ecr', image: 'api' },
      // The team's own key and artifact bucket, which Terraform uses but does not manage.
      encryptionKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      artifactBucketName: 'acme-ci-artifacts',
    });
    new TerraformOutput(this, 'pipeline_name', { value: this.ci.pipelineName }).overrideLogicalId('pipeline_name');
  }
}

/** Another stack that reads the pipeline stack's outputs from its state, and alerts on failed runs. */
export class PipelineAlertsStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new S3Backend(this, { ...API_PIPELINE_STATE, key: 'platform/api-alerts.tfstate', encrypt: true });
    this.addOverride('terraform.backend.s3.use_lockfile', true);
    new AwsProvider(this, 'aws', { region: 'eu-west-1' });
    const pipeline = CiPipelineStack.remoteState(this, 'api-ci', API_PIPELINE_STATE);
    new CloudwatchEventRule(this, 'failed-runs', {
      name: 'api-pipeline-failed',
      eventPattern: Fn.jsonencode({
        source: ['aws.codepipeline'],
        'detail-type': ['CodePipeline Pipeline Execution State Change'],
        detail: { pipeline: [pipeline.getString('pipeline_name')], state: ['FAILED'] },
      }),
    });
  }
}

// Synthesizes both stacks when run (`npx ts-node main.ts`, cdktf.json's app), not when a test imports them.
if (require.main === module) {
  const app = new App();
  new ApiCiStack(app, 'api-ci');
  new PipelineAlertsStack(app, 'api-alerts');
  app.synth();
}
