/**
 * The pull-request build of the infrastructure pipeline: synth and guardrails of the head, synth of the base (in a git
 * worktree), a plan of every stack the change affects in the order they will be applied, then one comment on the pull
 * request, updated in place, and the commit status the branch protection requires.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChangeSetOptions, git, planChangeSet } from './change-set';
import { GitHubTarget, setCommitStatus, upsertComment } from './github-api';
import { commitStatus, CommitStatus, DESTROYS_TRAILER, PullRequestReport, renderComment } from './pull-request-comment';

/** What the pull-request build needs to know. */
export interface PullRequestOptions extends ChangeSetOptions {
  /** The git revision the pull request merges into (its merge base with HEAD is compared). */
  readonly base: string;
  /** Where the comment and status go; undefined for a dry run, which only writes them to `workDir`. */
  /**
   * Where the comment goes, and the status context to set (none: the build's own result is the status, as CodeBuild
   * reports it, and the token needs no "Commit statuses" permission).
   */
  readonly github?: GitHubTarget & { readonly pullRequest: number; readonly statusContext?: string };
  /** A link to the build's log for the comment and the status. @default - none */
  readonly buildUrl?: string;
}

/** What the build did. */
export interface PullRequestResult {
  readonly report: PullRequestReport;
  readonly comment: string;
  readonly status: CommitStatus;
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

/** Runs the pull-request build; writes `comment.md` and `status.json` to `workDir`, and to GitHub unless a dry run. */
export async function runPullRequest(options: PullRequestOptions): Promise<PullRequestResult> {
  const env = options.env ?? process.env;
  // A preview: the pull request's build changes nothing, and reads no value the stacks hold.
  const change = await planChangeSet({ ...options, preview: true });
  const { plansDir: _plans, ...planned } = change;
  const report: PullRequestReport = {
    ...planned,
    acknowledged: await acknowledgedLosses(options.projectDir, env),
    buildUrl: options.buildUrl,
  };
  const comment = renderComment(report);
  const status = commitStatus(report);
  writeFileSync(join(options.workDir, 'comment.md'), comment);
  writeFileSync(join(options.workDir, 'status.json'), `${JSON.stringify(status, null, 2)}\n`);
  if (options.github !== undefined) {
    const done = await upsertComment(options.github, options.github.pullRequest, comment);
    const { statusContext } = options.github;
    if (statusContext !== undefined)
      await setCommitStatus(options.github, change.commit, statusContext, status, options.buildUrl);
    options.log?.(
      `Comment ${done} on pull request #${options.github.pullRequest}; ` +
        (statusContext === undefined ? `verdict ${status.state} (the build's result)` : `status ${status.state}`),
    );
  }
  return { report, comment, status };
}
