import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { Testing } from 'cdktf';
import { stateKeyAlias, StateBootstrapStack } from '../../stacks/state-bootstrap-stack';
import { REQUIRED_TERRAFORM_VERSION } from '../../constructs/private/terraform-version';
import { testApp } from '../helpers';

describe('StateBootstrapStack', () => {
  let text: string;
  let json: any;
  beforeAll(() => {
    text = Testing.synth(
      new StateBootstrapStack(testApp(), 'state-bootstrap', { bucketName: 'my-state-bucket', region: 'eu-west-1' }),
      true,
    );
    json = JSON.parse(text);
  });

  test('keeps its own state locally, since the bucket does not exist yet', () => {
    // From cdktf.out/stacks/state-bootstrap, where Terraform runs, to the project root.
    expect(json.terraform.backend).toEqual({ local: { path: '../../../terraform.state-bootstrap.tfstate' } });
  });

  test('creates a versioned, KMS-encrypted, private, TLS-only bucket that refuses to be destroyed', () => {
    expect(text).toHaveResourceWithProperties(S3Bucket, {
      bucket: 'my-state-bucket',
      lifecycle: { prevent_destroy: true },
      force_destroy: false,
    });
    expect(text).toHaveResourceWithProperties(S3BucketVersioningA, { versioning_configuration: { status: 'Enabled' } });
    expect(text).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      block_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(text).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true });
    expect(text).toHaveResource(S3BucketPolicy);
  });

  test(
    'protects the key from destroy as it does the bucket, and requires the Terraform the stacks are ' + 'written for',
    () => {
      expect(text).toHaveResourceWithProperties(KmsKey, { lifecycle: { prevent_destroy: true } });
      expect(json.terraform.required_version).toBe(REQUIRED_TERRAFORM_VERSION);
    },
  );

  test(
    'denies object writes that do not name the state key, by any of its identifiers, and keeps the TLS-only ' +
      'statement',
    () => {
      const statements = Object.values<any>(json.data.aws_iam_policy_document)[0].statement;
      expect(statements.map((statement: any) => statement.sid)).toEqual([
        'DenyRequestsWithoutTls',
        'DenyObjectWritesNotUnderTheBucketKey',
      ]);
      const [, denyWrites] = statements;
      expect(denyWrites).toMatchObject({
        effect: 'Deny',
        actions: ['s3:PutObject'],
        principals: [{ type: '*', identifiers: ['*'] }],
      });
      expect(denyWrites.resources).toEqual([expect.stringMatching(/^\$\{aws_s3_bucket\.[\w-]+\.arn\}\/\*$/)]);
      const [condition] = denyWrites.condition;
      expect(condition).toMatchObject({
        test: 'StringNotEquals',
        variable: 's3:x-amz-server-side-encryption-aws-kms-key-id',
      });
      // The key's ARN and ID (references), and the alias by name and ARN: the alias name is what pipeline backends
      // send.
      expect(condition.values).toEqual([
        expect.stringMatching(/^\$\{aws_kms_key\.[\w-]+\.arn\}$/),
        expect.stringMatching(/^\$\{aws_kms_key\.[\w-]+\.key_id\}$/),
        stateKeyAlias('my-state-bucket'),
        expect.stringMatching(
          new RegExp(
            String.raw`^arn:\$\{data\.aws_partition\.[\w-]+\.partition\}:kms:\$\{data\.aws_region\.[\w-]+\.id\}:` +
              String.raw`\$\{data\.aws_caller_identity\.[\w-]+\.account_id\}:` +
              String.raw`alias\/terraform-state\/my-state-bucket$`,
          ),
        ),
      ]);
    },
  );

  test("outputs the bucket and the key for the pipeline stacks' backend", () => {
    expect(Object.keys(json.output).sort()).toEqual(['state_bucket', 'state_kms_key_arn']);
  });

  test('names the key after the bucket, with "." (which a KMS alias cannot hold) as "-"', () => {
    const dotted = JSON.parse(
      Testing.synth(
        new StateBootstrapStack(testApp(), 's', { bucketName: 'state.example.com', region: 'eu-west-1' }),
        true,
      ),
    );
    expect(Object.values(dotted.resource.aws_kms_alias).map((alias: any) => alias.name)).toEqual([
      'alias/terraform-state/state-example-com',
    ]);
    expect(stateKeyAlias('state.example.com')).toBe('alias/terraform-state/state-example-com');
  });

  test('refuses a bucket name only an account regional namespace may have', () => {
    expect(
      () =>
        new StateBootstrapStack(testApp(), 's', { bucketName: 'state-123456789012-eu-west-1-an', region: 'eu-west-1' }),
    ).toThrow('invalid prop "bucketName" = "state-123456789012-eu-west-1-an": must not end in "-an"');
  });

  test('rejects a bad bucket name and region at once, naming the stack', () => {
    expect(() => new StateBootstrapStack(testApp(), 's', { bucketName: 'Bad', region: 'moon' })).toThrow(
      /StateBootstrapStack at s: invalid prop "bucketName" = "Bad".*\n.*"region" = "moon"/,
    );
  });
});
