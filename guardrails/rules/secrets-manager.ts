import { Rule, simpleRule } from '../core/rule';
import { isExpression } from '../core/terraform-json';

export const SECRETS_MANAGER_RULES: readonly Rule[] = [
  simpleRule({
    id: 'CKV_AWS_149',
    name: 'Secrets Manager secrets are encrypted with a customer-managed KMS key',
    targets: ['aws_secretsmanager_secret'],
    fix: 'set `kms_key_id` to a customer-managed KMS key',
    passes: ({ body }) => typeof body.kms_key_id === 'string' && body.kms_key_id !== '',
    problem: 'kms_key_id is not set, so the AWS-managed key aws/secretsmanager is used',
  }),
  simpleRule({
    id: 'CKV2_AWS_57',
    name: 'Secrets Manager secrets rotate automatically',
    targets: ['aws_secretsmanager_secret'],
    fix: 'add an `aws_secretsmanager_secret_rotation` for the secret, or suppress this rule with the reason it cannot rotate',
    passes: (secret, stack) => stack.attachedTo(secret, 'aws_secretsmanager_secret_rotation', 'secret_id').length > 0,
    problem: 'no aws_secretsmanager_secret_rotation refers to this secret',
  }),
  {
    id: 'CIP_SM_1',
    name: 'Secret values are neither in the configuration nor in the state',
    targets: ['aws_secretsmanager_secret_version'],
    fix: 'write the value with `secret_string_wo` from an ephemeral, sensitive variable, or put it into Secrets Manager outside Terraform',
    check: ({ body }) =>
      (['secret_string', 'secret_binary'] as const)
        .filter((attribute) => body[attribute] !== undefined && body[attribute] !== null)
        .map((attribute) =>
          isExpression(body[attribute])
            ? `${attribute} is set, so Terraform stores the secret in its state`
            : `${attribute} is a literal, so the secret is in the code and in the synthesized JSON`,
        ),
  },
];
