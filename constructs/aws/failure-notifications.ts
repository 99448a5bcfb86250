import { requireAwsProvider } from '../private/provider-versions';
import { CodestarnotificationsNotificationRule } from '@cdktf/provider-aws/lib/codestarnotifications-notification-rule';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Construct } from 'constructs';
import { CODESTAR_NOTIFICATIONS_PRINCIPAL, NOTIFICATION_PUBLISH_ACTIONS } from '../../shared/iam-actions';
import { AwsContext } from '../private/aws-context';
import { checkOneOf, isTerraformExpression, matches, visible } from '../private/checks';
import { StackOutput } from '../core/stack-output';
import {
  Check,
  checkOptionalList,
  checkOptionalProp,
  checkProp,
  crossPropProblem,
  throwIfInvalid,
} from '../private/validation';
import { PropProblem } from '../core/validation';
import { EncryptionKey, IEncryptionKey } from './encryption-key';

// Event type IDs: "Events for notification rules on pipelines" and "... on build projects",
// Developer Tools console User Guide, https://docs.aws.amazon.com/dtconsole/latest/userguide/concepts.html

/** A pipeline execution failed (`#events-ref-pipeline`). */
export const PIPELINE_EXECUTION_FAILED = 'codepipeline-pipeline-pipeline-execution-failed';
/** A build of a CodeBuild project failed (`#events-ref-buildproject`). */
export const BUILD_FAILED = 'codebuild-project-build-state-failed';

/**
 * How much a notification says (CodeStar Notifications API Reference, CreateNotificationRule:
 * DetailType): `BASIC` is the event as EventBridge carries it (the pipeline or
 * project, the execution or build ID, its state); `FULL` adds "any supplemental
 * information provided by AWS CodeStar Notifications and/or the service".
 */
export const NOTIFICATION_DETAIL_TYPES = ['BASIC', 'FULL'] as const;
export type NotificationDetailType = (typeof NOTIFICATION_DETAIL_TYPES)[number];

/** One notification rule: the events of one pipeline or build project, sent to the topic (and Slack). */
export interface FailureNotificationRule {
  /** The rule's name, unique in the account: 1-64 letters, digits, spaces, "-" and "_". */
  readonly ruleName: string;
  /** The ARN of the pipeline or build project whose events are sent (a reference, such as a pipeline's `arn`). */
  readonly resourceArn: string;
  /** The events sent, e.g. `codepipeline-pipeline-pipeline-execution-failed`. */
  readonly eventTypeIds: readonly string[];
}

/** A rule that reports the failed executions of the pipeline `pipelineArn`. */
export function pipelineFailures(ruleName: string, pipelineArn: string): FailureNotificationRule {
  return { ruleName, resourceArn: pipelineArn, eventTypeIds: [PIPELINE_EXECUTION_FAILED] };
}

/** A rule that reports the failed builds of the CodeBuild project `projectArn`. */
export function buildFailures(ruleName: string, projectArn: string): FailureNotificationRule {
  return { ruleName, resourceArn: projectArn, eventTypeIds: [BUILD_FAILED] };
}

export interface FailureNotificationsProps {
  /** The SNS topic's name: 1-256 letters, digits, "-" and "_". */
  readonly topicName: string;
  /**
   * The customer-managed key that encrypts the topic. Its key policy must let
   * CodeStar Notifications use it through SNS: an {@link EncryptionKey} with
   * `allowCodeStarNotifications: true`, or an existing key with the statement
   * {@link EncryptionKey.fromKeyArn} describes. An AWS managed key
   * (`alias/aws/sns`) cannot be used: its policy cannot be changed, so
   * notifications to the topic would never be delivered.
   */
  readonly encryptionKey: IEncryptionKey;
  /** The notification rules, at least one; see {@link pipelineFailures} and {@link buildFailures}. */
  readonly rules: readonly FailureNotificationRule[];
  /**
   * E-mail addresses subscribed to the topic (protocol `email`). SNS sends each
   * a confirmation mail, and delivers nothing to it until the link in it is
   * followed; SNS deletes a subscription left unconfirmed for 48 hours. Until it
   * is confirmed, Terraform cannot delete it either: destroying it only drops it
   * from the state (AWS provider, `aws_sns_topic_subscription`, "Protocol
   * support"). Deleting the topic deletes all of its subscriptions.
   * @default - no e-mail subscriptions
   */
  readonly emailAddresses?: readonly string[];
  /**
   * The ARN of an existing AWS Chatbot Slack channel configuration
   * (`arn:aws:chatbot::<account>:chat-configuration/slack-channel/<name>`),
   * added to every rule as a second target of type `AWSChatbotSlack`. The Slack
   * workspace is authorized in the Chatbot console, which Terraform cannot do,
   * so the configuration is referenced, not created.
   * @default - no Slack channel
   */
  readonly slackChannelConfigurationArn?: string;
  /**
   * How much each notification says. `BASIC` names the pipeline or project,
   * the execution or build and its state, which is enough to find a failure, and
   * keeps to that what leaves the account by mail or Slack; `FULL` adds the
   * supplemental information CodeStar Notifications and the service provide.
   * @default 'BASIC'
   */
  readonly detailType?: NotificationDetailType;
}

