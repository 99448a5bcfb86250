/**
 * What a platform team waits for: a model of a batch build graph run at an account's build concurrency, against one
 * machine planning the stacks one after another.
 */
import { BatchGraph } from './batch-graph';

/** The figures the model takes. */
export interface WaitModelInputs {
  /** Seconds to plan one stack: `terraform init` and `plan`, as measured. */
  readonly secondsPerStack: number;
  /** Seconds before a build's first command runs: CodeBuild's provisioning, source download and `npm ci`. */
  readonly secondsToStartBuild: number;
  /** Builds that run at once: the account's concurrent-build quota for the compute type. */
  readonly concurrency: number;
}

/**
 * The seconds from the batch's start to its final build's end. Builds start in graph order as soon as the builds they
 * depend on have finished and fewer than `concurrency` run (CodeBuild queues the rest: "Builds in AWS CodeBuild").
 */
export function batchSeconds(graph: BatchGraph, inputs: WaitModelInputs): number {
  const builds = [...graph.builds, graph.final];
  const duration = (stacks: number) => inputs.secondsToStartBuild + stacks * inputs.secondsPerStack;
  const finished = new Map<string, number>();
  const running: { readonly identifier: string; readonly end: number }[] = [];
  let now = 0;
  const pending = [...builds];
  while (finished.size < builds.length) {
    const ready = pending.filter((build) =>
      build.dependsOn.every((dependency) => (finished.get(dependency) ?? Infinity) <= now),
    );
    for (const build of ready) {
      if (running.length >= inputs.concurrency) break;
      running.push({ identifier: build.identifier, end: now + duration(build.stacks.length) });
      pending.splice(pending.indexOf(build), 1);
    }
    running.sort((a, b) => a.end - b.end);
    const done = running.shift();
    if (done === undefined) throw new Error('the graph has a build whose dependencies never finish');
    now = done.end;
    finished.set(done.identifier, now);
  }
  return now;
}

/** The seconds one machine takes to plan `stacks` stacks one after another, started once. */
export function serialSeconds(stacks: number, inputs: WaitModelInputs): number {
  return inputs.secondsToStartBuild + stacks * inputs.secondsPerStack;
}
