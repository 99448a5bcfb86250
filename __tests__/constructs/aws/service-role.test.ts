import { TerraformStack, Testing } from 'cdktf';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { EncryptionKey } from '../../../constructs/aws/encryption-key';
import { SecureBucket } from '../../../constructs/aws/secure-bucket';
import { ServiceRole } from '../../../constructs/aws/service-role';
import { Grant, PolicyStatement } from '../../../constructs/core/grants';
import {
  BUCKET_READ_ACTIONS,
  KEY_ENCRYPT_DECRYPT_ACTIONS,
  OBJECT_READ_WRITE_ACTIONS,
} from '../../../shared/iam-actions';
import { statement, synth, Synthesized, testApp } from '../../helpers';

const newRole = (scope: ConstructLike) =>
  new ServiceRole(scope, 'role', { roleName: 'app-codebuild', assumedBy: 'codebuild.amazonaws.com' });
type ConstructLike = ConstructorParameters<typeof ServiceRole>[0];

describe('ServiceRole', () => {
  let stack: Synthesized;
  beforeAll(() => {
    stack = synth((scope) =>
      newRole(scope).addToPolicy({ sid: 'ReadThing', actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] }),
    );
  });

  test('is assumable by exactly one service and holds exactly the granted statements', () => {
    expect(stack.text).toHaveResourceWithProperties(IamRole, { name: 'app-codebuild' });
    expect(stack.text).toHaveResourceWithProperties(IamRolePolicy, { name: 'app-codebuild-permissions' });
    expect(stack.statements('role/trust')).toEqual([
      {
        sid: 'AssumedByService',
        effect: 'Allow',
        actions: ['sts:AssumeRole'],
        principals: [{ type: 'Service', identifiers: ['codebuild.amazonaws.com'] }],
        // CodeBuild documents aws:SourceAccount in role trust policies: pinned to the stack's account by default.
        condition: [
          {
            test: 'StringEquals',
            variable: 'aws:SourceAccount',
            values: [stack.ref('aws-context/account', 'account_id')],
          },
        ],
      },
    ]);
    expect(stack.statements('role/permissions')).toEqual([
      { sid: 'ReadThing', effect: 'Allow', actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] },
    ]);
  });

  test('a role without permissions fails synth validation', () => {
    const empty = new TerraformStack(testApp(), 'stack');
    new ServiceRole(empty, 'r', { roleName: 'empty', assumedBy: 'codebuild.amazonaws.com' });
    expect(() => Testing.synth(empty, true)).toThrow(/ServiceRole empty has no permissions granted/);
  });

  test.each([
    [
      { roleName: 'has space' },
      /ServiceRole at stack\/role: invalid prop "roleName" = "has space": must be 1-64 letters/,
    ],
    [
      { assumedBy: 'codebuild' },
      /ServiceRole at stack\/role: invalid prop "assumedBy" = "codebuild": must be a service principal/,
    ],
    [
      { sourceAccount: '1234' },
      /invalid prop "sourceAccount" = "1234": must be a 12-digit AWS account ID or a Terraform reference/,
    ],
    [{ sourceArns: [] }, /invalid prop "sourceArns" = \[\]: must name at least one ARN/],
    [
      { sourceArns: ['arn:aws:codebuild:eu-west-1:*:project/app'] },
      /invalid prop "sourceArns\[0\]" = "arn:aws:codebuild:eu-west-1:\*:project\/app": must name one account/,
    ],
    [{ sourceArns: ['project/app'] }, /invalid prop "sourceArns\[0\]" = "project\/app": must be an ARN/],
    [
      { assumedBy: 'codepipeline.amazonaws.com', sourceAccount: '123456789012' },
      /invalid prop "sourceAccount" = "123456789012": is only for codebuild.amazonaws.com/,
    ],
  ])('rejects %j, naming the construct path', (props, message) => {
    expect(() =>
      synth(
        (scope) => new ServiceRole(scope, 'role', { roleName: 'r', assumedBy: 'codebuild.amazonaws.com', ...props }),
      ),
    ).toThrow(message);
  });

  test.each([
    [
      { sid: 'Bad-Sid', actions: ['s3:GetObject'], resources: ['x'] },
      /"statement.sid" = "Bad-Sid": must be 1-100 ASCII letters and digits/,
    ],
    [{ sid: 'A', actions: [], resources: ['x'] }, /"statement.actions" = \[\]: must name at least one action/],
    [
      { sid: 'A', actions: ['s3:GetObject'], resources: [] },
      /"statement.resources" = \[\]: must name at least one resource/,
    ],
  ])('refuses the statement %j', (bad, message) => {
    expect(() => synth((scope) => newRole(scope).addToPolicy(bad))).toThrow(message);
  });
});

