import { policiesAt } from '../core/policy-document';
import { Rule, simpleRule } from '../core/rule';
import { block, blocks, Element, isTrue, SynthesizedStack } from '../core/terraform-json';

const BUCKET = ['aws_s3_bucket'];
const PUBLIC_ACCESS_BLOCK = 'aws_s3_bucket_public_access_block';
const PUBLIC_ACCESS_FLAGS = [
  'block_public_acls',
  'block_public_policy',
  'ignore_public_acls',
  'restrict_public_buckets',
] as const;

/** The bucket's configuration resources of `type` (they name the bucket in their `bucket` attribute). */
const attached = (bucket: Element, stack: SynthesizedStack, type: string) => stack.attachedTo(bucket, type, 'bucket');

function versioned(bucket: Element, stack: SynthesizedStack): boolean {
  return (
    attached(bucket, stack, 'aws_s3_bucket_versioning').some(
      (versioning) => block(versioning.body.versioning_configuration).status === 'Enabled',
    ) || isTrue(block(bucket.body.versioning).enabled)
  );
}

function kmsEncrypted(bucket: Element, stack: SynthesizedStack): boolean {
  const configurations = [
    ...attached(bucket, stack, 'aws_s3_bucket_server_side_encryption_configuration').map(
      (configuration) => configuration.body,
    ),
    ...blocks(bucket.body.server_side_encryption_configuration),
  ];
  return configurations.some((configuration) =>
    blocks(configuration.rule).some((rule) =>
      String(block(rule.apply_server_side_encryption_by_default).sse_algorithm).startsWith('aws:kms'),
    ),
  );
}

/** Lifecycle rules that are enabled, from the bucket's lifecycle configuration or its inline `lifecycle_rule`s. */
function enabledLifecycleRules(bucket: Element, stack: SynthesizedStack): Record<string, any>[] {
  return [
    ...attached(bucket, stack, 'aws_s3_bucket_lifecycle_configuration').flatMap((configuration) =>
      blocks(configuration.body.rule).filter((rule) => rule.status === 'Enabled'),
    ),
    ...blocks(bucket.body.lifecycle_rule).filter((rule) => isTrue(rule.enabled)),
  ];
}

/** Whether a lifecycle rule applies to every object: no filter, an empty one, or an empty prefix. */
function appliesToWholeBucket(rule: Record<string, any>): boolean {
  if (rule.prefix !== undefined && rule.prefix !== '') return false;
  const filters = blocks(rule.filter);
  return (
    filters.length === 0 ||
    filters.every(
      (filter) => Object.keys(filter).length === 0 || (Object.keys(filter).length === 1 && filter.prefix === ''),
    )
  );
}

/** Whether a policy the bucket has denies every S3 request that does not use TLS. */
function deniesInsecureTransport(bucket: Element, stack: SynthesizedStack): boolean {
  return attached(bucket, stack, 'aws_s3_bucket_policy')
    .flatMap((policy) => policiesAt(policy, stack))
    .flatMap((policy) => policy.statements ?? [])
    .some(
      (statement) =>
        statement.effect === 'Deny' &&
        statement.actions.some((action) => action === '*' || action.toLowerCase() === 's3:*') &&
        statement.principals.some((principal) => principal.identifiers.includes('*')) &&
        statement.conditions.some(
          (condition) =>
            condition.test === 'Bool' &&
            condition.variable === 'aws:SecureTransport' &&
            condition.values.includes('false'),
        ) &&
        statement.resources.some(
          (resource) => resource === '*' || (resource.includes(`${bucket.address}.`) && resource.endsWith('/*')),
        ),
    );
}

