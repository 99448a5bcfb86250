/**
 * The pull-request comment and commit status of the infrastructure pipeline: what each affected stack's plan does,
 * what the guardrails found, and whether the change may merge. One comment per pull request, found again by its
 * marker and updated in place on every push.
 */
import { actionOf, summarizePlan } from '../plan-summary';
import { dataLossOf } from '../data-loss';
import { changeOf } from './affected-stacks';
import type { ChangeSet } from './change-set';
import type { StackOutcome } from './stack-plans';

/** The first line of the comment, by which the next build finds it to update it. */
export const COMMENT_MARKER = '<!-- cdktf-ci-pipelines: infrastructure plan -->';

/**
 * The longest comment body kept: GitHub refuses a longer issue comment with 422, "body is too long (maximum is 65536
 * characters)". GitHub Docs state no figure ("Create an issue comment"); the figure is the API's own answer.
 */
export const COMMENT_MAX_CHARACTERS = 65_536;

/**
 * The longest commit status description kept: GitHub refuses a longer one with 422, "description is too long (maximum
 * is 140 characters)" (the API's own answer; "Create a commit status" calls it "a short description").
 */
export const STATUS_DESCRIPTION_MAX_CHARACTERS = 140;

/** The git trailer by which a commit says it means to destroy or replace a resource holding data. */
export const DESTROYS_TRAILER = 'Infrastructure-Destroys';

/**
 * Everything the comment reports: the change as planned ({@link ChangeSet}, without where its plans are), what the head
 * commit acknowledges, and where the build's log is.
 */
export interface PullRequestReport extends Omit<ChangeSet, 'plansDir'> {
  /** `<stack>/<address>` of each data-losing change the head commit acknowledges ({@link DESTROYS_TRAILER}). */
  readonly acknowledged: readonly string[];
  /** A link to the build's log, when known. */
  readonly buildUrl?: string;
}

/** A change that destroys or replaces a resource holding data, by `<stack>/<address>`. */
export interface DataLosingChange {
  readonly stack: string;
  readonly address: string;
  readonly action: 'replace' | 'delete';
  readonly acknowledged: boolean;
}

/** The commit status: GitHub's state and a description within its limit. */
export interface CommitStatus {
  readonly state: 'success' | 'failure';
  readonly description: string;
}

/** Every data-losing replacement or deletion in the plans, and whether the commit acknowledges it. */
export function dataLosingChanges(report: Pick<PullRequestReport, 'outcomes' | 'acknowledged'>): DataLosingChange[] {
  return report.outcomes.flatMap((outcome) =>
    outcome.kind !== 'planned'
      ? []
      : outcome.plan.resource_changes.flatMap((change): DataLosingChange[] => {
          const action = actionOf(change);
          if (change.mode !== 'managed' || (action !== 'replace' && action !== 'delete')) return [];
          if (dataLossOf(change.type, change.change.before) === undefined) return [];
          const key = `${outcome.stack}/${change.address}`;
          return [
            { stack: outcome.stack, address: change.address, action, acknowledged: report.acknowledged.includes(key) },
          ];
        }),
  );
}

/** Why the change may not merge, one phrase each; empty when it may. */
export function blockers(report: PullRequestReport): string[] {
  const reasons: string[] = [];
  if (!report.synth.ok) reasons.push('synth or the guardrails failed');
  const failed = report.outcomes.filter((outcome) => outcome.kind === 'failed').length;
  if (failed > 0) reasons.push(`${failed} ${failed === 1 ? 'plan' : 'plans'} failed`);
  const unacknowledged = dataLosingChanges(report).filter((change) => !change.acknowledged).length;
  if (unacknowledged > 0)
    reasons.push(`${unacknowledged} unacknowledged ${unacknowledged === 1 ? 'change loses' : 'changes lose'} data`);
  if (report.affected.removed.length > 0) reasons.push(`${report.affected.removed.length} removed without retiring`);
  if (report.baseProblem?.blocks === true) reasons.push('the base could not be compared');
  return reasons;
}

/** The status the branch protection reads. */
export function commitStatus(report: PullRequestReport): CommitStatus {
  const reasons = blockers(report);
  const planned = report.outcomes.filter((outcome) => outcome.kind === 'planned').length;
  const description =
    reasons.length > 0
      ? `Blocked: ${reasons.join('; ')}`
      : `${planned} ${planned === 1 ? 'stack' : 'stacks'} planned; ` +
        (dataLosingChanges(report).length > 0 ? 'data loss acknowledged, approval after merge' : 'nothing lost');
  const clipped =
    description.length <= STATUS_DESCRIPTION_MAX_CHARACTERS
      ? description
      : `${description.slice(0, STATUS_DESCRIPTION_MAX_CHARACTERS - 1)}…`;
  return { state: reasons.length > 0 ? 'failure' : 'success', description: clipped };
}

const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;

const CHANGE_WORDS = {
  added: 'added by this change',
  changed: 'changed by this change',
  dependent: 'depends on a changed stack',
  removed: 'removed',
} as const;

