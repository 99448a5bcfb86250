import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Construct } from 'constructs';
import { SecureBucket } from '../constructs/secure-bucket';
import { ServiceRole } from '../constructs/service-role';
import { only, policyStatements, statement, synthScope } from './helpers';

describe('SecureBucket', () => {
  const build = (scope: Construct) =>
    new SecureBucket(scope, 'artifacts', { bucketPrefix: 'app-artifacts-', encryptionKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/k', expireObjectsAfterDays: 30 });
  const { text, json } = synthScope(build);

  test('blocks every kind of public access and disables ACLs', () => {
    expect(text).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(text).toHaveResourceWithProperties(S3BucketOwnershipControls, { rule: { object_ownership: 'BucketOwnerEnforced' } });
  });

  test('encrypts with the customer key and versions objects', () => {
    expect(text).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      rule: [
        {
          apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: 'arn:aws:kms:eu-west-1:123456789012:key/k' },
          bucket_key_enabled: true,
        },
      ],
    });
    expect(text).toHaveResourceWithProperties(S3BucketVersioningA, { versioning_configuration: { status: 'Enabled' } });
  });

  test('expires artifacts and noncurrent versions and aborts incomplete uploads', () => {
    const rule = only(json, 'aws_s3_bucket_lifecycle_configuration').rule[0];
    expect(rule).toMatchObject({
      status: 'Enabled',
      expiration: [{ days: 30 }],
      noncurrent_version_expiration: [{ noncurrent_days: 90 }],
      abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
    });
    expect(text).toHaveResource(S3BucketLifecycleConfiguration);
  });

  test('denies every request that is not made over TLS', () => {
    const deny = statement(policyStatements(json, 'artifacts_tls-only'), 'DenyRequestsWithoutTls');
    expect(deny).toMatchObject({
      effect: 'Deny',
      actions: ['s3:*'],
      principals: [{ type: '*', identifiers: ['*'] }],
      condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
    });
    expect(deny.resources).toHaveLength(2);
    expect(only(json, 'aws_s3_bucket_policy').policy).toContain('data.aws_iam_policy_document');
  });

  test('prevent_destroy only when asked', () => {
    expect(only(json, 'aws_s3_bucket').lifecycle).toBeUndefined();
    const state = synthScope((scope) =>
      new SecureBucket(scope, 'state', { bucketName: 'my-state', encryptionKeyArn: 'k', preventDestroy: true }),
    );
    expect(state.text).toHaveResourceWithProperties(S3Bucket, { bucket: 'my-state', lifecycle: { prevent_destroy: true } });
  });

  test('rejects bad names and retention values, naming the prop', () => {
    const attempt = (props: object) => () =>
      synthScope((scope) => new SecureBucket(scope, 'b', { encryptionKeyArn: 'k', ...props }));
    expect(attempt({ bucketName: 'Bad_Name' })).toThrow(/SecureBucket: invalid prop "bucketName" = "Bad_Name": must be a valid S3 bucket name/);
    expect(attempt({})).toThrow(/exactly one of the props "bucketName" and "bucketPrefix"/);
    expect(attempt({ bucketName: 'ok-name', bucketPrefix: 'x' })).toThrow(/exactly one/);
    expect(attempt({ bucketPrefix: 'a'.repeat(38) })).toThrow(/"bucketPrefix"/);
    expect(attempt({ bucketPrefix: 'x-', expireObjectsAfterDays: 0 })).toThrow(/"expireObjectsAfterDays" = 0: must be an integer from 1/);
  });

  describe('fromBucketName', () => {
    test('creates nothing and grants object and bucket access on the ARN in the stack partition', () => {
      const { json } = synthScope((scope) => {
        const bucket = SecureBucket.fromBucketName(scope, 'shared-ci-artifacts');
        expect(bucket.bucketName).toBe('shared-ci-artifacts');
        bucket.grantReadWrite(new ServiceRole(scope, 'role', { roleName: 'r', assumedBy: 'codepipeline.amazonaws.com' }));
      });
      expect(json.resource?.aws_s3_bucket).toBeUndefined();
      const statements = policyStatements(json, 'role_permissions');
      const arn = /^arn:\$\{data\.aws_partition\.[^}]+\.partition\}:s3:::shared-ci-artifacts/;
      expect(statement(statements, 'BucketObjectsReadWrite').resources).toEqual([expect.stringMatching(new RegExp(`${arn.source}/\\*$`))]);
      expect(statement(statements, 'BucketRead').resources).toEqual([expect.stringMatching(new RegExp(`${arn.source}$`))]);
    });

    test('rejects a bad name, naming the argument', () => {
      expect(() => synthScope((scope) => SecureBucket.fromBucketName(scope, 'Bad_Name'))).toThrow(
        'SecureBucket: invalid prop "fromBucketName(bucketName)" = "Bad_Name": must be a valid S3 bucket name',
      );
    });
  });
});
