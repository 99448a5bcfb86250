import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesizeChecked } from '../../app/synthesize';
import { loadConfigFile } from '../../config/load';
import { buildStacks } from '../../main';
import { affectedStacks } from '../../tools/infrastructure-pipeline/affected-stacks';
import { dependencyLevels, dependentsOf, selfUpdateFirst } from '../../tools/infrastructure-pipeline/stack-order';
import { readSynthOutput, SynthOutput, terraformDigest } from '../../tools/infrastructure-pipeline/synth-output';

const GOLDEN = join(__dirname, '..', 'golden');

/** The fleet of ten, synthesized by the app into a directory of its own. */
function synthesizeFleet(): string {
  const outdir = join(mkdtempSync(join(tmpdir(), 'fleet-')), 'cdktf.out');
  synthesizeChecked(outdir, (app) => buildStacks(app, loadConfigFile(join(GOLDEN, 'fleet-of-ten.json'))).all);
  return outdir;
}

describe('the stacks of a synth output, in the order they are applied', () => {
  let outdir: string;
  let fleet: SynthOutput;
  beforeAll(() => {
    outdir = synthesizeFleet();
    fleet = readSynthOutput(outdir);
  });

  test("a pipeline stack depends on its repository, the shared connection and its state bucket's stack", () => {
    expect(fleet.stacks.get('ci-api')?.dependencies).toEqual(['github-connection', 'repo-api', 'state-bootstrap']);
    expect(fleet.stacks.get('ci-docs')?.dependencies).toEqual(['state-bootstrap']);
    expect(fleet.stacks.get('state-bootstrap')?.dependencies).toEqual([]);
  });

  test('the fleet of ten in levels: the state bucket, then repositories and the connection, then the pipelines', () => {
    expect(dependencyLevels(fleet.stacks)).toEqual([
      ['state-bootstrap'],
      [
        'ci-docs',
        'ci-legacy',
        'github-connection',
        'repo-admin',
        'repo-api',
        'repo-batch',
        'repo-mobile-backend',
        'repo-reports',
        'repo-web',
        'repo-worker',
      ],
      ['ci-admin', 'ci-api', 'ci-batch', 'ci-mobile-backend', 'ci-reports', 'ci-search', 'ci-web', 'ci-worker'],
    ]);
  });

  test('every stack comes after each stack it depends on', () => {
    const levels = dependencyLevels(fleet.stacks);
    const levelOf = new Map(levels.flatMap((level, index) => level.map((id) => [id, index] as const)));
    for (const stack of fleet.stacks.values())
      for (const dependency of stack.dependencies)
        expect(levelOf.get(dependency)!).toBeLessThan(levelOf.get(stack.id)!);
  });

  test("self-update: the pipeline's own stack alone first, after only what it depends on", () => {
    const levels = selfUpdateFirst(
      fleet.stacks,
      ['ci-api', 'ci-web', 'repo-web', 'github-connection', 'state-bootstrap'],
      'ci-web',
    );
    expect(levels).toEqual([['state-bootstrap'], ['repo-web'], ['ci-web'], ['github-connection'], ['ci-api']]);
  });

  test('dependents are found through other stacks', () => {
    expect(dependentsOf(fleet.stacks, ['repo-api'])).toEqual(['ci-api']);
    expect(dependentsOf(fleet.stacks, ['state-bootstrap'])).toHaveLength(18);
  });

  test('a cycle is refused, naming the stacks in it', () => {
    const stacks = new Map([
      ['a', { ...fleet.stacks.get('ci-docs')!, id: 'a', dependencies: ['b'] }],
      ['b', { ...fleet.stacks.get('ci-docs')!, id: 'b', dependencies: ['a'] }],
    ]);
    expect(() => dependencyLevels(stacks)).toThrow('the stacks a, b depend on each other in a cycle');
  });

  describe('which stacks a change affects', () => {
    const edited = (edit: (json: any) => void, stack = 'ci-web'): SynthOutput => {
      const copy = join(mkdtempSync(join(tmpdir(), 'fleet-edited-')), 'cdktf.out');
      cpSync(outdir, copy, { recursive: true });
      const file = join(copy, 'stacks', stack, 'cdk.tf.json');
      const json = JSON.parse(readFileSync(file, 'utf8'));
      edit(json);
      writeFileSync(file, JSON.stringify(json, null, 2));
      return readSynthOutput(copy);
    };

    test('a change to what Terraform reads affects that stack and its dependents only', () => {
      const head = edited((json) => (json.resource.github_repository = { x: { name: 'renamed' } }), 'repo-web');
      expect(affectedStacks(fleet, head)).toMatchObject({ changed: ['repo-web'], dependent: ['ci-web'], added: [] });
    });

    test('a change inside "//" comment properties (construct paths) affects nothing: Terraform ignores them', () => {
      const head = edited((json) => (json['//'] = { metadata: { note: 'moved construct' } }));
      expect(affectedStacks(fleet, head).toPlan).toEqual([]);
      expect(terraformDigest({ a: 1, '//': 'x' })).toBe(terraformDigest({ a: 1 }));
      const tagged = (tags: object) => ({ resource: { aws_s3_bucket: { b: { '//': 'path', tags } } } });
      expect(terraformDigest(tagged({ team: 'a' }))).toBe(
        terraformDigest({ resource: { aws_s3_bucket: { b: { tags: { team: 'a' } } } } }),
      );
      // In an expression, a map of tags, "//" is a key like any other: Terraform sends it to AWS.
      expect(terraformDigest(tagged({ team: 'a', '//': 'x' }))).not.toBe(terraformDigest(tagged({ team: 'a' })));
      expect(terraformDigest({ a: 1, b: 2 })).toBe(terraformDigest({ b: 2, a: 1 }));
    });

    test('without a base, every stack is planned; stacks gone from the head are reported as removed', () => {
      expect(affectedStacks(undefined, fleet).toPlan).toHaveLength(19);
      const smaller: SynthOutput = { ...fleet, stacks: new Map([...fleet.stacks].filter(([id]) => id !== 'ci-web')) };
      expect(affectedStacks(fleet, smaller)).toMatchObject({ removed: ['ci-web'], toPlan: [] });
      expect(affectedStacks(smaller, fleet)).toMatchObject({ added: ['ci-web'], toPlan: ['ci-web'] });
    });
  });
});
