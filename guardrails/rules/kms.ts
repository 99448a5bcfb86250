import { Rule, simpleRule } from '../core/rule';
import { isTrue } from '../core/terraform-json';

export const KMS_RULES: readonly Rule[] = [
  simpleRule({
    id: 'CKV_AWS_7',
    name: 'KMS keys rotate',
    explanation:
      'Without automatic rotation, one key material protects everything the key ever encrypts, for ' +
      "the key's whole life; rotation creates new key material on a schedule (only symmetric keys " +
      'can rotate). Checkov\'s CKV_AWS_7 checks the same: "Ensure rotation for customer created CMKs ' +
      'is enabled".',
    targets: ['aws_kms_key'],
    fix: 'set `enable_key_rotation = true`',
    // Asymmetric and HMAC keys cannot rotate; only symmetric keys are held to it.
    passes: ({ body }) =>
      isTrue(body.enable_key_rotation) ||
      (body.customer_master_key_spec ?? 'SYMMETRIC_DEFAULT') !== 'SYMMETRIC_DEFAULT',
    problem: 'enable_key_rotation is not true',
  }),
];
