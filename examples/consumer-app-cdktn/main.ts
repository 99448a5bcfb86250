// A team's own stack, with its own backend and providers, and the CI pipeline
// construct from the installed package: what "Using the constructs in your own
// stack" in the package's docs (docs/using-the-constructs.md) describes.
import { AwsProvider } from '@cdktn/provider-aws/lib/provider';
import { GithubProvider } from '@cdktf/provider-github/lib/provider';
import { App, Aspects, S3Backend, TerraformOutput, TerraformStack } from 'cdktn';
import { Construct } from 'constructs';
import { CiPipeline } from 'cdktf-github-codepipeline-ci/cdktn';
import { SecurityChecks } from 'cdktf-github-codepipeline-ci/cdktn/guardrails';

export class ApiCiStack extends TerraformStack {
  public readonly ci: CiPipeline;
  public readonly web: CiPipeline;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new S3Backend(this, {
      bucket: 'acme-terraform-state',
      key: 'platform/api-ci.tfstate',
      region: 'eu-west-1',
      encrypt: true,
      kmsKeyId: 'alias/acme-terraform-state',
    });
    this.addOverride('terraform.backend.s3.use_lockfile', true);
    new AwsProvider(this, 'aws', { region: 'eu-west-1' });
    new GithubProvider(this, 'github', { owner: 'acme' });
    this.ci = new CiPipeline(this, 'ci', {
      name: 'api',
      github: { owner: 'acme', repository: 'api', create: false },
      trigger: 'connection',
      registry: { type: 'ecr', image: 'api' },
      appPath: 'services/api',
    });
    // Webhook mode with Docker Hub credentials: write-only arguments, which only Terraform 1.11 and later run.
    this.web = new CiPipeline(this, 'web', {
      name: 'web',
      github: { owner: 'acme', repository: 'web', create: false },
      registry: { type: 'dockerhub', image: 'acme/web' },
    });
    new TerraformOutput(this, 'pipeline_name', { value: this.ci.pipelineName });
    Aspects.of(this).add(new SecurityChecks()); // the package's guardrails, on this stack
  }
}

// Synthesizes when run (`npx ts-node main.ts`, `node main.js`), not when a test imports the stack.
if (require.main === module) {
  // CDK Terrain reads cdktf.json's targetVersions only when its CLI starts the app: the same here, for
  // `npx ts-node main.ts` and `node main.js` (docs/cdktf-or-cdk-terrain.md, "targetVersions").
  const app = new App({ context: { targetVersions: { terraform: '>=1.11.0' } } });
  new ApiCiStack(app, 'api-ci');
  app.synth();
}
