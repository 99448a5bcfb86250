/**
 * A step of the infrastructure pipeline as its buildspec runs it: `cdktf-ci-infrastructure <args>` by bash, in a
 * checked-out project. Asynchronous, since the stand-ins it calls answer from the test's own process.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = join(__dirname, '..', '..', 'tools', 'infrastructure-pipeline', 'cli.ts');

export interface StepResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runStep(args: string, cwd: string, env: NodeJS.ProcessEnv): Promise<StepResult> {
  const child = spawn('bash', ['-c', `npx tsx ${CLI} ${args}`], { cwd, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

/**
 * The environment of a step whose `terraform` is the stand-in (stand-in-terraform.ts: real Terraform, the github
 * and random providers cut, the AWS provider pointed at `awsEndpoint`, state in `stateDir`): a directory with the
 * stand-in first on PATH, and the real binary. Each call the stand-in takes is logged to `<stateDir>/terraform.log`
 * as `<stack> <arguments>`.
 */
export function standInTerraformEnv(base: NodeJS.ProcessEnv, awsEndpoint: string, stateDir: string): NodeJS.ProcessEnv {
  const bin = mkdtempSync(join(tmpdir(), 'stand-in-bin-'));
  const log = join(stateDir, 'terraform.log');
  const tsx = join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx');
  writeFileSync(
    join(bin, 'terraform'),
    '#!/bin/sh\n' +
      `echo "$(basename "$PWD") $*" >> "${log}"\n` +
      `exec "${tsx}" "${join(__dirname, 'stand-in-terraform.ts')}" "$@"\n`,
  );
  chmodSync(join(bin, 'terraform'), 0o755);
  return {
    ...base,
    PATH: `${bin}:${base.PATH ?? process.env.PATH}`,
    STAND_IN_TERRAFORM: spawnSync('sh', ['-c', 'command -v terraform'], { encoding: 'utf8' }).stdout.trim(),
    STAND_IN_AWS_ENDPOINT: awsEndpoint,
    STAND_IN_STATE_DIR: stateDir,
  };
}