export const S3_RULES: readonly Rule[] = [
  simpleRule({
    id: 'CKV_AWS_21',
    name: 'S3 buckets are versioned',
    targets: BUCKET,
    fix: 'add an `aws_s3_bucket_versioning` with `versioning_configuration { status = "Enabled" }`',
    passes: versioned,
    problem: 'no aws_s3_bucket_versioning with status "Enabled" refers to this bucket',
  }),
  simpleRule({
    id: 'CKV_AWS_145',
    name: 'S3 buckets are encrypted with KMS by default',
    targets: BUCKET,
    fix: 'add an `aws_s3_bucket_server_side_encryption_configuration` with `sse_algorithm = "aws:kms"` and a customer-managed key',
    passes: kmsEncrypted,
    problem: 'no server-side encryption configuration with sse_algorithm "aws:kms" refers to this bucket',
  }),
  {
    id: 'CKV2_AWS_6',
    name: 'S3 buckets block public access',
    targets: BUCKET,
    fix: `add an \`${PUBLIC_ACCESS_BLOCK}\` with ${PUBLIC_ACCESS_FLAGS.join(', ')} all true`,
    check: (bucket, stack) => {
      const accessBlocks = attached(bucket, stack, PUBLIC_ACCESS_BLOCK);
      if (accessBlocks.length === 0) return [`no ${PUBLIC_ACCESS_BLOCK} refers to this bucket`];
      const off = PUBLIC_ACCESS_FLAGS.filter(
        (flag) => !accessBlocks.some((accessBlock) => isTrue(accessBlock.body[flag])),
      );
      return off.length === 0 ? [] : [`the public access block leaves ${off.join(', ')} off`];
    },
  },
  ...PUBLIC_ACCESS_FLAGS.map((flag, index) =>
    simpleRule({
      id: `CKV_AWS_${53 + index}`,
      name: `S3 public access blocks set ${flag}`,
      targets: [PUBLIC_ACCESS_BLOCK],
      fix: `set \`${flag} = true\``,
      passes: ({ body }) => isTrue(body[flag]),
      problem: `${flag} is not true`,
    }),
  ),
  simpleRule({
    id: 'CKV2_AWS_65',
    name: 'S3 buckets disable ACLs (object ownership BucketOwnerEnforced)',
    targets: BUCKET,
    fix: 'add an `aws_s3_bucket_ownership_controls` with `rule { object_ownership = "BucketOwnerEnforced" }`',
    passes: (bucket, stack) =>
      attached(bucket, stack, 'aws_s3_bucket_ownership_controls').some(
        (controls) => block(controls.body.rule).object_ownership === 'BucketOwnerEnforced',
      ),
    problem: 'no aws_s3_bucket_ownership_controls with object_ownership "BucketOwnerEnforced" refers to this bucket',
  }),
  simpleRule({
    id: 'CKV2_AWS_61',
    name: 'S3 buckets have a lifecycle configuration',
    targets: BUCKET,
    fix: 'add an `aws_s3_bucket_lifecycle_configuration` with at least one enabled rule',
    passes: (bucket, stack) => enabledLifecycleRules(bucket, stack).length > 0,
    problem: 'no enabled lifecycle rule applies to this bucket',
  }),
  simpleRule({
    id: 'CKV_AWS_300',
    name: 'S3 lifecycle configurations abort incomplete multipart uploads',
    targets: BUCKET,
    fix: 'add `abort_incomplete_multipart_upload { days_after_initiation = 7 }` to an enabled lifecycle rule that applies to the whole bucket',
    passes: (bucket, stack) =>
      enabledLifecycleRules(bucket, stack).some(
        (rule) =>
          appliesToWholeBucket(rule) &&
          blocks(rule.abort_incomplete_multipart_upload).some((abort) => abort.days_after_initiation !== undefined),
      ),
    problem:
      'no enabled whole-bucket lifecycle rule aborts incomplete multipart uploads, whose parts are billed until deleted',
  }),
  simpleRule({
    id: 's3-bucket-ssl-requests-only',
    name: 'S3 buckets refuse requests without TLS (AWS Config rule)',
    targets: BUCKET,
    fix: 'attach a bucket policy that denies "s3:*" to principal "*" on the bucket and its objects when aws:SecureTransport is false',
    passes: deniesInsecureTransport,
    problem: 'no bucket policy denies requests whose aws:SecureTransport is false',
  }),
];
