/**
 * The app as users start it (`npm run synth`: the app's bundle, built by
 * `loader/run.cjs` when anything changed), as a process: it writes, byte for
 * byte, what a synth in the test process writes (`output.test.ts` checks those
 * bytes), and a bad configuration ends it with exit code 1 and every problem,
 * without a stack trace. In `npm run test:slow`: after each edit, the first
 * run builds the bundle again (about 2.5 CPU-seconds).
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
