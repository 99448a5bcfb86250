import { Construct } from 'constructs';
import { BuildProject, BuildSettings } from '../aws/build-project';
import { BuildSourceAuth, GitHubBuildSource, PullRequestBuildPolicy, WebhookFilter } from '../aws/build-source';
import { IEncryptionKey } from '../aws/encryption-key';
import { StackOutput } from '../core/stack-output';
import { AwsContext } from '../private/aws-context';
import { canonicalRelativePath, literalPattern } from '../private/checks';
import { SourceRepository } from '../github/source-repository';
import { buildVariable } from './build-environment';
import { buildHistoryUrl, latestBuildCommand, tailLogsCommand } from './troubleshooting';

/**
 * The pull-request events that start a verifying build: a pull request opened, one whose head branch got new
 * commits, and one reopened (CodeBuild User Guide, "GitHub webhook events":
 * https://docs.aws.amazon.com/codebuild/latest/userguide/github-webhook.html).
 */
export const PULL_REQUEST_BUILD_EVENTS = [
  'PULL_REQUEST_CREATED',
  'PULL_REQUEST_UPDATED',
  'PULL_REQUEST_REOPENED',
] as const;

export interface PullRequestBuildsProps {
  /** The repository whose pull requests into its branch are built. */
  readonly repository: SourceRepository;
  /** The CodeBuild project's name: 2-150 letters, digits, "-" and "_", starting with a letter or digit. */
  readonly projectName: string;
  /** Encrypts the build's logs, reports and output; must allow CloudWatch Logs. */
  readonly encryptionKey: IEncryptionKey;
  /** How CodeBuild reads the repository and reports status: a CodeConnections connection, or a token secret. */
  readonly auth: BuildSourceAuth;
  /**
   * The commit status context each build reports to GitHub, which branch protection can require.
   * @default "codebuild/<projectName>"
   */
  readonly statusContext?: string;
  /**
   * The app's directory in the repository, holding its `buildspec.yml` and `Dockerfile`.
   * @default "."
   */
  readonly appPath?: string;
  /**
   * The build's settings; a concurrent build limit is not taken, since builds over a project's limit fail rather
   * than wait, and every pull request must get its status.
   * @default - see {@link BuildSettings}
   */
  readonly build?: Omit<BuildSettings, 'concurrentBuildLimit'>;
  /**
   * Build only pull requests that change a file under this directory of the repository. A required status check
   * must not be filtered this way: a pull request it never reports on can never merge (GitHub Docs,
   * "Troubleshooting required status checks": the branch takes no change until all required status checks pass).
   * @default - every pull request into the branch
   */
  readonly onlyChangesUnder?: string;
  /**
   * Who may start builds: which pull requests wait for an approver's comment, and who approves.
   * @default - not written: CodeBuild's default for a new project applies, ALL_PULL_REQUESTS
   */
  readonly policy?: PullRequestBuildPolicy;
  /**
   * The name the build tags the image with: it is built, never pushed, and the build knows nothing of the registry.
   * @default "local/<projectName>"
   */
  readonly localImageName?: string;
}

/**
 * Builds every pull request into a repository's branch before it can merge: the app's tests and its image, with
 * `PUSH_IMAGE` "false", no registry credentials and no push permission, so that a pull request's code never holds
 * them; and reports the build's status to GitHub, where branch protection can require it.
 *
 * It is a {@link BuildProject} whose source is the repository itself, started by a CodeBuild webhook for pull
 * requests opened, updated or reopened against the branch (their base reference).
 */
export class PullRequestBuilds extends BuildProject {
  /** The commit status context each build reports. */
  public readonly statusContext: string;

  constructor(scope: Construct, id: string, props: PullRequestBuildsProps) {
    const statusContext = props.statusContext ?? `codebuild/${props.projectName}`;
    super(scope, id, {
      ...props.build,
      projectName: props.projectName,
      description:
        `Verifies pull requests into ${props.repository.branch}: tests and image build, no push; reports ` +
        `"${statusContext}" to GitHub`,
      encryptionKey: props.encryptionKey,
      appPath: props.appPath,
      buildsImages: true,
      environmentVariables: [
        buildVariable('PUSH_IMAGE', 'false'),
        buildVariable('IMAGE_REPOSITORY_URI', props.localImageName ?? `local/${props.projectName}`),
        buildVariable('PUSH_LATEST_TAG', 'false'),
      ],
      gitHubSource: pullRequestSource(props, statusContext),
    });
    this.statusContext = statusContext;
  }

  /** Where the builds are and what they report: the project, its status context, its console page and CLI commands. */
  public get outputs(): readonly StackOutput[] {
    const region = AwsContext.of(this).region;
    return [
      {
        name: 'pull_request_build_project_name',
        value: this.projectName,
        description: 'The CodeBuild project that verifies pull requests',
      },
      {
        name: 'pull_request_status_context',
        value: this.statusContext,
        description: 'The commit status each pull-request build reports to GitHub',
      },
      {
        name: 'pull_request_build_console_url',
        value: buildHistoryUrl(region, this.projectName),
        description: "The pull-request builds' history in the AWS console",
      },
      {
        name: 'pull_request_latest_build_command',
        value: latestBuildCommand(region, this.projectName),
        description: "AWS CLI: the latest pull-request build's status, failed phases and log link",
      },
      {
        name: 'pull_request_tail_logs_command',
        value: tailLogsCommand(region, this.logGroupName),
        description: 'AWS CLI: follow the pull-request build logs',
      },
    ];
  }
}

/**
 * The repository as the project's source, read with the given credentials, with one webhook filter group: pull
 * requests opened, updated or reopened against the branch, and optionally only those that change files under a
 * directory.
 */
function pullRequestSource(props: PullRequestBuildsProps, statusContext: string): GitHubBuildSource {
  const { repository } = props;
  const filters: WebhookFilter[] = [
    { type: 'EVENT', pattern: PULL_REQUEST_BUILD_EVENTS.join(', ') },
    { type: 'BASE_REF', pattern: `^refs/heads/${literalPattern(repository.branch)}$` },
  ];
  const directory = props.onlyChangesUnder === undefined ? undefined : canonicalRelativePath(props.onlyChangesUnder);
  if (directory !== undefined && directory !== '.')
    filters.push({ type: 'FILE_PATH', pattern: `^${literalPattern(directory)}/` });
  return {
    repositoryUrl: `https://github.com/${repository.owner}/${repository.repositoryName}.git`,
    auth: props.auth,
    statusContext,
    webhookFilterGroups: [filters],
    pullRequestBuildPolicy: props.policy,
  };
}
