import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runValidate, USAGE } from '../../../tools/validate/cli';

async function validate(argv: string[], env: NodeJS.ProcessEnv = process.env) {
  let stdout = '';
  let stderr = '';
  const code = await runValidate(argv, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), env });
  return { code, stdout, stderr };
}

/** An environment in which no terraform can be found. */
const withoutTerraform = { ...process.env, PATH: mkdtempSync(join(tmpdir(), 'empty-path-')) };

describe('npm run validate', () => {
  test('--help prints the usage and exits 0; an unknown option exits 2 with the usage', async () => {
    expect(await validate(['--help'])).toEqual({ code: 0, stdout: `${USAGE}\n`, stderr: '' });
    const unknown = await validate(['--frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--frobnicate'");
    expect(unknown.stderr).toContain('Usage: npm run validate');
  });

  test('without Terraform it says it skipped and why, and fails only under --require', async () => {
    const skipped = await validate([], withoutTerraform);
    expect(skipped).toEqual({
      code: 0,
      stdout: '',
      stderr:
        'npm run validate: skipped, because the terraform CLI is not on PATH (Terraform 1.11 or later). Nothing was checked.\n',
    });
    const required = await validate(['--require'], withoutTerraform);
    expect(required.code).toBe(1);
    expect(required.stderr).toMatch(/^npm run validate: skipped, because the terraform CLI is not on PATH/);
  });
});

const describeWithTerraform = spawnSync('terraform', ['version']).status === 0 ? describe : describe.skip;

describeWithTerraform('npm run validate, with Terraform installed', () => {
  test('a mirror that does not exist, or holds no provider, is refused by name', async () => {
    const missing = await validate([], { ...process.env, CI_PIPELINES_PROVIDER_MIRROR: '/nonexistent/mirror' });
    expect(missing).toMatchObject({
      code: 1,
      stderr:
        'npm run validate: CI_PIPELINES_PROVIDER_MIRROR = "/nonexistent/mirror" is not a directory; name a provider filesystem mirror or unset it\n',
    });
    const empty = await validate([], {
      ...process.env,
      CI_PIPELINES_PROVIDER_MIRROR: mkdtempSync(join(tmpdir(), 'mirror-')),
    });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/holds no provider in the mirror layout/);
  });

  test('a directory without stacks is refused, with what to do', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'no-stacks-'));
    const result = await validate([empty], { ...process.env, CI_PIPELINES_PROVIDER_MIRROR: undefined });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `npm run validate: ${empty} has neither a manifest.json (a synth output directory) nor <stack>.tf.json files\n`,
    );
  });
});
