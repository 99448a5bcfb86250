/**
 * A change to the configuration, as both paths of the infrastructure pipeline read it: the head synthesized (the
 * guardrails run in synth), the base synthesized in a git worktree when there is one, the stacks the change affects,
 * and each of them planned with a saved plan, in the order a merge applies them.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { AffectedStacks, affectedStacks } from './affected-stacks';
import { run, synthesize, synthSummary } from './processes';
import { selfUpdateFirst, StackLevels } from './stack-order';
import { planStack, StackOutcome } from './stack-plans';
import { StepInputError } from './step-input-error';
import { readSynthOutput, SynthOutput } from './synth-output';

/** What to plan. */
export interface ChangeSetOptions {
  /** The cdktf project, checked out at the change's head. */
  readonly projectDir: string;
  /** Where synth outputs, the base's worktree and the saved plans are written; emptied first. */
  readonly workDir: string;
  /** The git revision the change is compared with (its merge base with HEAD); undefined plans every stack. */
  readonly base?: string;
  /** The infrastructure pipeline's own stack, planned (and applied) first. @default - none */
  readonly selfStack?: string;
  /** The environment of synth, git and Terraform. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Progress for the build log. @default - none */
  readonly log?: (line: string) => void;
  /**
   * Plan as a preview: no state lock taken and no refresh of what the stacks manage (`terraform plan -lock=false
   * -refresh=false`), so a pull request's build changes nothing and reads only the state and the data sources, not
   * the values of what the stacks hold (a managed secret's version). The merge path's plans, which are applied, lock
   * and refresh.
   * @default false
   */
  readonly preview?: boolean;
}

/** The change, planned. */
export interface ChangeSet {
  /** The head commit. */
  readonly commit: string;
  /** The head's synth: its guardrails summary line, and the end of its output when it failed. */
  readonly synth: { readonly ok: boolean; readonly summary: string; readonly error?: string };
  readonly affected: AffectedStacks;
  /** The order the stacks were planned in, and are applied in. */
  readonly order: StackLevels;
  readonly outcomes: readonly StackOutcome[];
  /** Where the saved plans are: `<stack>.tfplan` and `<stack>.json`. */
  readonly plansDir: string;
  /** Why the base could not be compared, when it was asked for and could not be: every stack was then planned. */
  readonly baseProblem?: BaseProblem;
}

/** Runs git in `projectDir`; its standard output, trimmed. */
export async function git(projectDir: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  const result = await run('git', args, projectDir, env);
  if (result.code !== 0) throw new Error(`git ${args.join(' ')} failed:\n${result.output.trim()}`);
  return result.stdout.trim();
}

/** Why the base could not be compared; `blocks` when the change cannot be judged without it. */
export interface BaseProblem {
  readonly reason: string;
  /** True when git could not find the base, so removed stacks would go unseen; false when the base's synth failed. */
  readonly blocks: boolean;
}

/**
 * Makes `base` and its history reachable in a CodeBuild clone, which holds only the branch it built, often shallow
 * (CodeBuild User Guide, "Source version sample"): fetches `origin/<branch>` when it is missing, and the history when
 * the clone is shallow, so that `git merge-base` can answer.
 */
async function fetchBase(projectDir: string, base: string, env: NodeJS.ProcessEnv): Promise<void> {
  const exists = await run('git', ['rev-parse', '--verify', '--quiet', `${base}^{commit}`], projectDir, env);
  const branch = /^origin\/(.+)$/.exec(base)?.[1];
  if (exists.code !== 0 && branch !== undefined)
    await git(projectDir, ['fetch', '--no-tags', 'origin', `+refs/heads/${branch}:refs/remotes/origin/${branch}`], env);
  if ((await git(projectDir, ['rev-parse', '--is-shallow-repository'], env)) === 'true')
    await git(projectDir, ['fetch', '--no-tags', '--unshallow', 'origin'], env);
}

/**
 * The base's synth output, from a worktree at the merge base, or why there is none (every stack then counts as
 * changed). The worktree shares the head's node_modules when the lock file is the same, and installs its own
 * otherwise.
 */
