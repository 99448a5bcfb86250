import {
  DataAwsIamPolicyDocument,
  DataAwsIamPolicyDocumentStatement,
} from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Construct } from 'constructs';
import { AwsContext } from './aws-context';
import { IGrantable } from './policy';
import { checkIntegerBetween, checkKmsKeyArn, validateProp } from './validation';

/** What a principal needs to read and write data encrypted under the key (S3, Secrets Manager, CodeBuild). */
export const KEY_ENCRYPT_DECRYPT_ACTIONS = [
  'kms:Decrypt',
  'kms:DescribeKey',
  'kms:Encrypt',
  'kms:GenerateDataKey*',
  'kms:ReEncrypt*',
] as const;

/** What CloudWatch Logs needs to encrypt a log group (granted to its service principal in the key policy). */
export const LOGS_KEY_ACTIONS = [
  'kms:Decrypt*',
  'kms:Describe*',
  'kms:Encrypt*',
  'kms:GenerateDataKey*',
  'kms:ReEncrypt*',
] as const;

/** A KMS key that constructs encrypt with and grant use of: an {@link EncryptionKey}, or an existing key from {@link EncryptionKey.fromKeyArn}. */
export interface IEncryptionKey {
  /** The key's ARN, for `kms_key_id` and `encryption_key` arguments and IAM statements. */
  readonly keyArn: string;
  /** Lets `grantee` encrypt and decrypt data under the key. */
  grantEncryptDecrypt(grantee: IGrantable): void;
}

function grantEncryptDecrypt(keyArn: string, grantee: IGrantable): void {
  grantee.addToPolicy({ sid: 'UseEncryptionKey', actions: KEY_ENCRYPT_DECRYPT_ACTIONS, resources: [keyArn] });
}

export interface EncryptionKeyProps {
  /** The alias, without the `alias/` prefix, e.g. `ci/my-app`. */
  readonly alias: string;
  /** What the key protects, shown in the console and in plans. */
  readonly description: string;
  /**
   * Days KMS waits before deleting the key once it is scheduled for deletion.
   * @default 30
   */
  readonly deletionWindowInDays?: number;
  /**
   * Let CloudWatch Logs in this account and region use the key for log groups.
   * @default false
   */
  readonly allowCloudWatchLogs?: boolean;
}

/**
 * A customer-managed, symmetric KMS key with automatic yearly rotation.
 *
 * The key policy keeps the account in control (IAM policies decide who may use
 * the key, as with AWS's default key policy) and, when asked, lets CloudWatch
 * Logs encrypt this account's log groups with it. Principals are given use of
 * the key through {@link EncryptionKey.grantEncryptDecrypt}.
 */
export class EncryptionKey extends Construct implements IEncryptionKey {
  /**
   * An existing customer-managed key, which Terraform neither creates nor changes.
   * Its key policy must let the account's IAM policies grant its use and, for
   * log groups, let CloudWatch Logs use it (the statements an `EncryptionKey`
   * with `allowCloudWatchLogs` has).
   *
   * @param keyArn the key's ARN (not an alias: log groups and ECR need the key ARN)
   */
  public static fromKeyArn(keyArn: string): IEncryptionKey {
    validateProp('EncryptionKey', 'fromKeyArn(keyArn)', keyArn, checkKmsKeyArn);
    return { keyArn, grantEncryptDecrypt: (grantee) => grantEncryptDecrypt(keyArn, grantee) };
  }

  /** The key's ARN, for `kms_key_id` and `encryption_key` arguments and IAM statements. */
  public readonly keyArn: string;
  /** The alias's ARN. */
  public readonly aliasName: string;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    validateProp('EncryptionKey', 'alias', props.alias, (alias) =>
      /^[a-zA-Z0-9/_-]{1,250}$/.test(alias) && !alias.startsWith('aws/')
        ? undefined
        : 'must be 1-250 letters, digits and /_- without the "alias/" prefix, and not start with "aws/"',
    );
    const deletionWindowInDays = props.deletionWindowInDays ?? 30;
    validateProp('EncryptionKey', 'deletionWindowInDays', deletionWindowInDays, checkIntegerBetween(7, 30));

    const aws = AwsContext.of(this);
    const statements: DataAwsIamPolicyDocumentStatement[] = [
      {
        sid: 'AccountAdministersKeyThroughIam',
        effect: 'Allow',
        actions: ['kms:*'],
        resources: ['*'],
        principals: [{ type: 'AWS', identifiers: [aws.arn('iam', 'root', { global: true })] }],
      },
    ];
    if (props.allowCloudWatchLogs) {
      statements.push({
        sid: 'CloudWatchLogsEncryptsLogGroups',
        effect: 'Allow',
        actions: [...LOGS_KEY_ACTIONS],
        resources: ['*'],
        principals: [{ type: 'Service', identifiers: [`logs.${aws.region}.amazonaws.com`] }],
        condition: [
          {
            test: 'ArnLike',
            variable: 'kms:EncryptionContext:aws:logs:arn',
            values: [aws.arn('logs', 'log-group:*')],
          },
        ],
      });
    }
    const policy = new DataAwsIamPolicyDocument(this, 'policy', { statement: statements });

    const key = new KmsKey(this, 'key', {
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays,
      policy: policy.json,
    });
    const alias = new KmsAlias(this, 'alias', { name: `alias/${props.alias}`, targetKeyId: key.keyId });

    this.keyArn = key.arn;
    this.aliasName = alias.name;
  }

  /** Lets `grantee` encrypt and decrypt data under this key. */
  public grantEncryptDecrypt(grantee: IGrantable): void {
    grantEncryptDecrypt(this.keyArn, grantee);
  }
}
