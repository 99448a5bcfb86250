import {
  DataAwsIamPolicyDocument,
  DataAwsIamPolicyDocumentStatement,
} from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Construct } from 'constructs';
import {
  CODESTAR_NOTIFICATIONS_PRINCIPAL,
  KEY_ENCRYPT_DECRYPT_ACTIONS,
  LOGS_KEY_ACTIONS,
  NOTIFICATION_KEY_ACTIONS,
} from '../../iam/actions';
import { AwsContext } from '../core/aws-context';
import { checkIntegerBetween, checkKmsAliasName, checkKmsKeyArn } from '../core/checks';
import { Grant, grant, IGrantable } from '../core/grants';
import { checkOptionalProp, checkProp, PropProblem, throwIfInvalid } from '../core/validation';

/** A KMS key that constructs encrypt with and grant use of: an {@link EncryptionKey}, or an existing key from {@link EncryptionKey.fromKeyArn}. */
export interface IEncryptionKey {
  /** The key's ARN, for `kms_key_id` and `encryption_key` arguments and IAM statements. */
  readonly keyArn: string;
  /**
   * Every string a client may name the key by, as KMS accepts them (KMS Developer
   * Guide, "Key identifiers (KeyId)"): its ARN and ID, and its alias's name and ARN
   * when known. A bucket policy that checks the key a writer names
   * (`s3:x-amz-server-side-encryption-aws-kms-key-id`) lists them all.
   */
  readonly identifiers: readonly string[];
  /** Lets `grantee` encrypt and decrypt data under the key. */
  grantEncryptDecrypt(grantee: IGrantable): Grant;
}

const grantKeyUse = (keyArn: string, grantee: IGrantable): Grant =>
  grant(grantee, { sid: 'UseEncryptionKey', actions: KEY_ENCRYPT_DECRYPT_ACTIONS, resources: [keyArn] });

export interface EncryptionKeyProps {
  /** The alias, without the `alias/` prefix, e.g. `ci/my-app`. */
  readonly alias: string;
  /** What the key protects, shown in the console and in plans. */
  readonly description: string;
  /**
   * Days KMS waits before deleting the key once it is scheduled for deletion (7-30).
   * @default 30
   */
  readonly deletionWindowInDays?: number;
  /**
   * Let CloudWatch Logs in this account and region use the key for log groups.
   * @default false
   */
  readonly allowCloudWatchLogs?: boolean;
  /**
   * Let AWS CodeStar Notifications use the key for SNS topics it publishes
   * to (`kms:GenerateDataKey*` and `kms:Decrypt`, through SNS in this region
   * only), as a {@link FailureNotifications} topic encrypted with it needs: without
   * the statement, notifications to the topic are never delivered and the rule's
   * target shows as unreachable.
   * @default false
   */
  readonly allowCodeStarNotifications?: boolean;
  /**
   * Refuse to destroy the key (`lifecycle.prevent_destroy`); for keys whose loss makes data unreadable, like Terraform
   * state's.
   * @default false
   */
  readonly preventDestroy?: boolean;
}

