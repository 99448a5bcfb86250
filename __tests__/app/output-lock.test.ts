import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive, lockPath, OutputLock, tryLock } from '../../app/output-lock';

const outdirIn = () => join(mkdtempSync(join(tmpdir(), 'ci-lock-')), 'cdktf.out');
/** A pid that no process has now: that of a child that has exited. */
const deadPid = () => spawnSync(process.execPath, ['--version']).pid!;
const ownerIn = (outdir: string) => JSON.parse(readFileSync(lockPath(outdir), 'utf8'));

describe('the output directory lock', () => {
  test('is taken when free, refused while held by a live process, and free again once released', () => {
    const outdir = outdirIn();
    const first = tryLock(outdir);
    expect(first).toBeInstanceOf(OutputLock);
    expect(ownerIn(outdir)).toMatchObject({ pid: process.pid, host: hostname() });
    const second = tryLock(outdir);
    expect(second).not.toBeInstanceOf(OutputLock);
    expect(second).toMatchObject({ pid: process.pid });
    (first as OutputLock).release();
    expect(existsSync(lockPath(outdir))).toBe(false);
    const third = tryLock(outdir);
    expect(third).toBeInstanceOf(OutputLock);
    (third as OutputLock).release();
    expect(readdirSync(join(outdir, '..'))).toEqual([]);
  });

  test.each([
    ['a process that died', () => ({ pid: deadPid(), host: hostname(), token: 'dead' })],
    [
      'a pid now reused by another process (another start time)',
      () => ({ pid: process.pid, host: hostname(), started: '1', token: 'reused' }),
    ],
    ['a file that names no owner', () => 'garbage'],
  ])('left by %s is stale, and taken', (_, owner) => {
    const outdir = outdirIn();
    const content = owner();
    writeFileSync(lockPath(outdir), typeof content === 'string' ? content : JSON.stringify(content));
    const lock = tryLock(outdir);
    expect(lock).toBeInstanceOf(OutputLock);
    expect(ownerIn(outdir).pid).toBe(process.pid);
    (lock as OutputLock).release();
  });

  test('held by a process on another host is not taken: its pid means nothing here', () => {
    const outdir = outdirIn();
    writeFileSync(lockPath(outdir), JSON.stringify({ pid: deadPid(), host: `not-${hostname()}`, token: 'remote' }));
    expect(tryLock(outdir)).toMatchObject({ host: `not-${hostname()}` });
  });

  test('released by a process whose lock was taken over removes only its own', () => {
    const outdir = outdirIn();
    const mine = tryLock(outdir) as OutputLock;
    const other = { pid: process.pid, host: hostname(), token: 'other' };
    writeFileSync(lockPath(outdir), JSON.stringify(other));
    mine.release();
    expect(ownerIn(outdir)).toEqual(other);
  });

  test('a live process is alive, a dead one is not, and pid 0 or -1 (process groups) never is', () => {
    expect(isAlive({ pid: process.pid, host: hostname(), token: '' })).toBe(true);
    expect(isAlive({ pid: deadPid(), host: hostname(), token: '' })).toBe(false);
    expect(isAlive({ pid: 0, host: hostname(), token: '' })).toBe(false);
    expect(isAlive({ pid: -1, host: hostname(), token: '' })).toBe(false);
  });
});
