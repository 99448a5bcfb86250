import { Rule } from '../core/rule';
import { isTrue, TERRAFORM_BLOCK_ADDRESS } from '../core/terraform-json';

export const TERRAFORM_RULES: readonly Rule[] = [
  {
    id: 'CIP_TF_1',
    name: 'Pipeline stacks keep their state in S3, encrypted and locked',
    targets: [TERRAFORM_BLOCK_ADDRESS],
    fix: 'use an S3Backend with `encrypt: true` and `use_lockfile` (or a DynamoDB lock table); CiPipelineStack does',
    check: (terraform, stack) => {
      // Only stacks that deploy a pipeline are held to it; the bootstrap stack must start on local state.
      if (stack.ofType('aws_codepipeline').length === 0) return [];
      const backends = Object.keys(terraform.body.backend ?? {});
      const s3 = terraform.body.backend?.s3;
      if (s3 === undefined) return [`the backend is ${backends.length === 0 ? 'local (none configured)' : `"${backends.join('", "')}"`}, not s3`];
      const problems: string[] = [];
      if (!isTrue(s3.encrypt)) problems.push('the s3 backend does not set encrypt = true');
      if (!isTrue(s3.use_lockfile) && (typeof s3.dynamodb_table !== 'string' || s3.dynamodb_table === '')) {
        problems.push('the s3 backend has no locking (use_lockfile = true or a dynamodb_table)');
      }
      return problems;
    },
  },
];
