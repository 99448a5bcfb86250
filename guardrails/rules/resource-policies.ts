/**
 * Resource policies (key, bucket, topic, repository, secret, queue, ...) grant
 * only to AWS services and to this account. A `Deny` to everyone is how the
 * TLS-only and encryption-enforcing bucket policies are written, and is fine.
 *
 * An `Allow` to everyone is accepted only when a condition pins the caller to
 * this stack's account: `aws:PrincipalAccount`, `aws:SourceAccount`,
 * `kms:CallerAccount` or `aws:SourceOwner` equal to the account ID read from
 * `data.aws_caller_identity`, or `aws:PrincipalArn` / `aws:SourceArn` with that
 * account in the ARN ("AWS global condition context keys", IAM User Guide).
 * `aws:PrincipalOrgID` does not count: it admits every account of the
 * organization, which is "another account"; suppress with the reason where
 * that is meant.
 */
import { describePrincipal, hasWildcard, isOwnAccountId, parseArn, shapeOf } from '../core/arn';
import { globMatches } from '../core/glob';
import { Condition, NormalizedStatement, POLICY_ATTRIBUTES } from '../core/policy-document';
import { Rule } from '../core/rule';
import { statementRule } from '../core/statement-rule';
import { SynthesizedStack } from '../core/terraform-json';
import { outsidePrincipals } from './trust';

const ACCOUNT_KEYS = ['aws:principalaccount', 'aws:sourceaccount', 'kms:calleraccount', 'aws:sourceowner'];
const ARN_KEYS = ['aws:principalarn', 'aws:sourcearn'];

/** Whether a condition admits only callers of this stack's account. */
export function pinsToOwnAccount(condition: Condition, stack: SynthesizedStack): boolean {
  const test = condition.test.toLowerCase();
  if (
    test.includes('not') ||
    test.endsWith('ifexists') ||
    test.startsWith('forallvalues') ||
    !(test.includes('equals') || test.includes('like'))
  )
    return false;
  if (condition.values.length === 0) return false;
  const variable = condition.variable.toLowerCase();
  if (ACCOUNT_KEYS.includes(variable)) return condition.values.every((value) => isOwnAccountId(value, stack));
  if (ARN_KEYS.includes(variable)) {
    return condition.values.every((value) => {
      const arn = parseArn(value);
      return arn !== undefined && isOwnAccountId(arn.account, stack);
    });
  }
  return false;
}

/**
 * Condition keys a service documents in place of aws:SourceAccount and aws:SourceArn for its grants, by service
 * principal (`*` for any region's): CloudWatch Logs names the log group in the key's encryption context ("Encrypt
 * log data in CloudWatch Logs using AWS Key Management Service", CloudWatch Logs User Guide); CodeStar Notifications
 * uses a topic's key only through SNS ("Configure Amazon SNS topics for notifications", Developer Tools console User
 * Guide).
 */
const DOCUMENTED_PINS: Record<string, { key: string; pins(value: string, stack: SynthesizedStack): boolean }> = {
  'logs.*.amazonaws.com': {
    key: 'kms:encryptioncontext:aws:logs:arn',
    pins: (value, stack) => {
      const arn = parseArn(value);
      return arn !== undefined && isOwnAccountId(arn.account, stack);
    },
  },
  'codestar-notifications.amazonaws.com': {
    key: 'kms:viaservice',
    pins: (value) => /^sns\.[^.]+\.amazonaws\.com$/.test(shapeOf(value)),
  },
};

/** Whether `condition` pins `service`'s grant to this account: the global keys, or the key the service documents. */
function pinsService(service: string, condition: Condition, stack: SynthesizedStack): boolean {
  if (pinsToOwnAccount(condition, stack)) return true;
  const documented = Object.entries(DOCUMENTED_PINS).find(([principal]) =>
    globMatches(principal, shapeOf(service)),
  )?.[1];
  return (
    documented !== undefined &&
    condition.variable.toLowerCase() === documented.key &&
    !condition.test.toLowerCase().includes('not') &&
    condition.values.length > 0 &&
    condition.values.every((value) => documented.pins(value, stack))
  );
}

/** The principals of a statement that mean anyone: `*`, `AWS: "*"`, or an ARN with a wildcard account. */
export function publicPrincipals(statement: NormalizedStatement): string[] {
  return statement.principals.flatMap((principal) =>
    principal.type === 'Service'
      ? []
      : principal.identifiers
          .filter(
            (identifier) =>
              identifier === '*' || (principal.type === 'AWS' && hasWildcard(parseArn(identifier)?.account ?? '')),
          )
          .map((identifier) =>
            identifier === '*'
              ? describePrincipal(principal.type, identifier)
              : `everyone in any account (${principal.type} ${JSON.stringify(identifier)})`,
          ),
  );
}

/** Resource-policy holders that have a scanner rule of their own; the rest fall to CIP_IAM_11. */
const SERVICE_TARGETS: Record<string, readonly string[]> = {
  CKV_AWS_33: ['aws_kms_key', 'aws_kms_key_policy'],
  CKV_AWS_70: ['aws_s3_bucket_policy', 'aws_s3_bucket'],
  CKV_AWS_32: ['aws_ecr_repository_policy'],
  CKV_AWS_169: ['aws_sns_topic_policy', 'aws_sns_topic'],
};
const OTHER_TARGETS = [
  ...new Set(
    POLICY_ATTRIBUTES.filter(
      ({ use, type }) => use === 'resource' && !Object.values(SERVICE_TARGETS).flat().includes(type),
    ).map(({ type }) => type),
  ),
];
const RESOURCE_TARGETS = [
  ...new Set(POLICY_ATTRIBUTES.filter(({ use }) => use === 'resource').map(({ type }) => type)),
];

