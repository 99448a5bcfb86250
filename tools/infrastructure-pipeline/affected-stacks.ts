/**
 * Which stacks a change affects: those whose Terraform JSON differs between the base and the head of a pull request,
 * those it adds, those that depend on either, and those it removes (which nothing plans or destroys).
 */
import { dependentsOf } from './stack-order';
import { SynthOutput } from './synth-output';

/** Why a stack is planned, or what happened to it. */
export type StackChange = 'added' | 'changed' | 'dependent' | 'removed';

/** The stacks a change affects, each list sorted by ID. */
export interface AffectedStacks {
  /** In the head only. */
  readonly added: readonly string[];
  /** In both, with Terraform JSON that differs. */
  readonly changed: readonly string[];
  /** Unchanged, but depending (directly or through others) on an added or changed stack: planned too. */
  readonly dependent: readonly string[];
  /** In the base only: the change takes the stack out of the configuration, and nothing will destroy what it holds. */
  readonly removed: readonly string[];
  /** Every stack to plan: added, changed and dependent. */
  readonly toPlan: readonly string[];
}

/**
 * The stacks the change from `base` to `head` affects. Without a base (its synth failed, or there is none), every
 * stack of the head is taken as changed.
 */
export function affectedStacks(base: SynthOutput | undefined, head: SynthOutput): AffectedStacks {
  const added: string[] = [];
  const changed: string[] = [];
  for (const stack of head.stacks.values()) {
    const before = base?.stacks.get(stack.id);
    if (base !== undefined && before === undefined) added.push(stack.id);
    else if (before === undefined || before.digest !== stack.digest) changed.push(stack.id);
  }
  const removed = base === undefined ? [] : [...base.stacks.keys()].filter((id) => !head.stacks.has(id));
  const dependent = dependentsOf(head.stacks, [...added, ...changed]);
  const sorted = (ids: string[]) => [...ids].sort();
  return {
    added: sorted(added),
    changed: sorted(changed),
    dependent,
    removed: sorted(removed),
    toPlan: sorted([...added, ...changed, ...dependent]),
  };
}

/** Why `id` is planned (or that it was removed), for the comment. */
export function changeOf(affected: AffectedStacks, id: string): StackChange | undefined {
  if (affected.added.includes(id)) return 'added';
  if (affected.changed.includes(id)) return 'changed';
  if (affected.dependent.includes(id)) return 'dependent';
  if (affected.removed.includes(id)) return 'removed';
  return undefined;
}
