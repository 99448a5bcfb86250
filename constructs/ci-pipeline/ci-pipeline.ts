import { DataAwsSecretsmanagerSecret } from '@cdktf/provider-aws/lib/data-aws-secretsmanager-secret';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { BuildProject, EnvironmentVariable } from '../aws/build-project';
import { BuildSourceAuth, PullRequestBuildPolicy } from '../aws/build-source';
import { CodeBuildAction } from '../aws/codebuild-action';
import { EncryptionKey, IEncryptionKey } from '../aws/encryption-key';
import { buildFailures, FailureNotifications, pipelineFailures } from '../aws/failure-notifications';
import { ImageRepository } from '../aws/image-repository';
import { Pipeline } from '../aws/pipeline';
import { RegistryCredentials } from '../aws/registry-credentials';
import { IBucket, SecureBucket } from '../aws/secure-bucket';
import { claimAwsResourceName, claimStackName } from '../core/stack-names';
import { AwsContext } from '../private/aws-context';
import { withCanonicalAppPath } from '../private/checks';
import { connectionStep, stepTargetOf, storedSecretLifecycle, tokenStep } from '../private/first-deployment';
import { StackOutput } from '../core/stack-output';
import { throwIfInvalid } from '../private/validation';
import { GitHubConnectionSource } from '../github/github-connection-source';
import { DEFAULT_OAUTH_TOKEN_SECRET, GitHubWebhookSource } from '../github/github-webhook-source';
import { IPipelineSource } from '../github/pipeline-source';
import { PullRequestBuilds } from './pull-request-builds';
import { SourceRepository } from '../github/source-repository';
import { Suppressions } from '../../shared/suppressions';
import { buildVariable } from './build-environment';
import {
  appPathPattern,
  artifactBucketPrefix,
  buildsPullRequests,
  CiPipelineProps,
  credentialsSecretName,
  DEFAULT_BUILD_TOKEN_SECRET,
  keyAliasName,
  namedResourcesOf,
  notificationRuleNames,
  notificationTopicName,
  notifiesFailures,
  pullRequestProjectName,
  pullRequestStatusContext,
  requiresPullRequestStatus,
  terraformNamePrefixOf,
  validateCiPipelineProps,
} from './ci-pipeline-props';
import { ConsoleUrls, consoleUrls, TroubleshootingCommands, troubleshootingCommands } from './troubleshooting';

/** The names of the stages and of the build action, as reviewers see them in plans and the console. */
export const SOURCE_STAGE = 'Source';
export const BUILD_STAGE = 'Build';
export const BUILD_ACTION = 'TestAndBuildImage';
/** The artifact the build writes (`imagedefinitions.json`). */
export const BUILD_ARTIFACT = 'build_output';

/** Where the image goes, and what the build needs to know about it. */
interface Registry {
  readonly imageRepositoryUri: string;
  readonly imageRepository?: ImageRepository;
  readonly credentials?: RegistryCredentials;
  /** The plain variables of the build contract that describe the registry. */
  readonly variables: readonly EnvironmentVariable[];
}

/**
 * One complete CI pipeline for an app on GitHub: repository, trigger, registry
 * credentials, CodeBuild project and CodePipeline (Source → Build), sharing one
 * customer-managed KMS key and one artifact bucket: created and hardened here,
 * or existing ones named by `encryptionKeyArn` and `artifactBucketName`.
 *
 * More stages go in through {@link CiPipeline.pipeline}'s `addStage`.
 */