const PUBLIC_FIX =
  "name the service principal or this account's principals; if everyone is meant, add a condition that pins the " +
  'caller to this account (aws:PrincipalAccount or aws:SourceAccount = data.aws_caller_identity account_id)';

/** A rule against Allow statements of resource policies of `targets` that grant to everyone. */
function publicRule(id: string, label: string, targets: readonly string[], explanation: string): Rule {
  return statementRule({
    id,
    name: `${label} do not allow everyone ("*" principal)`,
    explanation,
    uses: ['resource'],
    targets,
    fix: PUBLIC_FIX,
    offending: (statement, { stack }) => {
      const anyone = publicPrincipals(statement);
      if (anyone.length === 0 || statement.conditions.some((condition) => pinsToOwnAccount(condition, stack)))
        return undefined;
      return `allows ${anyone.join(', ')}, and no condition pins the caller to this stack's account`;
    },
  });
}

export const RESOURCE_POLICY_RULES: readonly Rule[] = [
  publicRule(
    'CKV_AWS_33',
    'KMS key policies',
    SERVICE_TARGETS.CKV_AWS_33,
    'A key policy that allows "*" with no condition pinning the caller to this account lets ' +
      'principals of any AWS account use or manage the key as the statement says, so the key no ' +
      "longer limits who decrypts the artifacts, state or secrets it protects. Checkov's CKV_AWS_33 " +
      'checks the same: "Ensure KMS key policy does not contain wildcard (*) principal".',
  ),
  publicRule(
    'CKV_AWS_70',
    'S3 bucket policies',
    SERVICE_TARGETS.CKV_AWS_70,
    'A bucket policy that allows "*" with no condition pinning the caller to this account gives ' +
      'its actions to every AWS account and to anonymous callers, who could read the artifacts or ' +
      'state, or write into the bucket. Checkov\'s CKV_AWS_70 checks the same: "Ensure S3 bucket ' +
      'does not allow an action with any Principal".',
  ),
  publicRule(
    'CKV_AWS_32',
    'ECR repository policies',
    SERVICE_TARGETS.CKV_AWS_32,
    'A repository policy that allows "*" lets any AWS account pull the images, with the code and ' +
      "configuration baked into them, or, with push actions, replace them. Checkov's CKV_AWS_32 " +
      'checks the same: "Ensure ECR policy is not set to public".',
  ),
  publicRule(
    'CKV_AWS_169',
    'SNS topic policies',
    SERVICE_TARGETS.CKV_AWS_169,
    'A topic policy that allows "*" lets anyone publish to the topic, faking or flooding the ' +
      "pipeline's notifications, or subscribe to it and receive them. Checkov's CKV_AWS_169 checks " +
      'the same: "Ensure SNS topic policy is not public by only allowing specific services or ' +
      'principals to access it".',
  ),
  publicRule(
    'CIP_IAM_11',
    'Resource policies (secrets, queues, registries, log, event bus and other policies)',
    OTHER_TARGETS,
    'A resource policy that allows "*" without a condition pinning the caller to this account ' +
      'grants its actions to every AWS account, or to anonymous callers ("AWS JSON policy elements: ' +
      'Principal", IAM User Guide). This rule holds the resource policies that no scanner check ' +
      'here covers (secrets, queues, registries, log destinations, event buses and others) to the ' +
      'same test as CKV_AWS_33, CKV_AWS_70, CKV_AWS_32 and CKV_AWS_169.',
  ),
  statementRule({
    id: 'CIP_IAM_12',
    name: 'Resource policies grant to AWS services and this account only, not to other accounts',
    explanation:
      "A resource policy that names a principal of another account lets that account's identities " +
      "use the resource, and which of them may is decided by that account's administrators, not by " +
      'this stack ("Cross-account policy evaluation logic", IAM User Guide). IAM Access Analyzer ' +
      'reports such grants as external access; here each one needs a suppression that says why.',
    uses: ['resource'],
    targets: RESOURCE_TARGETS,
    fix:
      "grant to the service principal or to this account's principals (ARNs built with the account from " +
      'data.aws_caller_identity); share across accounts only with a suppression that says why',
    offending: (statement, { stack }) => {
      const outside = outsidePrincipals(statement, stack, { skipAnyAccount: true });
      return outside.length > 0
        ? `allows ${outside.join(', ')}: not this stack's account (data.aws_caller_identity)`
        : undefined;
    },
  }),
  statementRule({
    id: 'CIP_IAM_15',
    name: 'Resource policies pin the services they grant to this account (confused deputy)',
    explanation:
      'A bucket, topic or key policy that grants a service principal with no condition lets the service act on the ' +
      "resource for any account's request: another account's notification rule, log group or pipeline can make the " +
      'service write to, read or encrypt with it. AWS asks for aws:SourceAccount or aws:SourceArn on such grants ' +
      '("The confused deputy problem", IAM User Guide), or the key a service documents in their place.',
    uses: ['resource'],
    targets: RESOURCE_TARGETS,
    fix:
      "add a condition on aws:SourceAccount (the stack's account) or aws:SourceArn (the resource of this account " +
      'that uses it), as FailureNotifications and EncryptionKey write them',
    offending: (statement, { stack }) => {
      const unpinned = statement.principals
        .filter((principal) => principal.type === 'Service')
        .flatMap((principal) => principal.identifiers)
        .filter((service) => !statement.conditions.some((condition) => pinsService(service, condition, stack)));
      return unpinned.length > 0
        ? `grants ${unpinned.join(', ')} with no condition that pins it to this stack's account (aws:SourceAccount ` +
            'or aws:SourceArn)'
        : undefined;
    },
  }),
];
