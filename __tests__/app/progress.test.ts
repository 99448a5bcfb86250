import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesizeChecked } from '../../app/synthesize';
import { parseConfig } from '../../config/load';
import { buildStacks, run } from '../../main';
import { validConfigDocument } from '../helpers';

/** A configuration of `count` pipelines. */
function fleet(count: number) {
  const document: any = validConfigDocument();
  const base = document.pipelines[0];
  document.pipelines = Array.from({ length: count }, (_, index) => ({
    ...base,
    name: `app-${index}`,
    github: { ...base.github, repository: `app-${index}` },
  }));
  return document;
}

describe('progress on long synths', () => {
  test('each stack synthesized is reported, as done of all', () => {
    const calls: [number, number][] = [];
    const outdir = join(mkdtempSync(join(tmpdir(), 'ci-progress-')), 'cdktf.out');
    const reports = synthesizeChecked(outdir, (app) => buildStacks(app, parseConfig(fleet(3))).all, {
      onProgress: (done, total) => calls.push([done, total]),
    });
    // The bootstrap stack, and each pipeline's repository and pipeline stacks.
    expect(reports).toHaveLength(7);
    expect(calls).toEqual([1, 2, 3, 4, 5, 6, 7].map((done) => [done, 7]));
  });

  /** Runs the app on a fleet of two pipelines (five stacks), capturing what it prints. */
  function runFleet(progress?: boolean) {
    const dir = mkdtempSync(join(tmpdir(), 'ci-progress-'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify(fleet(2)));
    let stdout = '';
    let stderr = '';
    const env = { CI_PIPELINES_CONFIG: join(dir, 'config.json'), CDKTF_OUTDIR: join(dir, 'cdktf.out') };
    const status = run({ env, stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), progress });
    return { status, stdout, stderr };
  }

  test('on a terminal, one line on stderr is rewritten, then cleared for the summary on stdout', () => {
    const { status, stdout, stderr } = runFleet(true);
    expect(status).toBe(0);
    expect(stderr).toBe([1, 2, 3, 4].map((done) => `\rSynthesizing stacks: ${done} of 5\x1b[K`).join('') + '\r\x1b[K');
    expect(stdout).toMatch(/^Guardrails: 5 stacks, \d+ checks, no findings/);
  });

  test('elsewhere (a log, a pipe), only the summary line', () => {
    const { status, stdout, stderr } = runFleet();
    expect(status).toBe(0);
    expect(stderr).toBe('');
    expect(stdout.split('\n').filter((line) => line !== '')).toHaveLength(1);
  });
});
