import { MIN_LOG_RETENTION_DAYS } from '../../shared/log-retention';
import { Rule, simpleRule } from '../core/rule';

const LOG_GROUP = ['aws_cloudwatch_log_group'];

export const CLOUDWATCH_LOGS_RULES: readonly Rule[] = [
  simpleRule({
    id: 'CKV_AWS_66',
    name: 'CloudWatch log groups have a retention period',
    explanation:
      'A log group without retention keeps its events forever, so build logs, and any secret a ' +
      "build once printed, accumulate, billed and readable, with no end. Checkov's CKV_AWS_66 " +
      'checks the same: "Ensure that CloudWatch Log Group specifies retention days".',
    targets: LOG_GROUP,
    fix: "set `retention_in_days` to one of CloudWatch Logs' retention periods",
    passes: ({ body }) => body.retention_in_days !== undefined && Number(body.retention_in_days) !== 0,
    problem: ({ body }) =>
      `retention_in_days is ${body.retention_in_days === undefined ? 'not set' : '0'}, so logs are kept forever`,
  }),
  simpleRule({
    id: 'cw-loggroup-retention-period-check',
    name: `CloudWatch log groups keep their events at least ${MIN_LOG_RETENTION_DAYS} days (AWS Config rule)`,
    explanation:
      'Build logs show what each build ran and printed: shortening their retention deletes the record that ' +
      'review of an incident reads. The AWS Config managed rule cw-loggroup-retention-period-check checks the ' +
      `same, with ${MIN_LOG_RETENTION_DAYS} days as its default minimum; logs that never expire comply.`,
    targets: LOG_GROUP,
    fix:
      `keep \`retention_in_days\` at ${MIN_LOG_RETENTION_DAYS} or more (the constructs' default); a shorter period ` +
      "chosen on purpose (the build's `logRetentionDays`) is suppressed with that reason",
    passes: ({ body }) => {
      const days = Number(body.retention_in_days ?? 0);
      return !Number.isFinite(days) || days === 0 || days >= MIN_LOG_RETENTION_DAYS;
    },
    problem: ({ body }) =>
      `retention_in_days is ${String(body.retention_in_days)}, fewer than ${MIN_LOG_RETENTION_DAYS}: the logs are ` +
      'deleted before a review a year on can read them',
  }),
  simpleRule({
    id: 'CKV_AWS_158',
    name: 'CloudWatch log groups are encrypted with a customer-managed KMS key',
    explanation:
      'CloudWatch Logs always encrypts log data, but with a key only the service controls; with a ' +
      'customer-managed key, reading the build logs also takes kms:Decrypt under a key policy the ' +
      "stack writes, and disabling the key cuts off access. Checkov's CKV_AWS_158 checks the same: " +
      '"Ensure that CloudWatch Log Group is encrypted by KMS".',
    targets: LOG_GROUP,
    fix: 'set `kms_key_id` to a KMS key whose policy lets CloudWatch Logs use it',
    passes: ({ body }) => typeof body.kms_key_id === 'string' && body.kms_key_id !== '',
    problem: 'kms_key_id is not set',
  }),
];
