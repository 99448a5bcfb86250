/**
 * Putting a whole synthesized tree in place of the output directory, and
 * finishing a swap that a killed process left half done.
 *
 * A swap is a list of renames written to a journal (`cdktf.out.swap.json`)
 * before the first one: first the current output moves out of the way, then
 * the staged tree moves in, then what Terraform left in the stacks that remain
 * (`.terraform`, `.terraform.lock.hcl`) moves from the old tree to the new one,
 * and the old tree is removed. rename(2) replaces a name at once
 * (https://man7.org/linux/man-pages/man2/rename.2.html), so after a kill at any
 * point the journal and the names on disk tell the next run (`recover`) what
 * to do: roll back if nothing has moved in yet, else complete.
 *
 * The output directory is normally renamed as a whole (two renames). A mount
 * point cannot be renamed (EBUSY) and nothing can be renamed into it from
 * another mount (EXDEV), so then synth stages inside it and the swap renames
 * each of its entries (`stacks`, `manifest.json`, the report, anything else):
 * still whole files and a journal, but a reader may see the new manifest beside
 * the old stacks for the microseconds between those renames.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sweepLockLeftovers } from './output-lock';

/** Terraform's local state in a stack's directory, which a swap must never delete with the directory. */
const LOCAL_STATE: readonly string[] = ['terraform.tfstate', 'terraform.tfstate.d'];

/**
 * What Terraform leaves in a stack's directory, carried over for the stacks that
 * are still synthesized, so that `terraform init` need not run again: the
 * working directory and the dependency lock file
 * (https://developer.hashicorp.com/terraform/language/files/dependency-lock),
 * and local state, which no synth may lose.
 */
export const KEPT_FROM_TERRAFORM: readonly string[] = [
  '.terraform',
  '.terraform.lock.hcl',
  ...LOCAL_STATE,
  'terraform.tfstate.backup',
];

/** A rename: [from, to]. */
export type Move = readonly [string, string];

/** The plan of a swap, written before its first rename. */
export interface SwapJournal {
  /** The output directory. */
  readonly outdir: string;
  /** The staged tree (or, for a mount point, the directory holding its entries). */
  readonly staging: string;
  /** Where the current output goes, and is removed from when the swap is done. */
  readonly old: string;
  /** Renames that move the current output out of the way, all done before any of `in`. */
  readonly out: readonly Move[];
  /** Renames that move the staged tree in. */
  readonly in: readonly Move[];
}

/** The journal of a swap into `outdir`, beside it. */
export const journalPath = (outdir: string) => `${outdir}.swap.json`;

/** Names beside the output directory, after its own name. */
const BESIDE = { staging: '.staging-', old: '.old-', journal: '.swap.json.' };
/** Names inside an output directory that is a mount point. */
const INSIDE = { staging: '.cdktf-synth-staging-', old: '.cdktf-synth-old-' };

/** Whether `outdir` is a mount point (another device than its parent's), which cannot be renamed. */
export function isMountPoint(outdir: string): boolean {
  if (!fs.existsSync(outdir)) return false;
  return fs.statSync(outdir).dev !== fs.statSync(path.dirname(outdir)).dev;
}

/**
 * Makes an empty staging directory on the output directory's file system: beside it, or inside it when it is a mount
 * point.
 */
export function makeStaging(outdir: string, inPlace: boolean): string {
  return inPlace ? fs.mkdtempSync(path.join(outdir, INSIDE.staging)) : fs.mkdtempSync(`${outdir}${BESIDE.staging}`);
}

/** The renames that put `staging` in place of `outdir`: the directory itself, or (`inPlace`) each entry. */
export function planSwap(outdir: string, staging: string, inPlace: boolean): SwapJournal {
  const suffix = randomBytes(6).toString('hex');
  if (!inPlace) {
    const old = `${outdir}${BESIDE.old}${suffix}`;
    return { outdir, staging, old, out: present(outdir) ? [[outdir, old]] : [], in: [[staging, outdir]] };
  }
  const old = path.join(outdir, `${INSIDE.old}${suffix}`);
  const current = fs.readdirSync(outdir).filter((name) => !isSwapLeftover(name));
  return {
    outdir,
    staging,
    old,
    out: current.map((name) => [path.join(outdir, name), path.join(old, name)]),
    in: fs.readdirSync(staging).map((name) => [path.join(staging, name), path.join(outdir, name)]),
  };
}

/**
 * Puts the staged tree in place of `outdir`, keeping what Terraform left in the
 * stacks that remain. An output directory that turns out not to be renamable
 * (a bind mount: EBUSY) gets its entries swapped instead.
 */
