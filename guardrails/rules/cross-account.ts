/**
 * Data that leaves the account without a policy saying so: a KMS grant lets
 * its grantee use the key whatever the key policy says, replication copies
 * every object to the destination's owner, a subscription filter streams
 * every log event to its destination, ECR replication copies every image.
 * Each destination must be this stack's own: an element of the stack, or an
 * ARN or account written with the account of `data.aws_caller_identity`.
 */
import { isOwnAccountId, isOwnAccountPrincipal, parseArn } from '../core/arn';
import { Rule } from '../core/rule';
import { block, blocks, Element, SynthesizedStack } from '../core/terraform-json';

/** Whether `value` is this stack's: a reference to one of its elements, or an ARN in its account. */
function isOwn(value: unknown, stack: SynthesizedStack): boolean {
  if (typeof value !== 'string') return false;
  if (stack.resolve(value) !== undefined && !stack.resolve(value)!.type.startsWith('data.')) return true;
  if (isOwnAccountPrincipal(value, stack)) return true;
  const arn = parseArn(value);
  return arn !== undefined && isOwnAccountId(arn.account, stack);
}

const quoted = (value: unknown) => JSON.stringify(value);

/** The `DestinationArn` of a subscription filter policy's document, or undefined when it is not literal JSON. */
function destinationOf(document: unknown): string | undefined {
  if (typeof document !== 'string') return undefined;
  try {
    const destination = JSON.parse(document)?.DestinationArn;
    return typeof destination === 'string' ? destination : undefined;
  } catch {
    return undefined;
  }
}

/** Where each kind of flow sends its data, and how a message names it. */
const FLOWS: Record<string, (element: Element, stack: SynthesizedStack) => string[]> = {
  aws_kms_grant: ({ body }, stack) =>
    [body.grantee_principal, body.retiring_principal]
      .filter((principal) => principal !== undefined && !isOwn(principal, stack))
      .map((principal) => `grants use of the key to ${quoted(principal)}, outside this stack's account`),
  aws_s3_bucket_replication_configuration: ({ body }, stack) =>
    blocks(body.rule).flatMap((rule) => {
      const destination = block(rule.destination);
      if (destination.account !== undefined)
        return isOwnAccountId(String(destination.account), stack)
          ? []
          : [`replicates every object to account ${quoted(destination.account)}`];
      return isOwn(destination.bucket, stack)
        ? []
        : [`replicates every object to ${quoted(destination.bucket)}, a bucket this stack does not own`];
    }),
  aws_cloudwatch_log_subscription_filter: ({ body }, stack) =>
    isOwn(body.destination_arn, stack)
      ? []
      : [`streams every log event to ${quoted(body.destination_arn)}, outside this stack's account`],
  // An account policy of type SUBSCRIPTION_FILTER_POLICY subscribes every log group in its scope; its document names
  // the destination ("PutAccountPolicy", CloudWatch Logs API Reference).
  aws_cloudwatch_log_account_policy: ({ body }, stack) => {
    if (body.policy_type !== 'SUBSCRIPTION_FILTER_POLICY') return [];
    const destination = destinationOf(body.policy_document);
    if (destination === undefined)
      return ["subscribes the account's log groups to a destination that cannot be read before apply"];
    return isOwn(destination, stack)
      ? []
      : [`streams the log events of the account's log groups to ${quoted(destination)}, outside this stack's account`];
  },
  aws_cloudwatch_log_delivery_destination: ({ body }, stack) =>
    blocks(body.delivery_destination_configuration)
      .map((configuration) => configuration.destination_resource_arn)
      .filter((destination) => !isOwn(destination, stack))
      .map((destination) => `delivers logs to ${quoted(destination)}, outside this stack's account`),
  aws_ecr_replication_configuration: ({ body }, stack) =>
    blocks(block(body.replication_configuration).rule)
      .flatMap((rule) => blocks(rule.destination))
      .filter((destination) => !isOwnAccountId(String(destination.registry_id), stack))
      .map((destination) => `replicates every image to registry ${quoted(destination.registry_id)}`),
};

export const CROSS_ACCOUNT_RULES: readonly Rule[] = [
  {
    id: 'CIP_IAM_16',
    name: 'Keys, objects, logs and images are shared only within this account',
    explanation:
      "A KMS grant gives its grantee the key's use beside the key policy, and can be used at once " +
      '("Grants in AWS KMS", AWS KMS Developer Guide); S3 replication, CloudWatch Logs subscription filters (also ' +
      'account-wide ones) and log deliveries, and ECR ' +
      'replication copy every object, log event or image to the destination\'s owner ("Replicating objects", S3 ' +
      'User Guide; "Cross-account cross-Region subscriptions", CloudWatch Logs User Guide). None of these shows as ' +
      "a principal in a policy, so policy rules never see them; a pipeline's artifacts, logs and images then leave " +
      'the account unreviewed.',
    targets: Object.keys(FLOWS),
    fix:
      'send to a destination of this stack (a reference, or an ARN with the account from data.aws_caller_identity); ' +
      'share with another account only with a suppression that says why',
    check: (element, stack) => FLOWS[element.type](element, stack),
  },
];