export class CiPipeline extends Construct {
  /** The CodePipeline's name. */
  public readonly pipelineName: string;
  /** The CodeBuild project's name. */
  public readonly buildProjectName: string;
  /** The build's CloudWatch log group. */
  public readonly logGroupName: string;
  /** The pipeline, the build history and the logs in the AWS console. */
  public readonly consoleUrls: ConsoleUrls;
  /** AWS CLI commands that show why a build failed. */
  public readonly troubleshootingCommands: TroubleshootingCommands;
  /** Where images are pushed (without a tag). */
  public readonly imageRepositoryUri: string;
  /** The key: a created one, or the existing one given by `encryptionKeyArn`. */
  public readonly encryptionKey: IEncryptionKey;
  /** The artifact bucket: a created one, or the existing one given by `artifactBucketName`. */
  public readonly artifactBucket: IBucket;
  /**
   * What the stack holding a created repository writes (`writeStackOutputs(stack, pipeline.repositoryOutputs)`): the
   * repository, and `next_step`, the manual step of a first deployment that must come before the pipeline's stack is
   * deployed (a token to store, or the connection's app to give the repository). Each name starts with
   * {@link CiPipelineProps.terraformNamePrefix}; none with `github.create: false`.
   */
  public readonly repositoryOutputs: readonly StackOutput[];
  /** The GitHub repository the pipeline builds: created here, or looked up by name in the pipeline's stack. */
  public readonly repository: SourceRepository;
  /**
   * The repository the pipeline creates, in `repositoryScope` when that is given.
   * @default - none with `github.create: false`
   */
  public readonly createdRepository?: SourceRepository;
  /** The source: a webhook or a connection. */
  public readonly source: IPipelineSource;
  /** The ECR repository, with `registry.type` "ecr". */
  public readonly imageRepository?: ImageRepository;
  /** Docker Hub credentials, when configured. */
  public readonly registryCredentials?: RegistryCredentials;
  /** The build that tests the app and builds its image. */
  public readonly buildProject: BuildProject;
  /** The build that verifies pull requests (tests and image, no push), unless `pullRequestBuilds.enabled` is false. */
  public readonly pullRequestBuilds?: PullRequestBuilds;
  /** The commit status context the pull-request builds report, when there are any. */
  public readonly pullRequestStatusContext?: string;
  /** Where failures are reported, unless `notifications.enabled` is false. */
  public readonly failureNotifications?: FailureNotifications;
  /** The pipeline: add stages to it with `addStage`. */
  public readonly pipeline: Pipeline;

  private readonly terraformNamePrefix: string;

  constructor(scope: Construct, id: string, props: CiPipelineProps) {
    super(scope, id);
    throwIfInvalid('CiPipeline', this, validateCiPipelineProps(props));
    // `./app/` and `app` are one directory: every filter, glob and CODEOWNERS path is written from one spelling.
    props = withCanonicalAppPath(props);
    this.terraformNamePrefix = terraformNamePrefixOf(props);
    // Pipelines that share a stack keep their AWS resources apart by their names, and their variables and outputs by
    // their prefixes.
    claimStackName('CiPipeline', this, 'pipelineName', props.name, 'name');
    claimStackName('CiPipeline', this, 'terraformNamePrefix', this.terraformNamePrefix, 'terraformNamePrefix');
    // And so are the names AWS holds unique in the account (IAM roles, in every region) or the account and region,
    // which two names can share (an artifact folder is the name's first 20 characters, IAM compares role names
    // without case), among every stack of the app that deploys there: refused as the configuration is.
    for (const resource of namedResourcesOf(props)) claimAwsResourceName('CiPipeline', this, resource);
    this.encryptionKey = this.createEncryptionKey(props);
    this.artifactBucket = this.createArtifactBucket(props);
    this.pullRequestStatusContext = buildsPullRequests(props) ? pullRequestStatusContext(props.name) : undefined;
    this.createdRepository = props.github.create === false ? undefined : this.createRepository(props);
    this.repository = this.repositoryToBuild(props);
    this.source = this.createSource(props);
    this.repositoryOutputs =
      this.createdRepository === undefined
        ? []
        : this.firstDeploymentOutputs(props).map((output) => ({
            ...output,
            name: `${this.terraformNamePrefix}${output.name}`,
          }));
    const registry = this.createRegistry(props);
    this.imageRepository = registry.imageRepository;
    this.registryCredentials = registry.credentials;
    this.imageRepositoryUri = registry.imageRepositoryUri;
    this.buildProject = new BuildProject(this, 'build', {
      projectName: props.name,
      encryptionKey: this.encryptionKey,
      appPath: props.appPath,
      buildsImages: true,
      ...props.build,
      environmentVariables: [buildVariable('PUSH_IMAGE', 'true'), ...registry.variables],
      secretEnvironmentVariables: registry.credentials?.environmentVariables() ?? [],
    });
    this.imageRepository?.grantPush(this.buildProject.role);
    this.pullRequestBuilds = buildsPullRequests(props) ? this.createPullRequestBuilds(props) : undefined;
    this.pipeline = this.createPipeline(props);
    this.failureNotifications = notifiesFailures(props) ? this.createFailureNotifications(props) : undefined;

    this.pipelineName = this.pipeline.pipelineName;
    this.buildProjectName = this.buildProject.projectName;
    this.logGroupName = this.buildProject.logGroupName;
    const targets = this.troubleshootingTargets();
    this.consoleUrls = consoleUrls(targets);
    this.troubleshootingCommands = troubleshootingCommands(targets);
  }

