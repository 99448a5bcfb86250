import { S3Backend, TerraformStack } from 'cdktf';
import { Suppressions } from '../shared/suppressions';
import { checkArnUsableIn, checkAwsRegion, partitionOf } from '../constructs/private/checks';
import { checkKmsKeyIdentifier } from '../constructs/aws/encryption-key';
import { checkS3BucketName, checkS3KeyPrefix } from '../constructs/aws/secure-bucket';
import { Check, checkProp, crossPropProblem } from '../constructs/private/validation';
import { PropProblem } from '../constructs/core/validation';

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

/**
 * The longest state key: S3 object keys are at most 1,024 bytes of UTF-8 (S3 User Guide, "Naming Amazon S3 objects"),
 * and the backend's lock file is the key with `.tflock` added (Terraform, "Backend Type: s3", `use_lockfile`).
 */
export const STATE_KEY_MAX_BYTES = 1024 - '.tflock'.length;

/** A state object key: path segments S3 and the backend accept, short enough to leave room for the lock file's. */
export const checkStateKey: Check<string> = (key) => {
  const bytes = typeof key === 'string' ? Buffer.byteLength(key, 'utf8') : 0;
  return (
    checkS3KeyPrefix(key) ??
    (bytes > STATE_KEY_MAX_BYTES
      ? `must be at most ${STATE_KEY_MAX_BYTES} bytes, not ${bytes}: S3 keys are at most 1,024 bytes, and the lock ` +
        'file adds ".tflock"'
      : undefined)
  );
};

/** Every problem with a stack's state settings, named relative to them (`bucket`, `kmsKeyId`). */
export function validateRemoteState(state: RemoteStateSettings): PropProblem[] {
  return [
    ...checkProp('bucket', state.bucket, checkS3BucketName),
    ...checkProp('region', state.region, checkAwsRegion),
    ...checkProp('key', state.key, checkStateKey),
    ...stateEncryptionProblems(state),
  ];
}

/**
 * The problem with a state bucket outside the partition of the region its stack deploys to: one deploy uses one set of
 * credentials, and credentials of one partition are unknown in the others (AWS General Reference, "Amazon Resource
 * Names": a partition is a group of regions, isolated from the others), so `terraform init` could not read the state.
 */
export function statePartitionProblems(state: RemoteStateSettings, region: string): PropProblem[] {
  const regions = [state.region, region];
  if (!regions.every((each) => checkAwsRegion(each) === undefined)) return [];
  return crossPropProblem(
    partitionOf(state.region) !== partitionOf(region),
    'state.region',
    state.region,
    `must be in the partition "${partitionOf(region)}" of the region "${region}" the stack deploys to: one deploy's ` +
      'credentials are valid in one partition only',
  );
}

/** The state's key: one named and usable by the state bucket, unless S3-managed keys are chosen explicitly. */
function stateEncryptionProblems(state: RemoteStateSettings): PropProblem[] {
  if (state.s3ManagedEncryption !== undefined && typeof state.s3ManagedEncryption !== 'boolean') {
    return [{ prop: 's3ManagedEncryption', value: state.s3ManagedEncryption, allowed: 'must be true or false' }];
  }
  if (state.s3ManagedEncryption === true) {
    return crossPropProblem(
      state.kmsKeyId !== undefined,
      'kmsKeyId',
      state.kmsKeyId,
      'must not be set with s3ManagedEncryption: choose a customer-managed key or S3-managed keys',
    );
  }
  if (state.kmsKeyId === undefined) {
    return [
      {
        prop: 'kmsKeyId',
        value: undefined,
        allowed:
          'is required: name the customer-managed KMS key that encrypts the state, or set s3ManagedEncryption to ' +
          'true to accept S3-managed keys, which anyone allowed s3:GetObject on the bucket can read through',
      },
    ];
  }
  const keyProblems = checkProp('kmsKeyId', state.kmsKeyId, checkKmsKeyIdentifier);
  // S3 encrypts an object only with a key of the bucket's region (S3 User Guide, "Using server-side encryption with AWS
  // KMS keys").
  const inBucketRegion =
    keyProblems.length === 0 && state.kmsKeyId.startsWith('arn:') && checkAwsRegion(state.region) === undefined;
  return [
    ...keyProblems,
    ...(inBucketRegion
      ? checkProp('kmsKeyId', state.kmsKeyId, checkArnUsableIn(state.region, 'the state bucket'))
      : []),
  ];
}

/**
 * The stack's S3 backend: encrypted under the state's key (Terraform's S3 backend
 * sends it on the state and the lock object alike), and locked natively.
 */
export function addS3Backend(stack: TerraformStack, state: RemoteStateSettings): void {
  new S3Backend(stack, {
    bucket: state.bucket,
    key: state.key,
    region: state.region,
    encrypt: true,
    kmsKeyId: state.s3ManagedEncryption ? undefined : state.kmsKeyId,
  });
  // cdktf 0.21's S3Backend predates native S3 locking; without it, concurrent
  // applies could corrupt state (the DynamoDB lock table is deprecated).
  stack.addOverride('terraform.backend.s3.use_lockfile', true);
  if (state.s3ManagedEncryption) {
    Suppressions.add(stack, {
      ruleId: 'CIP_TF_2',
      reason:
        'The state bucket exists already and state.s3ManagedEncryption is set: its owner chose S3-managed keys for ' +
        'the state',
    });
  }
}
