import { requireAwsProvider } from '../private/provider-versions';
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
} from '../../shared/iam-actions';
import { AwsContext } from '../private/aws-context';
import { checkIntegerBetween, matches } from '../private/checks';
import { Grant, IGrantable } from '../core/grants';
import { grant } from '../private/policy-statements';
import { Check, checkOptionalProp, checkProp, throwIfInvalid } from '../private/validation';
import { PropProblem } from '../core/validation';

/**
 * A KMS key that constructs encrypt with and grant use of: an {@link EncryptionKey}, or an existing key from {@link
 * EncryptionKey.fromKeyArn}.
 */
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

/** The provider resources of an {@link EncryptionKey}. */
export interface EncryptionKeyResources {
  /** The key, rotated yearly. */
  readonly key: KmsKey;
  /** Its key policy's document. */
  readonly policyDocument: DataAwsIamPolicyDocument;
  /** Its alias. */
  readonly alias: KmsAlias;
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
  /**
   * The alias, with its `alias/` prefix, e.g. `alias/ci/my-app`: known before apply, and resolved in the caller's
   * account.
   */
  public readonly aliasName: string;
  /** The alias's ARN. */
  public readonly aliasArn: string;
  /**
   * Whether the key policy lets CodeStar Notifications use the key for SNS topics ({@link
   * EncryptionKeyProps.allowCodeStarNotifications}).
   */
  public readonly allowsCodeStarNotifications: boolean;
  /** The provider resources it created, to reach any argument it does not model (escape hatch). */
  public readonly resources: EncryptionKeyResources;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    throwIfInvalid('EncryptionKey', this, validateEncryptionKeyProps(props));
    requireAwsProvider(this);

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
    const alias = new KmsAlias(this, 'alias', { name: this.aliasName, targetKeyId: key.keyId });
    this.node.defaultChild = key;
    this.resources = { key, policyDocument: policy, alias };
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

/**
 * The key policy: the account administers the key through IAM; optionally CloudWatch Logs may encrypt log groups, and
 * CodeStar Notifications publish to topics.
 */
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

// --- Rules for the values of its props (limits from the owning service's documentation) ---

/** A KMS key or alias ARN, where AWS accepts either (the S3 backend's `kms_key_id`). */
export const checkKmsKeyOrAliasArn = matches(
  /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/[A-Za-z0-9/_-]+$/,
  'must be a KMS key or alias ARN such as "arn:aws:kms:eu-west-1:123456789012:key/<id>"',
);

/**
 * How a client may name a KMS key that is in its own account and region: a key
 * or alias ARN, an alias name, or a key ID (KMS Developer Guide, "Key
 * identifiers (KeyId)"); the forms Terraform's S3 backend accepts for `kms_key_id`.
 */
export const checkKmsKeyIdentifier: Check<string> = (value) =>
  checkKmsKeyOrAliasArn(value) === undefined ||
  (typeof value === 'string' &&
    (/^alias\/[a-zA-Z0-9/_-]{1,250}$/.test(value) ||
      /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/.test(value)))
    ? undefined
    : 'must be a KMS key ARN, alias ARN, alias name ("alias/<name>") or key ID';

/**
 * A KMS key ARN, single- or multi-Region. Not an alias: CloudWatch Logs and ECR
 * accept only a key's ARN, and an alias can be repointed under a running pipeline.
 */
export const checkKmsKeyArn = matches(
  new RegExp(
    String.raw`^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/` +
      String.raw`(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$`,
  ),
  'must be a KMS key ARN such as "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab" (not ' +
    'an alias ARN)',
);

/**
 * A KMS alias without its `alias/` prefix (KMS API Reference, CreateAlias:
 * AliasName, 1-256 characters of `[a-zA-Z0-9:/_-]` including the prefix, and
 * never `alias/aws/`, which AWS reserves). ":" is refused too: it would be
 * ambiguous in the alias's ARN.
 */
export const checkKmsAliasName: Check<string> = (value) =>
  typeof value === 'string' && /^[a-zA-Z0-9/_-]{1,250}$/.test(value) && !value.startsWith('aws/')
    ? undefined
    : 'must be 1-250 letters, digits and /_- without the "alias/" prefix, and not start with "aws/"';