  /**
   * What an operator needs after deploying: names, console pages, CLI commands, and those of the source and
   * credentials; each name starts with {@link CiPipelineProps.terraformNamePrefix}. Write them with
   * `writeStackOutputs(stack, pipeline.outputs)`.
   */
  public get outputs(): readonly StackOutput[] {
    return this.outputsUnprefixed().map((output) => ({ ...output, name: `${this.terraformNamePrefix}${output.name}` }));
  }

  private outputsUnprefixed(): readonly StackOutput[] {
    const commands = this.troubleshootingCommands;
    return [
      { name: 'pipeline_name', value: this.pipelineName, description: 'The CodePipeline' },
      {
        name: 'pipeline_console_url',
        value: this.consoleUrls.pipeline,
        description: 'The pipeline in the AWS console',
      },
      { name: 'build_project_name', value: this.buildProjectName, description: 'The CodeBuild project' },
      {
        name: 'build_project_console_url',
        value: this.consoleUrls.buildProject,
        description: "The build project's history in the AWS console",
      },
      { name: 'log_group_name', value: this.logGroupName, description: 'The build logs' },
      {
        name: 'log_group_console_url',
        value: this.consoleUrls.logGroup,
        description: 'The build logs in the AWS console',
      },
      {
        name: 'pipeline_state_command',
        value: commands.pipelineState,
        description: "AWS CLI: each stage's latest status",
      },
      {
        name: 'list_builds_command',
        value: commands.listBuilds,
        description: "AWS CLI: the project's latest build IDs",
      },
      {
        name: 'latest_build_command',
        value: commands.latestBuild,
        description: "AWS CLI: the latest build's status, failed phases and log link",
      },
      { name: 'tail_logs_command', value: commands.tailLogs, description: 'AWS CLI: follow the build logs' },
      {
        name: 'image_repository',
        value: this.imageRepositoryUri,
        description: 'Where images are pushed, tagged with the commit SHA',
      },
      ...(this.pullRequestBuilds?.outputs ?? []),
      ...this.source.outputs,
      ...(this.registryCredentials?.outputs ?? []),
      ...(this.failureNotifications?.outputs ?? []),
    ];
  }

  private troubleshootingTargets() {
    return {
      region: AwsContext.of(this).region,
      pipelineName: this.pipelineName,
      buildProjectName: this.buildProjectName,
      logGroupName: this.logGroupName,
    };
  }

  private createEncryptionKey(props: CiPipelineProps): IEncryptionKey {
    if (props.encryptionKeyArn !== undefined) return EncryptionKey.fromKeyArn(this, props.encryptionKeyArn);
    return new EncryptionKey(this, 'key', {
      alias: keyAliasName(props.name),
      description: `Encrypts the ${props.name} pipeline's artifacts, logs, secrets and images`,
      allowCloudWatchLogs: true,
      allowCodeStarNotifications: notifiesFailures(props),
    });
  }