function validateRule(rule: FailureNotificationRule, index: number): PropProblem[] {
  const at = `rules[${index}]`;
  return [
    ...checkProp(`${at}.ruleName`, rule.ruleName, checkNotificationRuleName),
    ...checkProp(`${at}.resourceArn`, rule.resourceArn, checkNotificationRuleResource),
    ...crossPropProblem(
      !Array.isArray(rule.eventTypeIds) || rule.eventTypeIds.length === 0,
      `${at}.eventTypeIds`,
      rule.eventTypeIds,
      'must name at least one event type',
    ),
    ...checkOptionalList(
      `${at}.eventTypeIds`,
      Array.isArray(rule.eventTypeIds) ? rule.eventTypeIds : undefined,
      checkNotificationEventTypeId,
    ),
  ];
}

const duplicates = (values: readonly string[]) => values.filter((value, index) => values.indexOf(value) !== index);

/** Problems with a list of e-mail addresses to subscribe: each an address, none twice (compared without case). */
export function checkEmailAddresses(prop: string, addresses: readonly string[] | undefined): PropProblem[] {
  const repeated = duplicates(
    Array.isArray(addresses) ? addresses.map((address) => String(address).toLowerCase()) : [],
  );
  return [
    ...checkOptionalList(prop, addresses, checkEmailAddress),
    ...crossPropProblem(repeated.length > 0, prop, repeated, 'must not list an address twice'),
  ];
}

function validateFailureNotificationsProps(props: FailureNotificationsProps): PropProblem[] {
  const rules = Array.isArray(props.rules) ? props.rules : [];
  const key = props.encryptionKey;
  const ruleNames = duplicates(rules.map((rule) => rule.ruleName));
  return [
    ...checkProp('topicName', props.topicName, checkSnsTopicName),
    ...crossPropProblem(rules.length === 0, 'rules', props.rules, 'must have at least one notification rule'),
    ...rules.flatMap(validateRule),
    ...crossPropProblem(
      ruleNames.length > 0,
      'rules',
      ruleNames,
      'must have distinct rule names (they are unique in the account)',
    ),
    ...checkEmailAddresses('emailAddresses', props.emailAddresses),
    ...checkOptionalProp(
      'slackChannelConfigurationArn',
      props.slackChannelConfigurationArn,
      checkChatbotSlackChannelArn,
    ),
    ...checkOptionalProp('detailType', props.detailType, checkOneOf(NOTIFICATION_DETAIL_TYPES)),
    ...crossPropProblem(
      key instanceof EncryptionKey && !key.allowsCodeStarNotifications,
      'encryptionKey',
      key instanceof EncryptionKey ? key.aliasName : undefined,
      'must let CodeStar Notifications use it: create the EncryptionKey with allowCodeStarNotifications: true',
    ),
  ];
}

/** The provider resources of {@link FailureNotifications}. */
export interface FailureNotificationsResources {
  /** The topic, encrypted with the key. */
  readonly topic: SnsTopic;
  /** Its policy's document. */
  readonly policyDocument: DataAwsIamPolicyDocument;
  /** Its policy: CodeStar Notifications may publish for this account's rules. */
  readonly policy: SnsTopicPolicy;
  /** The e-mail subscriptions, one per address. */
  readonly subscriptions: readonly SnsTopicSubscription[];
  /** The notification rules, one per rule given. */
  readonly rules: readonly CodestarnotificationsNotificationRule[];
}

