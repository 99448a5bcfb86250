import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { EncryptionKey } from '../../../constructs/aws/encryption-key';
import { ServiceRole } from '../../../constructs/aws/service-role';
import { KEY_ENCRYPT_DECRYPT_ACTIONS, LOGS_KEY_ACTIONS, NOTIFICATION_KEY_ACTIONS } from '../../../shared/iam-actions';
import { statement, synth, Synthesized } from '../../helpers';

describe('EncryptionKey', () => {
  let plain: Synthesized;
  let forLogs: Synthesized;
  beforeAll(() => {
    plain = synth((scope) => {
      const key = new EncryptionKey(scope, 'key', { alias: 'ci/app', description: 'd' });
      key.grantEncryptDecrypt(new ServiceRole(scope, 'role', { roleName: 'r', assumedBy: 'codebuild.amazonaws.com' }));
    });
    forLogs = synth(
      (scope) => new EncryptionKey(scope, 'key', { alias: 'ci/app', description: 'd', allowCloudWatchLogs: true }),
    );
  });

  test('is a rotating customer-managed key with an alias', () => {
    expect(plain.text).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true, deletion_window_in_days: 30 });
    expect(plain.text).toHaveResourceWithProperties(KmsAlias, { name: 'alias/ci/app' });
    const statements = plain.statements('key/policy');
    expect(statements.map((s) => s.sid)).toEqual(['AccountAdministersKeyThroughIam']);
    expect(statement(statements, 'AccountAdministersKeyThroughIam').principals[0].identifiers[0]).toMatch(
      /^arn:\$\{data\.aws_partition\..*\}:iam::\$\{data\.aws_caller_identity\..*\}:root$/,
    );
  });

  test("lets CloudWatch Logs use the key only for this account's log groups when asked", () => {
    const logs = statement(forLogs.statements('key/policy'), 'CloudWatchLogsEncryptsLogGroups');
    expect(logs.principals[0]).toMatchObject({ type: 'Service' });
    expect(logs.principals[0].identifiers[0]).toBe(`logs.${forLogs.ref('aws-context/region', 'id')}.amazonaws.com`);
    expect(logs.condition[0]).toMatchObject({ test: 'ArnLike', variable: 'kms:EncryptionContext:aws:logs:arn' });
    expect(logs.condition[0].values[0]).toMatch(/:log-group:\*$/);
  });

  test('lets CodeStar Notifications use the key through SNS in this region only when asked', () => {
    const forNotifications = synth(
      (scope) =>
        new EncryptionKey(scope, 'key', { alias: 'ci/app', description: 'd', allowCodeStarNotifications: true }),
    );
    const notifications = statement(
      forNotifications.statements('key/policy'),
      'CodeStarNotificationsPublishToEncryptedTopics',
    );
    expect(notifications).toMatchObject({
      effect: 'Allow',
      actions: [...NOTIFICATION_KEY_ACTIONS],
      resources: ['*'],
      principals: [{ type: 'Service', identifiers: ['codestar-notifications.amazonaws.com'] }],
      condition: [
        {
          test: 'StringEquals',
          variable: 'kms:ViaService',
          values: [`sns.${forNotifications.ref('aws-context/region', 'id')}.amazonaws.com`],
        },
      ],
    });
    expect(NOTIFICATION_KEY_ACTIONS).toEqual(['kms:GenerateDataKey*', 'kms:Decrypt']);
    expect(forLogs.statements('key/policy').map((s) => s.sid)).not.toContain(
      'CodeStarNotificationsPublishToEncryptedTopics',
    );
  });

  test('says whether it lets CodeStar Notifications use it', () => {
    synth((scope) => {
      expect(new EncryptionKey(scope, 'a', { alias: 'a', description: 'd' }).allowsCodeStarNotifications).toBe(false);
      expect(
        new EncryptionKey(scope, 'b', { alias: 'b', description: 'd', allowCodeStarNotifications: true })
          .allowsCodeStarNotifications,
      ).toBe(true);
    });
  });

  test("docs/existing-resources.md's statement for an existing key is this statement, written out", () => {
    const logs = statement(forLogs.statements('key/policy'), 'CloudWatchLogsEncryptsLogGroups');
    const readme = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'existing-resources.md'), 'utf8');
    const block = /<!-- logs-key-statement -->\s*```json\n([\s\S]*?)```/.exec(readme);
    expect(block).not.toBeNull();
    const written = JSON.parse(block![1]);
    expect(written).toEqual({
      Sid: logs.sid,
      Effect: logs.effect,
      Principal: { Service: expect.stringMatching(/^logs\.[a-z0-9-]+\.amazonaws\.com$/) },
      Action: logs.actions,
      Resource: logs.resources[0],
      Condition: {
        [logs.condition[0].test]: {
          [logs.condition[0].variable]: expect.stringMatching(/^arn:aws:logs:[a-z0-9-]+:\d{12}:log-group:\*$/),
        },
      },
    });
    expect(written.Action).toEqual([...LOGS_KEY_ACTIONS]);
  });

  test('grants encrypt/decrypt on exactly this key', () => {
    const use = statement(plain.statements('role/permissions'), 'UseEncryptionKey');
    expect(use.actions).toEqual(KEY_ENCRYPT_DECRYPT_ACTIONS);
    expect(use.resources).toEqual([plain.ref('key/key', 'arn')]);
  });

  test('rejects reserved aliases and out-of-range deletion windows', () => {
    expect(() => synth((scope) => new EncryptionKey(scope, 'k', { alias: 'aws/x', description: 'd' }))).toThrow(
      /EncryptionKey at stack\/k: invalid prop "alias" = "aws\/x"/,
    );
    expect(() =>
      synth((scope) => new EncryptionKey(scope, 'k', { alias: 'x', description: 'd', deletionWindowInDays: 3 })),
    ).toThrow(/"deletionWindowInDays" = 3: must be an integer from 7 to 30/);
  });

  describe('fromKeyArn', () => {
    const keyArn = 'arn:aws:kms:eu-west-1:123456789012:key/mrk-0123456789abcdef0123456789abcdef';

    test('creates nothing and grants use of the given key', () => {
      const existing = synth((scope) => {
        const key = EncryptionKey.fromKeyArn(scope, keyArn);
        expect(key.keyArn).toBe(keyArn);
        key.grantEncryptDecrypt(
          new ServiceRole(scope, 'role', { roleName: 'r', assumedBy: 'codebuild.amazonaws.com' }),
        );
      });
      expect(existing.json.resource?.aws_kms_key).toBeUndefined();
      expect(statement(existing.statements('role/permissions'), 'UseEncryptionKey')).toMatchObject({
        actions: [...KEY_ENCRYPT_DECRYPT_ACTIONS],
        resources: [keyArn],
      });
    });

    test.each([
      'arn:aws:kms:eu-west-1:123456789012:alias/ci',
      'key/1234',
      'arn:aws:kms:eu-west-1:123456789012:key/not-a-key-id',
    ])('rejects %s, naming the argument and the scope', (arn) => {
      expect(() => synth((scope) => EncryptionKey.fromKeyArn(scope, arn))).toThrow(
        `EncryptionKey.fromKeyArn at stack: invalid prop "keyArn" = "${arn}": must be a KMS key ARN`,
      );
    });
  });
});