  private createArtifactBucket(props: CiPipelineProps): IBucket {
    if (props.artifactBucketName !== undefined)
      return SecureBucket.fromBucketName(this, props.artifactBucketName, { encryptionKey: this.encryptionKey });
    return new SecureBucket(this, 'artifacts', {
      bucketPrefix: artifactBucketPrefix(props.name),
      encryptionKey: this.encryptionKey,
      expireObjectsAfterDays: props.artifactRetentionDays ?? 30,
      noncurrentVersionExpirationDays: 7,
      // Artifacts are disposable; an undeletable bucket would block `destroy`.
      forceDestroy: true,
    });
  }

  /**
   * What the repository's stack tells whoever deploys it: the repository, and the manual step that must come before the
   * pipeline's stack is deployed (a token, or the connection's app). None with `github.create: false`.
   */
  private firstDeploymentOutputs(props: CiPipelineProps): readonly StackOutput[] {
    const { connectionArn, connectionName } = props.github;
    const step =
      (props.trigger ?? 'webhook') === 'connection'
        ? connectionStep(stepTargetOf(this, this.repository), connectionArn ?? connectionName ?? props.name)
        : this.tokenStep(props);
    return [
      { name: 'repository_full_name', value: this.repository.fullName, description: 'The GitHub repository created' },
      { name: 'next_step', value: step, description: 'What to do before the pipeline is deployed' },
    ];
  }

  /** Webhook mode's manual step: the tokens the pipeline reads, CodeBuild's too when it builds pull requests. */
  private tokenStep(props: CiPipelineProps): string {
    const { oauthTokenSecret, buildTokenSecret } = props.github;
    return tokenStep(stepTargetOf(this, this.repository), {
      pipeline: oauthTokenSecret ?? DEFAULT_OAUTH_TOKEN_SECRET,
      pullRequestBuilds: buildsPullRequests(props) ? (buildTokenSecret ?? DEFAULT_BUILD_TOKEN_SECRET) : undefined,
    });
  }

  /**
   * The repository the pipeline builds: the created one when it is in this stack; else a lookup by name, and this stack
   * deployed after the repository's.
   */
  private repositoryToBuild(props: CiPipelineProps): SourceRepository {
    const created = this.createdRepository;
    const { owner, repository, branch } = props.github;
    if (created === undefined) return this.newRepository(props, this);
    if (TerraformStack.of(created) === TerraformStack.of(this)) return created;
    TerraformStack.of(this).addDependency(TerraformStack.of(created));
    return new SourceRepository(this, 'repository', { owner, repositoryName: repository, branch, create: false });
  }

  /**
   * The repository it creates: in `repositoryScope` under this pipeline's ID, so that its resources' addresses are the
   * same in either stack.
   */
  private createRepository(props: CiPipelineProps): SourceRepository {
    const scope = props.repositoryScope;
    const elsewhere = scope !== undefined && TerraformStack.of(scope) !== TerraformStack.of(this);
    return this.newRepository(props, elsewhere ? new Construct(scope, this.node.id) : this);
  }

