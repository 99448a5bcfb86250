import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { HCL_REFUSED, removedStacksWarning } from '../../app/cli';
import { run } from '../../main';

const ROOT = resolve(__dirname, '..', '..');

// The app as a process, on the default configuration and on a bad one, is process.slow.test.ts (`npm run test:slow`);
// the battery of bad inputs runs in process, in bad-input.test.ts.
describe('npm run synth --hcl', () => {
  test('is refused with the reason (Terraform cannot parse what cdktf writes), and writes nothing', () => {
    const outdir = join(mkdtempSync(join(tmpdir(), 'ci-synth-')), 'cdktf.out');
    let stderr = '';
    // `cdktf synth --hcl` tells the app through this variable.
    const status = run({
      env: { SYNTH_HCL_OUTPUT: 'true', CDKTF_OUTDIR: outdir },
      stdout: () => undefined,
      stderr: (text) => (stderr += text),
    });
    expect(status).toBe(1);
    expect(stderr).toBe(`${HCL_REFUSED}\n`);
    expect(existsSync(outdir)).toBe(false);
  });
});

describe('the app command', () => {
  const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts;
  const cdktfApp = JSON.parse(readFileSync(join(ROOT, 'cdktf.json'), 'utf8')).app;

  test('is the same for `cdktf synth` as for `npm run synth`', () => {
    expect(cdktfApp).toBe(scripts.synth);
  });

  test('runs the app from its esbuild bundle (app/launch.cjs), without type-checking', () => {
    // Type-checking is `npm run typecheck`'s job; ts-node or tsx would cost each synth tenths of a second or seconds.
    expect(scripts.synth).toBe('node app/launch.cjs');
  });
});

describe('a synth that no longer writes a stack the last one wrote', () => {
  /** `npm run synth` in process on `config`, into `outdir`: its exit code and what it wrote to stderr. */
  function synth(config: unknown, outdir: string) {
    const file = join(mkdtempSync(join(tmpdir(), 'ci-config-')), 'pipelines.json');
    writeFileSync(file, JSON.stringify(config));
    let stderr = '';
    const status = run({
      env: { CI_PIPELINES_CONFIG: file, CDKTF_OUTDIR: outdir },
      stdout: () => undefined,
      stderr: (text) => (stderr += text),
    });
    return { status, stderr };
  }
  const base = JSON.parse(readFileSync(join(ROOT, 'config', 'pipelines.json'), 'utf8'));
  const renamed = { ...base, pipelines: [{ ...base.pipelines[0], name: 'flask-app' }] };

  test('says what keeps running and how to rename or destroy it, and still writes the new tree', () => {
    const outdir = join(mkdtempSync(join(tmpdir(), 'ci-synth-')), 'cdktf.out');
    expect(synth(base, outdir)).toEqual({ status: 0, stderr: '' });
    const { status, stderr } = synth(renamed, outdir);
    expect(status).toBe(0);
    expect(stderr).toBe(
      removedStacksWarning(['ci-sample-flask-app', 'repo-sample-flask-app'], ['ci-flask-app', 'repo-flask-app']),
    );
    expect(stderr).toContain(
      'which this one does not. What they deployed keeps running, and no deploy will touch them',
    );
    expect(stderr).toContain('("id": "sample-flask-app"); this synth adds ci-flask-app.');
    expect(stderr).toContain('keep its entry with "retired": true, deploy its stack, then remove the entry');
    expect(existsSync(join(outdir, 'stacks', 'ci-flask-app', 'cdk.tf.json'))).toBe(true);
  });

  test('says nothing when the renamed pipeline keeps its identity, or a retired one keeps its stack', () => {
    const outdir = join(mkdtempSync(join(tmpdir(), 'ci-synth-')), 'cdktf.out');
    expect(synth(base, outdir).stderr).toBe('');
    const kept = { ...renamed, pipelines: [{ ...renamed.pipelines[0], id: 'sample-flask-app' }] };
    expect(synth(kept, outdir)).toEqual({ status: 0, stderr: '' });
    const retired = { ...base, pipelines: [{ ...base.pipelines[0], retired: true }] };
    expect(synth(retired, outdir)).toEqual({ status: 0, stderr: '' });
  });
});
