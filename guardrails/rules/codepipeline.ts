import { Rule } from '../core/rule';
import { block, blocks } from '../core/terraform-json';

export const CODEPIPELINE_RULES: readonly Rule[] = [
  {
    id: 'CKV_AWS_219',
    name: 'CodePipeline artifact stores are encrypted with a customer-managed KMS key',
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
        .map(
          (store) =>
            `artifact_store at ${JSON.stringify(store.location ?? '?')}${store.region ? ` (${store.region})` : ''} has no KMS encryption_key`,
        );
    },
  },
];