describe('ServiceRole confused-deputy conditions', () => {
  const trustOf = (props: Partial<ConstructorParameters<typeof ServiceRole>[2]>) =>
    synth((scope) =>
      new ServiceRole(scope, 'role', { roleName: 'r', assumedBy: 'codebuild.amazonaws.com', ...props }).addToPolicy({
        sid: 'A',
        actions: ['s3:GetObject'],
        resources: ['arn:aws:s3:::b/*'],
      }),
    ).statements('role/trust')[0];

  test('take the given source account and source ARNs', () => {
    const arn = 'arn:aws:codebuild:eu-west-1:123456789012:project/app';
    expect(trustOf({ sourceAccount: '123456789012', sourceArns: [arn] }).condition).toEqual([
      { test: 'StringEquals', variable: 'aws:SourceAccount', values: ['123456789012'] },
      { test: 'ArnLike', variable: 'aws:SourceArn', values: [arn] },
    ]);
  });

  test('are left out for a service that does not document them, which could otherwise not assume the role', () => {
    expect(trustOf({ assumedBy: 'codepipeline.amazonaws.com' }).condition).toBeUndefined();
  });
});

describe('ServiceRole grants compose', () => {
  let stack: Synthesized;
  let keys: EncryptionKey[];
  let buckets: SecureBucket[];
  const grants: Record<string, Grant> = {};
  let taggingStatement: PolicyStatement | undefined;
  beforeAll(() => {
    stack = synth((scope) => {
      const role = newRole(scope);
      keys = ['one', 'two'].map(
        (name) => new EncryptionKey(scope, `key-${name}`, { alias: `ci/${name}`, description: name }),
      );
      buckets = keys.map(
        (encryptionKey, index) =>
          new SecureBucket(scope, `bucket-${index + 1}`, { bucketPrefix: `b${index + 1}-`, encryptionKey }),
      );
      grants.firstBucket = buckets[0].grantReadWrite(role);
      grants.secondBucket = buckets[1].grantReadWrite(role);
      grants.firstKeyAgain = keys[0].grantEncryptDecrypt(role);
      taggingStatement = role.addToPolicy({
        sid: 'BucketRead',
        actions: ['s3:GetObjectTagging'],
        resources: ['arn:aws:s3:::x/*'],
      });
    });
  });

  test('two buckets and their two keys on one role: one statement per kind of grant, listing both resources', () => {
    const statements = stack.statements('role/permissions');
    expect(statements.map((s) => s.sid)).toEqual([
      'BucketObjectsReadWrite',
      'BucketRead',
      'BucketList',
      'UseEncryptionKey',
      'BucketRead2',
    ]);
    expect(statement(statements, 'BucketObjectsReadWrite')).toEqual({
      sid: 'BucketObjectsReadWrite',
      effect: 'Allow',
      actions: [...OBJECT_READ_WRITE_ACTIONS],
      resources: [`${stack.ref('bucket-1/bucket', 'arn')}/*`, `${stack.ref('bucket-2/bucket', 'arn')}/*`],
    });
    expect(statement(statements, 'BucketRead')).toMatchObject({
      actions: [...BUCKET_READ_ACTIONS],
      resources: [stack.ref('bucket-1/bucket', 'arn'), stack.ref('bucket-2/bucket', 'arn')],
    });
    expect(statement(statements, 'UseEncryptionKey')).toMatchObject({
      actions: [...KEY_ENCRYPT_DECRYPT_ACTIONS],
      resources: [stack.ref('key-one/key', 'arn'), stack.ref('key-two/key', 'arn')],
    });
  });

  test('a different grant under a Sid already taken keeps its own actions under a Sid of its own', () => {
    expect(taggingStatement).toEqual({
      sid: 'BucketRead2',
      actions: ['s3:GetObjectTagging'],
      resources: ['arn:aws:s3:::x/*'],
    });
    expect(statement(stack.statements('role/permissions'), 'BucketRead2')).toMatchObject({
      actions: ['s3:GetObjectTagging'],
      resources: ['arn:aws:s3:::x/*'],
    });
  });

  test('each grant returns what it added, and nothing when everything was granted already', () => {
    expect(grants.firstBucket.statements.map((s) => s.sid)).toEqual([
      'BucketObjectsReadWrite',
      'BucketRead',
      'BucketList',
      'UseEncryptionKey',
    ]);
    expect(grants.secondBucket.statements).toEqual([
      {
        sid: 'BucketObjectsReadWrite',
        actions: [...OBJECT_READ_WRITE_ACTIONS],
        resources: [`${buckets[1].bucketArn}/*`],
      },
      { sid: 'BucketRead', actions: [...BUCKET_READ_ACTIONS], resources: [buckets[1].bucketArn] },
      { sid: 'BucketList', actions: ['s3:ListBucket'], resources: [buckets[1].bucketArn] },
      { sid: 'UseEncryptionKey', actions: [...KEY_ENCRYPT_DECRYPT_ACTIONS], resources: [keys[1].keyArn] },
    ]);
    expect(grants.firstKeyAgain.statements).toEqual([]);
  });
});

