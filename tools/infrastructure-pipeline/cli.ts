#!/usr/bin/env node
/**
 * `cdktf-ci-infrastructure`: the infrastructure pipeline's steps, as its buildspecs run them in CodeBuild.
 * `pull-request` (its settings default to what a CodeBuild webhook build sets: CODEBUILD_WEBHOOK_TRIGGER,
 * CODEBUILD_WEBHOOK_BASE_REF, CODEBUILD_SOURCE_REPO_URL, CODEBUILD_BUILD_URL), `plan` and `apply` on merge, and
 * `batch-graph` for a fleet.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { batchBuildspecSection, batchGraph, MAX_BUILDS_PER_BATCH } from './batch-graph';
import { DEFAULT_GITHUB_API_URL, GitHubApiError } from './github-api';
import { applySavedPlans, NEEDS_APPROVAL_FILE, planMerge, SAVED_PLANS_MANIFEST } from './merge';
import { runPullRequest } from './pull-request';
import { StepInputError } from './step-input-error';
import { readSynthOutput } from './synth-output';

export const DEFAULT_STATUS_CONTEXT = 'infrastructure/plan';
export const DEFAULT_WORK_DIR = '.infrastructure-pipeline';

export const USAGE = `Usage: cdktf-ci-infrastructure pull-request [options]
       cdktf-ci-infrastructure plan [--base <revision>] [--self-stack <id>] [--always-approve]
                                    [--admin-stack <id>]... [--work-dir <dir>]
       cdktf-ci-infrastructure apply [--work-dir <dir>]
       cdktf-ci-infrastructure batch-graph [--outdir cdktf.out] [--max-builds ${MAX_BUILDS_PER_BATCH}]

pull-request: synthesizes the pull request's head (the guardrails run in synth) and its base, plans every stack the
change affects in the order a merge applies them, then writes one pull-request comment (updated in place on every
push) and the commit status the branch protection requires.

Options (defaults are what a CodeBuild webhook build sets):
  --base <revision>         the branch the pull request merges into
                            (default: origin/<branch of CODEBUILD_WEBHOOK_BASE_REF>)
  --pull-request <number>   (default: from CODEBUILD_WEBHOOK_TRIGGER, pr/<number>)
  --repository <owner/name> (default: from CODEBUILD_SOURCE_REPO_URL)
  --status-context <name>   (default: ${DEFAULT_STATUS_CONTEXT})
  --no-commit-status        comment only: the build's own result is the status (CodeBuild reports it; the exit code
                            is the verdict), and GITHUB_TOKEN needs only "Pull requests" write
  --self-stack <id>         the infrastructure pipeline's own stack, planned first
  --work-dir <dir>          synth outputs, plans, comment.md, status.json (default: ${DEFAULT_WORK_DIR})
  --dry-run                 write comment.md and status.json only; do not call GitHub

Environment: GITHUB_TOKEN (required unless --dry-run: "Pull requests" write on the repository, and "Commit statuses"
write unless --no-commit-status),
GITHUB_API_URL (default: ${DEFAULT_GITHUB_API_URL}).

plan: on merge, synthesizes and plans every stack (with --base, the last commit applied, only those the change
since then affects), in the order they are applied, the pipeline's own stack first. Keeps each saved plan in the
work directory with ${SAVED_PLANS_MANIFEST}, and writes ${NEEDS_APPROVAL_FILE}: true when a plan destroys or replaces
something that holds data (or with --always-approve), so that the pipeline waits for a person; false otherwise.
An --admin-stack (the permissions boundary's) is planned but never applied: when it has changes, nothing is.

apply: applies exactly the saved plans of ${SAVED_PLANS_MANIFEST}, in its order, with terraform apply <planfile>,
and stops at the first failure. Terraform refuses a plan whose state changed since it was made.

batch-graph: prints the stacks of a synth output as a CodeBuild batch build graph (a buildspec's batch: section):
a build per stack, each after the builds of the stacks it depends on, sharded when the stacks need more builds
than --max-builds (CodeBuild's maximum_builds_allowed, at most ${MAX_BUILDS_PER_BATCH}), and a last build, report,
after them all.

Exit codes: 0 done (pull-request: the change may merge); 1 pull-request: it is blocked (the comment says why), plan:
synth or a plan failed, apply: a stack failed to apply; 2 a usage error; 3 GitHub refused a call, or the synth
output or the saved plans could not be read.`;

class UsageError extends Error {}

/** A usage mistake: ours, or one `parseArgs` found (an unknown option, a missing value: codes ERR_PARSE_ARGS_*). */
const isUsageError = (error: unknown): error is Error =>
  error instanceof UsageError || String((error as NodeJS.ErrnoException)?.code).startsWith('ERR_PARSE_ARGS');