function validateEncryptionKeyProps(props: EncryptionKeyProps): PropProblem[] {
  return [
    ...checkProp('alias', props.alias, checkKmsAliasName),
    ...checkOptionalProp('deletionWindowInDays', props.deletionWindowInDays, checkIntegerBetween(7, 30)),
  ];
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
   * with `allowCloudWatchLogs` has). To encrypt a {@link FailureNotifications}
   * topic, it must also allow the service principal
   * `codestar-notifications.amazonaws.com` `kms:GenerateDataKey*` and
   * `kms:Decrypt` on `*` with the condition `StringEquals` `kms:ViaService` =
   * `sns.<region>.amazonaws.com` (the statement an `EncryptionKey` with
   * `allowCodeStarNotifications` has; "Configure Amazon SNS topics for
   * notifications", Developer Tools console User Guide). The guardrail CIP_PERM_3
   * cannot read an existing key's policy, so nothing checks this for it.
   *
   * @param scope the construct that uses the key, named in errors
   * @param keyArn the key's ARN (not an alias: log groups and ECR need the key ARN)
   */
  public static fromKeyArn(scope: Construct, keyArn: string): IEncryptionKey {
    throwIfInvalid('EncryptionKey.fromKeyArn', scope, checkProp('keyArn', keyArn, checkKmsKeyArn));
    return {
      keyArn,
      identifiers: [keyArn, keyArn.split('/')[1]],
      grantEncryptDecrypt: (grantee) => grantKeyUse(keyArn, grantee),
    };
  }

  /** The key's ARN, for `kms_key_id` and `encryption_key` arguments and IAM statements. */
  public readonly keyArn: string;
  /** The key's ID (the last part of its ARN). */
  public readonly keyId: string;
  /** The alias, with its `alias/` prefix, e.g. `alias/ci/my-app`: known before apply, and resolved in the caller's account. */
  public readonly aliasName: string;
  /** The alias's ARN. */
  public readonly aliasArn: string;
  /** Whether the key policy lets CodeStar Notifications use the key for SNS topics ({@link EncryptionKeyProps.allowCodeStarNotifications}). */
  public readonly allowsCodeStarNotifications: boolean;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    throwIfInvalid('EncryptionKey', this, validateEncryptionKeyProps(props));

    this.allowsCodeStarNotifications = props.allowCodeStarNotifications ?? false;
    const policy = new DataAwsIamPolicyDocument(this, 'policy', { statement: keyPolicy(AwsContext.of(this), props) });
    const key = new KmsKey(this, 'key', {
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: props.deletionWindowInDays ?? 30,
      policy: policy.json,
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.aliasName = `alias/${props.alias}`;
    new KmsAlias(this, 'alias', { name: this.aliasName, targetKeyId: key.keyId });
    this.keyArn = key.arn;
    this.keyId = key.keyId;
    this.aliasArn = AwsContext.of(this).arn('kms', this.aliasName);
  }

  /** The key's ARN and ID, and its alias's name and ARN. */
  public get identifiers(): readonly string[] {
    return [this.keyArn, this.keyId, this.aliasName, this.aliasArn];
  }

  /** Lets `grantee` encrypt and decrypt data under this key. */
  public grantEncryptDecrypt(grantee: IGrantable): Grant {
    return grantKeyUse(this.keyArn, grantee);
  }
}

/** The key policy: the account administers the key through IAM; optionally CloudWatch Logs may encrypt log groups, and CodeStar Notifications publish to topics. */
function keyPolicy(aws: AwsContext, props: EncryptionKeyProps): DataAwsIamPolicyDocumentStatement[] {
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
        { test: 'ArnLike', variable: 'kms:EncryptionContext:aws:logs:arn', values: [aws.arn('logs', 'log-group:*')] },
      ],
    });
  }
  if (props.allowCodeStarNotifications) statements.push(codeStarNotificationsStatement(aws));
  return statements;
}

/**
 * CodeStar Notifications publishing to topics encrypted with the key: "Configure
 * Amazon SNS topics for notifications", step 6, Developer Tools console User Guide
 * (https://docs.aws.amazon.com/dtconsole/latest/userguide/set-up-sns.html).
 * `kms:ViaService` limits it to requests SNS makes in this region for it.
 */
function codeStarNotificationsStatement(aws: AwsContext): DataAwsIamPolicyDocumentStatement {
  return {
    sid: 'CodeStarNotificationsPublishToEncryptedTopics',
    effect: 'Allow',
    actions: [...NOTIFICATION_KEY_ACTIONS],
    resources: ['*'],
    principals: [{ type: 'Service', identifiers: [CODESTAR_NOTIFICATIONS_PRINCIPAL] }],
    condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`sns.${aws.region}.amazonaws.com`] }],
  };
}
