import { CodestarnotificationsNotificationRule } from '@cdktf/provider-aws/lib/codestarnotifications-notification-rule';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Construct } from 'constructs';
import { EncryptionKey } from '../../../constructs/aws/encryption-key';
import {
  BUILD_FAILED,
  buildFailures,
  FailureNotifications,
  FailureNotificationsProps,
  PIPELINE_EXECUTION_FAILED,
  pipelineFailures,
} from '../../../constructs/aws/failure-notifications';
import { NOTIFICATION_PUBLISH_ACTIONS } from '../../../shared/iam-actions';
import { bodies, statement, synth, Synthesized } from '../../helpers';

const PIPELINE_ARN = 'arn:aws:codepipeline:eu-west-1:123456789012:app';
const PROJECT_ARN = 'arn:aws:codebuild:eu-west-1:123456789012:project/app';
const SLACK = 'arn:aws:chatbot::123456789012:chat-configuration/slack-channel/ci-alerts';

function notifications(scope: Construct, overrides: Partial<FailureNotificationsProps> = {}): FailureNotifications {
  const key = new EncryptionKey(scope, 'key', { alias: 'ci/app', description: 'd', allowCodeStarNotifications: true });
  return new FailureNotifications(scope, 'notifications', {
    topicName: 'ci-app-failures',
    encryptionKey: key,
    rules: [pipelineFailures('app-pipeline-failed', PIPELINE_ARN), buildFailures('app-build-failed', PROJECT_ARN)],
    ...overrides,
  });
}

