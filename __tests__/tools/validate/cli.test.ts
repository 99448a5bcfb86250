import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runValidate, skipMessage, USAGE } from '../../../tools/validate/cli';
import { terraformTarget } from '../../../tools/validate/mirror';

async function validate(argv: string[], env: NodeJS.ProcessEnv = process.env) {
  let stdout = '';
  let stderr = '';
  const code = await runValidate(argv, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), env });
  return { code, stdout, stderr };
}

/** A provider mirror that holds hashicorp/aws for this platform. */
function awsMirror(): string {
  const mirror = mkdtempSync(join(tmpdir(), 'mirror-'));
  const binaries = join(mirror, 'registry.terraform.io/hashicorp/aws/5.100.0', terraformTarget());
  mkdirSync(binaries, { recursive: true });
  writeFileSync(join(binaries, 'terraform-provider-aws_v5.100.0_x5'), '');
  return mirror;
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
        'npm run validate: skipped, because the terraform CLI is not on PATH (Terraform 1.11 or later). Nothing was ' +
        'checked.\n',
    });
    const required = await validate(['--require'], withoutTerraform);
    expect(required.code).toBe(1);
    expect(required.stderr).toMatch(/^npm run validate: skipped, because the terraform CLI is not on PATH/);
  });
});

const describeWithTerraform = spawnSync('terraform', ['version']).status === 0 ? describe : describe.skip;

describe('npm run validate -- --print-mirror, for .ci/run', () => {
  test('prints the mirror the variable names on stdout, alone, and how it was found on stderr', async () => {
    const mirror = awsMirror();
    expect(await validate(['--print-mirror'], { ...process.env, CI_PIPELINES_PROVIDER_MIRROR: mirror })).toEqual({
      code: 0,
      stdout: `${mirror}\n`,
      stderr: `Provider mirror: ${mirror} (named by CI_PIPELINES_PROVIDER_MIRROR)\n`,
    });
  });

  test('a variable that names no mirror with hashicorp/aws fails it, so that .ci/run stops', async () => {
    const absent = join(mkdtempSync(join(tmpdir(), 'absent-')), 'mirror');
    const wrong = await validate(['--print-mirror'], { ...process.env, CI_PIPELINES_PROVIDER_MIRROR: absent });
    expect(wrong).toMatchObject({ code: 1, stdout: '' });
    expect(wrong.stderr).toMatch(/^npm run validate: CI_PIPELINES_PROVIDER_MIRROR = ".*\/mirror" is not a directory/);
  });
});

test("a skip prints its reason's first line as the sentence, and Terraform's error under it, indented", () => {
  const reason = "terraform init could not install the providers (Terraform's error below)\nError: Failed\n  - /m";
  expect(skipMessage(reason, false)).toBe(
    "npm run validate: skipped, because terraform init could not install the providers (Terraform's error below). " +
      'Nothing was checked.\n  Error: Failed\n    - /m\n',
  );
  expect(skipMessage('the terraform CLI is not on PATH', true)).toBe(
    'npm run validate: skipped, because the terraform CLI is not on PATH.\n',
  );
});

describeWithTerraform('npm run validate, with Terraform installed', () => {
  test(
    'a mirror that does not exist, or lacks hashicorp/aws, is refused by name, with the layout ' + 'expected',
    async () => {
      const absent = join(mkdtempSync(join(tmpdir(), 'absent-')), 'mirror');
      const missing = await validate([], { ...process.env, CI_PIPELINES_PROVIDER_MIRROR: absent });
      expect(missing).toMatchObject({ code: 1, stdout: '' });
      expect(missing.stderr).toBe(
        `npm run validate: CI_PIPELINES_PROVIDER_MIRROR = "${absent}" is not a directory; ` +
          "name a provider mirror in Terraform's filesystem-mirror layout, " +
          `${absent}/registry.terraform.io/hashicorp/aws/<version>/${terraformTarget()}/terraform-provider-aws_*, ` +
          'or unset it to search\n',
      );
      const empty = await validate([], {
        ...process.env,
        CI_PIPELINES_PROVIDER_MIRROR: mkdtempSync(join(tmpdir(), 'mirror-')),
      });
      expect(empty.code).toBe(1);
      expect(empty.stderr).toMatch(
        /does not hold the hashicorp\/aws provider for .* \(it has no registry\.terraform\.io/,
      );
    },
  );

  test('the first line names the mirror and how it was found', async () => {
    const mirror = awsMirror();
    const empty = mkdtempSync(join(tmpdir(), 'no-stacks-'));
    const result = await validate([empty], { ...process.env, CI_PIPELINES_PROVIDER_MIRROR: mirror });
    expect(result.stdout).toMatch(
      new RegExp(
        `^Terraform [\\d.]+; providers from the filesystem mirror ${mirror} \\(named by ` +
          `CI_PIPELINES_PROVIDER_MIRROR\\)`,
      ),
    );
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