/**
 * Failure notifications for a CI pipeline: CodeStar Notifications rules (failed
 * pipeline executions, failed builds) publishing to an SNS topic encrypted with a
 * customer-managed key, e-mail subscriptions to the topic, and optionally an AWS
 * Chatbot Slack channel as a second target of every rule.
 *
 * The topic policy lets the CodeStar Notifications service principal publish,
 * for this account's rules only (`aws:SourceAccount`, as the Developer Tools
 * console User Guide's "Troubleshooting" writes the statement). The account
 * keeps managing the topic through IAM: in one account, an identity policy's
 * Allow suffices where the topic policy says nothing.
 */
export class FailureNotifications extends Construct {
  /** The topic's ARN. */
  public readonly topicArn: string;
  /** The topic's name. */
  public readonly topicName: string;
  /** The provider resources it created, to reach any argument it does not model (escape hatch). */
  public readonly resources: FailureNotificationsResources;

  private readonly emailCount: number;

  constructor(scope: Construct, id: string, props: FailureNotificationsProps) {
    super(scope, id);
    throwIfInvalid('FailureNotifications', this, validateFailureNotificationsProps(props));
    requireAwsProvider(this);

    const topic = new SnsTopic(this, 'topic', { name: props.topicName, kmsMasterKeyId: props.encryptionKey.keyArn });
    const { policyDocument, policy } = this.writeTopicPolicy(topic);
    const subscriptions = (props.emailAddresses ?? []).map(
      (address) =>
        new SnsTopicSubscription(this, `email-${address.toLowerCase()}`, {
          topicArn: topic.arn,
          protocol: 'email',
          endpoint: address,
        }),
    );
    const targets = [
      { type: 'SNS', address: topic.arn },
      ...(props.slackChannelConfigurationArn === undefined
        ? []
        : [{ type: 'AWSChatbotSlack', address: props.slackChannelConfigurationArn }]),
    ];
    const rules = props.rules.map(
      (rule) =>
        new CodestarnotificationsNotificationRule(this, `rule-${rule.ruleName}`, {
          name: rule.ruleName,
          resource: rule.resourceArn,
          eventTypeIds: [...rule.eventTypeIds],
          detailType: props.detailType ?? 'BASIC',
          target: targets,
          // The topic policy must exist before the rule's first notification, or its target turns unreachable.
          dependsOn: [policy],
        }),
    );
    this.node.defaultChild = topic;
    this.resources = { topic, policyDocument, policy, subscriptions, rules };
    this.topicArn = topic.arn;
    this.topicName = topic.name;
    this.emailCount = props.emailAddresses?.length ?? 0;
  }

  /** What an operator reads after apply: the topic, and that e-mail subscriptions wait for confirmation. */
  public get outputs(): readonly StackOutput[] {
    const outputs: StackOutput[] = [
      {
        name: 'failure_notifications_topic_arn',
        value: this.topicArn,
        description: 'The SNS topic that failed pipeline executions and builds are published to',
      },
    ];
    if (this.emailCount > 0) {
      outputs.push({
        name: 'failure_notifications_email_confirmation',
        value:
          `Each of the ${this.emailCount} subscribed e-mail addresses must follow the link in the confirmation ` +
          `mail from SNS within 48 hours`,
        description: 'E-mail subscriptions receive nothing until confirmed',
      });
    }
    return outputs;
  }

  /** Lets CodeStar Notifications publish to the topic for this account's notification rules. */
  private writeTopicPolicy(topic: SnsTopic) {
    const policyDocument = new DataAwsIamPolicyDocument(this, 'policy-document', {
      statement: [
        {
          sid: 'CodeStarNotificationsPublish',
          effect: 'Allow',
          actions: [...NOTIFICATION_PUBLISH_ACTIONS],
          resources: [topic.arn],
          principals: [{ type: 'Service', identifiers: [CODESTAR_NOTIFICATIONS_PRINCIPAL] }],
          // "Troubleshooting", Developer Tools console User Guide
          // (https://docs.aws.amazon.com/dtconsole/latest/userguide/troubleshooting.html).
          condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [AwsContext.of(this).accountId] }],
        },
      ],
    });
    const policy = new SnsTopicPolicy(this, 'policy', { arn: topic.arn, policy: policyDocument.json });
    return { policyDocument, policy };
  }
}