/** The headline: the verdict and why. */
function verdict(report: PullRequestReport): string[] {
  const reasons = blockers(report);
  const losing = dataLosingChanges(report);
  if (reasons.length > 0)
    return [`**Blocked: ${reasons.join('; ')}.** The status check fails until this is resolved.`, ''];
  const approval =
    losing.length > 0
      ? ' On merge, the pipeline waits for a manual approval before it applies, because a plan destroys data.'
      : '';
  const skipped = report.outcomes.filter((outcome) => outcome.kind === 'skipped').length;
  const planned =
    skipped === 0
      ? 'Every affected stack planned'
      : `${skipped} affected ${skipped === 1 ? 'stack' : 'stacks'} not planned here (the table says why), ` +
        'the others planned';
  return [`**Ready to merge.** ${planned}; the guardrails found nothing.${approval}`, ''];
}

/** What the commit must say to destroy data on purpose. */
function acknowledgeHelp(report: PullRequestReport): string[] {
  const pending = dataLosingChanges(report).filter((change) => !change.acknowledged);
  if (pending.length === 0) return [];
  return [
    "To destroy or replace these on purpose, end the head commit's message with one trailer per resource, and push:",
    '',
    '```',
    ...pending.map((change) => `${DESTROYS_TRAILER}: ${change.stack}/${change.address}`),
    '```',
    '',
  ];
}

/** What it means that the base could not be compared. */
function baseWarning(report: PullRequestReport): string[] {
  if (report.baseProblem === undefined) return [];
  return [
    '> [!WARNING]',
    `> Every stack was planned, since the base could not be compared: ${report.baseProblem.reason.split('\n')[0]}`,
    '> A stack this change removes cannot be seen without it.',
    '',
  ];
}

/** The table of stacks: why each was planned, its outcome and its order. */
function stacksTable(report: PullRequestReport): string[] {
  const levelOf = new Map(report.order.flatMap((level, index) => level.map((stack) => [stack, index + 1] as const)));
  const rows = report.outcomes.map((outcome) => {
    const why = CHANGE_WORDS[changeOf(report.affected, outcome.stack) ?? 'changed'];
    const result =
      outcome.kind === 'planned'
        ? 'planned'
        : outcome.kind === 'failed'
          ? '**plan failed**'
          : `not planned: ${outcome.reason}`;
    return `| ${levelOf.get(outcome.stack) ?? '–'} | ${code(outcome.stack)} | ${why} | ${result} |`;
  });
  const retire = 'nothing destroys what it holds: mark the pipeline `"retired": true` instead';
  const removed = report.affected.removed.map((stack) => `| – | ${code(stack)} | **removed** | ${retire} |`);
  if (rows.length + removed.length === 0) return ['No stack changes: nothing to plan.', ''];
  return ['| Order | Stack | Why | Result |', '| ---: | --- | --- | --- |', ...rows, ...removed, ''];
}

/** One stack's section: its plan summary, or why it has none. */
function stackSection(outcome: StackOutcome, compact: boolean): string[] {
  if (outcome.kind === 'failed')
    return [`### ${code(outcome.stack)}: the plan failed`, '', '```', outcome.error.trim(), '```', ''];
  if (outcome.kind === 'skipped') return [];
  const summary = summarizePlan(outcome.plan, code(outcome.stack));
  if (!compact) return [summary];
  // Only the headline and the data-loss warning, when the whole comment would be too long for GitHub.
  const [headline, ...rest] = summary.split('\n');
  const caution = rest.join('\n').match(/> \[!CAUTION\][\s\S]*?\n\n/)?.[0] ?? '';
  return [headline, '', caution, '_The table of changes is in the build log: the comment would be too long._', ''];
}

/** The whole comment, within GitHub's limit: stacks' tables are shortened from the last until it fits. */
export function renderComment(report: PullRequestReport): string {
  const head = [
    COMMENT_MARKER,
    `## Infrastructure plan for ${code(report.commit.slice(0, 12))}`,
    '',
    ...verdict(report),
    ...acknowledgeHelp(report),
    ...baseWarning(report),
  ];
  const synth = report.synth.ok
    ? [`Synth and guardrails passed (${report.synth.summary.replace(/^Guardrails: /, '')}).`, '']
    : ['### Synth or the guardrails failed', '', '```', (report.synth.error ?? report.synth.summary).trim(), '```', ''];
  const foot = [
    report.buildUrl === undefined ? '' : `[The build's log](${report.buildUrl}).`,
    '_No attribute values are shown: a plan can hold secrets. The plans are previews, made without refreshing ' +
      'what the stacks manage, so drift since the last apply is not shown; the merge plan refreshes. This comment ' +
      'is updated on every push._',
    '',
  ];
  const compact = new Set<number>();
  for (;;) {
    const sections = report.outcomes.flatMap((outcome, index) => stackSection(outcome, compact.has(index)));
    const body = [...head, ...synth, ...stacksTable(report), ...sections, ...foot].join('\n');
    if (body.length <= COMMENT_MAX_CHARACTERS || compact.size === report.outcomes.length)
      return body.length <= COMMENT_MAX_CHARACTERS ? body : `${body.slice(0, COMMENT_MAX_CHARACTERS - 2)}…\n`;
    compact.add(report.outcomes.length - 1 - compact.size);
  }
}
