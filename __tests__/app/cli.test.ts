import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { HCL_REFUSED } from '../../app/cli';
import { appCommand } from '../../scripts/app-command';

const ROOT = resolve(__dirname, '..', '..');
const app = appCommand();

/** Runs the app the way `npm run synth` does, with its own config file and output directory. */
function runSynth(config: unknown, extraEnv: NodeJS.ProcessEnv = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'ci-synth-'));
  const outdir = join(dir, 'cdktf.out');
  const env: NodeJS.ProcessEnv = { ...process.env, CDKTF_OUTDIR: outdir, ...extraEnv };
  if (config !== undefined) {
    const path = join(dir, 'config.json');
    writeFileSync(path, typeof config === 'string' ? config : JSON.stringify(config));
    env.CI_PIPELINES_CONFIG = path;
  } else {
    delete env.CI_PIPELINES_CONFIG;
  }
  const result = spawnSync(app.command, app.args, { cwd: ROOT, env, encoding: 'utf8' });
  return { ...result, outdir };
}

// The default configuration's run as a process is in output.test.ts; the battery of bad inputs in bad-input.test.ts.
describe('npm run synth', () => {
  test('a bad configuration exits 1 with every problem, no stack trace, and writes nothing', () => {
    const result = runSynth({
      region: 'eu-west-1',
      state: { bucket: 'my-state-bucket', region: 'eu-west-1', keyPrefix: 'ci' },
      pipelines: [{ name: 'app', github: { owner: 'o', repository: 'r', brnach: 'main' }, registry: { type: 'dockerhub', image: 'o/app' }, build: { concurrentBuildLimit: 0 } }],
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('pipelines[0].github.brnach: unknown field');
    expect(result.stderr).toContain('pipelines[0].build.concurrentBuildLimit: got 0; must be an integer >= 1');
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(result.outdir)).toBe(false);
  });

  test('a file that is not JSON exits 1 without a stack trace', () => {
    const result = runSynth('not json');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/the file is not valid JSON/);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(result.outdir)).toBe(false);
  });
});

describe('npm run synth --hcl', () => {
  test('is refused with the reason (Terraform cannot parse what cdktf writes), and writes nothing', () => {
    // `cdktf synth --hcl` tells the app through this variable.
    const result = runSynth(undefined, { SYNTH_HCL_OUTPUT: 'true' });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`${HCL_REFUSED}\n`);
    expect(existsSync(result.outdir)).toBe(false);
  });
});

describe('the app command', () => {
  const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts;
  const cdktfApp = JSON.parse(readFileSync(join(ROOT, 'cdktf.json'), 'utf8')).app;

  test('is the same for `cdktf synth` as for `npm run synth`', () => {
    expect(cdktfApp).toBe(scripts.synth);
  });

  test("runs the app as one bundle through the project's loader, without type-checking", () => {
    // Type-checking is `npm run typecheck`'s job; ts-node or tsx would cost each synth tenths of a second or seconds.
    expect(scripts.synth).toBe('node ./loader/run.cjs main.ts');
  });
});
