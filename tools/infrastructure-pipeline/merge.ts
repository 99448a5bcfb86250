/**
 * The merge path of the infrastructure pipeline, in two steps that the pipeline separates by an optional manual
 * approval: `plan` plans every affected stack and keeps each saved plan with a manifest of the order and whether a
 * person must approve; `apply` applies exactly those saved plans, in that order, and stops at the first failure.
 * Terraform itself refuses a saved plan whose state changed since it was made ("Saved plan is stale").
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ChangeSetOptions, planChangeSet } from './change-set';
import { runTerraform } from './processes';
import { actionOf } from '../plan-summary';
import { dataLosingChanges } from './pull-request-comment';
import { StackLevels } from './stack-order';
import { StepInputError } from './step-input-error';
import { errorOf, planFiles, StackOutcome } from './stack-plans';

/** The manifest of saved plans, in the work directory: what `apply` applies. */
export const SAVED_PLANS_MANIFEST = 'saved-plans.json';
/** A file holding `true` or `false`: whether the pipeline waits for a manual approval before it applies. */
export const NEEDS_APPROVAL_FILE = 'needs-approval';

/** What the plan step kept. Paths are relative to the work directory, which travels as the step's artifact. */
export interface SavedPlansManifest {
  readonly commit: string;
  readonly order: StackLevels;
  /** The stacks with a saved plan, in `order`'s order. */
  readonly stacks: readonly { readonly id: string; readonly workingDirectory: string; readonly plan: string }[];
  readonly needsApproval: boolean;
  /** Why an approval is needed, in words; empty when it is not. */
  readonly approvalReasons: readonly string[];
}

/** What the plan step found. */
export interface MergePlanResult {
  readonly manifest: SavedPlansManifest;
  /** Why nothing can be applied (synth or a plan failed); empty when the plans are ready. */
  readonly blocked: readonly string[];
}

/**
 * Why a person must approve before the plans are applied: each replacement or deletion of a resource that holds data
 * or history (plan-summary's list), and every change when `alwaysApprove`; empty when none.
 */
export function approvalReasons(outcomes: readonly StackOutcome[], alwaysApprove: boolean): string[] {
  const losses = dataLosingChanges({ outcomes, acknowledged: [] });
  return [
    ...(alwaysApprove ? ['every change waits for an approval (alwaysApprove)'] : []),
    ...losses.map(
      (loss) => `${loss.stack}/${loss.address} would be ${loss.action === 'delete' ? 'deleted' : 'replaced'}`,
    ),
  ];
}

/** What the merge path's plan step takes beyond a change set's options. */
export interface MergePlanOptions extends ChangeSetOptions {
  /** Wait for an approval before every apply, not only those that lose data. @default false */
  readonly alwaysApprove?: boolean;
  /**
   * Stacks only an administrator applies, such as the permissions boundary that caps the apply role: planned, never
   * applied. When one has changes nothing is applied, since the stacks after it may need them.
   * @default - none
   */
  readonly adminStacks?: readonly string[];
}

/** The admin stacks whose plan changes something, each with its count of changed resources. */
function changedAdminStacks(outcomes: readonly StackOutcome[], adminStacks: ReadonlySet<string>): string[] {
  return outcomes.flatMap((outcome) => {
    if (outcome.kind !== 'planned' || !adminStacks.has(outcome.stack)) return [];
    const changes = outcome.plan.resource_changes.filter((change) => !['no-op', 'read'].includes(actionOf(change)));
    return changes.length === 0
      ? []
      : [`${outcome.stack} (${changes.length} resource${changes.length === 1 ? '' : 's'})`];
  });
}

/** Plans the merged change, writes the manifest and the approval decision. */
export async function planMerge(options: MergePlanOptions): Promise<MergePlanResult> {
  const change = await planChangeSet(options);
  const adminStacks = new Set(options.adminStacks ?? []);
  const failed = change.outcomes.filter((outcome) => outcome.kind === 'failed').map((outcome) => outcome.stack);
  const blocked = [
    ...(change.synth.ok ? [] : [`synth or the guardrails failed: ${change.synth.summary}`]),
    ...failed.map((stack) => `the plan of ${stack} failed`),
    ...changedAdminStacks(change.outcomes, adminStacks).map(
      (stack) =>
        `${stack} changes, and only an administrator applies it: apply it with administrator credentials ` +
        '(cdktf deploy), then release the change again',
    ),
  ];
  const reasons = approvalReasons(change.outcomes, options.alwaysApprove === true);
  const planned = new Set(
    change.outcomes
      .filter((outcome) => outcome.kind === 'planned' && !adminStacks.has(outcome.stack))
      .map((outcome) => outcome.stack),
  );
  const stacks = change.order
    .flat()
    .filter((id) => planned.has(id))
    .map((id) => ({
      id,
      workingDirectory: join('head-out', 'stacks', id),
      plan: relative(options.workDir, planFiles(change.plansDir, id).binary),
    }));
  const manifest: SavedPlansManifest = {
    commit: change.commit,
    order: change.order,
    stacks,
    needsApproval: reasons.length > 0,
    approvalReasons: reasons,
  };
  writeFileSync(join(options.workDir, SAVED_PLANS_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(options.workDir, NEEDS_APPROVAL_FILE), `${manifest.needsApproval}\n`);
  return { manifest, blocked };
}

/** What the apply step did. */
export interface ApplyResult {
  readonly applied: readonly string[];
  /** The stack whose apply failed, and Terraform's error; the stacks after it were not applied. */
  readonly failed?: { readonly stack: string; readonly error: string };
}

/** Reads the manifest the plan step wrote. */
export function readManifest(workDir: string): SavedPlansManifest {
  const file = join(workDir, SAVED_PLANS_MANIFEST);
  if (!existsSync(file))
    throw new StepInputError(`${file} does not exist: run \`cdktf-ci-infrastructure plan\` first, in this directory`);
  return JSON.parse(readFileSync(file, 'utf8')) as SavedPlansManifest;
}

/** Applies each saved plan in the manifest's order with `terraform apply <planfile>`; stops at the first failure. */
export async function applySavedPlans(
  workDir: string,
  env: NodeJS.ProcessEnv = process.env,
  log: (line: string) => void = () => undefined,
): Promise<ApplyResult> {
  const manifest = readManifest(workDir);
  const applied: string[] = [];
  for (const stack of manifest.stacks) {
    log(`Applying the saved plan of ${stack.id}`);
    const cwd = join(workDir, stack.workingDirectory);
    for (const args of [
      ['init', '-input=false', '-no-color'],
      ['apply', '-input=false', '-no-color', join(workDir, stack.plan)],
    ]) {
      const result = await runTerraform(args, cwd, env);
      if (result.code !== 0)
        return { applied, failed: { stack: stack.id, error: `terraform ${args[0]}:\n${errorOf(result.output)}` } };
    }
    applied.push(stack.id);
  }
  return { applied };
}