describe('ServiceRole grants under a condition', () => {
  test(
    'merge only with the same conditions: folders of two pipelines in one bucket get one object statement and ' +
      'two list statements',
    () => {
      let grant: Grant | undefined;
      const stack = synth((scope) => {
        const role = newRole(scope);
        const bucket = SecureBucket.fromBucketName(scope, 'shared-ci-artifacts');
        bucket.grantReadWrite(role, { objectKeyPrefix: 'one' });
        grant = bucket.grantReadWrite(role, { objectKeyPrefix: 'two' });
      });
      const statements = stack.statements('role/permissions');
      const arn = `arn:${stack.ref('aws-context/partition', 'partition')}:s3:::shared-ci-artifacts`;
      expect(statement(statements, 'BucketObjectsReadWrite').resources).toEqual([`${arn}/one/*`, `${arn}/two/*`]);
      expect(statement(statements, 'BucketList')).toEqual({
        sid: 'BucketList',
        effect: 'Allow',
        actions: ['s3:ListBucket'],
        resources: [arn],
        condition: [{ test: 'StringLike', variable: 's3:prefix', values: ['one/*'] }],
      });
      expect(statement(statements, 'BucketList2').condition).toEqual([
        { test: 'StringLike', variable: 's3:prefix', values: ['two/*'] },
      ]);
      expect(grant?.statements.find((added) => added.sid === 'BucketList2')?.conditions).toEqual([
        { test: 'StringLike', variable: 's3:prefix', values: ['two/*'] },
      ]);
    },
  );
});

describe('ServiceRole grants of the same resource twice', () => {
  test('grant nothing the second time, and the policy lists the resource once', () => {
    let second: Grant | undefined;
    const stack = synth((scope) => {
      const role = newRole(scope);
      const encryptionKey = new EncryptionKey(scope, 'key', { alias: 'ci/app', description: 'd' });
      const bucket = new SecureBucket(scope, 'bucket', { bucketPrefix: 'b-', encryptionKey });
      bucket.grantReadWrite(role);
      second = bucket.grantReadWrite(role);
    });
    expect(second?.statements).toEqual([]);
    expect(statement(stack.statements('role/permissions'), 'BucketRead').resources).toEqual([
      stack.ref('bucket/bucket', 'arn'),
    ]);
  });
});
