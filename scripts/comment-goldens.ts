/**
 * The infrastructure pipeline's pull-request comments kept as golden files
 * (`__tests__/infrastructure-pipeline/comments/`): a change that adds a pipeline, one that changes a build, and one
 * that replaces a bucket (before and after the commit acknowledges it), each from a real Terraform plan of the default
 * pipeline stack (`__tests__/fixtures/plans/`, written by `npm run plan-fixtures`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readPlan } from '../tools/plan-summary';
import { PullRequestReport, renderComment } from '../tools/infrastructure-pipeline/pull-request-comment';
import { PROJECT_ROOT } from './app-command';

export const COMMENTS_DIR = join(PROJECT_ROOT, '__tests__', 'infrastructure-pipeline', 'comments');
const FIXTURES = join(PROJECT_ROOT, '__tests__', 'fixtures', 'plans');
const STACK = 'ci-sample-flask-app';
/** What the replacing plan destroys: the artifact bucket, and the key its fixture also replaces. */
const REPLACED = [`${STACK}/aws_s3_bucket.ci_artifacts_bucket_AEE149AA`, `${STACK}/aws_kms_key.ci_key_3C3C3511`];

/** A report of one pipeline stack's plan, as the pull-request build makes it. */
function report(fixture: string, change: 'added' | 'changed', acknowledged: readonly string[] = []): PullRequestReport {
  return {
    commit: '5e1f0c2a9d4b7e36f08a1c5d2b9e4f7a6c3d8e10',
    synth: { ok: true, summary: 'Guardrails: 3 stacks, 1004 checks, no findings, 14 suppressed with reasons' },
    affected: {
      added: change === 'added' ? [STACK] : [],
      changed: change === 'changed' ? [STACK] : [],
      dependent: [],
      removed: [],
      toPlan: [STACK],
    },
    order: [[STACK]],
    outcomes: [{ stack: STACK, kind: 'planned', plan: readPlan(join(FIXTURES, `${fixture}.json`)) }],
    acknowledged,
    buildUrl: 'https://eu-west-1.console.aws.amazon.com/codesuite/codebuild/projects/infrastructure-pr/build/1',
  };
}

export const COMMENT_EXAMPLES: readonly { readonly name: string; readonly report: () => PullRequestReport }[] = [
  { name: 'adds-a-pipeline', report: () => report('create', 'added') },
  { name: 'changes-a-build', report: () => report('update', 'changed') },
  { name: 'replaces-a-bucket', report: () => report('replace', 'changed') },
  { name: 'replaces-a-bucket-acknowledged', report: () => report('replace', 'changed', REPLACED) },
];

/** Rewrites the comment golden files from the current code. */
export function writeCommentGoldens(): void {
  mkdirSync(COMMENTS_DIR, { recursive: true });
  for (const example of COMMENT_EXAMPLES)
    writeFileSync(join(COMMENTS_DIR, `${example.name}.md`), renderComment(example.report()));
  process.stdout.write(`comments: ${COMMENT_EXAMPLES.length} written to ${COMMENTS_DIR}\n`);
}