// --- Rules for the values of its props (limits from the owning service's documentation) ---

/**
 * A standard SNS topic's name (SNS API Reference, CreateTopic: Name, "1 to 256
 * characters long" of "uppercase and lowercase ASCII letters, numbers,
 * underscores, and hyphens"). FIFO topic names, which end in `.fifo`, are not
 * accepted: notification rules publish to standard topics.
 */
export const checkSnsTopicName = matches(
  /^[A-Za-z0-9_-]{1,256}$/,
  'must be 1-256 letters, digits, "-" and "_" (a standard topic, not ".fifo")',
);

/**
 * An e-mail address for an SNS `email` subscription: one "@" with a local part
 * and a domain that has a dot, no spaces, at most 254 characters (RFC 5321's
 * limit on a forward path, less its angle brackets). A shape check, not RFC 5322:
 * SNS is the judge, and its confirmation mail is the proof.
 */
export const checkEmailAddress: Check<string> = visible((value) =>
  typeof value === 'string' && value.length <= 254 && /^[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+$/.test(value)
    ? undefined
    : 'must be an e-mail address such as "team@example.com" (at most 254 characters, no spaces)',
);

/**
 * A notification rule's name (CodeStar Notifications API Reference,
 * CreateNotificationRule: Name, 1-64 characters of `[A-Za-z0-9\-_ ]`), unique
 * in the account.
 */
export const checkNotificationRuleName = matches(
  /^[A-Za-z0-9_ -]{1,64}$/,
  'must be 1-64 letters, digits, spaces, "-" and "_"',
);

/**
 * A notification event type ID such as `codebuild-project-build-state-failed`
 * ("Events for notification rules", Developer Tools console User Guide,
 * https://docs.aws.amazon.com/dtconsole/latest/userguide/concepts.html):
 * lowercase words joined by hyphens, at most 200 characters (CreateNotificationRule: EventTypeId).
 */
export const checkNotificationEventTypeId = matches(
  /^(?=.{1,200}$)[a-z0-9]+(?:-[a-z0-9]+)+$/,
  'must be a notification event type ID such as "codepipeline-pipeline-pipeline-execution-failed": lowercase words ' +
    'joined by "-"',
);

/**
 * The resource a notification rule watches (CreateNotificationRule: Resource,
 * `arn:aws[^:\s]*:[^:\s]*:[^:\s]*:[0-9]{12}:[^\s]+`), or a Terraform reference
 * to one such as a pipeline's `arn`, which only Terraform can check.
 */
export const checkNotificationRuleResource: Check<string> = (value) =>
  typeof value === 'string' &&
  (isTerraformExpression(value) || /^arn:aws[^:\s]*:[^:\s]*:[^:\s]*:\d{12}:\S+$/.test(value))
    ? undefined
    : 'must be the ARN of a pipeline or build project, such as ' +
      '"arn:aws:codepipeline:eu-west-1:123456789012:my-pipeline", or a reference to one';

/**
 * An AWS Chatbot Slack channel configuration's ARN,
 * `arn:<partition>:chatbot::<account>:chat-configuration/slack-channel/<name>`
 * (AWS Chatbot Administrator Guide, "IAM resource-level permissions for AWS Chatbot": the
 * `chat-configuration` resource, global, so without a region; a configuration name is
 * 1-128 letters, digits, "-" and "_", Chatbot API Reference, CreateSlackChannelConfiguration).
 */
export const checkChatbotSlackChannelArn = matches(
  /^arn:aws[a-z-]*:chatbot::\d{12}:chat-configuration\/slack-channel\/[A-Za-z0-9_-]{1,128}$/,
  'must be an AWS Chatbot Slack channel configuration ARN such as ' +
    '"arn:aws:chatbot::123456789012:chat-configuration/slack-channel/ci-alerts"',
);