describe('FailureNotifications', () => {
  let stack: Synthesized;
  let construct: FailureNotifications;
  beforeAll(() => {
    stack = synth((scope) => {
      construct = notifications(scope, {
        emailAddresses: ['team@example.com', 'lead@example.org'],
        slackChannelConfigurationArn: SLACK,
      });
    });
  });

  test('the topic is encrypted with the given key', () => {
    expect(stack.text).toHaveResourceWithProperties(SnsTopic, {
      name: 'ci-app-failures',
      kms_master_key_id: stack.ref('key/key', 'arn'),
    });
  });

  test('the topic policy lets CodeStar Notifications publish, for this account only', () => {
    const publish = statement(stack.statements('notifications/policy-document'), 'CodeStarNotificationsPublish');
    expect(publish).toMatchObject({
      effect: 'Allow',
      actions: [...NOTIFICATION_PUBLISH_ACTIONS],
      resources: [stack.ref('notifications/topic', 'arn')],
      principals: [{ type: 'Service', identifiers: ['codestar-notifications.amazonaws.com'] }],
      condition: [
        {
          test: 'StringEquals',
          variable: 'aws:SourceAccount',
          values: [stack.ref('aws-context/account', 'account_id')],
        },
      ],
    });
    expect(stack.at('notifications/policy')).toMatchObject({
      arn: stack.ref('notifications/topic', 'arn'),
      policy: stack.ref('notifications/policy-document', 'json'),
    });
  });

  test('one rule per resource, with its events, the topic and Slack as targets, after the topic policy', () => {
    const rules = [stack.at('notifications/rule-app-pipeline-failed'), stack.at('notifications/rule-app-build-failed')];
    expect(rules.map((rule) => [rule.name, rule.resource, rule.event_type_ids, rule.detail_type])).toEqual([
      ['app-pipeline-failed', PIPELINE_ARN, [PIPELINE_EXECUTION_FAILED], 'BASIC'],
      ['app-build-failed', PROJECT_ARN, [BUILD_FAILED], 'BASIC'],
    ]);
    expect(bodies(stack.json, CodestarnotificationsNotificationRule.tfResourceType)).toHaveLength(2);
    for (const rule of rules) {
      expect(rule.target).toEqual([
        { type: 'SNS', address: stack.ref('notifications/topic', 'arn') },
        { type: 'AWSChatbotSlack', address: SLACK },
      ]);
      expect(rule.depends_on).toEqual([stack.address('notifications/policy')]);
    }
  });

  test('each e-mail address is subscribed to the topic', () => {
    const subscriptions = [
      stack.at('notifications/email-team@example.com'),
      stack.at('notifications/email-lead@example.org'),
    ];
    expect(bodies(stack.json, SnsTopicSubscription.tfResourceType)).toHaveLength(2);
    expect(
      subscriptions.map((subscription) => [subscription.protocol, subscription.endpoint, subscription.topic_arn]),
    ).toEqual([
      ['email', 'team@example.com', stack.ref('notifications/topic', 'arn')],
      ['email', 'lead@example.org', stack.ref('notifications/topic', 'arn')],
    ]);
  });

  test('outputs the topic and says that e-mail subscriptions wait for confirmation', () => {
    expect(construct.outputs.map((output) => output.name)).toEqual([
      'failure_notifications_topic_arn',
      'failure_notifications_email_confirmation',
    ]);
    expect(construct.outputs[1].value).toMatch(/2 subscribed e-mail addresses must follow the link/);
  });

  test('without e-mail or Slack: only the topic target, no subscriptions, one output; FULL when asked', () => {
    let plain: FailureNotifications | undefined;
    const minimal = synth((scope) => {
      plain = notifications(scope, { rules: [pipelineFailures('p', PIPELINE_ARN)], detailType: 'FULL' });
    });
    const rule = bodies(minimal.json, CodestarnotificationsNotificationRule.tfResourceType)[0];
    expect(rule.target).toEqual([{ type: 'SNS', address: minimal.ref('notifications/topic', 'arn') }]);
    expect(rule.detail_type).toBe('FULL');
    expect(minimal.json.resource?.aws_sns_topic_subscription).toBeUndefined();
    expect(plain!.outputs.map((output) => output.name)).toEqual(['failure_notifications_topic_arn']);
  });

  test('accepts an existing key by ARN', () => {
    const existing = synth((scope) => {
      new FailureNotifications(scope, 'notifications', {
        topicName: 't',
        encryptionKey: EncryptionKey.fromKeyArn(
          scope,
          'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        ),
        rules: [pipelineFailures('p', PIPELINE_ARN)],
      });
    });
    expect(existing.at('notifications/topic').kms_master_key_id).toBe(
      'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    );
  });

  describe('rejects bad props, naming the prop, the value and what is allowed', () => {
    const fails = (overrides: Partial<FailureNotificationsProps>, message: string | RegExp) =>
      expect(() => synth((scope) => notifications(scope, overrides))).toThrow(message);

    test('a bad e-mail address', () => {
      fails(
        { emailAddresses: ['ok@example.com', 'not an address'] },
        'FailureNotifications at stack/notifications: invalid prop "emailAddresses[1]" = "not an address": must be ' +
          'an e-mail address',
      );
    });

    test('an address listed twice', () => {
      fails(
        { emailAddresses: ['a@example.com', 'A@example.com'] },
        'invalid prop "emailAddresses" = ["a@example.com"]: must not list an address twice',
      );
    });

    test('a bad topic name', () => {
      fails(
        { topicName: 'alerts.fifo' },
        'invalid prop "topicName" = "alerts.fifo": must be 1-256 letters, digits, "-" and "_"',
      );
      fails({ topicName: 'x'.repeat(257) }, /invalid prop "topicName" = "x+\.\.\.: must be 1-256/);
    });

    test('a bad rule name', () => {
      fails(
        { rules: [pipelineFailures('app/pipeline', PIPELINE_ARN)] },
        'invalid prop "rules[0].ruleName" = "app/pipeline": must be 1-64 letters, digits, spaces, "-" and "_"',
      );
      fails(
        { rules: [pipelineFailures('r'.repeat(65), PIPELINE_ARN)] },
        /invalid prop "rules\[0\]\.ruleName" = "r{65}": must be 1-64/,
      );
    });

    test('two rules of one name', () => {
      fails(
        { rules: [pipelineFailures('same', PIPELINE_ARN), buildFailures('same', PROJECT_ARN)] },
        'invalid prop "rules" = ["same"]: must have distinct rule names',
      );
    });

    test('a bad resource ARN and a bad event type', () => {
      fails(
        { rules: [{ ruleName: 'r', resourceArn: 'my-pipeline', eventTypeIds: ['Pipeline Failed'] }] },
        new RegExp(
          String.raw`"rules\[0\]\.resourceArn" = "my-pipeline": must be the ARN of a pipeline or build project` +
            String.raw`[\s\S]*` +
            String.raw`"rules\[0\]\.eventTypeIds\[0\]" = "Pipeline Failed": must be a notification event type ID`,
        ),
      );
      fails(
        { rules: [{ ruleName: 'r', resourceArn: PIPELINE_ARN, eventTypeIds: [] }] },
        'invalid prop "rules[0].eventTypeIds" = []: must name at least one event type',
      );
    });

    test('a bad Chatbot ARN', () => {
      for (const arn of [
        'arn:aws:chatbot:eu-west-1:123456789012:chat-configuration/slack-channel/x',
        'arn:aws:chatbot::123456789012:chat-configuration/chime-webhook/x',
        'https://hooks.slack.com/x',
      ]) {
        fails(
          { slackChannelConfigurationArn: arn },
          `invalid prop "slackChannelConfigurationArn" = "${arn}": must be an AWS Chatbot Slack channel ` +
            `configuration ARN`,
        );
      }
    });

    test('no rules', () => {
      fails({ rules: [] }, 'invalid prop "rules" = []: must have at least one notification rule');
    });

    test('a bad detail type', () => {
      fails({ detailType: 'VERBOSE' as never }, 'invalid prop "detailType" = "VERBOSE": must be one of BASIC, FULL');
    });

    test('a key of this stack that does not let CodeStar Notifications use it', () => {
      expect(() =>
        synth((scope) => {
          const key = new EncryptionKey(scope, 'key', { alias: 'ci/app', description: 'd' });
          new FailureNotifications(scope, 'notifications', {
            topicName: 't',
            encryptionKey: key,
            rules: [pipelineFailures('p', PIPELINE_ARN)],
          });
        }),
      ).toThrow(
        'invalid prop "encryptionKey" = "alias/ci/app": must let CodeStar Notifications use it: create the ' +
          'EncryptionKey with allowCodeStarNotifications: true',
      );
    });
  });
});
