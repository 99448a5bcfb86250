import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { journalPath, makeStaging, recover, startSwap, sweep, swapIn } from '../../app/output-swap';
import { fileTree } from '../file-tree';

function write(root: string, files: Record<string, string>): void {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), content);
  }
}

/** An earlier synth of stacks `kept` and `removed`, after `terraform init` in both, and a file of the user's. */
const OLD = {
  'manifest.json': 'old manifest',
  'guardrails-report.md': 'old report',
  'stacks/kept/cdk.tf.json': 'old kept',
  'stacks/kept/.terraform/providers/aws': 'provider binary',
  'stacks/kept/.terraform.lock.hcl': 'lock',
  'stacks/removed/cdk.tf.json': 'old removed',
  'stacks/removed/.terraform/providers/aws': 'provider binary',
  'diagrams/kept.md': 'old diagram',
};
/** The next synth: `kept` changed, `removed` gone, `added` new. */
const NEW = {
  'manifest.json': 'new manifest',
  'guardrails-report.md': 'new report',
  'stacks/kept/cdk.tf.json': 'new kept',
  'stacks/added/cdk.tf.json': 'new added',
};
/** What the output directory holds after the swap. */
const SWAPPED = {
  ...NEW,
  'stacks/kept/.terraform/providers/aws': 'provider binary',
  'stacks/kept/.terraform.lock.hcl': 'lock',
};

/** An output directory holding OLD, and NEW staged for it; for `inPlace`, staged inside it as for a mount point. */
function prepared(inPlace: boolean) {
  const outdir = join(mkdtempSync(join(tmpdir(), 'ci-swap-')), 'cdktf.out');
  write(outdir, OLD);
  const staging = makeStaging(outdir, inPlace);
  write(staging, NEW);
  return { outdir, staging, beside: () => readdirSync(dirname(outdir)) };
}

describe.each([
  ['the output directory renamed whole', false],
  ['a mount point, entry by entry', true],
])('swapping in: %s', (_, inPlace) => {
  test("puts the new tree in place, keeps Terraform's files of the stacks that remain, and drops the rest", () => {
    const { outdir, staging, beside } = prepared(inPlace);
    swapIn(outdir, staging, inPlace);
    expect(fileTree(outdir)).toEqual(SWAPPED);
    expect(beside()).toEqual(['cdktf.out']);
  });

  test('into no output directory yet', () => {
    const outdir = join(mkdtempSync(join(tmpdir(), 'ci-swap-')), 'cdktf.out');
    const staging = makeStaging(inPlace ? (mkdirSync(outdir), outdir) : outdir, inPlace);
    write(staging, NEW);
    swapIn(outdir, staging, inPlace);
    expect(fileTree(outdir)).toEqual(NEW);
  });

  // What SIGKILL leaves after each rename of a swap, and what the next run's recovery makes of it.
  test(
    'a kill after any rename of the swap leaves what the next run turns into the whole old or the whole new ' + 'tree',
    () => {
      const { outdir: probe, staging: probeStaging } = prepared(inPlace);
      const journal = startSwap(probe, probeStaging, inPlace);
      const renames = journal.out.length + journal.in.length;
      expect(renames).toBe(inPlace ? 4 + 3 : 1 + 1);
      for (let done = 0; done <= renames; done++) {
        const { outdir, staging, beside } = prepared(inPlace);
        const { out, in: moveIn } = startSwap(outdir, staging, inPlace);
        for (const [from, to] of [...out, ...moveIn].slice(0, done)) {
          mkdirSync(dirname(to), { recursive: true });
          renameSync(from, to);
        }
        const wholeNew = done > out.length;
        expect({ done, recovery: recover(outdir) }).toEqual({ done, recovery: wholeNew ? 'completed' : 'rolled back' });
        expect({ done, tree: fileTree(outdir) }).toEqual({ done, tree: wholeNew ? SWAPPED : OLD });
        expect({ done, beside: beside() }).toEqual({ done, beside: ['cdktf.out'] });
        expect(recover(outdir)).toBe('none');
      }
    },
  );

  test("a kill while carrying Terraform's files over is completed by the next run", () => {
    const { outdir, staging } = prepared(inPlace);
    const journal = startSwap(outdir, staging, inPlace);
    for (const [from, to] of [...journal.out, ...journal.in]) {
      mkdirSync(dirname(to), { recursive: true });
      renameSync(from, to);
    }
    renameSync(join(journal.old, 'stacks/kept/.terraform.lock.hcl'), join(outdir, 'stacks/kept/.terraform.lock.hcl'));
    expect(existsSync(join(outdir, 'stacks/kept/.terraform'))).toBe(false);
    expect(recover(outdir)).toBe('completed');
    expect(fileTree(outdir)).toEqual(SWAPPED);
  });

  // The kill test found it (seed 411, under load): the old tree was removed, the journal not yet. Recovery moved
  // the new tree out again, as if the swap had not started, and removed it with the old one.
  test('a kill after the old tree is removed, before the journal is, leaves the new tree in place', () => {
    const { outdir, staging } = prepared(inPlace);
    const journal = startSwap(outdir, staging, inPlace);
    for (const [from, to] of [...journal.out, ...journal.in]) {
      mkdirSync(dirname(to), { recursive: true });
      renameSync(from, to);
    }
    for (const name of ['stacks/kept/.terraform', 'stacks/kept/.terraform.lock.hcl'])
      renameSync(join(journal.old, name), join(outdir, name));
    rmSync(journal.old, { recursive: true, force: true });
    if (inPlace) rmSync(staging, { recursive: true, force: true });
    expect(recover(outdir)).toBe('completed');
    expect(fileTree(outdir)).toEqual(SWAPPED);
  });
});

describe('sweep', () => {
  test('removes staging and old trees beside and inside the output directory, and nothing else', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ci-sweep-'));
    const outdir = join(dir, 'cdktf.out');
    write(dir, {
      'cdktf.out/manifest.json': 'm',
      'cdktf.out/.cdktf-synth-staging-abc/manifest.json': 'half',
      'cdktf.out/.cdktf-synth-old-def/stacks/x/cdk.tf.json': 'old',
      'cdktf.out.staging-123456/stacks/x/cdk.tf.json': 'half',
      'cdktf.out.old-789/manifest.json': 'old',
      'cdktf.out.swap.json.4242': '{',
      'cdktf.out.lock.999999999-feed.tmp': '{}',
      'cdktf.out-other/manifest.json': 'another directory',
      'other.staging-1/x': 'not ours',
    });
    expect(sweep(outdir).length).toBe(5);
    expect(readdirSync(dir).sort()).toEqual(['cdktf.out', 'cdktf.out-other', 'other.staging-1']);
    expect(readdirSync(outdir)).toEqual(['manifest.json']);
  });

  test('keeps a half-made lock file of a live process', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ci-sweep-'));
    const live = `cdktf.out.lock.${process.pid}-feed.tmp`;
    write(dir, { [live]: '{}' });
    sweep(join(dir, 'cdktf.out'));
    expect(readdirSync(dir)).toEqual([live]);
  });
});

test('the journal is beside the output directory, and gone after a swap', () => {
  const { outdir, staging } = prepared(false);
  startSwap(outdir, staging, false);
  expect(JSON.parse(readFileSync(journalPath(outdir), 'utf8'))).toMatchObject({
    outdir,
    staging,
    in: [[staging, outdir]],
  });
  expect(recover(outdir)).toBe('rolled back');
  expect(existsSync(journalPath(outdir))).toBe(false);
});
