/**
 * The lock that makes synths into one output directory take turns: a file
 * beside the directory (`cdktf.out.lock`) naming the process that holds it.
 *
 * A lock file with its owner's pid rather than `proper-lockfile`: that library
 * tells a stale lock by an mtime its owner refreshes on a timer, and synth is
 * one synchronous call that starves the event loop for seconds on a fleet, so
 * a healthy synth's lock would look stale (or "compromised") to the next one.
 * A pid is exact on one host, needs no timer, and frees the lock the moment its
 * owner dies, however it died.
 *
 * The file is created whole and atomically with link(2), the method open(2)'s
 * manual gives for lock files ("create a unique file on the same filesystem
 * (e.g., incorporating hostname and PID), and use link(2) to make a link to the
 * lockfile"; https://man7.org/linux/man-pages/man2/open.2.html, O_EXCL): a
 * reader never sees a half-written owner, and it holds on NFS too.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { hostname } from 'node:os';

/** Who holds a lock. */
export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  /**
   * The process's start time (Linux `/proc/<pid>/stat`), so that a pid reused by another process is not taken for the
   * owner.
   */
  readonly started?: string;
  /** Tells two locks of one process apart. */
  readonly token: string;
}

/** The lock file of an output directory. */
export const lockPath = (outdir: string) => `${outdir}.lock`;

/** A held lock; `release` frees it. */
export class OutputLock {
  constructor(
    readonly path: string,
    readonly owner: LockOwner,
  ) {}

  /** Removes the lock file, if it is still this lock's. */
  release(): void {
    if (sameOwner(readOwner(this.path), this.owner)) fs.rmSync(this.path, { force: true });
  }
}

/**
 * Takes the lock of `outdir` if it is free or stale (its owner is dead), at once.
 *
 * @returns the lock, or the owner that holds it
 */
export function tryLock(outdir: string): OutputLock | LockOwner {
  const path = lockPath(outdir);
  const me = currentOwner();
  for (let attempt = 0; ; attempt++) {
    if (createWhole(path, me)) return new OutputLock(path, me);
    const holder = readOwner(path);
    if (holder === undefined) continue; // released in between: try again
    if (isAlive(holder) || attempt >= 5) return holder;
    breakStale(path, holder);
  }
}

/**
 * Whether a lock's owner may be running: on this host, its pid exists with the same start time; on another host, we
 * cannot tell and assume so.
 */
export function isAlive(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return true;
  // kill(0) and kill(-1) would ask about process groups, not one process.
  if (!Number.isInteger(owner.pid) || owner.pid <= 0) return false;
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const started = processStartTime(owner.pid);
  return owner.started === undefined || started === undefined || started === owner.started;
}

/** Removes lock files (and half-made ones) that no live process owns; for the sweep of a run that holds the lock. */
export function sweepLockLeftovers(outdir: string, entries: readonly string[], directory: string): void {
  const base = `${lockPath(outdir).slice(directory.length + 1)}.`;
  for (const name of entries.filter((entry) => entry.startsWith(base) && entry.endsWith('.tmp'))) {
    const pid = Number(name.slice(base.length).split('-')[0]);
    if (!isAlive({ pid, host: hostname(), token: '' })) fs.rmSync(`${directory}/${name}`, { force: true });
  }
  const breaker = `${lockPath(outdir)}.break`;
  const breaking = readOwner(breaker);
  if (breaking !== undefined && !isAlive(breaking)) fs.rmSync(breaker, { force: true });
}

function currentOwner(): LockOwner {
  return {
    pid: process.pid,
    host: hostname(),
    started: processStartTime(process.pid),
    token: randomBytes(8).toString('hex'),
  };
}

/** Creates `path` holding `owner`, whole, unless it exists. */
function createWhole(path: string, owner: LockOwner): boolean {
  const draft = `${path}.${process.pid}-${owner.token}.tmp`;
  fs.writeFileSync(draft, JSON.stringify(owner));
  try {
    fs.linkSync(draft, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  } finally {
    fs.rmSync(draft, { force: true });
  }
}

/**
 * Removes a stale lock. Two processes may find the same stale lock; the one
 * that removes it must not remove the lock the other has taken meanwhile, so
 * breaking takes a second lock (`.break`) and checks the owner again under it.
 */
function breakStale(path: string, stale: LockOwner): void {
  const breaker = `${path}.break`;
  if (!createWhole(breaker, currentOwner())) {
    const other = readOwner(breaker);
    // Another process is breaking the lock; unless it died doing so, the next attempt finds the lock free or taken.
    if (other !== undefined && !isAlive(other)) fs.rmSync(breaker, { force: true });
    return;
  }
  try {
    if (sameOwner(readOwner(path), stale)) fs.rmSync(path, { force: true });
  } finally {
    fs.rmSync(breaker, { force: true });
  }
}

/**
 * The owner named by a lock file; undefined when there is none. A file that is not an owner (not ours) counts as a dead
 * owner.
 */
function readOwner(path: string): LockOwner | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const owner = JSON.parse(text);
    if (typeof owner.pid === 'number' && typeof owner.host === 'string' && typeof owner.token === 'string')
      return owner;
  } catch {
    // not JSON: below
  }
  return { pid: -1, host: hostname(), token: text };
}

const sameOwner = (a: LockOwner | undefined, b: LockOwner) =>
  a !== undefined && a.pid === b.pid && a.host === b.host && a.token === b.token;

/**
 * Field 22 of `/proc/<pid>/stat` (starttime, in clock ticks since boot;
 * https://man7.org/linux/man-pages/man5/proc_pid_stat.5.html); undefined elsewhere.
 */
function processStartTime(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count from the last ")".
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}
