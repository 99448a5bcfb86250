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
export type BuildSourceAuth = { readonly type: 'CODECONNECTIONS'; readonly connectionArn: string } | { readonly type: 'SECRETS_MANAGER'; readonly secretArn: string };

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
}
