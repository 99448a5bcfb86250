import { Rule } from '../core/rule';
import { block, blocks, Element, SynthesizedStack } from '../core/terraform-json';
import { enabledLifecycleRules } from './s3';

/**
 * The longest an action may hold an execution, in days, unless the pipeline's own approvals wait longer: a manual
 * approval's account default, 7 days; every other action times out sooner, CodeDeploy's at 5 days ("Quotas in AWS
 * CodePipeline", CodePipeline User Guide).
 */
const DEFAULT_APPROVAL_DAYS = 7;
const MINUTES_PER_DAY = 24 * 60;

/** Days an execution of `pipeline` may run: its approvals' timeouts (`timeout_in_minutes`), at least the default. */
function longestExecutionDays(pipeline: Element): number {
  const approvals = blocks(pipeline.body.stage)
    .flatMap((stage) => blocks(stage.action))
    .filter((action) => action.category === 'Approval');
  return Math.max(
    DEFAULT_APPROVAL_DAYS,
    ...approvals.map((action) => Math.ceil(Number(action.timeout_in_minutes ?? 0) / MINUTES_PER_DAY) || 0),
  );
}

const daysText = (days: number) => `${days} day${days === 1 ? '' : 's'}`;

/** What expires an execution's artifacts before the execution may end: lifecycle rules of its artifact buckets. */
function artifactLifeProblems(pipeline: Element, stack: SynthesizedStack): string[] {
  const days = longestExecutionDays(pipeline);
  return blocks(pipeline.body.artifact_store).flatMap((store) => {
    const bucket = stack.resolve(store.location, 'aws_s3_bucket');
    if (bucket === undefined) return [];
    return enabledLifecycleRules(bucket, stack).flatMap((rule) => {
      const expiration = block(rule.expiration);
      const id = `lifecycle rule ${JSON.stringify(rule.id ?? '?')} of ${bucket.address}`;
      if (expiration.date !== undefined) return [`${id} expires every artifact on ${String(expiration.date)}`];
      const expires = Number(expiration.days);
      return expiration.days !== undefined && !(expires >= days)
        ? [`${id} expires artifacts after ${daysText(expires)}, while an execution may run ${daysText(days)}`]
        : [];
    });
  });
}

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
  {
    id: 'CIP_CP_1',
    name: "The artifact store keeps each execution's artifacts as long as the execution may run",
    explanation:
      'A stage reads the artifacts that earlier stages wrote, when it starts and when it is retried; an artifact ' +
      'that a lifecycle rule expired first fails the stage with no way to rerun it but a new execution. An ' +
      `execution may wait ${DEFAULT_APPROVAL_DAYS} days on a manual approval by default, up to its ` +
      '`timeout_in_minutes` (at most 60 days), and every other action times out within 5 days ("Quotas in AWS ' +
      'CodePipeline", CodePipeline User Guide).',
    targets: ['aws_codepipeline'],
    fix:
      "expire the artifact bucket's current objects no sooner than the pipeline's longest approval (7 days by " +
      'default); the constructs expire them after 30 days, and noncurrent versions after 7',
    check: artifactLifeProblems,
  },
];
