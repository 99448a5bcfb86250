import { Rule } from '../core/rule';
import { block, blocks } from '../core/terraform-json';

export const CODEPIPELINE_RULES: readonly Rule[] = [
  {
    id: 'CKV_AWS_219',
    name: 'CodePipeline artifact stores are encrypted with a customer-managed KMS key',
    explanation:
      'Pipeline artifacts hold the source code and the build output; without an encryption key ' +
      'CodePipeline uses the AWS managed key for Amazon S3, whose policy cannot be changed, so ' +
      'anyone in the account allowed to read the bucket reads them, and cross-account actions ' +
      'cannot decrypt them at all. Checkov\'s CKV_AWS_219 checks the same: "Ensure Code Pipeline ' +
      'Artifact store is using a KMS CMK".',
    targets: ['aws_codepipeline'],
    fix: 'give every `artifact_store` an `encryption_key { type = "KMS", id = <key ARN> }`',
    check: ({ body }) => {
      const stores = blocks(body.artifact_store);
      if (stores.length === 0) return ['the pipeline has no artifact_store'];
      return stores
        .filter((store) => {
          const key = block(store.encryption_key);
          return key.type !== 'KMS' || typeof key.id !== 'string' || key.id === '';
        })
        .map((store) => {
          const region = store.region ? ` (${store.region})` : '';
          return `artifact_store at ${JSON.stringify(store.location ?? '?')}${region} has no KMS encryption_key`;
        });
    },
  },
];