async function synthesizeBase(
  options: ChangeSetOptions,
  base: string,
  env: NodeJS.ProcessEnv,
): Promise<SynthOutput | BaseProblem> {
  const source = join(options.workDir, 'base-source');
  const outdir = join(options.workDir, 'base-out');
  let mergeBase: string;
  try {
    await fetchBase(options.projectDir, base, env);
    mergeBase = await git(options.projectDir, ['merge-base', base, 'HEAD'], env);
    await git(options.projectDir, ['worktree', 'add', '--detach', '--force', source, mergeBase], env);
  } catch (error) {
    return { reason: `git could not find the base ${base}: ${(error as Error).message}`, blocks: true };
  }
  try {
    const lock = (dir: string) => join(dir, 'package-lock.json');
    const sameLock =
      existsSync(lock(source)) && readFileSync(lock(source), 'utf8') === readFileSync(lock(options.projectDir), 'utf8');
    if (sameLock) symlinkSync(join(options.projectDir, 'node_modules'), join(source, 'node_modules'), 'dir');
    else {
      const installed = await run('npm', ['ci', '--no-audit', '--no-fund'], source, env);
      if (installed.code !== 0) throw new Error(`npm ci of the base failed:\n${installed.output.trim()}`);
    }
    const synth = await synthesize(source, outdir, env);
    if (synth.code !== 0) throw new Error(`the base's synth failed: ${synthSummary(synth.output)}`);
    return readSynthOutput(outdir);
  } catch (error) {
    return { reason: (error as Error).message, blocks: false };
  } finally {
    await run('git', ['worktree', 'remove', '--force', source], options.projectDir, env);
  }
}

/** Plans the stacks level by level, in the order they are applied. */
async function planInOrder(head: SynthOutput, order: StackLevels, plansDir: string, options: ChangeSetOptions) {
  const outcomes: StackOutcome[] = [];
  for (const level of order)
    for (const id of level) {
      options.log?.(`Planning ${id}`);
      outcomes.push(
        await planStack(head.stacks.get(id)!, plansDir, options.env ?? process.env, options.preview ?? false),
      );
    }
  return outcomes;
}

/** Synthesizes the change and plans every stack it affects. */
export async function planChangeSet(options: ChangeSetOptions): Promise<ChangeSet> {
  const env = options.env ?? process.env;
  rmSync(options.workDir, { recursive: true, force: true });
  mkdirSync(options.workDir, { recursive: true });
  const headDir = join(options.workDir, 'head-out');
  const plansDir = join(options.workDir, 'plans');
  options.log?.('Synthesizing the head');
  const result = await synthesize(options.projectDir, headDir, env);
  const commit = await git(options.projectDir, ['rev-parse', 'HEAD'], env).catch((error: Error) => {
    throw new StepInputError(
      `${options.projectDir} is not a git checkout, which the pipeline's steps read (a CodePipeline source must be a ` +
        `full clone, not a ZIP): ${error.message.split('\n').pop()}`,
    );
  });
  const ok = result.code === 0;
  const synth = {
    ok,
    summary: synthSummary(result.output),
    error: ok ? undefined : result.output.trim().split('\n').slice(-30).join('\n'),
  };
  if (!ok) {
    const affected = affectedStacks(undefined, { directory: headDir, stacks: new Map() });
    return { commit, synth, affected, order: [], outcomes: [], plansDir };
  }
  const head = readSynthOutput(headDir);
  const compared = options.base === undefined ? undefined : await synthesizeBase(options, options.base, env);
  const baseOutput = compared !== undefined && 'stacks' in compared ? compared : undefined;
  const baseProblem = compared !== undefined && !('stacks' in compared) ? compared : undefined;
  if (baseProblem !== undefined) options.log?.(`Every stack is planned: ${baseProblem.reason}`);
  const affected = affectedStacks(baseOutput, head);
  const order = selfUpdateFirst(head.stacks, affected.toPlan, options.selfStack);
  const outcomes = await planInOrder(head, order, plansDir, options);
  return { commit, synth, affected, order, outcomes, plansDir, baseProblem };
}
