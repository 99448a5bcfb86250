import { requireAwsProvider } from '../private/provider-versions';
import {
  DataAwsIamPolicyDocument,
  DataAwsIamPolicyDocumentStatement,
} from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
// eslint-disable-next-line max-len -- a module path cannot be broken
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Construct } from 'constructs';
import { BUCKET_LIST_ACTIONS, BUCKET_READ_ACTIONS, OBJECT_READ_WRITE_ACTIONS } from '../../shared/iam-actions';
import { AwsContext } from '../private/aws-context';
import { checkIntegerBetween, matches } from '../private/checks';
import { combineGrants, grant } from '../private/policy-statements';
import { Grant, IGrantable } from '../core/grants';
import { Check, checkOptionalProp, checkProp, crossPropProblem, throwIfInvalid } from '../private/validation';
import { PropProblem } from '../core/validation';
import { IEncryptionKey } from './encryption-key';

/**
 * A bucket that constructs keep objects in and grant access to: a {@link SecureBucket}, or an existing bucket from
 * {@link SecureBucket.fromBucketName}.
 */
export interface IBucket {
  /** The bucket's name. */
  readonly bucketName: string;
  /** The bucket's ARN. */
  readonly bucketArn: string;
  /** The key that encrypts the bucket's objects, when known. */
  readonly encryptionKey?: IEncryptionKey;
  /** Lets `grantee` read and write objects (not the bucket's configuration), and use the bucket's key. */
  grantReadWrite(grantee: IGrantable, options?: GrantReadWriteOptions): Grant;
}

/** Which objects a grant covers. */
export interface GrantReadWriteOptions {
  /**
   * Only the objects under this key prefix (without a trailing "/"): for a
   * grantee that shares the bucket with others, like a pipeline with its
   * artifact folder. Listing is then allowed only under the prefix too.
   * @default - every object in the bucket
   */
  readonly objectKeyPrefix?: string;
}

/**
 * Grants `bucket` to `grantee`; `scope` is the bucket's construct, or the one that named an existing bucket, for
 * errors.
 */
function grantReadWrite(
  bucket: Omit<IBucket, 'grantReadWrite'>,
  scope: Construct,
  grantee: IGrantable,
  options: GrantReadWriteOptions = {},
): Grant {
  const prefix = options.objectKeyPrefix;
  throwIfInvalid('SecureBucket.grantReadWrite', scope, checkOptionalProp('objectKeyPrefix', prefix, checkS3KeyPrefix));
  return combineGrants(
    grant(
      grantee,
      {
        sid: 'BucketObjectsReadWrite',
        actions: OBJECT_READ_WRITE_ACTIONS,
        resources: [prefix === undefined ? `${bucket.bucketArn}/*` : `${bucket.bucketArn}/${prefix}/*`],
      },
      { sid: 'BucketRead', actions: BUCKET_READ_ACTIONS, resources: [bucket.bucketArn] },
      {
        sid: 'BucketList',
        actions: BUCKET_LIST_ACTIONS,
        resources: [bucket.bucketArn],
        // S3 User Guide, "Condition key examples": s3:prefix limits ListBucket to the keys under the prefix.
        ...(prefix === undefined
          ? {}
          : { conditions: [{ test: 'StringLike', variable: 's3:prefix', values: [`${prefix}/*`] }] }),
      },
    ),
    bucket.encryptionKey?.grantEncryptDecrypt(grantee) ?? { statements: [] },
  );
}

/** Options of an existing bucket. */
export interface ExistingBucketOptions {
  /**
   * The key its objects are encrypted with, whose use {@link IBucket.grantReadWrite} grants too.
   * @default - no key is granted with the bucket
   */
  readonly encryptionKey?: IEncryptionKey;
}

