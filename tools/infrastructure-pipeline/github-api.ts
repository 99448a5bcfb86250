/**
 * The two things the infrastructure pipeline asks of GitHub: one pull-request comment, created once and updated in
 * place, and a commit status. With a token that can do only that (a fine-grained token with "Pull requests: write"
 * and "Commit statuses: write" on the one repository).
 */
import { COMMENT_MARKER, CommitStatus } from './pull-request-comment';

/** GitHub's REST API: https://api.github.com, or `https://<host>/api/v3` on GitHub Enterprise Server. */
export const DEFAULT_GITHUB_API_URL = 'https://api.github.com';

/** A request GitHub refused; the message names the call and GitHub's answer, never the token. */
export class GitHubApiError extends Error {
  constructor(
    readonly call: string,
    readonly status: number,
    detail: string,
  ) {
    super(`GitHub refused ${call}: ${status} ${detail}`);
    this.name = 'GitHubApiError';
  }
}

/** Where the comment and status go. */
export interface GitHubTarget {
  /** The API's base URL, without a trailing slash. @default DEFAULT_GITHUB_API_URL */
  readonly apiUrl?: string;
  readonly token: string;
  readonly owner: string;
  readonly repository: string;
}

interface IssueComment {
  readonly id: number;
  readonly body?: string;
}

/** Comments read per page: GitHub's largest page (REST API, "Using pagination": `per_page` at most 100). */
const PAGE_SIZE = 100;

async function call(target: GitHubTarget, method: string, path: string, body?: unknown): Promise<unknown> {
  const base = (target.apiUrl ?? DEFAULT_GITHUB_API_URL).replace(/\/+$/, '');
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      accept: 'application/vnd.github+json',
      authorization: `Bearer ${target.token}`,
      // The version GitHub answers without this header; supported for at least 24 months after 2026-03-10's release
      // (GitHub Docs, "API Versions"). Pinned, so that a new default cannot change the answers read here.
      'x-github-api-version': '2022-11-28',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) {
    let message = text.slice(0, 300);
    try {
      message = (JSON.parse(text) as { message?: string }).message ?? message;
    } catch {
      // Not JSON: the text as it came.
    }
    throw new GitHubApiError(`${method} ${path.split('?')[0]}`, response.status, message);
  }
  return text === '' ? undefined : JSON.parse(text);
}

const repoPath = (target: GitHubTarget) =>
  `/repos/${encodeURIComponent(target.owner)}/${encodeURIComponent(target.repository)}`;

/** The pipeline's earlier comment on the pull request, found by its marker; undefined when there is none yet. */
export async function findComment(target: GitHubTarget, pullRequest: number): Promise<number | undefined> {
  for (let page = 1; ; page += 1) {
    const comments = (await call(
      target,
      'GET',
      `${repoPath(target)}/issues/${pullRequest}/comments?per_page=${PAGE_SIZE}&page=${page}`,
    )) as IssueComment[];
    const ours = comments.find((comment) => comment.body?.startsWith(COMMENT_MARKER) === true);
    if (ours !== undefined) return ours.id;
    if (comments.length < PAGE_SIZE) return undefined;
  }
}

/**
 * Writes the comment: updates the earlier one in place, or creates it. Returns what was done, for the build log.
 * (A pull request's conversation comments are issue comments: GitHub REST API, "Issue comments".)
 */
export async function upsertComment(
  target: GitHubTarget,
  pullRequest: number,
  body: string,
): Promise<'created' | 'updated'> {
  const existing = await findComment(target, pullRequest);
  if (existing !== undefined) {
    await call(target, 'PATCH', `${repoPath(target)}/issues/comments/${existing}`, { body });
    return 'updated';
  }
  await call(target, 'POST', `${repoPath(target)}/issues/${pullRequest}/comments`, { body });
  return 'created';
}

/** Sets the commit status the branch protection requires (GitHub REST API, "Create a commit status"). */
export async function setCommitStatus(
  target: GitHubTarget,
  commit: string,
  context: string,
  status: CommitStatus,
  targetUrl?: string,
): Promise<void> {
  await call(target, 'POST', `${repoPath(target)}/statuses/${encodeURIComponent(commit)}`, {
    state: status.state,
    context,
    description: status.description,
    ...(targetUrl === undefined ? {} : { target_url: targetUrl }),
  });
}
