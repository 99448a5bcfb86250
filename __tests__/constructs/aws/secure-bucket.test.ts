import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
// eslint-disable-next-line max-len -- a module path cannot be broken
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Construct } from 'constructs';
import { EncryptionKey, IEncryptionKey } from '../../../constructs/aws/encryption-key';
import { SecureBucket } from '../../../constructs/aws/secure-bucket';
import { ServiceRole } from '../../../constructs/aws/service-role';
import { statement, synth, Synthesized } from '../../helpers';

const KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const existingKey = (scope: Construct): IEncryptionKey => EncryptionKey.fromKeyArn(scope, KEY_ARN);

describe('SecureBucket', () => {
  let stack: Synthesized;
  let text: string;
  beforeAll(() => {
    stack = synth(
      (scope) =>
        new SecureBucket(scope, 'artifacts', {
          bucketPrefix: 'app-artifacts-',
          encryptionKey: existingKey(scope),
          expireObjectsAfterDays: 30,
        }),
    );
    text = stack.text;
  });

  test('blocks every kind of public access and disables ACLs', () => {
    expect(text).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(text).toHaveResourceWithProperties(S3BucketOwnershipControls, {
      rule: { object_ownership: 'BucketOwnerEnforced' },
    });
  });

  test('encrypts with the customer key and versions objects', () => {
    expect(text).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      rule: [
        {
          apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: KEY_ARN },
          bucket_key_enabled: true,
        },
      ],
    });
    expect(text).toHaveResourceWithProperties(S3BucketVersioningA, { versioning_configuration: { status: 'Enabled' } });
  });

  test('expires artifacts and noncurrent versions and aborts incomplete uploads', () => {
    const rule = stack.at('artifacts/lifecycle').rule[0];
    expect(rule).toMatchObject({
      status: 'Enabled',
      expiration: [{ days: 30 }],
      noncurrent_version_expiration: [{ noncurrent_days: 90 }],
      abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
    });
    expect(text).toHaveResource(S3BucketLifecycleConfiguration);
  });

  test('denies every request that is not made over TLS', () => {
    const deny = statement(stack.statements('artifacts/policy-document'), 'DenyRequestsWithoutTls');
    expect(deny).toMatchObject({
      effect: 'Deny',
      actions: ['s3:*'],
      principals: [{ type: '*', identifiers: ['*'] }],
      condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
    });
    expect(deny.resources).toEqual([stack.ref('artifacts/bucket', 'arn'), `${stack.ref('artifacts/bucket', 'arn')}/*`]);
    expect(stack.at('artifacts/policy').policy).toBe(stack.ref('artifacts/policy-document', 'json'));
  });

  test('prevent_destroy only when asked', () => {
    expect(stack.at('artifacts/bucket').lifecycle).toBeUndefined();
    const state = synth(
      (scope) =>
        new SecureBucket(scope, 'state', {
          bucketName: 'my-state',
          encryptionKey: existingKey(scope),
          preventDestroy: true,
        }),
    );
    expect(state.text).toHaveResourceWithProperties(S3Bucket, {
      bucket: 'my-state',
      lifecycle: { prevent_destroy: true },
    });
  });

  test('rejects bad names and retention values, naming the prop', () => {
    const attempt = (props: object) => () =>
      synth((scope) => new SecureBucket(scope, 'b', { encryptionKey: existingKey(scope), ...props }));
    expect(attempt({ bucketName: 'Bad_Name' })).toThrow(
      /SecureBucket at stack\/b: invalid prop "bucketName" = "Bad_Name": must be a valid S3 bucket name/,
    );
    expect(attempt({})).toThrow(/exactly one of the props "bucketName" and "bucketPrefix"/);
    expect(attempt({ bucketName: 'ok-name', bucketPrefix: 'x' })).toThrow(/exactly one/);
    expect(attempt({ bucketPrefix: 'a'.repeat(38) })).toThrow(/"bucketPrefix"/);
    expect(attempt({ bucketPrefix: 'x-', expireObjectsAfterDays: 0 })).toThrow(
      /"expireObjectsAfterDays" = 0: must be an integer from 1/,
    );
  });

  describe('fromBucketName', () => {
    test('creates nothing and grants object and bucket access on the ARN in the stack partition', () => {
      const existing = synth((scope) => {
        const bucket = SecureBucket.fromBucketName(scope, 'shared-ci-artifacts');
        expect(bucket.bucketName).toBe('shared-ci-artifacts');
        bucket.grantReadWrite(
          new ServiceRole(scope, 'role', { roleName: 'r', assumedBy: 'codepipeline.amazonaws.com' }),
        );
      });
      expect(existing.json.resource?.aws_s3_bucket).toBeUndefined();
      const statements = existing.statements('role/permissions');
      const arn = `arn:${existing.ref('aws-context/partition', 'partition')}:s3:::shared-ci-artifacts`;
      expect(statements.map((s) => s.sid)).toEqual(['BucketObjectsReadWrite', 'BucketRead', 'BucketList']);
      expect(statement(statements, 'BucketObjectsReadWrite').resources).toEqual([`${arn}/*`]);
      expect(statement(statements, 'BucketRead').resources).toEqual([arn]);
      expect(statement(statements, 'BucketList')).toMatchObject({ resources: [arn] });
      expect(statement(statements, 'BucketList').condition).toBeUndefined();
    });

    test('with a key prefix, grants the objects and the listing under it only', () => {
      const existing = synth((scope) => {
        SecureBucket.fromBucketName(scope, 'shared-ci-artifacts').grantReadWrite(
          new ServiceRole(scope, 'role', { roleName: 'r', assumedBy: 'codepipeline.amazonaws.com' }),
          {
            objectKeyPrefix: 'app',
          },
        );
      });
      const statements = existing.statements('role/permissions');
      const arn = `arn:${existing.ref('aws-context/partition', 'partition')}:s3:::shared-ci-artifacts`;
      expect(statement(statements, 'BucketObjectsReadWrite').resources).toEqual([`${arn}/app/*`]);
      expect(statement(statements, 'BucketList').condition).toEqual([
        { test: 'StringLike', variable: 's3:prefix', values: ['app/*'] },
      ]);
    });

    test('refuses a key prefix that is not one', () => {
      expect(() =>
        synth((scope) => {
          SecureBucket.fromBucketName(scope, 'shared-ci-artifacts').grantReadWrite(
            new ServiceRole(scope, 'role', { roleName: 'r', assumedBy: 'codepipeline.amazonaws.com' }),
            {
              objectKeyPrefix: '/app/',
            },
          );
        }),
      ).toThrow(
        /SecureBucket.grantReadWrite at stack: invalid prop "objectKeyPrefix" = "\/app\/": must be path segments/,
      );
    });

    test('with the key its objects are encrypted with, grants the key too', () => {
      const existing = synth((scope) => {
        const bucket = SecureBucket.fromBucketName(scope, 'shared-ci-artifacts', { encryptionKey: existingKey(scope) });
        bucket.grantReadWrite(
          new ServiceRole(scope, 'role', { roleName: 'r', assumedBy: 'codepipeline.amazonaws.com' }),
        );
      });
      expect(statement(existing.statements('role/permissions'), 'UseEncryptionKey').resources).toEqual([KEY_ARN]);
    });

    test('rejects a bad name, naming the argument and the scope', () => {
      expect(() => synth((scope) => SecureBucket.fromBucketName(scope, 'Bad_Name'))).toThrow(
        'SecureBucket.fromBucketName at stack: invalid prop "bucketName" = "Bad_Name": must be a valid S3 bucket name',
      );
    });
  });
});
