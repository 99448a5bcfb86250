/**
 * Terraform plans of stacks, each saved (`-out`) and shown as JSON, as the pipeline keeps them: the merge path applies
 * exactly the saved plan, and the summary reads the JSON.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { PLAN_BUILD_VARIABLES } from '../../shared/plan-build';
import { parsePlan, Plan } from '../plan-summary';
import { runTerraform } from './processes';
import { SynthesizedStackInfo } from './synth-output';

/** What happened to one stack: planned (the plan as JSON), failed (Terraform's error), or skipped (why). */
export type StackOutcome =
  | { readonly stack: string; readonly kind: 'planned'; readonly plan: Plan }
  | { readonly stack: string; readonly kind: 'failed'; readonly error: string }
  | { readonly stack: string; readonly kind: 'skipped'; readonly reason: string };

/** Where a stack's saved plan and its JSON are kept. */
export const planFiles = (plansDir: string, stack: string) => ({
  binary: join(plansDir, `${stack}.tfplan`),
  json: join(plansDir, `${stack}.json`),
});

/**
 * Why a stack is not planned, or undefined when it is. A stack whose state is local lives on the machine that last
 * deployed it: a build's fresh machine would plan it as new.
 */
export function unplannable(stack: SynthesizedStackInfo): string | undefined {
  if (stack.backend === undefined || stack.backend === 'local')
    return 'its state is local (on the machine that deployed it), so a build would plan it as new; deploy it there';
  return undefined;
}

/**
 * Why the build's role cannot read a stack's state, or undefined when it can or the build does not say: a build that
 * names the state its role may read ({@link PLAN_BUILD_VARIABLES}) refuses a stack whose S3 state is elsewhere, with
 * what to change, instead of Terraform's AccessDenied.
 */
export function stateOutOfReach(stack: SynthesizedStackInfo, env: NodeJS.ProcessEnv): string | undefined {
  const bucket = env[PLAN_BUILD_VARIABLES.stateBucket];
  const prefix = env[PLAN_BUILD_VARIABLES.stateKeyPrefix];
  if (bucket === undefined || prefix === undefined || stack.s3State === undefined) return undefined;
  const { bucket: stateBucket, key } = stack.s3State;
  if (stateBucket === bucket && key.startsWith(`${prefix}/`)) return undefined;
  return (
    `its state, s3://${stateBucket}/${key}, is outside what this build's role may read ` +
    `(s3://${bucket}/${prefix}/): keep it under that prefix, or give the infrastructure pipeline this bucket and prefix`
  );
}

/** Terraform's error, from its first "Error:" (40 lines at most): enough for a comment, never the whole log. */
export function errorOf(output: string): string {
  // Without colour, or the box Terraform draws left of each diagnostic.
  const lines = stripVTControlCharacters(output)
    .split('\n')
    .map((line) => line.replace(/^[│╷╵] ?/, '').trimEnd())
    .filter((line) => line.trim() !== '');
  const start = lines.findIndex((line) => /Error:/.test(line));
  return lines
    .slice(start >= 0 ? start : Math.max(0, lines.length - 20))
    .slice(0, 40)
    .join('\n');
}

/**
 * A preview's plan options: no lock taken (nothing written) and no refresh (nothing the stacks hold read), so the
 * plan shows what the change does to the state as last applied, not drift since.
 */
export const PREVIEW_PLAN_OPTIONS: readonly string[] = ['-lock=false', '-refresh=false'];

/** `terraform init`, `plan -out` and `show -json` of one stack; the outcome for the comment. */
export async function planStack(
  stack: SynthesizedStackInfo,
  plansDir: string,
  env: NodeJS.ProcessEnv = process.env,
  preview = false,
): Promise<StackOutcome> {
  const reason = unplannable(stack);
  if (reason !== undefined) return { stack: stack.id, kind: 'skipped', reason };
  const outOfReach = stateOutOfReach(stack, env);
  if (outOfReach !== undefined) return { stack: stack.id, kind: 'failed', error: outOfReach };
  mkdirSync(plansDir, { recursive: true });
  const files = planFiles(plansDir, stack.id);
  const steps: (readonly string[])[] = [
    ['init', '-input=false', '-no-color'],
    ['plan', '-input=false', '-no-color', ...(preview ? PREVIEW_PLAN_OPTIONS : []), `-out=${files.binary}`],
  ];
  for (const args of steps) {
    const result = await runTerraform(args, stack.workingDirectory, env);
    if (result.code !== 0)
      return { stack: stack.id, kind: 'failed', error: `terraform ${args[0]}:\n${errorOf(result.output)}` };
  }
  const shown = await runTerraform(['show', '-json', '-no-color', files.binary], stack.workingDirectory, env);
  if (shown.code !== 0) return { stack: stack.id, kind: 'failed', error: `terraform show:\n${errorOf(shown.output)}` };
  writeFileSync(files.json, shown.stdout);
  return { stack: stack.id, kind: 'planned', plan: parsePlan(JSON.parse(shown.stdout), files.json) };
}
