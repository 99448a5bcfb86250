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
    explanation:
      'With the AWS managed key aws/secretsmanager, whose key policy cannot be changed, every ' +
      'principal of the account allowed secretsmanager:GetSecretValue reads the secret and it ' +
      'cannot be shared across accounts; a customer-managed key makes kms:Decrypt a second ' +
      'permission a reader needs. Checkov\'s CKV_AWS_149 checks the same: "Ensure that Secrets ' +
      'Manager secret is encrypted using KMS CMK".',
    targets: ['aws_secretsmanager_secret'],
    fix: 'set `kms_key_id` to a customer-managed KMS key',
    passes: ({ body }) => typeof body.kms_key_id === 'string' && body.kms_key_id !== '',
    problem: 'kms_key_id is not set, so the AWS-managed key aws/secretsmanager is used',
  }),
  simpleRule({
    id: 'CKV2_AWS_57',
    name: 'Secrets Manager secrets rotate automatically',
    explanation:
      'A secret that never changes stays usable forever once it leaks, through a build log, a ' +
      'compromised build or a departed colleague; automatic rotation limits how long a leaked value ' +
      'works. Checkov\'s CKV2_AWS_57 checks the same: "Ensure Secrets Manager secrets should have ' +
      'automatic rotation enabled".',
    targets: ['aws_secretsmanager_secret'],
    fix:
      'add an `aws_secretsmanager_secret_rotation` for the secret, or suppress this rule with the reason it ' +
      'cannot rotate',
    passes: (secret, stack) => stack.attachedTo(secret, 'aws_secretsmanager_secret_rotation', 'secret_id').length > 0,
    problem: 'no aws_secretsmanager_secret_rotation refers to this secret',
  }),
  {
    id: 'CIP_SM_1',
    name: 'Secret values are neither in the configuration nor in the state',
    explanation:
      'Terraform keeps every argument of a resource in its state and saved plans in plain text, so ' +
      'a `secret_string` set from Terraform is readable by anyone who can read the state, and a ' +
      'literal one is also in the code and the synthesized JSON. Write-only arguments such as ' +
      '`secret_string_wo` are never stored in plan or state ("Use temporary write-only arguments", ' +
      'Terraform documentation).',
    targets: ['aws_secretsmanager_secret_version'],
    fix:
      'write the value with `secret_string_wo` from an ephemeral, sensitive variable, or put it into Secrets ' +
      'Manager outside Terraform',
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
    explanation:
      'Terraform writes what a data source reads into the state and the saved plan, so reading a ' +
      "secret's value (a secret version, a decrypted SSM parameter, a KMS plaintext) copies it, in " +
      'plain text, to everyone who can read either ("Manage sensitive data in your configuration", ' +
      'Terraform documentation). Ephemeral resources and write-only arguments pass such a value ' +
      'without storing it.',
    targets: Object.keys(SECRET_READING_DATA_SOURCES).map((type) => `data.${type}`),
    fix:
      'read the secret where it is used (a SECRETS_MANAGER build variable), or through an ephemeral resource into a ' +
      'write-only argument; ' +
      'where the argument that needs it is neither, suppress this rule with that reason',
    check: ({ type, body }) => {
      const source = type.replace(/^data\./, '');
      // A parameter read without decryption holds the ciphertext, not the secret.
      if (source === 'aws_ssm_parameter' && body.with_decryption === false) return [];
      if (source === 'aws_ssm_parameters_by_path' && body.with_decryption === false) return [];
      return [
        `Terraform stores what it reads (${SECRET_READING_DATA_SOURCES[source]}) in the state and the saved plan, ` +
          `in plain text`,
      ];
    },
  },
];