export interface SecureBucketProps {
  /**
   * The bucket's exact name. Exactly one of `bucketName` and `bucketPrefix` is required.
   * @default - none
   */
  readonly bucketName?: string;
  /**
   * A prefix from which Terraform generates a unique name (at most 37 characters).
   * @default - none
   */
  readonly bucketPrefix?: string;
  /** The customer-managed KMS key that encrypts every object (SSE-KMS with S3 Bucket Keys). */
  readonly encryptionKey: IEncryptionKey;
  /**
   * Delete current objects this many days after they were written; for buckets of disposable artifacts.
   * @default - current objects never expire
   */
  readonly expireObjectsAfterDays?: number;
  /**
   * Delete noncurrent (overwritten or deleted) object versions this many days after they became noncurrent.
   * @default 90
   */
  readonly noncurrentVersionExpirationDays?: number;
  /**
   * Abort incomplete multipart uploads this many days after they started.
   * @default 7
   */
  readonly abortIncompleteUploadsAfterDays?: number;
  /**
   * Refuse to destroy the bucket (`lifecycle.prevent_destroy`); for buckets whose loss is unrecoverable, like Terraform
   * state.
   * @default false
   */
  readonly preventDestroy?: boolean;
  /**
   * Let `terraform destroy` empty a non-empty bucket.
   * @default false
   */
  readonly forceDestroy?: boolean;
  /**
   * Deny every object write that does not ask for SSE-KMS under `encryptionKey`,
   * naming it by one of its {@link IEncryptionKey.identifiers}: a writer set up
   * for S3-managed keys, another key or no encryption header fails loudly
   * instead of storing an object that anyone with `s3:GetObject` can read. For
   * buckets whose every writer names the key, like Terraform's S3 backend with
   * `kms_key_id`, which sends it on the state and lock objects.
   * @default false - writes without encryption headers get the bucket's default encryption
   */
  readonly enforceEncryptionKeyOnWrites?: boolean;
}

function validateSecureBucketProps(props: SecureBucketProps): PropProblem[] {
  const days = checkIntegerBetween(1, 36500);
  return [
    ...crossPropProblem(
      (props.bucketName === undefined) === (props.bucketPrefix === undefined),
      'bucketName',
      props.bucketName,
      'exactly one of the props "bucketName" and "bucketPrefix" must be set',
    ),
    ...checkOptionalProp('bucketName', props.bucketName, checkS3BucketName),
    ...checkOptionalProp('bucketPrefix', props.bucketPrefix, checkS3BucketPrefix),
    ...checkOptionalProp('expireObjectsAfterDays', props.expireObjectsAfterDays, days),
    ...checkOptionalProp('noncurrentVersionExpirationDays', props.noncurrentVersionExpirationDays, days),
    ...checkOptionalProp('abortIncompleteUploadsAfterDays', props.abortIncompleteUploadsAfterDays, days),
  ];
}

/** The provider resources of a {@link SecureBucket}. */
export interface SecureBucketResources {
  /** The bucket. */
  readonly bucket: S3Bucket;
  /** Its public access block: all four flags. */
  readonly publicAccessBlock: S3BucketPublicAccessBlock;
  /** Its object ownership: the owner enforced, no ACLs. */
  readonly ownershipControls: S3BucketOwnershipControls;
  /** Its versioning: enabled. */
  readonly versioning: S3BucketVersioningA;
  /** Its default encryption: SSE-KMS under the key, with an S3 Bucket Key. */
  readonly encryption: S3BucketServerSideEncryptionConfigurationA;
  /** Its lifecycle rules. */
  readonly lifecycle: S3BucketLifecycleConfiguration;
  /** Its bucket policy's document. */
  readonly policyDocument: DataAwsIamPolicyDocument;
  /** Its bucket policy. */
  readonly policy: S3BucketPolicy;
}

/**
 * An S3 bucket hardened the way scanners and AWS's own guidance expect:
 * SSE-KMS with a customer key and S3 Bucket Keys, versioning, all four public
 * access block flags, `BucketOwnerEnforced` ownership (no ACLs), a bucket
 * policy that denies every request not made over TLS, and a lifecycle that
 * expires noncurrent versions and aborts incomplete uploads.
 */
