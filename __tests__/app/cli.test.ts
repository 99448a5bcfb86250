import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { HCL_REFUSED } from '../../app/cli';
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
