/**
 * The whole output directory, as `npm run synth` writes it: the stacks, the
 * manifest and the guardrails report, free of any secret a user could hand the
 * app through its environment or Terraform variables. The app as a process,
 * writing these same bytes, is `process.slow.test.ts` (`npm run test:slow`).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../main';
import { fileTree } from '../file-tree';
import { PLANTED_SECRETS, plantedSecretsIn, withEnvironment } from '../helpers';

describe('the output directory', () => {
  const outdir = join(mkdtempSync(join(tmpdir(), 'ci-output-')), 'cdktf.out');
  let status: number;
  let files: Record<string, string>;
  beforeAll(() => {
    // In the process's environment too: the app reads some of it from there.
    status = withEnvironment({ ...PLANTED_SECRETS, CI_PIPELINES_CONFIG: undefined }, (env) =>
      run({ env: { ...env, CDKTF_OUTDIR: outdir }, stdout: () => undefined }),
    );
    files = fileTree(outdir);
  });

  test('holds the stacks, the manifest and the guardrails report', () => {
    expect(status).toBe(0);
    expect(Object.keys(files)).toEqual(
      expect.arrayContaining([
        'guardrails-report.md',
        'manifest.json',
        join('stacks', 'ci-sample-flask-app', 'cdk.tf.json'),
        join('stacks', 'state-bootstrap', 'cdk.tf.json'),
      ]),
    );
  });

  test('holds no planted secret in any file', () => {
    expect(plantedSecretsIn(files)).toEqual([]);
  });
});
