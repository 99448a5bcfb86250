import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { AwsContext } from './aws-context';
import { BuildProject, BuildProjectProps, EnvironmentVariable, SecretEnvironmentVariable } from './build-project';
import { EncryptionKey, IEncryptionKey } from './encryption-key';
import { GitHubConnectionSource } from './github-connection-source';
import { GitHubWebhookSource } from './github-webhook-source';
import { ImageRepository } from './image-repository';
import { Pipeline } from './pipeline';
import { IPipelineSource, TRIGGER_MODES, TriggerMode } from './pipeline-source';
import { RegistryCredentials } from './registry-credentials';
import { IBucket, SecureBucket } from './secure-bucket';
import { RepositoryVisibility, SourceRepository } from './source-repository';
import {
  checkDockerHubRepository,
  checkImageRepositoryName,
  checkIntegerBetween,
  checkKmsKeyArn,
  checkOneOf,
  checkPipelineName,
  checkS3BucketName,
  validateProp,
} from './validation';

/** Where the image is pushed. */
export type RegistryType = 'dockerhub' | 'ecr';
export const REGISTRY_TYPES: readonly RegistryType[] = ['dockerhub', 'ecr'];

/**
 * The environment variables the app's buildspec may read, beside CodeBuild's own
 * (`CODEBUILD_*`, `AWS_*`): the contract between this construct and `buildspec.yml`.
 * `always` ones are set for every configuration; the others only where they apply.
 */
export const BUILD_ENVIRONMENT_VARIABLES = {
  APP_DIR: { always: true, meaning: 'the app directory inside the repository ("." for the root)' },
  IMAGE_REPOSITORY_URI: { always: true, meaning: 'where to push the image, without a tag' },
  PUSH_LATEST_TAG: { always: true, meaning: '"true" to push the `latest` tag too (registries with mutable tags)' },
  ECR_REGISTRY: { always: false, meaning: 'the ECR registry host to log in to (ECR only)' },
  DOCKERHUB_USERNAME: { always: false, meaning: 'Docker Hub user name, from Secrets Manager (when credentials are configured)' },
  DOCKERHUB_PASSWORD: { always: false, meaning: 'Docker Hub access token, from Secrets Manager (when credentials are configured)' },
} as const;

/** The GitHub side of the pipeline. */
export interface GitHubSettings {
  /** The user or organization that owns the repository. */
  readonly owner: string;
  /** The repository's name. */
  readonly repository: string;
  /**
   * The branch that is built (and protected, when the repository is created).
   * @default "main"
   */
  readonly branch?: string;
  /**
   * Visibility of a created repository.
   * @default "private"
   */
  readonly visibility?: RepositoryVisibility;
  /**
   * Create and manage the repository; `false` uses an existing one without changing it.
   * @default true
   */
  readonly create?: boolean;
  /**
   * Webhook trigger only: Secrets Manager secret (name or ARN) holding the GitHub token CodePipeline uses.
   * @default "github/codepipeline-oauth-token"
   */
  readonly oauthTokenSecret?: string;
  /**
   * Webhook trigger only: Secrets Manager secret (name or ARN) holding the webhook's HMAC secret.
   * @default - generated once, alphanumeric, kept in state
   */
  readonly webhookSecret?: string;
  /**
   * Connection trigger only: ARN of an existing, approved connection.
   * @default - a connection named after the pipeline is created
   */
  readonly connectionArn?: string;
}

/** The image registry. */
export interface RegistrySettings {
  /** `dockerhub` or `ecr`. */
  readonly type: RegistryType;
  /** The image repository: `namespace/name` on Docker Hub, the repository name on ECR. */
  readonly image: string;
  /**
   * ECR only: also log in to Docker Hub with stored credentials, so base-image pulls are not rate-limited.
   * Always true for `dockerhub`.
   * @default false
   */
  readonly dockerHubCredentials?: boolean;
}

