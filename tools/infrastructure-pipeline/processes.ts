/**
 * The processes the infrastructure pipeline starts: the app's synth (cdktf.json's `app`, as `cdktf synth` runs it),
 * git, and Terraform. Output is captured for the comment and the build log.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StepInputError } from './step-input-error';
import { GITHUB_PROVIDER_TOKEN_VARIABLE } from '../../shared/plan-build';

/** A finished process: its exit code, its standard output, and all it printed (stdout and stderr interleaved). */
export interface ProcessResult {
  readonly code: number;
  readonly stdout: string;
  readonly output: string;
}

/** Runs `command` with `args` (no shell) in `cwd`; never rejects for a non-zero exit. */
export function run(
  command: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ProcessResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      output += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', (error) => resolve({ code: 127, stdout, output: `${output}${command}: ${error.message}\n` }));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal === null ? 1 : 128), stdout, output }));
  });
}

/** Terraform's environment: `GITHUB_TOKEN` is the GitHub provider's token when the build sets one apart. */
export function terraformEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { [GITHUB_PROVIDER_TOKEN_VARIABLE]: providerToken, ...rest } = env;
  return providerToken === undefined ? env : { ...rest, GITHUB_TOKEN: providerToken };
}

/** Runs Terraform with `args` in `cwd`, in {@link terraformEnv}. */
export const runTerraform = (args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env) =>
  run('terraform', args, cwd, terraformEnv(env));

/** cdktf.json's `app`: the command `cdktf synth` runs. */
export function appCommand(projectDir: string): string {
  const file = join(projectDir, 'cdktf.json');
  if (!existsSync(file)) throw new StepInputError(`${file} does not exist: run this in the cdktf project's directory`);
  const app = (JSON.parse(readFileSync(file, 'utf8')) as { app?: unknown }).app;
  if (typeof app !== 'string' || app.trim() === '')
    throw new StepInputError(`${file} has no "app" command: cdktf synth would not know what to run either`);
  return app;
}

/** Runs the app's synth into `outdir`, as `cdktf synth` does (the app reads `CDKTF_OUTDIR`). */
export function synthesize(projectDir: string, outdir: string, env: NodeJS.ProcessEnv = process.env) {
  return run('/bin/sh', ['-c', appCommand(projectDir)], projectDir, { ...env, CDKTF_OUTDIR: outdir });
}

/** The guardrails' summary line of a synth's output ("Guardrails: 3 stacks, ..."), or its last line. */
export function synthSummary(output: string): string {
  const lines = output.split('\n').map((line) => line.trim());
  return lines.find((line) => line.startsWith('Guardrails:')) ?? lines.filter(Boolean).pop() ?? '(no output)';
}