export class SecureBucket extends Construct implements IBucket {
  /**
   * An existing bucket in the stack's account, which Terraform neither creates
   * nor changes; its hardening is its owner's business.
   *
   * @param scope the construct that uses the bucket: its stack's partition is the bucket's, and errors name it
   * @param bucketName the bucket's name
   */
  public static fromBucketName(scope: Construct, bucketName: string, options: ExistingBucketOptions = {}): IBucket {
    throwIfInvalid('SecureBucket.fromBucketName', scope, checkProp('bucketName', bucketName, checkS3BucketName));
    const bucket = {
      bucketName,
      bucketArn: `arn:${AwsContext.of(scope).partition}:s3:::${bucketName}`,
      encryptionKey: options.encryptionKey,
    };
    return { ...bucket, grantReadWrite: (grantee, options) => grantReadWrite(bucket, scope, grantee, options) };
  }

  /** The bucket's name. */
  public readonly bucketName: string;
  /** The bucket's ARN. */
  public readonly bucketArn: string;
  /** The key that encrypts every object. */
  public readonly encryptionKey: IEncryptionKey;
  /** The provider resources it created, to reach any argument it does not model (escape hatch). */
  public readonly resources: SecureBucketResources;

  private readonly bucket: S3Bucket;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    throwIfInvalid('SecureBucket', this, validateSecureBucketProps(props));
    requireAwsProvider(this);
    this.bucket = new S3Bucket(this, 'bucket', {
      bucket: props.bucketName,
      bucketPrefix: props.bucketPrefix,
      forceDestroy: props.forceDestroy ?? false,
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.node.defaultChild = this.bucket;
    this.resources = {
      bucket: this.bucket,
      ...this.blockPublicAccess(),
      versioning: new S3BucketVersioningA(this, 'versioning', {
        bucket: this.bucket.id,
        versioningConfiguration: { status: 'Enabled' },
      }),
      encryption: this.encryptWith(props.encryptionKey),
      lifecycle: this.expireObjects(props),
      ...this.writePolicy(props),
    };
    this.bucketName = this.bucket.bucket;
    this.bucketArn = this.bucket.arn;
    this.encryptionKey = props.encryptionKey;
  }

  /** Lets `grantee` read and write objects (not the bucket's configuration), and use the bucket's key. */
  public grantReadWrite(grantee: IGrantable, options?: GrantReadWriteOptions): Grant {
    return grantReadWrite(this, this, grantee, options);
  }

  /** All four public access block flags, and object ownership enforced (no ACLs). */
  private blockPublicAccess() {
    const publicAccessBlock = new S3BucketPublicAccessBlock(this, 'public-access-block', {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    const ownershipControls = new S3BucketOwnershipControls(this, 'ownership', {
      bucket: this.bucket.id,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });
    return { publicAccessBlock, ownershipControls };
  }

  private encryptWith(key: IEncryptionKey): S3BucketServerSideEncryptionConfigurationA {
    return new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket: this.bucket.id,
      rule: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: key.keyArn },
          bucketKeyEnabled: true,
        },
      ],
    });
  }

  private expireObjects(props: SecureBucketProps): S3BucketLifecycleConfiguration {
    return new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket: this.bucket.id,
      rule: [
        {
          id: 'expire-noncurrent-versions-and-abort-incomplete-uploads',
          status: 'Enabled',
          filter: [{}],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionExpirationDays ?? 90 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: props.abortIncompleteUploadsAfterDays ?? 7 }],
          ...(props.expireObjectsAfterDays !== undefined
            ? { expiration: [{ days: props.expireObjectsAfterDays }] }
            : {}),
        },
      ],
    });
  }

  /** Denies requests without TLS and, when asked, object writes not under the bucket's key. */
  private writePolicy(props: SecureBucketProps) {
    const statement: DataAwsIamPolicyDocumentStatement[] = [
      {
        sid: 'DenyRequestsWithoutTls',
        effect: 'Deny',
        actions: ['s3:*'],
        resources: [this.bucket.arn, `${this.bucket.arn}/*`],
        principals: [{ type: '*', identifiers: ['*'] }],
        condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
      },
    ];
    if (props.enforceEncryptionKeyOnWrites) {
      // S3 User Guide, "Requiring SSE-KMS for all objects written to a bucket". A negated operator is true when the
      // header is absent (IAM User Guide, "Condition operators"), so writes without it, or with SSE-S3, are denied too.
      statement.push({
        sid: 'DenyObjectWritesNotUnderTheBucketKey',
        effect: 'Deny',
        actions: ['s3:PutObject'],
        resources: [`${this.bucket.arn}/*`],
        principals: [{ type: '*', identifiers: ['*'] }],
        condition: [
          {
            test: 'StringNotEquals',
            variable: 's3:x-amz-server-side-encryption-aws-kms-key-id',
            values: [...props.encryptionKey.identifiers],
          },
        ],
      });
    }
    const policyDocument = new DataAwsIamPolicyDocument(this, 'policy-document', { statement });
    const policy = new S3BucketPolicy(this, 'policy', { bucket: this.bucket.id, policy: policyDocument.json });
    return { policyDocument, policy };
  }
}

