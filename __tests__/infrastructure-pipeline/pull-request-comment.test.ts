/**
 * The pull-request comment and status for real plans (the fixtures are real Terraform plans of the default pipeline
 * stack: `npm run plan-fixtures`). The comment bodies are kept as golden files in `comments/`; after a deliberate
 * change, rewrite them with `npm run golden`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readPlan } from '../../tools/plan-summary';
import { AffectedStacks } from '../../tools/infrastructure-pipeline/affected-stacks';
import {
  COMMENT_MARKER,
  COMMENT_MAX_CHARACTERS,
  commitStatus,
  dataLosingChanges,
  PullRequestReport,
  renderComment,
} from '../../tools/infrastructure-pipeline/pull-request-comment';
import { COMMENT_EXAMPLES, COMMENTS_DIR } from '../../scripts/comment-goldens';
import { approvalReasons } from '../../tools/infrastructure-pipeline/merge';

const FIXTURES = join(__dirname, '..', 'fixtures', 'plans');
const STACK = 'ci-sample-flask-app';
const plan = (name: string) => readPlan(join(FIXTURES, `${name}.json`));
const noChange: AffectedStacks = { added: [], changed: [], dependent: [], removed: [], toPlan: [] };

describe('the comment bodies of the three changes, as golden files', () => {
  test.each(COMMENT_EXAMPLES.map((example) => [example.name, example] as const))('%s', (name, example) => {
    const file = join(COMMENTS_DIR, `${name}.md`);
    expect(existsSync(file)).toBe(true);
    expect(renderComment(example.report())).toBe(readFileSync(file, 'utf8'));
  });
});

describe('what blocks a merge', () => {
  const report = (overrides: Partial<PullRequestReport>): PullRequestReport => ({
    commit: '0123456789abcdef0123456789abcdef01234567',
    synth: { ok: true, summary: 'Guardrails: 3 stacks, 100 checks, no findings' },
    affected: { ...noChange, changed: [STACK], toPlan: [STACK] },
    order: [[STACK]],
    outcomes: [{ stack: STACK, kind: 'planned', plan: plan('update') }],
    acknowledged: [],
    ...overrides,
  });

  test('a change that loses nothing may merge', () => {
    expect(commitStatus(report({}))).toEqual({ state: 'success', description: '1 stack planned; nothing lost' });
  });

  test('a replaced bucket blocks until the commit acknowledges it, then asks for an approval after merge', () => {
    const replacing = report({ outcomes: [{ stack: STACK, kind: 'planned', plan: plan('replace') }] });
    expect(commitStatus(replacing).state).toBe('failure');
    const losses = dataLosingChanges(replacing).map((change) => `${change.stack}/${change.address}`);
    expect(losses).toContain(`${STACK}/aws_s3_bucket.ci_artifacts_bucket_AEE149AA`);
    expect(renderComment(replacing)).toContain(`Infrastructure-Destroys: ${losses[0]}`);
    const acknowledged = report({ ...replacing, acknowledged: losses });
    expect(commitStatus(acknowledged)).toEqual({
      state: 'success',
      description: '1 stack planned; data loss acknowledged, approval after merge',
    });
    expect(renderComment(acknowledged)).toContain('waits for a manual approval');
  });

  test('a guardrail finding, a failed plan or a removed stack each fail the status and show in the comment', () => {
    const failedSynth = report({ synth: { ok: false, summary: 'x', error: 'CIP_IAM_13 ci-x: kms:* beyond need' } });
    expect(commitStatus(failedSynth).state).toBe('failure');
    expect(renderComment(failedSynth)).toContain('CIP_IAM_13 ci-x: kms:* beyond need');
    const failedPlan = report({ outcomes: [{ stack: STACK, kind: 'failed', error: 'Error: AccessDenied' }] });
    expect(commitStatus(failedPlan).description).toBe('Blocked: 1 plan failed');
    expect(renderComment(failedPlan)).toContain('Error: AccessDenied');
    const removed = report({ affected: { ...noChange, removed: ['ci-old'] }, outcomes: [], order: [] });
    expect(commitStatus(removed).description).toBe('Blocked: 1 removed without retiring');
    expect(renderComment(removed)).toContain('mark the pipeline `"retired": true` instead');
  });

  test('a stack whose state is local is not planned, and the verdict says so rather than "every stack planned"', () => {
    const skipping = report({
      outcomes: [
        { stack: 'state-bootstrap', kind: 'skipped', reason: 'its state is local' },
        { stack: STACK, kind: 'planned', plan: plan('update') },
      ],
    });
    const body = renderComment(skipping);
    expect(body).toContain('**Ready to merge.** 1 affected stack not planned here (the table says why), the others');
    expect(body).not.toContain('Every affected stack planned');
    expect(renderComment(report({}))).toContain('**Ready to merge.** Every affected stack planned;');
  });

  test("the status description stays within GitHub's 140 characters", () => {
    const many = report({
      synth: { ok: false, summary: 'x' },
      affected: { ...noChange, removed: Array.from({ length: 40 }, (_, index) => `ci-${index}`) },
      outcomes: Array.from({ length: 30 }, (_, index) => ({ stack: `s${index}`, kind: 'failed', error: 'e' }) as const),
    });
    expect(commitStatus(many).description.length).toBeLessThanOrEqual(140);
  });

  test('a comment for a fleet too large for GitHub is shortened from its last stacks, keeping their warnings', () => {
    const stacks = Array.from({ length: 40 }, (_, index) => `ci-${String(index).padStart(3, '0')}`);
    const big = report({
      affected: { ...noChange, changed: stacks, toPlan: stacks },
      order: [stacks],
      outcomes: stacks.map((stack) => ({ stack, kind: 'planned', plan: plan('replace') }) as const),
    });
    const body = renderComment(big);
    expect(body.length).toBeLessThanOrEqual(COMMENT_MAX_CHARACTERS);
    expect(body.startsWith(COMMENT_MARKER)).toBe(true);
    const sections = body.split('\n### ').slice(1);
    expect(sections).toHaveLength(40);
    expect(sections[0]).toContain('| Action | Resource | Type | Details |');
    expect(sections[39]).not.toContain('| Action | Resource | Type | Details |');
    expect(sections[39]).toContain('_The table of changes is in the build log: the comment would be too long._');
    for (const section of sections) expect(section).toContain('> [!CAUTION]');
  });
});

describe("the merge path's approval", () => {
  const planned = (fixture: string) => [{ stack: STACK, kind: 'planned', plan: plan(fixture) }] as const;

  test('a plan that replaces a bucket and a key waits for a person, naming both; an update does not', () => {
    expect(approvalReasons(planned('replace'), false)).toEqual([
      `${STACK}/aws_kms_key.ci_key_3C3C3511 would be replaced`,
      `${STACK}/aws_s3_bucket.ci_artifacts_bucket_AEE149AA would be replaced`,
    ]);
    expect(approvalReasons(planned('update'), false)).toEqual([]);
    expect(approvalReasons(planned('update'), true)).toEqual(['every change waits for an approval (alwaysApprove)']);
  });

  test("deleting a stack's resources (a retired pipeline) waits too", () => {
    expect(approvalReasons(planned('retire'), false).some((reason) => reason.endsWith('would be deleted'))).toBe(true);
  });
});
