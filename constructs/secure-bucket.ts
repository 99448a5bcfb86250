import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Construct } from 'constructs';
import { AwsContext } from './aws-context';
import { IGrantable } from './policy';
import { checkIntegerBetween, checkS3BucketName, validateProp } from './validation';

/** What a build or pipeline needs to exchange artifacts through the bucket. */
export const OBJECT_READ_WRITE_ACTIONS = ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject'] as const;
/** What CodePipeline additionally needs to check the artifact store. */
export const BUCKET_READ_ACTIONS = ['s3:GetBucketLocation', 's3:GetBucketVersioning', 's3:ListBucket'] as const;

/** A bucket that constructs keep objects in and grant access to: a {@link SecureBucket}, or an existing bucket from {@link SecureBucket.fromBucketName}. */
export interface IBucket {
  /** The bucket's name. */
  readonly bucketName: string;
  /** The bucket's ARN. */
  readonly bucketArn: string;
  /** Lets `grantee` read and write objects (not the bucket's configuration). */
  grantReadWrite(grantee: IGrantable): void;
}

function grantReadWrite(bucketArn: string, grantee: IGrantable): void {
  grantee.addToPolicy({ sid: 'BucketObjectsReadWrite', actions: OBJECT_READ_WRITE_ACTIONS, resources: [`${bucketArn}/*`] });
  grantee.addToPolicy({ sid: 'BucketRead', actions: BUCKET_READ_ACTIONS, resources: [bucketArn] });
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
  /** The ARN of the customer-managed KMS key that encrypts every object (SSE-KMS with S3 Bucket Keys). */
  readonly encryptionKeyArn: string;
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
   * Refuse to destroy the bucket (`lifecycle.prevent_destroy`); for buckets whose loss is unrecoverable, like Terraform state.
   * @default false
   */
  readonly preventDestroy?: boolean;
  /**
   * Let `terraform destroy` empty a non-empty bucket.
   * @default false
   */
  readonly forceDestroy?: boolean;
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
   * @param scope any construct of the stack, whose partition the bucket's ARN is in
   * @param bucketName the bucket's name
   */
  public static fromBucketName(scope: Construct, bucketName: string): IBucket {
    validateProp('SecureBucket', 'fromBucketName(bucketName)', bucketName, checkS3BucketName);
    const bucketArn = `arn:${AwsContext.of(scope).partition}:s3:::${bucketName}`;
    return { bucketName, bucketArn, grantReadWrite: (grantee) => grantReadWrite(bucketArn, grantee) };
  }

  /** The bucket's name. */
  public readonly bucketName: string;
  /** The bucket's ARN. */
  public readonly bucketArn: string;
  /** The underlying bucket, for overrides. */
  public readonly bucket: S3Bucket;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    if ((props.bucketName === undefined) === (props.bucketPrefix === undefined)) {
      throw new Error('SecureBucket: exactly one of the props "bucketName" and "bucketPrefix" must be set');
    }
    if (props.bucketName !== undefined) {
      validateProp('SecureBucket', 'bucketName', props.bucketName, checkS3BucketName);
    }
    if (props.bucketPrefix !== undefined) {
      validateProp('SecureBucket', 'bucketPrefix', props.bucketPrefix, (prefix) =>
        /^[a-z0-9][a-z0-9.-]{0,36}$/.test(prefix) ? undefined : 'must be 1-37 lowercase letters, digits, "." or "-", starting with a letter or digit',
      );
    }
    const days = checkIntegerBetween(1, 36500);
    if (props.expireObjectsAfterDays !== undefined) {
      validateProp('SecureBucket', 'expireObjectsAfterDays', props.expireObjectsAfterDays, days);
    }
    const noncurrentDays = props.noncurrentVersionExpirationDays ?? 90;
    validateProp('SecureBucket', 'noncurrentVersionExpirationDays', noncurrentDays, days);
    const abortDays = props.abortIncompleteUploadsAfterDays ?? 7;
    validateProp('SecureBucket', 'abortIncompleteUploadsAfterDays', abortDays, days);

    this.bucket = new S3Bucket(this, 'bucket', {
      bucket: props.bucketName,
      bucketPrefix: props.bucketPrefix,
      forceDestroy: props.forceDestroy ?? false,
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });

    new S3BucketPublicAccessBlock(this, 'public-access-block', {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'ownership', {
      bucket: this.bucket.id,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });
    new S3BucketVersioningA(this, 'versioning', {
      bucket: this.bucket.id,
      versioningConfiguration: { status: 'Enabled' },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket: this.bucket.id,
      rule: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.encryptionKeyArn },
          bucketKeyEnabled: true,
        },
      ],
    });
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket: this.bucket.id,
      rule: [
        {
          id: 'expire-noncurrent-versions-and-abort-incomplete-uploads',
          status: 'Enabled',
          filter: [{}],
          noncurrentVersionExpiration: [{ noncurrentDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: abortDays }],
          ...(props.expireObjectsAfterDays !== undefined ? { expiration: [{ days: props.expireObjectsAfterDays }] } : {}),
        },
      ],
    });

    const tlsOnly = new DataAwsIamPolicyDocument(this, 'tls-only', {
      statement: [
        {
          sid: 'DenyRequestsWithoutTls',
          effect: 'Deny',
          actions: ['s3:*'],
          resources: [this.bucket.arn, `${this.bucket.arn}/*`],
          principals: [{ type: '*', identifiers: ['*'] }],
          condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
        },
      ],
    });
    new S3BucketPolicy(this, 'policy', { bucket: this.bucket.id, policy: tlsOnly.json });

    this.bucketName = this.bucket.bucket;
    this.bucketArn = this.bucket.arn;
  }

  /** Lets `grantee` read and write objects (not the bucket's configuration). */
  public grantReadWrite(grantee: IGrantable): void {
    grantReadWrite(this.bucketArn, grantee);
  }
}