export function swapIn(outdir: string, staging: string, inPlace: boolean): void {
  const journal = startSwap(outdir, staging, inPlace);
  try {
    complete(journal);
  } catch (error) {
    // Once something has moved in, the journal stays for the next run to complete the swap.
    if (journalStarted(journal)) throw error;
    rollBack(journal, { keepStaging: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (!inPlace && (code === 'EBUSY' || code === 'EXDEV')) return swapInFromElsewhere(outdir, staging);
    throw error;
  }
}

/** The stacks of an output tree, by their directories. */
const stacksOf = (tree: string): string[] => {
  const stacks = path.join(tree, 'stacks');
  return isDirectory(stacks) ? fs.readdirSync(stacks).sort() : [];
};

/** How the staged tree's stacks differ from those `outdir` holds: the stacks it no longer has, and its new ones. */
export function stackChanges(
  outdir: string,
  staging: string,
): { readonly removed: string[]; readonly added: string[] } {
  const [before, after] = [stacksOf(outdir), stacksOf(staging)];
  return {
    removed: before.filter((stack) => !after.includes(stack)),
    added: after.filter((stack) => !before.includes(stack)),
  };
}

/** The stacks in `outdir` that the staged tree no longer has, and whose directory holds local Terraform state. */
export function removedStacksWithState(outdir: string, staging: string): string[] {
  return stackChanges(outdir, staging).removed.filter((stack) =>
    LOCAL_STATE.some((name) => present(path.join(outdir, 'stacks', stack, name))),
  );
}

/** Plans a swap and writes its journal: from here on, `recover` rolls it back or completes it. */
export function startSwap(outdir: string, staging: string, inPlace: boolean): SwapJournal {
  const journal = planSwap(outdir, staging, inPlace);
  writeJournal(journal);
  return journal;
}

/**
 * For a mount point found only when renaming it: copies the staged tree inside it (renames cannot cross mounts), then
 * swaps entry by entry.
 */
function swapInFromElsewhere(outdir: string, staging: string): void {
  const inside = makeStaging(outdir, true);
  fs.cpSync(staging, inside, { recursive: true });
  fs.rmSync(staging, { recursive: true, force: true });
  swapIn(outdir, inside, true);
}

/** What `recover` did. */
export type Recovery = 'none' | 'rolled back' | 'completed';

/**
 * Finishes a swap into `outdir` that a killed process left behind: rolls it
 * back when nothing had moved in yet, else completes it. Safe to run again
 * after a kill during recovery. Call it holding the lock.
 */
export function recover(outdir: string): Recovery {
  const journal = readJournal(outdir);
  if (journal === undefined) return 'none';
  if (journalStarted(journal)) {
    complete(journal);
    return 'completed';
  }
  rollBack(journal, { keepStaging: false });
  return 'rolled back';
}

/**
 * Removes staging and old trees that killed runs left beside or inside `outdir`. Call it holding the lock, after
 * `recover`.
 */
export function sweep(outdir: string): string[] {
  const directory = path.dirname(outdir);
  const entries = fs.readdirSync(directory);
  const base = path.basename(outdir);
  const beside = entries
    .filter((name) => Object.values(BESIDE).some((prefix) => name.startsWith(`${base}${prefix}`)))
    .map((name) => path.join(directory, name));
  const inside = isDirectory(outdir)
    ? fs
        .readdirSync(outdir)
        .filter(isSwapLeftover)
        .map((name) => path.join(outdir, name))
    : [];
  for (const leftover of [...beside, ...inside]) fs.rmSync(leftover, { recursive: true, force: true });
  sweepLockLeftovers(outdir, entries, directory);
  return [...beside, ...inside];
}

/** Whether any staged entry has moved in (so the swap must be completed, not rolled back). */
function journalStarted(journal: SwapJournal): boolean {
  return journal.in.some(([from]) => !present(from));
}

/**
 * Does every remaining rename, in order, then carries Terraform's files over and removes the old tree. Each step checks
 * the names first, so it may run again. Once anything has moved in, every rename out was done before it: the names
 * out are then the new tree's, and moving them again would take the new tree away (as it did, once the old tree
 * was gone, before this check).
 */
function complete(journal: SwapJournal): void {
  const moves = journalStarted(journal) ? journal.in : [...journal.out, ...journal.in];
  for (const [from, to] of moves) {
    if (!present(from) || present(to)) continue;
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.renameSync(from, to);
  }
  carryOver(journal.old, journal.outdir);
  finish(journal, { keepStaging: false });
}

/** Moves what went out back in; nothing had moved in. */
function rollBack(journal: SwapJournal, options: { keepStaging: boolean }): void {
  for (const [from, to] of [...journal.out].reverse()) {
    if (present(to) && !present(from)) fs.renameSync(to, from);
  }
  finish(journal, options);
}

/**
 * Ends a swap: the journal first, since the output directory is whole from here on, then the old and staged trees,
 * which a kill may leave for the next run's sweep.
 */
function finish(journal: SwapJournal, options: { keepStaging: boolean }): void {
  fs.rmSync(journalPath(journal.outdir), { force: true });
  fs.rmSync(journal.old, { recursive: true, force: true });
  if (!options.keepStaging) fs.rmSync(journal.staging, { recursive: true, force: true });
}

/** Moves Terraform's files of each stack in `newRoot` from the same stack in `oldRoot`, where the new tree has none. */
function carryOver(oldRoot: string, newRoot: string): void {
  const stacks = path.join(newRoot, 'stacks');
  if (!isDirectory(stacks)) return;
  for (const stack of fs.readdirSync(stacks)) {
    for (const name of KEPT_FROM_TERRAFORM) {
      const from = path.join(oldRoot, 'stacks', stack, name);
      const to = path.join(stacks, stack, name);
      if (present(from) && !present(to)) fs.renameSync(from, to);
    }
  }
}

/** Writes the journal whole: to a draft, flushed, then renamed. */
function writeJournal(journal: SwapJournal): void {
  const file = journalPath(journal.outdir);
  const draft = `${file}.${process.pid}`;
  const fd = fs.openSync(draft, 'w');
  try {
    fs.writeFileSync(fd, JSON.stringify(journal, undefined, 2));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(draft, file);
}

function readJournal(outdir: string): SwapJournal | undefined {
  try {
    return JSON.parse(fs.readFileSync(journalPath(outdir), 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Whether a name inside the output directory is a swap's own (staging or old tree, when it is a mount point). */
export const isSwapLeftover = (name: string) => Object.values(INSIDE).some((prefix) => name.startsWith(prefix));

/** Whether a name exists (a dangling symbolic link too). */
function present(file: string): boolean {
  try {
    fs.lstatSync(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

function isDirectory(file: string): boolean {
  return fs.existsSync(file) && fs.statSync(file).isDirectory();
}