/** `owner/name` of a GitHub repository URL (https://github.com/owner/name.git, or a GitHub Enterprise host's). */
export function repositoryOfUrl(url: string): string | undefined {
  const match = /^https:\/\/[^/]+\/([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(url.trim());
  return match === null ? undefined : `${match[1]}/${match[2]}`;
}

interface Settings {
  readonly base: string;
  readonly workDir: string;
  /** The context of the commit status to set; undefined with --no-commit-status. */
  readonly statusContext?: string;
  readonly selfStack?: string;
  readonly dryRun: boolean;
  readonly pullRequest?: number;
  readonly repository?: string;
}

function settingsOf(argv: readonly string[], env: NodeJS.ProcessEnv): Settings {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      base: { type: 'string' },
      'pull-request': { type: 'string' },
      repository: { type: 'string' },
      'status-context': { type: 'string', default: DEFAULT_STATUS_CONTEXT },
      'self-stack': { type: 'string' },
      'work-dir': { type: 'string', default: DEFAULT_WORK_DIR },
      'dry-run': { type: 'boolean', default: false },
      'no-commit-status': { type: 'boolean', default: false },
    },
  });
  const baseRef = env.CODEBUILD_WEBHOOK_BASE_REF?.replace(/^refs\/heads\//, '');
  const base = values.base ?? (baseRef === undefined || baseRef === '' ? undefined : `origin/${baseRef}`);
  if (base === undefined) throw new UsageError('--base is required outside a CodeBuild pull-request build');
  const trigger = /^pr\/(\d+)$/.exec(env.CODEBUILD_WEBHOOK_TRIGGER ?? '')?.[1];
  const number = values['pull-request'] ?? trigger;
  if (number !== undefined && !/^[1-9]\d*$/.test(number))
    throw new UsageError(`--pull-request must be a pull request's number, not ${JSON.stringify(number)}`);
  const repository = values.repository ?? repositoryOfUrl(env.CODEBUILD_SOURCE_REPO_URL ?? '');
  if (repository !== undefined && !/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/.test(repository))
    throw new UsageError(`--repository must be owner/name, not ${JSON.stringify(repository)}`);
  return {
    base,
    workDir: values['work-dir'],
    statusContext: values['no-commit-status'] ? undefined : values['status-context'],
    selfStack: values['self-stack'],
    dryRun: values['dry-run'],
    pullRequest: number === undefined ? undefined : Number(number),
    repository,
  };
}

/** Where the comment goes, or undefined for a dry run; a usage error for what is missing. */
function githubOf(settings: Settings, env: NodeJS.ProcessEnv) {
  if (settings.dryRun) return undefined;
  const missing = [
    settings.pullRequest === undefined ? '--pull-request' : undefined,
    settings.repository === undefined ? '--repository' : undefined,
    env.GITHUB_TOKEN === undefined || env.GITHUB_TOKEN === '' ? 'GITHUB_TOKEN' : undefined,
  ].filter((name): name is string => name !== undefined);
  if (missing.length > 0)
    throw new UsageError(`${missing.join(', ')} required to comment on GitHub (or run with --dry-run)`);
  const [owner, repository] = settings.repository!.split('/');
  return {
    apiUrl: env.GITHUB_API_URL || DEFAULT_GITHUB_API_URL,
    token: env.GITHUB_TOKEN!,
    owner,
    repository,
    pullRequest: settings.pullRequest!,
    statusContext: settings.statusContext,
  };
}

type Io = { readonly out: (text: string) => void; readonly err: (text: string) => void };

