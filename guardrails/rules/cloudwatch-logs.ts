import { Rule, simpleRule } from '../core/rule';

const LOG_GROUP = ['aws_cloudwatch_log_group'];

export const CLOUDWATCH_LOGS_RULES: readonly Rule[] = [
  simpleRule({
    id: 'CKV_AWS_66',
    name: 'CloudWatch log groups have a retention period',
    targets: LOG_GROUP,
    fix: "set `retention_in_days` to one of CloudWatch Logs' retention periods",
    passes: ({ body }) => body.retention_in_days !== undefined && Number(body.retention_in_days) !== 0,
    problem: ({ body }) =>
      `retention_in_days is ${body.retention_in_days === undefined ? 'not set' : '0'}, so logs are kept forever`,
  }),
  simpleRule({
    id: 'CKV_AWS_158',
    name: 'CloudWatch log groups are encrypted with a customer-managed KMS key',
    targets: LOG_GROUP,
    fix: 'set `kms_key_id` to a KMS key whose policy lets CloudWatch Logs use it',
    passes: ({ body }) => typeof body.kms_key_id === 'string' && body.kms_key_id !== '',
    problem: 'kms_key_id is not set',
  }),
];
