import { Rule, simpleRule } from '../core/rule';
import { isExpression } from '../core/terraform-json';

/**
 * Data sources whose results hold a secret, with the attributes that do; Terraform
 * keeps every data source's result in the state and in a saved plan. (Each
 * provider's documentation of the data source lists these attributes.)
 */
export const SECRET_READING_DATA_SOURCES: Readonly<Record<string, string>> = {
  aws_secretsmanager_secret_version: 'secret_string, secret_binary',
  aws_secretsmanager_random_password: 'random_password',
  aws_ssm_parameter: 'value, unless with_decryption is false',
  aws_ssm_parameters_by_path: 'values, unless with_decryption is false',
  aws_kms_secrets: 'plaintext',
  aws_ecr_authorization_token: 'password, authorization_token',
  aws_eks_cluster_auth: 'token',
  aws_cognito_user_pool_client: 'client_secret',
  google_secret_manager_secret_version: 'secret_data',
  azurerm_key_vault_secret: 'value',
  vault_generic_secret: 'data',
  vault_kv_secret_v2: 'data',
};

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
  {
    id: 'CIP_SM_2',
    name: "No data source reads a secret's value into the state",
    targets: Object.keys(SECRET_READING_DATA_SOURCES).map((type) => `data.${type}`),
    fix:
      'read the secret where it is used (a SECRETS_MANAGER build variable), or through an ephemeral resource into a write-only argument; ' +
      'where the argument that needs it is neither, suppress this rule with that reason',
    check: ({ type, body }) => {
      const source = type.replace(/^data\./, '');
      // A parameter read without decryption holds the ciphertext, not the secret.
      if (source === 'aws_ssm_parameter' && body.with_decryption === false) return [];
      if (source === 'aws_ssm_parameters_by_path' && body.with_decryption === false) return [];
      return [
        `Terraform stores what it reads (${SECRET_READING_DATA_SOURCES[source]}) in the state and the saved plan, in plain text`,
      ];
    },
  },
];
