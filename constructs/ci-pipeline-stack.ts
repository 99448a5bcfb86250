import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { GithubProvider } from '@cdktf/provider-github/lib/provider';
import { Aspects, DataTerraformRemoteStateS3, S3Backend, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { SecurityChecks } from '../guardrails/security-checks';
import { CiPipeline, CiPipelineProps } from './ci-pipeline';
import { GitHubConnectionSource } from './github-connection-source';
import { GitHubWebhookSource } from './github-webhook-source';
import { checkArnInRegion, checkAwsRegion, checkKmsKeyOrAliasArn, checkS3BucketName, checkS3KeyPrefix, validateProp } from './validation';

/**
 * Terraform that runs write-only arguments (`secret_string_wo`) and ephemeral
 * variables; 1.11 is the first release with both.
 */
export const REQUIRED_TERRAFORM_VERSION = '>= 1.11.0';

/** Where a stack keeps its Terraform state. */
export interface RemoteStateSettings {
  /** The state bucket: the one the state bootstrap stack creates, or an existing one. */
  readonly bucket: string;
  /** The bucket's region. */
  readonly region: string;
  /**
   * The stack's state object key.
   */
  readonly key: string;
  /**
   * ARN of the KMS key that encrypts the state object.
   * @default - S3-managed encryption (`encrypt = true`)
   */
  readonly kmsKeyArn?: string;
}

export interface CiPipelineStackProps {
  /** The pipeline to build. */
  readonly pipeline: CiPipelineProps;
  /** The AWS region the pipeline runs in. */
  readonly region: string;
  /** The S3 backend holding this stack's state. */
  readonly state: RemoteStateSettings;
}

/**
 * A Terraform stack holding one {@link CiPipeline}: the AWS and GitHub
 * providers, the S3 backend with encryption and native S3 locking
 * (`use_lockfile`), and the outputs an operator needs.
 */
export class CiPipelineStack extends TerraformStack {
  /**
   * Reads a pipeline stack's outputs from another stack through the same S3
   * backend (`terraform_remote_state`), e.g. `remote.getString('pipeline_name')`.
   * Pass the `state` the pipeline stack was given.
   */
  public static remoteState(scope: Construct, id: string, state: RemoteStateSettings): DataTerraformRemoteStateS3 {
    return new DataTerraformRemoteStateS3(scope, id, {
      bucket: state.bucket,
      key: state.key,
      region: state.region,
      encrypt: true,
      kmsKeyId: state.kmsKeyArn,
    });
  }

  /** The pipeline. */
  public readonly ciPipeline: CiPipeline;

  constructor(scope: Construct, id: string, props: CiPipelineStackProps) {
    super(scope, id);
    // Secure by default: synth fails on a guardrail finding (see guardrails/).
    Aspects.of(this).add(new SecurityChecks());
    validateProp('CiPipelineStack', 'region', props.region, checkAwsRegion);
    validateProp('CiPipelineStack', 'state.bucket', props.state.bucket, checkS3BucketName);
    validateProp('CiPipelineStack', 'state.region', props.state.region, checkAwsRegion);
    validateProp('CiPipelineStack', 'state.key', props.state.key, checkS3KeyPrefix);
    if (props.state.kmsKeyArn !== undefined) validateProp('CiPipelineStack', 'state.kmsKeyArn', props.state.kmsKeyArn, checkKmsKeyOrAliasArn);
    if (props.pipeline.encryptionKeyArn !== undefined) {
      validateProp('CiPipelineStack', 'pipeline.encryptionKeyArn', props.pipeline.encryptionKeyArn, checkArnInRegion(props.region));
    }

    new S3Backend(this, {
      bucket: props.state.bucket,
      key: props.state.key,
      region: props.state.region,
      encrypt: true,
      kmsKeyId: props.state.kmsKeyArn,
    });
    // cdktf 0.21's S3Backend predates native S3 locking; without it, concurrent
    // applies could corrupt state (the DynamoDB lock table is deprecated).
    this.addOverride('terraform.backend.s3.use_lockfile', true);
    this.addOverride('terraform.required_version', REQUIRED_TERRAFORM_VERSION);

    new AwsProvider(this, 'aws', {
      region: props.region,
      defaultTags: [{ tags: { ManagedBy: 'cdktf', Pipeline: props.pipeline.name, Stack: id } }],
    });
    // Authenticates with the GITHUB_TOKEN environment variable of whoever deploys.
    new GithubProvider(this, 'github', { owner: props.pipeline.github.owner });

    this.ciPipeline = new CiPipeline(this, 'ci', props.pipeline);
    this.addOutputs(this.ciPipeline);
  }

  private addOutputs(ci: CiPipeline): void {
    const output = (name: string, value: string, description: string) =>
      new TerraformOutput(this, name, { value, description }).overrideLogicalId(name);
    output('pipeline_name', ci.pipelineName, 'The CodePipeline');
    output('pipeline_console_url', ci.pipelineConsoleUrl, 'The pipeline in the AWS console');
    output('build_project_name', ci.buildProjectName, 'The CodeBuild project');
    output('build_project_console_url', ci.buildProjectConsoleUrl, "The build project's history in the AWS console");
    output('log_group_name', ci.logGroupName, 'The build logs');
    output('log_group_console_url', ci.logGroupConsoleUrl, 'The build logs in the AWS console');
    const commands = ci.troubleshootingCommands;
    output('pipeline_state_command', commands.pipelineState, "AWS CLI: each stage's latest status");
    output('list_builds_command', commands.listBuilds, "AWS CLI: the project's latest build IDs");
    output('latest_build_command', commands.latestBuild, "AWS CLI: the latest build's status, failed phases and log link");
    output('tail_logs_command', commands.tailLogs, 'AWS CLI: follow the build logs');
    output('image_repository', ci.imageRepositoryUri, 'Where images are pushed, tagged with the commit SHA');
    if (ci.source instanceof GitHubWebhookSource && ci.source.webhookUrl !== undefined) {
      output('webhook_url', ci.source.webhookUrl, 'The CodePipeline webhook that GitHub calls on push');
    }
    if (ci.source instanceof GitHubConnectionSource) {
      output('connection_arn', ci.source.connectionArn, 'The GitHub connection used by the source action');
      if (ci.source.connectionStatus !== undefined) {
        output('connection_status', ci.source.connectionStatus, 'PENDING until approved once in the console');
        output(
          'connection_next_step',
          'Approve the connection once: AWS console > Developer Tools > Settings > Connections > Update pending connection',
          'A new connection stays PENDING, and the pipeline cannot fetch code, until a person approves it',
        );
      }
    }
    if (ci.registryCredentials !== undefined) {
      const names = ci.registryCredentials.variableNames;
      output(
        'registry_credentials_variables',
        `Set TF_VAR_${names.username} and TF_VAR_${names.password}; bump ${names.version} to write new values`,
        'How Docker Hub credentials reach Secrets Manager',
      );
    }
  }
}
