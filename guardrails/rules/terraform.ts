import { Rule } from '../core/rule';
import { TERRAFORM_BLOCK_ADDRESS } from '../../shared/suppressions';
import { isTrue } from '../core/terraform-json';

export const TERRAFORM_RULES: readonly Rule[] = [
  {
    id: 'CIP_TF_1',
    name: 'Pipeline stacks keep their state in S3, encrypted and locked',
    explanation:
      'Local state leaves the state, with every secret and ARN in it, on whichever machine ran ' +
      'apply, and without a lock two applies (a pipeline run and a person) can write it at once and ' +
      'corrupt it. The S3 backend encrypts the state object with `encrypt` and locks with ' +
      '`use_lockfile` or a DynamoDB table (Terraform documentation, ' +
      'developer.hashicorp.com/terraform/language/backend/s3).',
    targets: [TERRAFORM_BLOCK_ADDRESS],
    fix: 'use an S3Backend with `encrypt: true` and `use_lockfile` (or a DynamoDB lock table); CiPipelineStack does',
    check: (terraform, stack) => {
      // Only stacks that deploy a pipeline are held to it; the bootstrap stack must start on local state.
      if (stack.ofType('aws_codepipeline').length === 0) return [];
      const backends = Object.keys(terraform.body.backend ?? {});
      const s3 = terraform.body.backend?.s3;
      if (s3 === undefined)
        return [
          `the backend is ${backends.length === 0 ? 'local (none configured)' : `"${backends.join('", "')}"`}, not s3`,
        ];
      const problems: string[] = [];
      if (!isTrue(s3.encrypt)) problems.push('the s3 backend does not set encrypt = true');
      if (!isTrue(s3.use_lockfile) && (typeof s3.dynamodb_table !== 'string' || s3.dynamodb_table === '')) {
        problems.push('the s3 backend has no locking (use_lockfile = true or a dynamodb_table)');
      }
      return problems;
    },
  },
  {
    id: 'CIP_TF_2',
    name: 'Terraform state in S3 is encrypted with a customer-managed key',
    explanation:
      'With `encrypt` but no `kms_key_id`, the S3 backend writes state and lock objects with ' +
      "S3-managed keys (AES256), overriding the bucket's default KMS key, so anyone allowed " +
      's3:GetObject on the bucket reads the state and its secrets without any KMS permission. A ' +
      '`kms_key_id` makes reading the state also require kms:Decrypt on that key (Terraform ' +
      'documentation, developer.hashicorp.com/terraform/language/backend/s3).',
    targets: [TERRAFORM_BLOCK_ADDRESS],
    fix:
      "set the s3 backend's `kms_key_id` to the state bucket's key (CiPipelineStack: `state.kmsKeyId`); the " +
      "state bootstrap stack's key is `stateKeyAlias(bucket)`",
    check: (terraform) => {
      const s3 = terraform.body.backend?.s3;
      if (s3 === undefined) return [];
      const named = (value: unknown) => typeof value === 'string' && value !== '';
      if (isTrue(s3.encrypt) && (named(s3.kms_key_id) || named(s3.sse_customer_key))) return [];
      // Without a key, the backend asks for SSE-S3 (AES256) on every object, which overrides the bucket's default
      // SSE-KMS:
      // anyone allowed s3:GetObject on the bucket reads the state, secrets included, with no kms:Decrypt needed.
      return isTrue(s3.encrypt)
        ? [
            'the s3 backend sets encrypt = true without kms_key_id, so state and lock objects are written with ' +
              'S3-managed keys (AES256), readable by anyone allowed s3:GetObject',
          ]
        : [
            'the s3 backend does not set encrypt = true with a kms_key_id, so it names no key for the state and ' +
              'lock objects',
          ];
    },
  },
];
