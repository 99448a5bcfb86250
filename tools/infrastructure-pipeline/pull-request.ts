/**
 * The pull-request build of the infrastructure pipeline: synth and guardrails of the head, synth of the base (in a git
 * worktree), a plan of every stack the change affects in the order they will be applied, then one comment on the pull
 * request, updated in place, and the commit status the branch protection requires.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { affectedStacks } from './affected-stacks';
import { GitHubTarget, setCommitStatus, upsertComment } from './github-api';
import { run, synthesize, synthSummary } from './processes';
import {
  commitStatus,
  CommitStatus,
  DESTROYS_TRAILER,
  PullRequestReport,
  renderComment,
  StackOutcome,
} from './pull-request-comment';
import { selfUpdateFirst } from './stack-order';
import { planStack } from './stack-plans';
import { readSynthOutput, SynthOutput } from './synth-output';

/** What the pull-request build needs to know. */
export interface PullRequestOptions {
  /** The cdktf project, checked out at the pull request's head. */
  readonly projectDir: string;
  /** Where synth outputs, the base's worktree, plans and the comment are written. */
  readonly workDir: string;
  /** The git revision the pull request merges into (its merge base with HEAD is compared). */
  readonly base: string;
  /** Where the comment and status go; undefined for a dry run, which only writes them to `workDir`. */
  readonly github?: GitHubTarget & { readonly pullRequest: number; readonly statusContext: string };
  /** The infrastructure pipeline's own stack, planned (and applied) first. @default - none */
  readonly selfStack?: string;
  /** A link to the build's log for the comment and the status. @default - none */
  readonly buildUrl?: string;
  /** The environment of synth and Terraform. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Progress for the build log. @default - none */
  readonly log?: (line: string) => void;
}

/** What the build did. */
export interface PullRequestResult {
  readonly report: PullRequestReport;
  readonly comment: string;
  readonly status: CommitStatus;
}

async function git(projectDir: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  const result = await run('git', args, projectDir, env);
  if (result.code !== 0) throw new Error(`git ${args.join(' ')} failed:\n${result.output.trim()}`);
  return result.stdout.trim();
}

/**
 * The base's synth output, from a worktree at the merge base; undefined (every stack then counts as changed) when it
 * cannot be synthesized, with the reason logged. The worktree shares the head's node_modules when the lock file is the
 * same, and installs its own otherwise.
 */
async function synthesizeBase(options: PullRequestOptions, env: NodeJS.ProcessEnv): Promise<SynthOutput | undefined> {
  const log = options.log ?? (() => undefined);
  const source = join(options.workDir, 'base-source');
  const outdir = join(options.workDir, 'base-out');
  try {
    const mergeBase = await git(options.projectDir, ['merge-base', options.base, 'HEAD'], env);
    await git(options.projectDir, ['worktree', 'add', '--detach', '--force', source, mergeBase], env);
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
    log(`Every stack is planned: the base could not be compared (${(error as Error).message})`);
    return undefined;
  } finally {
    await run('git', ['worktree', 'remove', '--force', source], options.projectDir, env);
  }
}

/** The `<stack>/<address>` values of the commit's {@link DESTROYS_TRAILER} trailers. */
async function acknowledgedLosses(projectDir: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const format = `--format=%(trailers:key=${DESTROYS_TRAILER},valueonly,separator=%x0A)`;
  const values = await git(projectDir, ['log', '-1', format, 'HEAD'], env);
  return values
    .split('\n')
    .map((value) => value.trim())
    .filter(Boolean);
}

/** Plans the stacks level by level, in the order they will be applied. */
async function planInOrder(
  head: SynthOutput,
  order: readonly (readonly string[])[],
  plansDir: string,
  options: PullRequestOptions,
  env: NodeJS.ProcessEnv,
): Promise<StackOutcome[]> {
  const outcomes: StackOutcome[] = [];
  for (const level of order)
    for (const id of level) {
      options.log?.(`Planning ${id}`);
      outcomes.push(await planStack(head.stacks.get(id)!, plansDir, env));
    }
  return outcomes;
}

/** Runs the pull-request build; writes `comment.md` and `status.json` to `workDir`, and to GitHub unless a dry run. */
export async function runPullRequest(options: PullRequestOptions): Promise<PullRequestResult> {
  const env = options.env ?? process.env;
  rmSync(options.workDir, { recursive: true, force: true });
  mkdirSync(options.workDir, { recursive: true });
  const headDir = join(options.workDir, 'head-out');
  options.log?.('Synthesizing the head');
  const synth = await synthesize(options.projectDir, headDir, env);
  const commit = await git(options.projectDir, ['rev-parse', 'HEAD'], env);
  const ok = synth.code === 0;
  const head = ok ? readSynthOutput(headDir) : undefined;
  const base = head === undefined ? undefined : await synthesizeBase(options, env);
  const affected =
    head === undefined
      ? affectedStacks(undefined, { directory: headDir, stacks: new Map() })
      : affectedStacks(base, head);
  const order = head === undefined ? [] : selfUpdateFirst(head.stacks, affected.toPlan, options.selfStack);
  const outcomes =
    head === undefined ? [] : await planInOrder(head, order, join(options.workDir, 'plans'), options, env);
  const report: PullRequestReport = {
    commit,
    synth: {
      ok,
      summary: synthSummary(synth.output),
      error: ok ? undefined : synth.output.trim().split('\n').slice(-30).join('\n'),
    },
    affected,
    order,
    outcomes,
    acknowledged: await acknowledgedLosses(options.projectDir, env),
    buildUrl: options.buildUrl,
  };
  const comment = renderComment(report);
  const status = commitStatus(report);
  writeFileSync(join(options.workDir, 'comment.md'), comment);
  writeFileSync(join(options.workDir, 'status.json'), `${JSON.stringify(status, null, 2)}\n`);
  if (options.github !== undefined) {
    const done = await upsertComment(options.github, options.github.pullRequest, comment);
    await setCommitStatus(options.github, commit, options.github.statusContext, status, options.buildUrl);
    options.log?.(`Comment ${done} on pull request #${options.github.pullRequest}; status ${status.state}`);
  }
  return { report, comment, status };
}