/** The build's settings: the {@link BuildProjectProps} a configuration may set. */
export type BuildSettings = Pick<
  BuildProjectProps,
  'computeType' | 'image' | 'concurrentBuildLimit' | 'timeoutMinutes' | 'queuedTimeoutMinutes' | 'logRetentionDays'
>;

export interface CiPipelineProps {
  /** The pipeline's short name (2-32 lowercase letters, digits, hyphens); it names every resource. */
  readonly name: string;
  /** The GitHub repository and branch. */
  readonly github: GitHubSettings;
  /**
   * How a push starts the pipeline.
   * @default "webhook"
   */
  readonly trigger?: TriggerMode;
  /** Where the image goes. */
  readonly registry: RegistrySettings;
  /**
   * Build settings.
   * @default - see {@link BuildSettings}
   */
  readonly build?: BuildSettings;
  /**
   * The app's directory in the repository, holding its `buildspec.yml` and `Dockerfile`.
   * @default "."
   */
  readonly appPath?: string;
  /**
   * Days pipeline artifacts are kept in the artifact bucket. Only for a created bucket:
   * an existing bucket's lifecycle is its owner's.
   * @default 30
   */
  readonly artifactRetentionDays?: number;
  /**
   * ARN of an existing customer-managed KMS key, in the pipeline's region, to encrypt
   * artifacts, logs, secrets and images with instead of creating a key. Its key policy
   * must let the account's IAM policies grant its use and let CloudWatch Logs use it
   * (see {@link EncryptionKey.fromKeyArn}).
   * @default - a key with alias `ci/<name>` is created
   */
  readonly encryptionKeyArn?: string;
  /**
   * Name of an existing S3 bucket, in the pipeline's region and account, to keep the
   * pipeline's artifacts in instead of creating a bucket. CodePipeline writes under a
   * prefix named after the pipeline, so pipelines can share one bucket.
   * @default - a hardened bucket named `<name>-artifacts-<suffix>` is created
   */
  readonly artifactBucketName?: string;
}

/** Ready-to-run AWS CLI commands for when a build fails. */
export interface TroubleshootingCommands {
  /** Each stage's latest execution and status. */
  readonly pipelineState: string;
  /** The project's most recent build IDs, newest first. */
  readonly listBuilds: string;
  /** The latest build's status, current phase, failed phases and log link. */
  readonly latestBuild: string;
  /** Follows the build logs as they are written. */
  readonly tailLogs: string;
}

/**
 * One complete CI pipeline for an app on GitHub: repository, trigger, registry
 * credentials, CodeBuild project and CodePipeline, sharing one customer-managed
 * KMS key and one artifact bucket: created and hardened here, or existing ones
 * named by `encryptionKeyArn` and `artifactBucketName`.
 */
export class CiPipeline extends Construct {
  /** The CodePipeline's name. */
  public readonly pipelineName: string;
  /** The pipeline's page in the AWS console. */
  public readonly pipelineConsoleUrl: string;
  /** The CodeBuild project's name. */
  public readonly buildProjectName: string;
  /** The build project's build history in the AWS console. */
  public readonly buildProjectConsoleUrl: string;
  /** The build's CloudWatch log group. */
  public readonly logGroupName: string;
  /** The log group in the AWS console. */
  public readonly logGroupConsoleUrl: string;
  /** AWS CLI commands that show why a build failed. */
  public readonly troubleshootingCommands: TroubleshootingCommands;
  /** Where images are pushed (without a tag). */
  public readonly imageRepositoryUri: string;
  /** The source, for its webhook URL or connection ARN. */
  public readonly source: IPipelineSource;
  /** Docker Hub credentials, when configured. */
  public readonly registryCredentials?: RegistryCredentials;
  /** The parts, for extension and tests. The key and bucket are created ones, or the existing ones given by ARN and name. */
  public readonly encryptionKey: IEncryptionKey;
  public readonly artifactBucket: IBucket;
  public readonly repository: SourceRepository;
  public readonly buildProject: BuildProject;
  public readonly pipeline: Pipeline;
  public readonly imageRepository?: ImageRepository;

