/**
 * A fleet's stacks as a CodeBuild batch build graph: builds that plan (or apply) stacks in parallel, each after the
 * builds holding the stacks it depends on, and one last build that depends on them all (the comment, or the end of
 * the apply). A fleet larger than a batch takes is sharded: a build then runs several stacks of one level, one after
 * another.
 */
import { stringify } from 'yaml';
import { dependencyLevels, StackLevels } from './stack-order';
import { SynthesizedStackInfo } from './synth-output';

/**
 * The most builds one batch may hold: a project's `build_batch_config.restrictions.maximum_builds_allowed` is at most
 * 100 (the AWS provider's validation, `IntBetween(1, 100)`; AWS documents no other cap), and "if a batch exceeds this
 * limit, the batch will fail" (CodeBuild User Guide, "Create a build project (console)", Batch configuration).
 */
export const MAX_BUILDS_PER_BATCH = 100;

/** One build of the graph. */
export interface BatchBuild {
  /** The build's identifier in the batch (CODEBUILD_BATCH_BUILD_IDENTIFIER): letters, digits and underscores. */
  readonly identifier: string;
  /** The stacks it runs, one after another, in this order. */
  readonly stacks: readonly string[];
  /** The identifiers of the builds it waits for. */
  readonly dependsOn: readonly string[];
}

/** A batch build graph: the stacks' builds, then the final build that depends on them all. */
export interface BatchGraph {
  readonly builds: readonly BatchBuild[];
  readonly final: BatchBuild;
}

/** Splits `items` into `parts` runs of sizes that differ by at most one, in order. */
function split<T>(items: readonly T[], parts: number): T[][] {
  const runs: T[][] = [];
  for (let index = 0, start = 0; index < parts; index += 1) {
    const size = Math.floor(items.length / parts) + (index < items.length % parts ? 1 : 0);
    runs.push(items.slice(start, start + size));
    start += size;
  }
  return runs.filter((run) => run.length > 0);
}

/**
 * How many builds each level gets when the stacks need more builds than the batch allows: one at least, the rest
 * shared in proportion to the level's size (largest remainders first), never more than its stacks.
 */
function buildsPerLevel(levels: StackLevels, available: number): number[] {
  const total = levels.reduce((sum, level) => sum + level.length, 0);
  if (total <= available) return levels.map((level) => level.length);
  if (levels.length > available)
    throw new RangeError(
      `${levels.length} levels of dependencies need more than the ${available} builds a batch allows`,
    );
  const spare = available - levels.length;
  const shares = levels.map((level) => (spare * level.length) / total);
  const counts = shares.map((share, index) => Math.min(levels[index].length, 1 + Math.floor(share)));
  let left = available - counts.reduce((sum, count) => sum + count, 0);
  const byRemainder = shares
    .map((share, index) => [share - Math.floor(share), index] as const)
    .sort((a, b) => b[0] - a[0]);
  for (const [, index] of byRemainder) {
    if (left === 0) break;
    if (counts[index] < levels[index].length) {
      counts[index] += 1;
      left -= 1;
    }
  }
  return counts;
}

/** A batch identifier for a build of stacks: the first stack's ID, made of letters, digits and underscores. */
const identifierOf = (stacks: readonly string[], index: number) =>
  `${stacks.length === 1 ? '' : `shard${index}_`}${stacks[0].replace(/[^A-Za-z0-9]/g, '_')}`;

/**
 * The batch graph of `selected` stacks (all by default): one build per stack when they fit in `maxBuilds` (the final
 * build included), else shards of one level each. A build depends on exactly the builds that hold its stacks'
 * dependencies.
 */
export function batchGraph(
  stacks: ReadonlyMap<string, SynthesizedStackInfo>,
  selected: Iterable<string> = stacks.keys(),
  maxBuilds: number = MAX_BUILDS_PER_BATCH,
  finalIdentifier = 'report',
): BatchGraph {
  const levels = dependencyLevels(stacks, selected);
  const counts = buildsPerLevel(levels, maxBuilds - 1);
  const buildOf = new Map<string, string>();
  const builds: BatchBuild[] = [];
  levels.forEach((level, levelIndex) => {
    for (const shard of split(level, counts[levelIndex])) {
      const identifier = identifierOf(shard, builds.length + 1);
      const dependsOn = new Set(
        shard.flatMap((id) => stacks.get(id)!.dependencies.flatMap((dependency) => buildOf.get(dependency) ?? [])),
      );
      builds.push({ identifier, stacks: shard, dependsOn: [...dependsOn].sort() });
    }
    for (const build of builds) for (const id of build.stacks) buildOf.set(id, build.identifier);
  });
  const final = { identifier: finalIdentifier, stacks: [], dependsOn: builds.map((build) => build.identifier) };
  return { builds, final };
}

/**
 * The graph as a buildspec's `batch:` section (CodeBuild User Guide, "Batch build buildspec reference"): each build
 * gets its stacks in the `STACKS` variable, comma-separated. A stack's build may fail without failing the batch
 * (`ignore-failure: true`): with the default, "if one build task fails, the batch build will fail" and the final build
 * would not run to report every plan; the final build fails the batch instead when a stack's build failed.
 */
export function batchBuildspecSection(graph: BatchGraph): string {
  const entry = (build: BatchBuild, ignoreFailure: boolean) => ({
    identifier: build.identifier,
    env: { variables: { STACKS: build.stacks.join(',') } },
    ...(build.dependsOn.length === 0 ? {} : { 'depend-on': [...build.dependsOn] }),
    'ignore-failure': ignoreFailure,
  });
  return stringify({
    batch: {
      'fast-fail': false,
      'build-graph': [...graph.builds.map((build) => entry(build, true)), entry(graph.final, false)],
    },
  });
}
