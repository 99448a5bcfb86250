/**
 * The whole output directory, as `npm run synth` writes it: deterministic, and
 * free of any secret a user could hand the app through its environment or
 * Terraform variables.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { run } from '../../main';
import { appCommand } from '../../scripts/app-command';
import { fileTree } from '../file-tree';

const ROOT = resolve(__dirname, '..', '..');
const app = appCommand();

/** Recognisable values wherever a user could supply a secret; none may reach the output. */
const PLANTED = {
  TF_VAR_dockerhub_username: 'planted-user-7c1e',
  TF_VAR_dockerhub_password: 'planted-password-3f9a',
  TF_VAR_dockerhub_credentials_version: '424242',
  DOCKERHUB_USERNAME: 'planted-env-user-5b0c',
  DOCKERHUB_PASSWORD: 'planted-env-password-81d2',
  GITHUB_TOKEN: 'ghp_planted0token0value0000000000000000',
  GITHUB_WEBHOOK_SECRET: 'planted-webhook-secret-6e3d',
  AWS_ACCESS_KEY_ID: 'AKIAPLANTED000000000',
  AWS_SECRET_ACCESS_KEY: 'planted/aws/secret/key/0000000000000000000',
  AWS_SESSION_TOKEN: 'planted-session-token-0a9f',
};

describe('the output directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ci-output-'));
  const inProcess = join(dir, 'in-process');
  const spawned = join(dir, 'spawned');
  const env: NodeJS.ProcessEnv = { ...process.env, ...PLANTED };
  delete env.CI_PIPELINES_CONFIG;

  let status: number;
  let child: ReturnType<typeof spawnSync>;
  beforeAll(() => {
    const saved = process.env;
    process.env = { ...env };
    try {
      status = run({ env: { ...env, CDKTF_OUTDIR: inProcess }, stdout: () => undefined });
    } finally {
      process.env = saved;
    }
    child = spawnSync(app.command, app.args, { cwd: ROOT, env: { ...env, CDKTF_OUTDIR: spawned }, encoding: 'utf8' });
  });

  test('both runs succeed', () => {
    expect(status).toBe(0);
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
  });

  test('is byte-identical across runs and processes', () => {
    const first = new Map(Object.entries(fileTree(inProcess)));
    const second = new Map(Object.entries(fileTree(spawned)));
    expect([...first.keys()]).toEqual([...second.keys()]);
    expect([...first.keys()]).toEqual(
      expect.arrayContaining(['guardrails-report.md', 'manifest.json', join('stacks', 'ci-sample-flask-app', 'cdk.tf.json'), join('stacks', 'state-bootstrap', 'cdk.tf.json')]),
    );
    for (const [path, content] of first) expect({ path, content }).toEqual({ path, content: second.get(path) });
  });

  test('holds no planted secret in any file', () => {
    for (const [path, content] of [...new Map(Object.entries(fileTree(inProcess))), ...new Map(Object.entries(fileTree(spawned)))]) {
      for (const [name, value] of Object.entries(PLANTED)) {
        expect({ path, name, found: content.includes(value) }).toEqual({ path, name, found: false });
      }
    }
  });
});
