import { GithubProvider } from '@cdktf/provider-github/lib/provider';
import { Aspects, DataTerraformRemoteStateS3, S3Backend, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { SecurityChecks } from '../../guardrails/security-checks';
import { CiPipeline } from '../ci-pipeline/ci-pipeline';
import { CiPipelineProps } from '../ci-pipeline/ci-pipeline-props';
import { Suppressions } from '../../guardrails/suppressions';
import { checkArnInPartitionOf, checkArnUsableIn, checkAwsRegion, checkKmsKeyIdentifier, checkS3BucketName, checkS3KeyPrefix } from '../core/checks';
import { checkProp, crossPropProblem, PropProblem, throwIfInvalid } from '../core/validation';
import { addAwsProvider } from './aws-provider';
import { requireTerraformVersion } from './terraform-version';

export { REQUIRED_TERRAFORM_VERSION } from './terraform-version';

/** Where a stack keeps its Terraform state. */
export interface RemoteStateSettings {
  /** The state bucket: the one the state bootstrap stack creates, or an existing one. */
  readonly bucket: string;
  /** The bucket's region. */
  readonly region: string;
  /** The stack's state object key. */
  readonly key: string;
  /**
   * The customer-managed KMS key that encrypts the state and lock objects (the
   * backend's `kms_key_id`): a key ARN, an alias ARN, or an alias name
   * (`alias/<name>`, resolved in the deploying account). For a bucket of the
   * state bootstrap stack, `stateKeyAlias(bucket)`; its bucket policy refuses
   * state written under any other key.
   * @default - required, unless `s3ManagedEncryption` is true
   */
  readonly kmsKeyId?: string;
  /**
   * Encrypt the state with S3-managed keys (`encrypt = true` without a key): an
   * explicit, weaker choice for an existing bucket without a customer-managed
   * key. Anyone allowed `s3:GetObject` on the bucket (AWS's `ReadOnlyAccess`
   * policy, for one) can then read the state, and the secrets in it.
   * @default false
   */
  readonly s3ManagedEncryption?: boolean;
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
  return [
    ...checkProp('region', props.region, checkAwsRegion),
    ...checkProp('state.bucket', props.state.bucket, checkS3BucketName),
    ...checkProp('state.region', props.state.region, checkAwsRegion),
    ...checkProp('state.key', props.state.key, checkS3KeyPrefix),
    ...stateEncryptionProblems(props.state),
    ...crossPropProblem(
      props.pipeline.artifactBucketName !== undefined && props.pipeline.artifactBucketName === props.state.bucket,
      'pipeline.artifactBucketName',
      props.pipeline.artifactBucketName,
      'must not be the state bucket: pipeline artifacts and their lifecycle do not belong beside Terraform state',
    ),
    // Only once the region is valid, so that one mistake is reported once.
    ...(checkAwsRegion(props.region) === undefined ? regionalArnProblems(props) : []),
  ];
}

/** The state's key: one named and usable by the state bucket, unless S3-managed keys are chosen explicitly. */
function stateEncryptionProblems(state: RemoteStateSettings): PropProblem[] {
  if (state.s3ManagedEncryption !== undefined && typeof state.s3ManagedEncryption !== 'boolean') {
    return [{ prop: 'state.s3ManagedEncryption', value: state.s3ManagedEncryption, allowed: 'must be true or false' }];
  }
  if (state.s3ManagedEncryption === true) {
    return crossPropProblem(state.kmsKeyId !== undefined, 'state.kmsKeyId', state.kmsKeyId, 'must not be set with s3ManagedEncryption: choose a customer-managed key or S3-managed keys');
  }
  if (state.kmsKeyId === undefined) {
    return [
      {
        prop: 'state.kmsKeyId',
        value: undefined,
        allowed: 'is required: name the customer-managed KMS key that encrypts the state, or set s3ManagedEncryption to true to accept S3-managed keys, which anyone allowed s3:GetObject on the bucket can read through',
      },
    ];
  }
  const keyProblems = checkProp('state.kmsKeyId', state.kmsKeyId, checkKmsKeyIdentifier);
  // S3 encrypts an object only with a key of the bucket's region (S3 User Guide, "Using server-side encryption with AWS KMS keys").
  const inBucketRegion = keyProblems.length === 0 && state.kmsKeyId.startsWith('arn:') && checkAwsRegion(state.region) === undefined;
  return [...keyProblems, ...(inBucketRegion ? checkProp('state.kmsKeyId', state.kmsKeyId, checkArnUsableIn(state.region, 'the state bucket')) : [])];
}

/** The ARNs of a pipeline that must be usable in its region: its key and the secrets it reads; a connection in its partition. */
function regionalArnProblems(props: CiPipelineStackProps): PropProblem[] {
  const usable = checkArnUsableIn(props.region, 'the pipelines');
  // The configuration's own validation calls this with values of any type, and reports wrong types itself.
  const isArn = (value: unknown): value is string => typeof value === 'string' && value.startsWith('arn:');
  const github: Partial<CiPipelineProps['github']> = typeof props.pipeline.github === 'object' && props.pipeline.github !== null ? props.pipeline.github : {};
  const encryptionKeyArn = props.pipeline.encryptionKeyArn;
  return [
    ...(isArn(encryptionKeyArn) ? checkProp('pipeline.encryptionKeyArn', encryptionKeyArn, usable) : []),
    ...(isArn(github.oauthTokenSecret) ? checkProp('pipeline.github.oauthTokenSecret', github.oauthTokenSecret, usable) : []),
    ...(isArn(github.webhookSecret) ? checkProp('pipeline.github.webhookSecret', github.webhookSecret, usable) : []),
    ...(isArn(github.connectionArn) ? checkProp('pipeline.github.connectionArn', github.connectionArn, checkArnInPartitionOf(props.region)) : []),
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
      kmsKeyId: state.kmsKeyId,
    });
  }

  /** The pipeline. */
  public readonly ciPipeline: CiPipeline;

  constructor(scope: Construct, id: string, props: CiPipelineStackProps) {
    super(scope, id);
    // Secure by default: synth fails on a guardrail finding (see guardrails/).
    Aspects.of(this).add(new SecurityChecks());
    throwIfInvalid('CiPipelineStack', this, validateCiPipelineStackProps(props));

    this.configureBackend(props.state);
    requireTerraformVersion(this);

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

  /**
   * The S3 backend: encrypted under the state's key (Terraform's S3 backend sends
   * it on the state and the lock object alike), and locked natively.
   */
  private configureBackend(state: RemoteStateSettings): void {
    new S3Backend(this, {
      bucket: state.bucket,
      key: state.key,
      region: state.region,
      encrypt: true,
      kmsKeyId: state.s3ManagedEncryption ? undefined : state.kmsKeyId,
    });
    // cdktf 0.21's S3Backend predates native S3 locking; without it, concurrent
    // applies could corrupt state (the DynamoDB lock table is deprecated).
    this.addOverride('terraform.backend.s3.use_lockfile', true);
    if (state.s3ManagedEncryption) {
      Suppressions.add(this, {
        ruleId: 'CIP_TF_2',
        reason: 'The state bucket exists already and state.s3ManagedEncryption is set: its owner chose S3-managed keys for the state',
      });
    }
  }
}
