import { GithubProvider } from '@cdktf/provider-github/lib/provider';
import { Aspects, DataTerraformRemoteStateS3, S3Backend, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { SecurityChecks } from '../../guardrails/security-checks';
import { CiPipeline } from '../ci-pipeline/ci-pipeline';
import { CiPipelineProps } from '../ci-pipeline/ci-pipeline-props';
import { checkArnInRegion, checkAwsRegion, checkKmsKeyOrAliasArn, checkS3BucketName, checkS3KeyPrefix } from '../core/checks';
import { checkOptionalProp, checkProp, PropProblem, throwIfInvalid } from '../core/validation';
import { addAwsProvider } from './aws-provider';

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
  /** The stack's state object key. */
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
 * Every problem with the stack's own props (the pipeline's are {@link CiPipeline}'s):
 * the configuration schema reports them for the configuration's region and state.
 */
export function validateCiPipelineStackProps(props: CiPipelineStackProps): PropProblem[] {
  const keyArn = props.pipeline.encryptionKeyArn;
  return [
    ...checkProp('region', props.region, checkAwsRegion),
    ...checkProp('state.bucket', props.state.bucket, checkS3BucketName),
    ...checkProp('state.region', props.state.region, checkAwsRegion),
    ...checkProp('state.key', props.state.key, checkS3KeyPrefix),
    ...checkOptionalProp('state.kmsKeyArn', props.state.kmsKeyArn, checkKmsKeyOrAliasArn),
    // Only once the region is valid, so that one mistake is reported once.
    ...(checkAwsRegion(props.region) === undefined ? checkOptionalProp('pipeline.encryptionKeyArn', keyArn, checkArnInRegion(props.region)) : []),
  ];
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
    throwIfInvalid('CiPipelineStack', this, validateCiPipelineStackProps(props));

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

    addAwsProvider(this, {
      region: props.region,
      defaultTags: [{ tags: { ManagedBy: 'cdktf', Pipeline: props.pipeline.name, Stack: id } }],
    });
    // Authenticates with the GITHUB_TOKEN environment variable of whoever deploys.
    new GithubProvider(this, 'github', { owner: props.pipeline.github.owner });

    this.ciPipeline = new CiPipeline(this, 'ci', props.pipeline);
    for (const { name, value, description } of this.ciPipeline.outputs) {
      new TerraformOutput(this, name, { value, description }).overrideLogicalId(name);
    }
  }
}