  /** The repository; when created, the files the build runs with its role and credentials are the code owners'. */
  private newRepository(props: CiPipelineProps, scope: Construct): SourceRepository {
    const {
      owner,
      repository,
      branch,
      oauthTokenSecret: _token,
      webhookSecret: _webhook,
      buildTokenSecret: _build,
      connectionArn: _connection,
      connectionName: _shared,
      ...settings
    } = props.github;
    // The pull-request build's status first: required, a failing build blocks the merge.
    const ownContext = requiresPullRequestStatus(props) ? this.pullRequestStatusContext : undefined;
    const required = [...(ownContext === undefined ? [] : [ownContext]), ...(settings.requiredStatusChecks ?? [])];
    const appDir = (props.appPath ?? '.') === '.' ? '' : `/${props.appPath}`;
    const created = new SourceRepository(scope, 'repository', {
      ...settings,
      requiredStatusChecks: required.length === 0 ? undefined : [...new Set(required)],
      owner,
      repositoryName: repository,
      branch,
      description: `Built by the ${props.name} CI pipeline`,
      codeOwnedPaths:
        settings.codeOwners === undefined ? undefined : [`${appDir}/buildspec.yml`, `${appDir}/Dockerfile`],
    });
    // A documented choice, recorded where the guardrails and the report read it, rather than a finding.
    const protection = created.resources.branchProtection;
    if (
      protection !== undefined &&
      buildsPullRequests(props) &&
      props.pullRequestBuilds?.requiredStatusCheck === false
    ) {
      Suppressions.add(protection, {
        ruleId: 'CIP_PR_2',
        reason:
          `pullRequestBuilds.requiredStatusCheck is false on ${this.node.path}: pull requests are built only when ` +
          'they change appPath, and merge without waiting for the build, as its owner chose',
      });
    }
    return created;
  }

  private createSource(props: CiPipelineProps): IPipelineSource {
    const { oauthTokenSecret, webhookSecret, connectionArn, connectionName } = props.github;
    const appFiles = props.appPath === undefined ? undefined : appPathPattern(props.appPath);
    if ((props.trigger ?? 'webhook') === 'webhook') {
      return new GitHubWebhookSource(this, 'webhook', {
        repository: this.repository,
        oauthTokenSecretId: oauthTokenSecret,
        webhookSecretId: webhookSecret,
      });
    }
    return new GitHubConnectionSource(this, 'connection', {
      repository: this.repository,
      connectionName: connectionArn === undefined && connectionName === undefined ? props.name : undefined,
      connectionArn,
      sharedConnectionName: connectionName,
      filePaths: appFiles === undefined ? undefined : [appFiles],
      releaseTags: props.releaseTags,
    });
  }

  /**
   * The build that verifies pull requests (see {@link PullRequestBuilds}), with the pipeline's build settings. Builds
   * every pull request (a required status never reported blocks the merge for good), unless the status is declared
   * not required: then only those that change the app.
   */
  private createPullRequestBuilds(props: CiPipelineProps): PullRequestBuilds {
    const { concurrentBuildLimit: _limit, ...build } = props.build ?? {};
    return new PullRequestBuilds(this, 'pull-request-build', {
      repository: this.repository,
      projectName: pullRequestProjectName(props.name),
      statusContext: pullRequestStatusContext(props.name),
      encryptionKey: this.encryptionKey,
      appPath: props.appPath,
      build,
      auth: this.pullRequestAuth(props),
      localImageName: `local/${props.name}`,
      // Only when the status is declared not required: an existing repository's protection may require it unseen.
      onlyChangesUnder: props.pullRequestBuilds?.requiredStatusCheck === false ? props.appPath : undefined,
      policy: this.pullRequestBuildPolicy(props),
    });
  }

  /** The policy, when the configuration states one; else none is written and CodeBuild's default applies. */
  private pullRequestBuildPolicy(props: CiPipelineProps): PullRequestBuildPolicy | undefined {
    const { commentApproval, approverRoles } = props.pullRequestBuilds ?? {};
    if (commentApproval === undefined && approverRoles === undefined) return undefined;
    return { requiresCommentApproval: commentApproval ?? 'ALL_PULL_REQUESTS', approverRoles };
  }

  /** The connection the source uses, or the CodeBuild-format token secret in webhook mode (only its ARN is read). */
  private pullRequestAuth(props: CiPipelineProps): BuildSourceAuth {
    if (this.source instanceof GitHubConnectionSource)
      return { type: 'CODECONNECTIONS', connectionArn: this.source.connectionArn };
    const secretId = props.github.buildTokenSecret ?? DEFAULT_BUILD_TOKEN_SECRET;
    if (secretId.startsWith('arn:')) return { type: 'SECRETS_MANAGER', secretArn: secretId };
    const lifecycle = storedSecretLifecycle(this, 'build-token-stored', secretId, this.tokenStep(props));
    return {
      type: 'SECRETS_MANAGER',
      secretArn: new DataAwsSecretsmanagerSecret(this, 'build-token', { name: secretId, lifecycle }).arn,
    };
  }