  constructor(scope: Construct, id: string, props: CiPipelineProps) {
    super(scope, id);
    const c = 'CiPipeline';
    validateProp(c, 'name', props.name, checkPipelineName);
    const trigger = props.trigger ?? 'webhook';
    validateProp(c, 'trigger', trigger, checkOneOf(TRIGGER_MODES));
    validateProp(c, 'registry.type', props.registry.type, checkOneOf(REGISTRY_TYPES));
    validateProp(c, 'registry.image', props.registry.image, props.registry.type === 'dockerhub' ? checkDockerHubRepository : checkImageRepositoryName);
    const artifactRetentionDays = props.artifactRetentionDays ?? 30;
    validateProp(c, 'artifactRetentionDays', artifactRetentionDays, checkIntegerBetween(1, 3650));
    if (props.encryptionKeyArn !== undefined) validateProp(c, 'encryptionKeyArn', props.encryptionKeyArn, checkKmsKeyArn);
    if (props.artifactBucketName !== undefined) validateProp(c, 'artifactBucketName', props.artifactBucketName, checkS3BucketName);
    if (props.artifactBucketName !== undefined && props.artifactRetentionDays !== undefined) {
      throw new Error(`${c}: prop "artifactRetentionDays" applies only to a created artifact bucket, not to the existing bucket "artifactBucketName"`);
    }
    const { oauthTokenSecret, webhookSecret, connectionArn } = props.github;
    if (trigger === 'connection' && (oauthTokenSecret !== undefined || webhookSecret !== undefined)) {
      throw new Error(`${c}: props "github.oauthTokenSecret" and "github.webhookSecret" apply only to trigger "webhook", not "connection"`);
    }
    if (trigger === 'webhook' && connectionArn !== undefined) {
      throw new Error(`${c}: prop "github.connectionArn" applies only to trigger "connection", not "webhook"`);
    }

    this.encryptionKey =
      props.encryptionKeyArn !== undefined
        ? EncryptionKey.fromKeyArn(props.encryptionKeyArn)
        : new EncryptionKey(this, 'key', {
            alias: `ci/${props.name}`,
            description: `Encrypts the ${props.name} pipeline's artifacts, logs, secrets and images`,
            allowCloudWatchLogs: true,
          });
    this.artifactBucket =
      props.artifactBucketName !== undefined
        ? SecureBucket.fromBucketName(this, props.artifactBucketName)
        : new SecureBucket(this, 'artifacts', {
            bucketPrefix: `${props.name}-artifacts-`.slice(0, 37),
            encryptionKeyArn: this.encryptionKey.keyArn,
            expireObjectsAfterDays: artifactRetentionDays,
            noncurrentVersionExpirationDays: 7,
            // Artifacts are disposable; an undeletable bucket would block `destroy`.
            forceDestroy: true,
          });
    this.repository = new SourceRepository(this, 'repository', {
      owner: props.github.owner,
      repositoryName: props.github.repository,
      branch: props.github.branch,
      visibility: props.github.visibility,
      create: props.github.create,
      description: `Built by the ${props.name} CI pipeline`,
    });
    this.source =
      trigger === 'webhook'
        ? new GitHubWebhookSource(this, 'webhook', {
            repository: this.repository,
            oauthTokenSecretId: oauthTokenSecret,
            webhookSecretId: webhookSecret,
          })
        : new GitHubConnectionSource(this, 'connection', {
            repository: this.repository,
            connectionName: connectionArn === undefined ? props.name : undefined,
            connectionArn,
          });

    const environmentVariables: EnvironmentVariable[] = [];
    // Typed by the contract, so a renamed variable fails to compile instead of failing a build.
    const setVariable = (name: keyof typeof BUILD_ENVIRONMENT_VARIABLES, value: string) => environmentVariables.push({ name, value });
    const secretEnvironmentVariables: SecretEnvironmentVariable[] = [];
    if (props.registry.type === 'ecr') {
      this.imageRepository = new ImageRepository(this, 'image-repository', {
        repositoryName: props.registry.image,
        encryptionKeyArn: this.encryptionKey.keyArn,
      });
      this.imageRepositoryUri = this.imageRepository.repositoryUrl;
      setVariable('IMAGE_REPOSITORY_URI', this.imageRepository.repositoryUrl);
      setVariable('PUSH_LATEST_TAG', 'false');
      setVariable('ECR_REGISTRY', this.imageRepository.registryHost);
    } else {
      this.imageRepositoryUri = `docker.io/${props.registry.image}`;
      setVariable('IMAGE_REPOSITORY_URI', this.imageRepositoryUri);
      setVariable('PUSH_LATEST_TAG', 'true');
    }
    if (props.registry.type === 'dockerhub' || props.registry.dockerHubCredentials) {
      this.registryCredentials = new RegistryCredentials(this, 'dockerhub-credentials', {
        secretName: `ci/${props.name}/dockerhub`,
        encryptionKeyArn: this.encryptionKey.keyArn,
      });
      secretEnvironmentVariables.push(...this.registryCredentials.environmentVariables());
    }

    this.buildProject = new BuildProject(this, 'build', {
      projectName: props.name,
      encryptionKey: this.encryptionKey,
      artifactBucket: this.artifactBucket,
      appPath: props.appPath,
      buildsImages: true,
      ...props.build,
      environmentVariables,
      secretEnvironmentVariables,
    });
    this.imageRepository?.grantPush(this.buildProject.role);

    this.pipeline = new Pipeline(this, 'pipeline', {
      pipelineName: props.name,
      source: this.source,
      buildProject: this.buildProject,
      artifactBucket: this.artifactBucket,
      encryptionKey: this.encryptionKey,
    });

    const region = AwsContext.of(this).region;
    this.pipelineName = this.pipeline.pipelineName;
    this.buildProjectName = this.buildProject.projectName;
    this.logGroupName = this.buildProject.logGroupName;
    const consoleHome = `https://${region}.console.aws.amazon.com`;
    this.pipelineConsoleUrl = `${consoleHome}/codesuite/codepipeline/pipelines/${this.pipelineName}/view?region=${region}`;
    this.buildProjectConsoleUrl = `${consoleHome}/codesuite/codebuild/projects/${this.buildProjectName}/history?region=${region}`;
    // The console wants the log group's slashes escaped twice ("/" → "%2F" → "$252F").
    this.logGroupConsoleUrl = `${consoleHome}/cloudwatch/home?region=${region}#logsV2:log-groups/log-group/${Fn.replace(this.logGroupName, '/', '$252F')}`;
    const latestBuildId = `$(aws codebuild list-builds-for-project --region ${region} --project-name ${this.buildProjectName} --query 'ids[0]' --output text)`;
    this.troubleshootingCommands = {
      pipelineState: `aws codepipeline get-pipeline-state --region ${region} --name ${this.pipelineName} --query 'stageStates[].{stage: stageName, status: latestExecution.status}' --output table`,
      listBuilds: `aws codebuild list-builds-for-project --region ${region} --project-name ${this.buildProjectName} --max-items 10`,
      latestBuild:
        `aws codebuild batch-get-builds --region ${region} --ids "${latestBuildId}" ` +
        `--query "builds[0].{status: buildStatus, phase: currentPhase, failed: phases[?phaseStatus == 'FAILED'].[phaseType, contexts[0].message], logs: logs.deepLink}"`,
      tailLogs: `aws logs tail ${this.logGroupName} --region ${region} --since 1h --follow`,
    };
  }
}
