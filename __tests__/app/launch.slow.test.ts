/**
 * How the app starts (`app/launch.cjs`, behind `npm run synth` and `cdktf synth`): esbuild builds the bundle when it is
 * missing or one of our files changed, and a synth after an edit of the configuration alone runs the bundle as it is.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APP_BUILD_DIR, appCommand, PROJECT_ROOT } from '../../scripts/app-command';

const app = appCommand();
const bundle = join(APP_BUILD_DIR, 'main.js');
const builtAt = () => statSync(bundle).mtimeMs;

function synth(env: NodeJS.ProcessEnv = {}): void {
  const outdir = join(mkdtempSync(join(tmpdir(), 'ci-launch-')), 'cdktf.out');
  const result = spawnSync(app.command, app.args, {
    cwd: PROJECT_ROOT,
    env: { ...process.env, CDKTF_OUTDIR: outdir, ...env },
    encoding: 'utf8',
  });
  expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
}

describe('app/launch.cjs', () => {
  beforeAll(() => synth());

  test('records what the bundle was built from: our files and the packages, as esbuild read them', () => {
    const metafile = JSON.parse(readFileSync(join(APP_BUILD_DIR, 'meta.json'), 'utf8'));
    expect(metafile.buildStartedAt).toBeLessThanOrEqual(builtAt());
    expect(Object.keys(metafile.inputs)).toEqual(
      expect.arrayContaining(['main.ts', 'config/load.ts', expect.stringMatching(/^node_modules\/cdktf\//)]),
    );
  });

  test('a synth with another configuration runs the same bundle: no build', () => {
    const before = builtAt();
    const config = join(mkdtempSync(join(tmpdir(), 'ci-launch-config-')), 'pipelines.json');
    const document = JSON.parse(readFileSync(join(PROJECT_ROOT, 'config', 'pipelines.json'), 'utf8'));
    writeFileSync(config, JSON.stringify({ ...document, pipelines: [{ ...document.pipelines[0], name: 'other' }] }));
    synth({ CI_PIPELINES_CONFIG: config });
    expect(builtAt()).toBe(before);
  });

  test('a source file changed since the build: the next synth builds again', () => {
    const before = builtAt();
    const source = join(PROJECT_ROOT, 'shared', 'artifact-store.ts');
    const { atime, mtime } = statSync(source);
    utimesSync(source, new Date(), new Date());
    try {
      synth();
      expect(builtAt()).toBeGreaterThan(before);
    } finally {
      utimesSync(source, atime, mtime);
    }
  });
});
