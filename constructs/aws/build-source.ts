/**
 * Where a {@link BuildProject} gets its source when no pipeline hands it over:
 * a GitHub repository, read with the project's own credentials, and the
 * webhook events that start a build.
 */

/**
 * How CodeBuild authenticates to GitHub for a project (CodeBuild API Reference,
 * "SourceAuth", https://docs.aws.amazon.com/codebuild/latest/APIReference/API_SourceAuth.html):
 * - `CODECONNECTIONS`: through a CodeConnections connection (the GitHub App);
 * - `SECRETS_MANAGER`: with a personal access token kept in a Secrets Manager
 *   secret in CodeBuild's JSON format (`{"ServerType":"GITHUB","AuthType":"PERSONAL_ACCESS_TOKEN","Token":"…"}`,
 *   CodeBuild User Guide, "Create and store a token in a Secrets Manager secret").
 */
export type BuildSourceAuth =
  | { readonly type: 'CODECONNECTIONS'; readonly connectionArn: string }
  | { readonly type: 'SECRETS_MANAGER'; readonly secretArn: string };

/**
 * A webhook filter: an event starts a build when it matches every filter of one
 * group (CodeBuild API Reference, "WebhookFilter"). `EVENT` takes a
 * comma-separated list of events; every other type a regular expression.
 */
export interface WebhookFilter {
  /** What the filter looks at. */
  readonly type: 'EVENT' | 'BASE_REF' | 'HEAD_REF' | 'FILE_PATH' | 'ACTOR_ACCOUNT_ID' | 'COMMIT_MESSAGE';
  /** The events, or the regular expression. */
  readonly pattern: string;
  /**
   * Start builds for events that do not match instead.
   * @default false
   */
  readonly excludeMatchedPattern?: boolean;
}

/**
 * Who may start a build of a pull request (CodeBuild User Guide, "Pull request
 * comment approval": https://docs.aws.amazon.com/codebuild/latest/userguide/pull-request-build-policy.html).
 * A pull request from a contributor without one of the approver roles gets a
 * failed status until an approver comments `/codebuild_run(<commit SHA>)`.
 */
export interface PullRequestBuildPolicy {
  /**
   * Which pull requests need an approver's comment: `ALL_PULL_REQUESTS`, or
   * only those from forks (`FORK_PULL_REQUESTS`); `DISABLED` builds every one.
   */
  readonly requiresCommentApproval: PullRequestCommentApproval;
  /**
   * The repository roles whose pull requests build at once and whose comments approve others.
   * @default - GITHUB_ADMIN, GITHUB_MAINTAIN and GITHUB_WRITE (CodeBuild's default for GitHub)
   */
  readonly approverRoles?: readonly GitHubApproverRole[];
}

/** CodeBuild API Reference, "PullRequestBuildPolicy": requiresCommentApproval. */
export const PULL_REQUEST_COMMENT_APPROVALS = ['ALL_PULL_REQUESTS', 'FORK_PULL_REQUESTS', 'DISABLED'] as const;
export type PullRequestCommentApproval = (typeof PULL_REQUEST_COMMENT_APPROVALS)[number];

/** CodeBuild API Reference, "PullRequestBuildPolicy": approverRoles, the GitHub ones. */
export const GITHUB_APPROVER_ROLES = [
  'GITHUB_READ',
  'GITHUB_TRIAGE',
  'GITHUB_WRITE',
  'GITHUB_MAINTAIN',
  'GITHUB_ADMIN',
] as const;
export type GitHubApproverRole = (typeof GITHUB_APPROVER_ROLES)[number];

/**
 * CodeBuild's approver roles for GitHub when none are given (the user guide's default, which misspells
 * GITHUB_MAINTAIN).
 */
export const DEFAULT_GITHUB_APPROVER_ROLES: readonly GitHubApproverRole[] = [
  'GITHUB_ADMIN',
  'GITHUB_MAINTAIN',
  'GITHUB_WRITE',
];

/**
 * The first hashicorp/aws release with `aws_codebuild_webhook.pull_request_build_policy`
 * (hashicorp/terraform-provider-aws#44201; the cdktf bindings generated from 6.13.0
 * are the first to carry it, those from 6.12.0 do not). A stack that writes the
 * block requires it.
 */
export const PULL_REQUEST_BUILD_POLICY_PROVIDER = '6.13.0';

/** A GitHub repository that a project builds on its own, started by webhook events. */
export interface GitHubBuildSource {
  /** The repository's HTTPS clone URL, `https://github.com/<owner>/<repository>.git`. */
  readonly repositoryUrl: string;
  /** How CodeBuild reads the repository, creates the webhook and reports build status. */
  readonly auth: BuildSourceAuth;
  /**
   * The commit status context each build reports to GitHub; a branch
   * protection that requires this context blocks merges until the build passes.
   */
  readonly statusContext: string;
  /** The webhook's filter groups; each must hold an `EVENT` filter. */
  readonly webhookFilterGroups: readonly (readonly WebhookFilter[])[];
  /**
   * Who may start pull-request builds. Writing it needs hashicorp/aws
   * 6.13.0 or later, which the stack then requires.
   * @default - none written: CodeBuild applies its default to a new project, ALL_PULL_REQUESTS with the default
   * approver roles
   */
  readonly pullRequestBuildPolicy?: PullRequestBuildPolicy;
}
