/**
 * The order in which stacks are planned and applied: each after the stacks it depends on, grouped in levels whose
 * stacks may run at the same time, the infrastructure pipeline's own stack first (self-update).
 */
import { StepInputError } from './step-input-error';
import { SynthesizedStackInfo } from './synth-output';

/** Stacks in levels: every stack of a level depends only on stacks of earlier levels. */
export type StackLevels = readonly (readonly string[])[];

/**
 * The levels of `selected` (Kahn's algorithm over the dependencies among them; a dependency outside `selected` is
 * taken as applied already). Within a level, stacks are sorted by ID, so the order is the same on every machine.
 */
export function dependencyLevels(
  stacks: ReadonlyMap<string, SynthesizedStackInfo>,
  selected: Iterable<string> = stacks.keys(),
): StackLevels {
  const remaining = new Set(selected);
  const levels: string[][] = [];
  while (remaining.size > 0) {
    const ready = [...remaining]
      .filter((id) => (stacks.get(id)?.dependencies ?? []).every((dependency) => !remaining.has(dependency)))
      .sort();
    if (ready.length === 0)
      throw new StepInputError(`the stacks ${[...remaining].sort().join(', ')} depend on each other in a cycle`);
    for (const id of ready) remaining.delete(id);
    levels.push(ready);
  }
  return levels;
}

/**
 * The levels with `selfStack` (the infrastructure pipeline's own stack) alone at the front, after only what it depends
 * on: a change to the pipeline is deployed before the pipeline deploys anything else with it, as AWS CDK Pipelines'
 * self-mutation does.
 */
export function selfUpdateFirst(
  stacks: ReadonlyMap<string, SynthesizedStackInfo>,
  selected: Iterable<string>,
  selfStack: string | undefined,
): StackLevels {
  const chosen = new Set(selected);
  if (selfStack === undefined || !chosen.has(selfStack)) return dependencyLevels(stacks, chosen);
  const before = new Set<string>();
  const visit = (id: string) => {
    for (const dependency of stacks.get(id)?.dependencies ?? [])
      if (chosen.has(dependency) && !before.has(dependency)) {
        before.add(dependency);
        visit(dependency);
      }
  };
  visit(selfStack);
  const rest = [...chosen].filter((id) => id !== selfStack && !before.has(id));
  return [...dependencyLevels(stacks, before), [selfStack], ...dependencyLevels(stacks, rest)];
}

/** The stacks that depend on any of `changed`, directly or through others, `changed` excluded. */
export function dependentsOf(stacks: ReadonlyMap<string, SynthesizedStackInfo>, changed: Iterable<string>): string[] {
  const reached = new Set(changed);
  const found = new Set<string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const stack of stacks.values()) {
      if (reached.has(stack.id) || !stack.dependencies.some((dependency) => reached.has(dependency))) continue;
      reached.add(stack.id);
      found.add(stack.id);
      grew = true;
    }
  }
  return [...found].sort();
}