/** `pull-request`: plan the pull request's change, comment, set the status. */
async function pullRequestCommand(argv: readonly string[], env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  const settings = settingsOf(argv, env);
  const github = githubOf(settings, env);
  const { status } = await runPullRequest({
    projectDir: process.cwd(),
    workDir: resolve(settings.workDir),
    base: settings.base,
    github,
    selfStack: settings.selfStack,
    buildUrl: env.CODEBUILD_BUILD_URL,
    env,
    log: (line) => io.err(`${line}\n`),
  });
  io.out(`${status.state}: ${status.description}\n`);
  return status.state === 'success' ? 0 : 1;
}

/** `plan`: the merge path's plans, kept with their manifest and the approval decision. */
async function planCommand(argv: readonly string[], env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      base: { type: 'string' },
      'self-stack': { type: 'string' },
      'always-approve': { type: 'boolean', default: false },
      'admin-stack': { type: 'string', multiple: true, default: [] },
      'work-dir': { type: 'string', default: DEFAULT_WORK_DIR },
    },
  });
  const { manifest, blocked } = await planMerge({
    adminStacks: values['admin-stack'],
    projectDir: process.cwd(),
    workDir: resolve(values['work-dir']),
    base: values.base,
    selfStack: values['self-stack'],
    alwaysApprove: values['always-approve'],
    env,
    log: (line) => io.err(`${line}\n`),
  });
  if (blocked.length > 0) {
    io.err(`Nothing can be applied: ${blocked.join('; ')}\n`);
    return 1;
  }
  const approval = manifest.needsApproval
    ? `waits for approval: ${manifest.approvalReasons.join('; ')}`
    : 'no approval';
  const order = manifest.stacks.map((stack) => stack.id).join(', ');
  io.out(`${manifest.stacks.length} saved plans, in order: ${order || '(none)'}; ${approval}\n`);
  return 0;
}

/** `apply`: the saved plans, in order. */
async function applyCommand(argv: readonly string[], env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: { 'work-dir': { type: 'string', default: DEFAULT_WORK_DIR } },
  });
  const { applied, failed } = await applySavedPlans(resolve(values['work-dir']), env, (line) => io.err(`${line}\n`));
  io.out(`Applied: ${applied.join(', ') || 'nothing'}\n`);
  if (failed === undefined) return 0;
  io.err(`The apply of ${failed.stack} failed; the stacks after it were not applied.\n${failed.error}\n`);
  return 1;
}

/** `batch-graph`: the synth output's stacks as a batch buildspec section. */
async function batchGraphCommand(argv: readonly string[], _env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: { outdir: { type: 'string', default: 'cdktf.out' }, 'max-builds': { type: 'string' } },
  });
  const maxBuilds = Number(values['max-builds'] ?? MAX_BUILDS_PER_BATCH);
  if (!Number.isInteger(maxBuilds) || maxBuilds < 2 || maxBuilds > MAX_BUILDS_PER_BATCH)
    throw new UsageError(
      `--max-builds must be a whole number from 2 to ${MAX_BUILDS_PER_BATCH}, ` +
        `not ${JSON.stringify(values['max-builds'])}`,
    );
  const { stacks } = readSynthOutput(resolve(values.outdir));
  io.out(batchBuildspecSection(batchGraph(stacks, stacks.keys(), maxBuilds)));
  return 0;
}

const COMMANDS: Readonly<Record<string, (argv: readonly string[], env: NodeJS.ProcessEnv, io: Io) => Promise<number>>> =
  { 'pull-request': pullRequestCommand, plan: planCommand, apply: applyCommand, 'batch-graph': batchGraphCommand };

/** Runs a command; resolves to its exit code. */
export async function main(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  io: Io = {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  },
): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(`${USAGE}\n`);
    return 0;
  }
  const command = COMMANDS[argv[0] ?? ''];
  try {
    if (command === undefined)
      throw new UsageError(
        `unknown command ${argv[0] ?? '(none)'}: the commands are ${Object.keys(COMMANDS).join(', ')}`,
      );
    return await command(argv.slice(1), env, io);
  } catch (error) {
    if (isUsageError(error)) {
      io.err(`${error.message}\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof GitHubApiError || error instanceof StepInputError || error instanceof RangeError) {
      io.err(`${error.message}\n`);
      return 3;
    }
    throw error;
  }
}

if (require.main === module) void main(process.argv.slice(2)).then((code) => (process.exitCode = code));
