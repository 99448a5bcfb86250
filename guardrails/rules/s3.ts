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

/**
 * Why each public access block setting matters ("Blocking public access to your Amazon S3 storage", Amazon S3
 * User Guide), and the title of the checkov check its rule mirrors.
 */
const PUBLIC_ACCESS_FLAG_RISKS: Record<(typeof PUBLIC_ACCESS_FLAGS)[number], { risk: string; checkovTitle: string }> = {
  block_public_acls: {
    risk:
      'S3 rejects PutBucketAcl, PutObjectAcl and PutObject requests that carry a public ACL, so a ' +
      'principal allowed to write objects cannot make one readable by everyone.',
    checkovTitle: 'Ensure S3 bucket has block public ACLS enabled',
  },
  block_public_policy: {
    risk:
      'S3 rejects a bucket policy that grants public access, so a principal allowed ' +
      's3:PutBucketPolicy cannot open the bucket to everyone.',
    checkovTitle: 'Ensure S3 bucket has block public policy enabled',
  },
  ignore_public_acls: {
    risk:
      'S3 ignores every public ACL on the bucket and its objects, so an object written with a ' +
      'public ACL before the block, or by another path, stays private.',
    checkovTitle: 'Ensure S3 bucket has ignore public ACLs enabled',
  },
  restrict_public_buckets: {
    risk:
      'If the bucket policy is public anyway, S3 lets only AWS service principals and authorized ' +
      "users of the bucket owner's account in, shutting out anonymous and cross-account callers.",
    checkovTitle: "Ensure S3 bucket has 'restrict_public_buckets' enabled",
  },
};

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
export function enabledLifecycleRules(bucket: Element, stack: SynthesizedStack): Record<string, any>[] {
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
    explanation:
      'Without versioning, one overwrite or delete, by mistake or by a compromised build role, ' +
      "destroys the only copy of an artifact or of the Terraform state; Terraform's S3 backend " +
      "documentation recommends versioning the state bucket for exactly this recovery. Checkov's " +
      'CKV_AWS_21 checks the same: "Ensure all data stored in the S3 bucket have versioning ' +
      'enabled".',
    targets: BUCKET,
    fix: 'add an `aws_s3_bucket_versioning` with `versioning_configuration { status = "Enabled" }`',
    passes: versioned,
    problem: 'no aws_s3_bucket_versioning with status "Enabled" refers to this bucket',
  }),
  simpleRule({
    id: 'CKV_AWS_145',
    name: 'S3 buckets are encrypted with KMS by default',
    explanation:
      'With S3-managed keys (SSE-S3), anyone allowed s3:GetObject reads the objects; with SSE-KMS ' +
      'each read also needs kms:Decrypt on the key, which the key policy controls and CloudTrail ' +
      'records. Checkov\'s CKV_AWS_145 checks the same: "Ensure that S3 buckets are encrypted with ' +
      'KMS by default".',
    targets: BUCKET,
    fix:
      'add an `aws_s3_bucket_server_side_encryption_configuration` with `sse_algorithm = "aws:kms"` and a ' +
      'customer-managed key',
    passes: kmsEncrypted,
    problem: 'no server-side encryption configuration with sse_algorithm "aws:kms" refers to this bucket',
  }),
  {
    id: 'CKV2_AWS_6',
    name: 'S3 buckets block public access',
    explanation:
      'Block Public Access makes S3 refuse or ignore bucket policies and ACLs that grant everyone ' +
      '("Blocking public access to your Amazon S3 storage", Amazon S3 User Guide); unless the stack ' +
      'sets all four settings, nothing in the code keeps them on, and one public grant (a typo, or ' +
      "a role allowed s3:PutBucketPolicy) publishes the artifacts or state. Checkov's CKV2_AWS_6 " +
      'checks the same: "Ensure that S3 bucket has a Public Access block".',
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
      explanation:
        `${PUBLIC_ACCESS_FLAG_RISKS[flag].risk} ` +
        `Checkov's CKV_AWS_${53 + index} checks the same: "${PUBLIC_ACCESS_FLAG_RISKS[flag].checkovTitle}".`,
      targets: [PUBLIC_ACCESS_BLOCK],
      fix: `set \`${flag} = true\``,
      passes: ({ body }) => isTrue(body[flag]),
      problem: `${flag} is not true`,
    }),
  ),
  simpleRule({
    id: 'CKV2_AWS_65',
    name: 'S3 buckets disable ACLs (object ownership BucketOwnerEnforced)',
    explanation:
      'While ACLs are enabled, an object another account uploads can stay owned by that account, ' +
      'and ACLs can grant access the bucket policy does not show; BucketOwnerEnforced disables ' +
      "ACLs, so the bucket owner owns every object and only policies decide access. Checkov's " +
      'CKV2_AWS_65 checks the same: "Ensure access control lists for S3 buckets are disabled".',
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
    explanation:
      'Without lifecycle rules, every artifact and every noncurrent version is kept, billed and ' +
      'readable forever, including old build output that may carry secrets or vulnerable code. ' +
      'Checkov\'s CKV2_AWS_61 checks the same: "Ensure that an S3 bucket has a lifecycle ' +
      'configuration".',
    targets: BUCKET,
    fix: 'add an `aws_s3_bucket_lifecycle_configuration` with at least one enabled rule',
    passes: (bucket, stack) => enabledLifecycleRules(bucket, stack).length > 0,
    problem: 'no enabled lifecycle rule applies to this bucket',
  }),
  simpleRule({
    id: 'CKV_AWS_300',
    name: 'S3 lifecycle configurations abort incomplete multipart uploads',
    explanation:
      'The parts of a multipart upload that never completes (an interrupted artifact or cache ' +
      'upload) are stored and billed but never listed as objects, until a lifecycle rule aborts the ' +
      'upload. Checkov\'s CKV_AWS_300 checks the same: "Ensure S3 lifecycle configuration sets ' +
      'period for aborting failed uploads".',
    targets: BUCKET,
    fix:
      'add `abort_incomplete_multipart_upload { days_after_initiation = 7 }` to an enabled lifecycle rule that ' +
      'applies to the whole bucket',
    passes: (bucket, stack) =>
      enabledLifecycleRules(bucket, stack).some(
        (rule) =>
          appliesToWholeBucket(rule) &&
          blocks(rule.abort_incomplete_multipart_upload).some((abort) => abort.days_after_initiation !== undefined),
      ),
    problem:
      'no enabled whole-bucket lifecycle rule aborts incomplete multipart uploads, whose parts are billed until ' +
      'deleted',
  }),
  simpleRule({
    id: 's3-bucket-ssl-requests-only',
    name: 'S3 buckets refuse requests without TLS (AWS Config rule)',
    explanation:
      'Unless a bucket policy denies requests whose aws:SecureTransport is false, S3 also answers ' +
      'plain HTTP, and the artifacts or state sent that way cross the network unencrypted. Mirrors ' +
      'the AWS Config managed rule s3-bucket-ssl-requests-only ("Checks if S3 buckets have policies ' +
      'that require requests to use SSL/TLS", AWS Config Developer Guide).',
    targets: BUCKET,
    fix:
      'attach a bucket policy that denies "s3:*" to principal "*" on the bucket and its objects when ' +
      'aws:SecureTransport is false',
    passes: deniesInsecureTransport,
    problem: 'no bucket policy denies requests whose aws:SecureTransport is false',
  }),
];