// --- Rules for the values of its props (limits from the owning service's documentation) ---

// S3 User Guide, "General purpose bucket naming rules".
const S3_RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'] as const;

const S3_RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'] as const;

const quoted = (values: readonly string[]) => values.map((value) => `"${value}"`).join(', ');

/**
 * The name of a general purpose bucket (S3 User Guide, "General purpose bucket
 * naming rules"): 3-63 lowercase letters, digits, "." and "-", beginning and
 * ending with a letter or digit, no "..", not an IP address, none of the
 * reserved prefixes and suffixes; a name ending in `-an` must be in an account
 * regional namespace (`<prefix>-<account id>-<region>-an`).
 */
export const checkS3BucketName: Check<string> = (value) => {
  const allowed =
    'must be a valid S3 bucket name: 3-63 lowercase letters, digits, "." or "-", starting and ending with a letter ' +
    'or digit, ' +
    `no "..", not an IP address, no reserved prefix (${quoted(S3_RESERVED_PREFIXES)}) or suffix ` +
    `(${quoted(S3_RESERVED_SUFFIXES)}), ` +
    'and ending in "-an" only as "<prefix>-<account id>-<region>-an" (an account regional namespace)';
  if (typeof value !== 'string' || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(value)) return allowed;
  if (value.includes('..') || /^\d{1,3}(\.\d{1,3}){3}$/.test(value)) return allowed;
  if (S3_RESERVED_PREFIXES.some((prefix) => value.startsWith(prefix))) return allowed;
  if (S3_RESERVED_SUFFIXES.some((suffix) => value.endsWith(suffix))) return allowed;
  if (value.endsWith('-an') && !/-\d{12}-[a-z0-9-]+-an$/.test(value)) return allowed;
  return undefined;
};

/**
 * The name of a bucket to create in the shared global namespace, as the state
 * bootstrap stack does: also not ending in `-an`, which only account regional
 * namespaces may use.
 */
export const checkNewS3BucketName: Check<string> = (value) =>
  checkS3BucketName(value) ??
  (value.endsWith('-an')
    ? 'must not end in "-an", which only buckets in an account regional namespace may (a bucket created here is in ' +
      'the global namespace)'
    : undefined);

/**
 * A prefix from which Terraform generates a bucket name: the AWS provider's
 * `aws_s3_bucket.bucket_prefix` is at most 37 characters, leaving 26 digits for
 * its suffix; the name it makes must follow the bucket naming rules, so the
 * prefix starts with none of the reserved prefixes and has no "..".
 */
export const checkS3BucketPrefix: Check<string> = (value) =>
  typeof value === 'string' &&
  /^[a-z0-9][a-z0-9.-]{0,36}$/.test(value) &&
  !value.includes('..') &&
  !S3_RESERVED_PREFIXES.some((prefix) => value.startsWith(prefix))
    ? undefined
    : `must be 1-37 lowercase letters, digits, "." or "-", starting with a letter or digit, without ".." or a ` +
      `reserved prefix (${quoted(S3_RESERVED_PREFIXES)})`;

/**
 * An S3 object key or key prefix made of path segments (the state key). S3 allows
 * almost any key; this keeps to its "safe characters" (S3 User Guide, "Naming
 * Amazon S3 objects") so the key needs no escaping in a backend block or a URL.
 */
export const checkS3KeyPrefix = matches(
  /^[A-Za-z0-9!_.*'()-]+(?:\/[A-Za-z0-9!_.*'()-]+)*$/,
  'must be path segments of letters, digits and !_.*\'()- separated by single "/", without a leading or trailing "/"',
);
