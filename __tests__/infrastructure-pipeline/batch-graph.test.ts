import { parse } from 'yaml';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesizeChecked } from '../../app/synthesize';
import { loadConfigFile } from '../../config/load';
import { buildStacks } from '../../main';
import {
  batchBuildspecSection,
  BatchGraph,
  batchGraph,
  MAX_BUILDS_PER_BATCH,
} from '../../tools/infrastructure-pipeline/batch-graph';
import { readSynthOutput, SynthesizedStackInfo } from '../../tools/infrastructure-pipeline/synth-output';
import { batchSeconds, serialSeconds } from '../../tools/infrastructure-pipeline/wait-model';

/** A fleet of `pipelines` pipelines as the app's stacks depend: state, connection, each repository and pipeline. */
function syntheticFleet(pipelines: number): Map<string, SynthesizedStackInfo> {
  const stack = (id: string, dependencies: string[]): [string, SynthesizedStackInfo] => [
    id,
    { id, dependencies, workingDirectory: id, file: id, backend: 's3', digest: id },
  ];
  const entries = [stack('state-bootstrap', []), stack('github-connection', ['state-bootstrap'])];
  for (let index = 0; index < pipelines; index += 1) {
    const name = `app-${String(index).padStart(4, '0')}`;
    entries.push(stack(`repo-${name}`, ['state-bootstrap']));
    const connection = index % 3 === 1 ? ['github-connection'] : [];
    entries.push(stack(`ci-${name}`, [`repo-${name}`, 'state-bootstrap', ...connection]));
  }
  return new Map(entries);
}

/** Every stack is in exactly one build, and each build waits for the builds of all its stacks' dependencies. */
function expectSound(graph: BatchGraph, stacks: ReadonlyMap<string, SynthesizedStackInfo>) {
  const buildOf = new Map(graph.builds.flatMap((build) => build.stacks.map((id) => [id, build] as const)));
  expect([...buildOf.keys()].sort()).toEqual([...stacks.keys()].sort());
  expect(graph.builds.reduce((sum, build) => sum + build.stacks.length, 0)).toBe(stacks.size);
  const identifiers = graph.builds.map((build) => build.identifier);
  expect(new Set(identifiers).size).toBe(identifiers.length);
  for (const build of graph.builds) {
    expect(build.identifier).toMatch(/^[A-Za-z0-9_]+$/);
    for (const id of build.stacks)
      for (const dependency of stacks.get(id)!.dependencies)
        expect(build.dependsOn).toContain(buildOf.get(dependency)!.identifier);
  }
  expect(graph.builds.length + 1).toBeLessThanOrEqual(MAX_BUILDS_PER_BATCH);
  expect(graph.final.dependsOn).toEqual(identifiers);
}

describe('the batch build graph', () => {
  test('the fleet of ten: one build per stack, each after the builds of its dependencies, as a buildspec', () => {
    const outdir = join(mkdtempSync(join(tmpdir(), 'fleet-')), 'cdktf.out');
    synthesizeChecked(
      outdir,
      (app) => buildStacks(app, loadConfigFile(join(__dirname, '..', 'golden', 'fleet-of-ten.json'))).all,
    );
    const { stacks } = readSynthOutput(outdir);
    const graph = batchGraph(stacks);
    expectSound(graph, stacks);
    expect(graph.builds).toHaveLength(19);
    const section = parse(batchBuildspecSection(graph));
    expect(section.batch['fast-fail']).toBe(false);
    expect(section.batch['build-graph']).toContainEqual({
      identifier: 'ci_api',
      env: { variables: { STACKS: 'ci-api' } },
      'depend-on': ['github_connection', 'repo_api', 'state_bootstrap'],
      'ignore-failure': true,
    });
    expect(section.batch['build-graph'][0]).toEqual({
      identifier: 'state_bootstrap',
      env: { variables: { STACKS: 'state-bootstrap' } },
      'ignore-failure': true,
    });
    // The report runs after a failed plan, and fails the batch itself.
    expect(section.batch['build-graph'].at(-1)).toMatchObject({ identifier: 'report', 'ignore-failure': false });
  });

  test.each([10, 49, 98, 500, 2000])('%i pipelines: sharded within the batch limit, every dependency kept', (size) => {
    const stacks = syntheticFleet(size);
    const graph = batchGraph(stacks);
    expectSound(graph, stacks);
    if (stacks.size + 1 > MAX_BUILDS_PER_BATCH) expect(graph.builds).toHaveLength(MAX_BUILDS_PER_BATCH - 1);
  });

  test('a smaller limit shards too, and a chain longer than the limit is refused with why', () => {
    const stacks = syntheticFleet(20);
    expectSound(batchGraph(stacks, stacks.keys(), 10), stacks);
    expect(batchGraph(stacks, stacks.keys(), 10).builds.length).toBeLessThanOrEqual(9);
    expect(() => batchGraph(stacks, stacks.keys(), 3)).toThrow(
      '3 levels of dependencies need more than the 2 builds a batch allows',
    );
  });
});

describe('the wait model', () => {
  const inputs = { secondsPerStack: 30, secondsToStartBuild: 60, concurrency: 20 };

  test('one build at a time is never faster than one machine, and concurrency never slows the batch', () => {
    const stacks = syntheticFleet(49);
    const graph = batchGraph(stacks);
    const serial = serialSeconds(stacks.size, inputs);
    expect(batchSeconds(graph, { ...inputs, concurrency: 1 })).toBeGreaterThanOrEqual(serial);
    const times = [1, 5, 20, 60, 200].map((concurrency) => batchSeconds(graph, { ...inputs, concurrency }));
    for (let index = 1; index < times.length; index += 1) expect(times[index]).toBeLessThanOrEqual(times[index - 1]);
  });

  test('with builds enough, the batch takes its critical path: three levels and the final build', () => {
    const stacks = syntheticFleet(10);
    // state-bootstrap, then repositories and the connection, then pipelines, then the report: four builds in a row.
    expect(batchSeconds(batchGraph(stacks), { ...inputs, concurrency: 1000 })).toBe(3 * (60 + 30) + 60);
  });
});
