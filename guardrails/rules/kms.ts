import { Rule, simpleRule } from '../core/rule';
import { isTrue } from '../core/terraform-json';

export const KMS_RULES: readonly Rule[] = [
  simpleRule({
    id: 'CKV_AWS_7',
    name: 'KMS keys rotate',
    targets: ['aws_kms_key'],
    fix: 'set `enable_key_rotation = true`',
    // Asymmetric and HMAC keys cannot rotate; only symmetric keys are held to it.
    passes: ({ body }) =>
      isTrue(body.enable_key_rotation) ||
      (body.customer_master_key_spec ?? 'SYMMETRIC_DEFAULT') !== 'SYMMETRIC_DEFAULT',
    problem: 'enable_key_rotation is not true',
  }),
];