  /** Failed pipeline executions and failed builds of both projects, to an SNS topic under the pipeline's key. */
  private createFailureNotifications(props: CiPipelineProps): FailureNotifications {
    const names = notificationRuleNames(props.name);
    return new FailureNotifications(this, 'failure-notifications', {
      topicName: notificationTopicName(props.name),
      encryptionKey: this.encryptionKey,
      rules: [
        pipelineFailures(names.pipeline, this.pipeline.pipelineArn),
        buildFailures(names.build, this.buildProject.deployedProjectArn),
        ...(this.pullRequestBuilds === undefined
          ? []
          : [buildFailures(names.pullRequestBuild, this.pullRequestBuilds.deployedProjectArn)]),
      ],
      emailAddresses: props.notifications?.emails,
      slackChannelConfigurationArn: props.notifications?.slackChannelConfigurationArn,
    });
  }

  /** Where the image goes: an ECR repository, or Docker Hub; and the variables that tell the build. */
  private createRegistry(props: CiPipelineProps): Registry {
    if (props.registry.type === 'ecr') {
      const imageRepository = new ImageRepository(this, 'image-repository', {
        repositoryName: props.registry.image,
        encryptionKeyArn: this.encryptionKey.keyArn,
      });
      return {
        imageRepository,
        credentials: this.createCredentials(props),
        imageRepositoryUri: imageRepository.repositoryUrl,
        variables: [
          buildVariable('IMAGE_REPOSITORY_URI', imageRepository.repositoryUrl),
          buildVariable('PUSH_LATEST_TAG', 'false'),
          buildVariable('ECR_REGISTRY', imageRepository.registryHost),
        ],
      };
    }
    const imageRepositoryUri = `docker.io/${props.registry.image}`;
    return {
      credentials: this.createCredentials(props),
      imageRepositoryUri,
      variables: [buildVariable('IMAGE_REPOSITORY_URI', imageRepositoryUri), buildVariable('PUSH_LATEST_TAG', 'true')],
    };
  }

  /** Docker Hub credentials: always for Docker Hub, and for ECR when asked (base-image pulls). */
  private createCredentials(props: CiPipelineProps): RegistryCredentials | undefined {
    if (props.registry.type === 'ecr' && !props.registry.dockerHubCredentials) return undefined;
    return new RegistryCredentials(this, 'dockerhub-credentials', {
      secretName: credentialsSecretName(props.name),
      encryptionKeyArn: this.encryptionKey.keyArn,
      variablePrefix: `${terraformNamePrefixOf(props)}dockerhub`,
    });
  }

  /**
   * Source → Build. The Build stage is added first and the Source stage placed
   * before it, so that the pipeline role lists its statements in the order of
   * earlier releases (the build's, then the connection's): no plan shows a change.
   */
  private createPipeline(props: CiPipelineProps): Pipeline {
    const pipeline = new Pipeline(this, 'pipeline', {
      pipelineName: props.name,
      artifactBucket: this.artifactBucket,
      encryptionKey: this.encryptionKey,
      executionMode: props.executionMode,
    });
    const build = pipeline.addStage({
      stageName: BUILD_STAGE,
      actions: [
        new CodeBuildAction({
          actionName: BUILD_ACTION,
          project: this.buildProject,
          input: this.source.outputArtifact,
          outputs: [BUILD_ARTIFACT],
        }),
      ],
    });
    pipeline.addStage({ stageName: SOURCE_STAGE, actions: [this.source], placement: { rightBefore: build } });
    return pipeline;
  }
}
