import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../guardrails/cli';
import { CiPipelineStack } from '../../stacks/ci-pipeline-stack';
import { pipelineProps, testApp } from '../helpers';

/** A synth output directory as cdktf writes it, with one stack. */
function synthOutput(json: object): string {
  const outdir = mkdtempSync(join(tmpdir(), 'ci-guardrails-cli-'));
  mkdirSync(join(outdir, 'stacks', 'ci-app'), { recursive: true });
  writeFileSync(join(outdir, 'stacks', 'ci-app', 'cdk.tf.json'), JSON.stringify(json));
  writeFileSync(
    join(outdir, 'manifest.json'),
    JSON.stringify({ stacks: { 'ci-app': { synthesizedStackPath: 'stacks/ci-app/cdk.tf.json' } } }),
  );
  return outdir;
}

/** Runs the command, capturing what it prints. */
function run(argv: readonly string[]) {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((text) => ((stdout += String(text)), true));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((text) => ((stderr += String(text)), true));
  try {
    return { status: main(argv, {}), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('cdktf-ci-guardrails', () => {
  const stack: any = JSON.parse(
    JSON.stringify(
      new CiPipelineStack(testApp(), 'ci-app', {
        pipeline: pipelineProps(),
        region: 'eu-west-1',
        state: {
          bucket: 'my-state-bucket',
          region: 'eu-west-1',
          key: 'ci/app/terraform.tfstate',
          kmsKeyId: 'alias/terraform-state/my-state-bucket',
        },
      }).toTerraform(),
    ),
  );

  test('passes a stack that keeps every rule, and writes the report when asked: exit 0', () => {
    const outdir = synthOutput(stack);
    const result = run([outdir, '--report', join(outdir, 'report.md')]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Guardrails: 1 stack, \d+ checks, no findings, 5 suppressed with reasons\n$/);
    expect(readFileSync(join(outdir, 'report.md'), 'utf8')).toContain('ci-app');
  });

  test("lists a team's stack's findings with their fixes: exit 1", () => {
    const broken = JSON.parse(JSON.stringify(stack));
    for (const bucket of Object.values<any>(broken.resource.aws_s3_bucket_public_access_block))
      bucket.block_public_acls = false;
    const result = run([synthOutput(broken)]);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/, \d+ findings?, /);
    expect(result.stdout).toMatch(
      /^ {2}- \[ci-app\/ci\/artifacts\/public-access-block\] \S+ .*block_public_acls.* Fix: /m,
    );
  });

  test('a directory without a synth output is a user error, told in one line: exit 1', () => {
    const result = run([mkdtempSync(join(tmpdir(), 'ci-empty-'))]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^cdktf-ci-guardrails: .*manifest\.json does not exist: synthesize first/);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  test('--help prints the usage (exit 0); an unknown option or two directories are usage errors (exit 2)', () => {
    expect(run(['--help'])).toMatchObject({ status: 0, stdout: expect.stringContaining('Usage: cdktf-ci-guardrails') });
    expect(run(['--strict'])).toMatchObject({
      status: 2,
      stderr: expect.stringContaining("Unknown option '--strict'"),
    });
    expect(run(['a', 'b'])).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('expected at most one output directory, got 2'),
    });
  });
});
