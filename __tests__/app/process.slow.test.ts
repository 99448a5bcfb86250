/**
 * The app as users start it (`npm run synth`: the app's esbuild bundle, through `app/launch.cjs`), as a process: it
 * writes, byte for byte, what a synth in the test process writes (`output.test.ts` checks those bytes), the same with
 * the speedups switched off, and a bad configuration ends it with exit code 1 and every problem, without a stack trace.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { run } from '../../main';
import { appCommand } from '../../scripts/app-command';
import { fileTree } from '../file-tree';
import { PLANTED_SECRETS, plantedSecretsIn, withEnvironment } from '../helpers';

const ROOT = resolve(__dirname, '..', '..');
const app = appCommand();

describe('npm run synth, as a process', () => {
  test('writes the same bytes as a synth in the test process, and no planted secret', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ci-output-'));
    const child = withEnvironment({ ...PLANTED_SECRETS, CI_PIPELINES_CONFIG: undefined }, (env) => {
      expect(run({ env: { ...env, CDKTF_OUTDIR: join(dir, 'in-process') }, stdout: () => undefined })).toBe(0);
      return spawnSync(app.command, app.args, {
        cwd: ROOT,
        env: { ...env, CDKTF_OUTDIR: join(dir, 'spawned') },
        encoding: 'utf8',
      });
    });
    expect({ status: child.status, stderr: child.stderr }).toEqual({ status: 0, stderr: '' });

    const inProcess = fileTree(join(dir, 'in-process'));
    const spawned = fileTree(join(dir, 'spawned'));
    expect(Object.keys(spawned)).toEqual(Object.keys(inProcess));
    for (const [path, content] of Object.entries(inProcess))
      expect({ path, content }).toEqual({ path, content: spawned[path] });
    expect(plantedSecretsIn(spawned)).toEqual([]);
  });

  test('with the speedups off (CI_PIPELINES_SPEEDUPS=off), writes the same bytes as with them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ci-speedups-'));
    const trees = ['on', 'off'].map((setting) => {
      const outdir = join(dir, setting);
      const env = { ...process.env, CDKTF_OUTDIR: outdir, CI_PIPELINES_SPEEDUPS: setting };
      const child = spawnSync(app.command, app.args, { cwd: ROOT, env, encoding: 'utf8' });
      expect({ setting, status: child.status, stderr: child.stderr }).toEqual({ setting, status: 0, stderr: '' });
      return fileTree(outdir);
    });
    expect(Object.keys(trees[0]).length).toBeGreaterThan(3);
    expect(trees[1]).toEqual(trees[0]);
  });

  test('refuses a speedups switch that is neither on nor off, naming it', () => {
    const env = { ...process.env, CI_PIPELINES_SPEEDUPS: 'fast' };
    const result = spawnSync(app.command, app.args, { cwd: ROOT, env, encoding: 'utf8' });
    expect({ status: result.status, stderr: result.stderr }).toEqual({
      status: 1,
      stderr: 'CI_PIPELINES_SPEEDUPS: got "fast"; must be "on" or "off" (unset means "on")\n',
    });
  });

  test('on a bad configuration exits 1 with every problem, no stack trace, and writes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ci-synth-'));
    const outdir = join(dir, 'cdktf.out');
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({
        region: 'eu-west-1',
        state: { bucket: 'my-state-bucket', region: 'eu-west-1', keyPrefix: 'ci' },
        pipelines: [
          {
            name: 'app',
            github: { owner: 'o', repository: 'r', brnach: 'main' },
            registry: { type: 'dockerhub', image: 'o/app' },
            build: { concurrentBuildLimit: 0 },
          },
        ],
      }),
    );
    const env = { ...process.env, CDKTF_OUTDIR: outdir, CI_PIPELINES_CONFIG: join(dir, 'config.json') };
    const result = spawnSync(app.command, app.args, { cwd: ROOT, env, encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('pipelines[0].github.brnach: unknown field');
    expect(result.stderr).toContain('pipelines[0].build.concurrentBuildLimit: got 0; must be an integer >= 1');
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(outdir)).toBe(false);
  });
});
