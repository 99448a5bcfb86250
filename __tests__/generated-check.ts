import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const PROJECT_ROOT = join(__dirname, '..');

/** What `scripts/<script> --check` reports: a generated file up to date exits 0 and says so, with nothing on stderr. */
export function checkGenerated(script: string): { status: number | null; stdout: string; stderr: string } {
  const check = spawnSync(process.execPath, ['--import', 'tsx', join('scripts', script), '--check'], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
  });
  return { status: check.status, stdout: check.stdout, stderr: check.stderr };
}

/** The report of a generated file that is up to date. */
export const UP_TO_DATE = { status: 0, stdout: 'up to date\n', stderr: '' };
