import { BuildSourceAuth, GitHubBuildSource, PullRequestBuildPolicy, WebhookFilter } from '../aws/build-source';
import { SourceRepository } from './source-repository';

/**
 * The pull-request events that start a verifying build: a pull request opened,
 * one whose head branch got new commits, and one reopened (CodeBuild User
 * Guide, "GitHub webhook events": https://docs.aws.amazon.com/codebuild/latest/userguide/github-webhook.html).
 */
export const PULL_REQUEST_BUILD_EVENTS = [
  'PULL_REQUEST_CREATED',
  'PULL_REQUEST_UPDATED',
  'PULL_REQUEST_REOPENED',
] as const;

/** `text` as a regular expression that matches only itself. */
const literalPattern = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, (character) => `\\${character}`);

export interface PullRequestBuildSourceOptions {
  /** How CodeBuild reads the repository and reports status. */
  readonly auth: BuildSourceAuth;
  /** The commit status context the builds report. */
  readonly statusContext: string;
  /**
   * Build only pull requests that change a file under this directory of the
   * repository. A required status check must not be filtered this way: a pull
   * request it never reports on can never merge (GitHub Docs, "Troubleshooting
   * required status checks": the branch takes no change until all required
   * status checks pass).
   * @default - every pull request into the branch
   */
  readonly onlyChangesUnder?: string;
  /**
   * Who may start builds.
   * @default - CodeBuild's default for a new project
   */
  readonly policy?: PullRequestBuildPolicy;
}

/**
 * The source of a project that verifies every pull request into the
 * repository's branch: the repository itself, read with the given
 * credentials, and a webhook filter group for pull requests opened, updated or
 * reopened against that branch (its base reference), and optionally only
 * those that change files under a directory.
 */
export function pullRequestBuildSource(
  repository: SourceRepository,
  options: PullRequestBuildSourceOptions,
): GitHubBuildSource {
  const filters: WebhookFilter[] = [
    { type: 'EVENT', pattern: PULL_REQUEST_BUILD_EVENTS.join(', ') },
    { type: 'BASE_REF', pattern: `^refs/heads/${literalPattern(repository.branch)}$` },
  ];
  const directory = options.onlyChangesUnder?.replace(/\/+$/, '');
  if (directory !== undefined && directory !== '.')
    filters.push({ type: 'FILE_PATH', pattern: `^${literalPattern(directory)}/` });
  return {
    repositoryUrl: `https://github.com/${repository.owner}/${repository.repositoryName}.git`,
    auth: options.auth,
    statusContext: options.statusContext,
    webhookFilterGroups: [filters],
    pullRequestBuildPolicy: options.policy,
  };
}
