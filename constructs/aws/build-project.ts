import { ROLE_NAME_SUFFIXES } from '../../shared/apply-permissions';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CodebuildProject, CodebuildProjectEnvironment } from '@cdktf/provider-aws/lib/codebuild-project';
import { CodebuildReportGroup } from '@cdktf/provider-aws/lib/codebuild-report-group';
import { CodebuildWebhook } from '@cdktf/provider-aws/lib/codebuild-webhook';
import { Construct } from 'constructs';
import { MIN_LOG_RETENTION_DAYS } from '../../shared/log-retention';
import { Suppressions } from '../../shared/suppressions';
import {
  CONNECTION_TOKEN_ACTIONS,
  connectionActionsFor,
  LOG_WRITE_ACTIONS,
  REPORT_ACTIONS,
  SECRET_READ_ACTIONS,
  START_BUILD_ACTIONS,
} from '../../shared/iam-actions';
import { checkIamRoleArn, checkIamRoleName, IServiceRole, ServiceRole } from './service-role';
import {
  checkIntegerBetween,
  checkOneOf,
  checkRelativePath,
  checkStatusCheckContext,
  matches,
  withCanonicalAppPath,
} from '../private/checks';
import { AwsContext } from '../private/aws-context';
import { Grant, IGrantable } from '../core/grants';
import { grant } from '../private/policy-statements';
import {
  Check,
  checkDerivedName,
  checkOptionalList,
  checkOptionalProp,
  checkProp,
  crossPropProblem,
  throwIfInvalid,
} from '../private/validation';
import { PropProblem } from '../core/validation';
import {
  DEFAULT_GITHUB_APPROVER_ROLES,
  GITHUB_APPROVER_ROLES,
  GitHubBuildSource,
  PULL_REQUEST_BUILD_POLICY_PROVIDER,
  PULL_REQUEST_COMMENT_APPROVALS,
} from './build-source';
import { requireAwsProvider } from '../private/provider-versions';
import { IEncryptionKey } from './encryption-key';
import { isTrustedPrivilegedImage } from '../../shared/privileged-images';

/**
 * The key of the `reports` section in the app's buildspec. CodeBuild files a
 * report under `<key>` into the report group named `<project>-<key>`, which is
 * the group this construct creates.
 */
export const UNIT_TEST_REPORT_KEY = 'unit-tests';

/** The default build image: CodeBuild's current Ubuntu standard image (Python 3.12, Docker). */
export const DEFAULT_BUILD_IMAGE = 'aws/codebuild/standard:7.0';

/** A plain-text environment variable of the build. */
export interface EnvironmentVariable {
  /** The variable's name. */
  readonly name: string;
  /** Its value; never a secret. */
  readonly value: string;
}

/** A build environment variable read from a Secrets Manager secret at build time. */
export interface SecretEnvironmentVariable {
  /** The variable's name. */
  readonly name: string;
  /** The secret's ARN. */
  readonly secretArn: string;
  /**
   * The key in the secret's JSON value.
   * @default - the whole secret string
   */
  readonly jsonKey?: string;
}

/** The settings of a build that a user chooses; {@link BuildProjectProps} adds what the composing construct wires. */
export interface BuildSettings {
  /**
   * The compute type. BUILD_GENERAL1_2XLARGE is offered only in some regions (CodeBuild API Reference,
   * "ProjectEnvironment"), which a pipeline stack checks against its region.
   * @default "BUILD_GENERAL1_SMALL"
   */
  readonly computeType?: ComputeType;
  /**
   * The build image; images with "aarch64" in their name run on ARM.
   * @default "aws/codebuild/standard:7.0"
   */
  readonly image?: string;
  /**
   * How many builds of the project may run at once. CodeBuild fails a build that
   * would exceed it; it does not queue it ("If the build project has a concurrent
   * build limit set, builds return an error if the number of running builds
   * reaches the concurrent build limit": CodeBuild User Guide, "Builds in AWS
   * CodeBuild"). Without a limit, builds over the account's quota wait in a queue.
   * A pipeline needs none to build one change at a time: in its default
   * (SUPERSEDED) execution mode a stage holds one execution at a time
   * (CodePipeline User Guide, "How pipeline executions work").
   * @default - no limit, so that no pipeline run fails because of one
   */
  readonly concurrentBuildLimit?: number;
  /**
   * Minutes after which a running build is stopped (5-2160).
   * @default 30
   */
  readonly timeoutMinutes?: number;
  /**
   * Minutes a build may wait in the queue (5-480).
   * @default 60
   */
  readonly queuedTimeoutMinutes?: number;
  /**
   * Days the build logs are kept: one of CloudWatch Logs' retention periods. A period under 365 days is recorded in
   * the guardrails' report, as a suppression of `cw-loggroup-retention-period-check` with this reason.
   * @default 365
   */
  readonly logRetentionDays?: number;
}

export interface BuildProjectProps extends BuildSettings {
  /** The CodeBuild project's name: 2-150 letters, digits, "-" and "_", starting with a letter or digit. */
  readonly projectName: string;
  /** Encrypts build artifacts, logs and reports; must allow CloudWatch Logs. */
  readonly encryptionKey: IEncryptionKey;
  /**
   * The app's directory in the repository; its `buildspec.yml` is used and exported as `APP_DIR`.
   * @default "."
   */
  readonly appPath?: string;
  /**
   * Whether the build runs Docker (privileged mode and a local Docker-layer cache). Nothing else gets privileged mode.
   * @default true
   */
  readonly buildsImages?: boolean;
  /**
   * Plain-text environment variables.
   * @default - none besides APP_DIR
   */
  readonly environmentVariables?: readonly EnvironmentVariable[];
  /**
   * Environment variables read from Secrets Manager; the role may read exactly these secrets.
   * @default - none
   */
  readonly secretEnvironmentVariables?: readonly SecretEnvironmentVariable[];
  /**
   * Build a GitHub repository on the project's own, started by the source's
   * webhook events, and report each build's status to GitHub; the role may
   * use the source's credentials.
   * @default - the pipeline that runs the project hands it the source (`CODEPIPELINE`)
   */
  readonly gitHubSource?: GitHubBuildSource;
  /**
   * What the project does, shown in the console and in plans.
   * @default - "Tests and builds <appPath>; run by CodePipeline"
   */
  readonly description?: string;
  /**
   * The buildspec itself, as YAML kept in the project (CodeBuild API Reference, "ProjectSource": buildspec "can be
   * either an inline buildspec definition" or a path), instead of the repository's: for a build whose commands
   * its owner decides, so that a change to the repository cannot change what the build runs with its role.
   * @default - the repository's `<appPath>/buildspec.yml`
   */
  readonly buildspec?: string;
  /**
   * Clone the repository's whole history (`git_clone_depth` 0) instead of its last commit: for a build that compares
   * the change with its base branch. The API Reference ("ProjectSource") gives only the minimum, 0; aws-cdk-lib's
   * `cloneDepth` documents that 0 downloads the full history. Applies with `gitHubSource` only.
   * @default false
   */
  readonly fullClone?: boolean;
}

/**
 * Every problem with build settings; {@link CiPipeline} reports them for its `build` prop too.
 * `runsDocker` (the default, as {@link BuildProjectProps.buildsImages}'s) holds the image to
 * what may run privileged: a CodeBuild image or one pinned by digest.
 */
export function validateBuildSettings(
  settings: BuildSettings,
  options: { readonly runsDocker?: boolean } = {},
): PropProblem[] {
  const imageProblems = [
    ...checkOptionalProp('image', settings.image, checkBuildImage),
    ...checkOptionalProp('image', settings.image, checkContainerImage),
  ];
  return [
    ...checkOptionalProp('computeType', settings.computeType, checkComputeType),
    ...imageProblems,
    ...(imageProblems.length === 0 && (options.runsDocker ?? true)
      ? checkOptionalProp('image', settings.image, checkPrivilegedBuildImage)
      : []),
    ...checkOptionalProp('concurrentBuildLimit', settings.concurrentBuildLimit, checkConcurrentBuildLimit),
    ...checkOptionalProp('timeoutMinutes', settings.timeoutMinutes, checkBuildTimeoutMinutes),
    ...checkOptionalProp('queuedTimeoutMinutes', settings.queuedTimeoutMinutes, checkQueuedTimeoutMinutes),
    ...checkOptionalProp('logRetentionDays', settings.logRetentionDays, checkLogRetentionDays),
  ];
}

/** The project's log group, where CodeBuild writes by default. */
export const buildLogGroupName = (projectName: string) => `/aws/codebuild/${projectName}`;
/** The report group CodeBuild files the buildspec's `unit-tests` report into. */
export const buildReportGroupName = (projectName: string) => `${projectName}-${UNIT_TEST_REPORT_KEY}`;
/** The project's service role. */
/** A project's role name; the apply's boundary bounds roles of this suffix (shared/apply-permissions.ts). */
export const buildRoleName = (projectName: string) => `${projectName}${ROLE_NAME_SUFFIXES.build}`;

/** The build's variables: `APP_DIR` first, then the plain ones, then those read from Secrets Manager. */
const variablesOf = (props: BuildProjectProps) => ({
  plain: [{ name: 'APP_DIR', value: props.appPath ?? '.' }, ...(props.environmentVariables ?? [])],
  secrets: props.secretEnvironmentVariables ?? [],
});

function validateBuildProjectProps(props: BuildProjectProps): PropProblem[] {
  const { plain, secrets } = variablesOf(props);
  const names = [...plain, ...secrets].map((variable) => variable.name);
  const duplicates = names.filter((name, index) => names.indexOf(name) !== index);
  const nameProblems = checkProp('projectName', props.projectName, checkCodeBuildProjectName);
  return [
    ...nameProblems,
    ...(nameProblems.length > 0
      ? []
      : [
          ...checkDerivedName(
            'projectName',
            props.projectName,
            'IAM role name',
            buildRoleName(props.projectName),
            checkIamRoleName,
          ),
          ...checkDerivedName(
            'projectName',
            props.projectName,
            'log group name',
            buildLogGroupName(props.projectName),
            checkLogGroupName,
          ),
          ...checkDerivedName(
            'projectName',
            props.projectName,
            'report group name',
            buildReportGroupName(props.projectName),
            checkReportGroupName,
          ),
        ]),
    ...checkOptionalProp('appPath', props.appPath, checkRelativePath),
    ...checkOptionalProp('buildspec', props.buildspec, (value) =>
      typeof value === 'string' && value.trim() !== '' ? undefined : "must be the buildspec's YAML, not empty",
    ),
    ...validateBuildSettings(props, { runsDocker: props.buildsImages ?? true }),
    ...names.flatMap((name) => checkProp('environmentVariables[].name', name, checkEnvironmentVariableName)),
    ...(props.gitHubSource === undefined ? [] : validateGitHubSource(props.gitHubSource)),
    ...[...new Set(duplicates)].map((name) => ({
      prop: 'environmentVariables[].name',
      value: name,
      allowed: 'must be unique among the build\'s variables (APP_DIR is set from "appPath")',
    })),
  ];
}

function validateGitHubSource(source: GitHubBuildSource): PropProblem[] {
  const groups = source.webhookFilterGroups;
  const policy = source.pullRequestBuildPolicy;
  return [
    ...(policy === undefined
      ? []
      : [
          ...checkProp(
            'gitHubSource.pullRequestBuildPolicy.requiresCommentApproval',
            policy.requiresCommentApproval,
            checkOneOf(PULL_REQUEST_COMMENT_APPROVALS),
          ),
          ...checkOptionalList(
            'gitHubSource.pullRequestBuildPolicy.approverRoles',
            policy.approverRoles,
            checkOneOf(GITHUB_APPROVER_ROLES),
          ),
          ...crossPropProblem(
            policy.approverRoles?.length === 0,
            'gitHubSource.pullRequestBuildPolicy.approverRoles',
            [],
            'must name at least one role, or be left out',
          ),
          // "This field is only applicable when requiresCommentApproval is not DISABLED" (API_PullRequestBuildPolicy).
          ...crossPropProblem(
            policy.requiresCommentApproval === 'DISABLED' && policy.approverRoles !== undefined,
            'gitHubSource.pullRequestBuildPolicy.approverRoles',
            policy.approverRoles,
            'applies only when requiresCommentApproval is not DISABLED',
          ),
        ]),
    ...checkProp('gitHubSource.statusContext', source.statusContext, checkStatusCheckContext),
    ...crossPropProblem(
      groups.length === 0,
      'gitHubSource.webhookFilterGroups',
      [],
      'must hold at least one filter group',
    ),
    // CodeBuild API Reference, "UpdateWebhook": "A filter group must contain at least one EVENT WebhookFilter."
    ...groups.flatMap((group, index) =>
      crossPropProblem(
        !group.some((filter) => filter.type === 'EVENT'),
        `gitHubSource.webhookFilterGroups[${index}]`,
        group.map((filter) => filter.type),
        'must hold an EVENT filter',
      ),
    ),
  ];
}

/** A CodeBuild project: one created here, or an existing one ({@link BuildProject.fromProjectName}). */
export interface IBuildProject {
  /** The project's name. */
  readonly projectName: string;
  /** The project's ARN, known at plan time. */
  readonly projectArn: string;
  /**
   * The project's service role, which a pipeline stage grants its artifacts to.
   * @default - unknown for an existing project imported without its role's ARN
   */
  readonly role?: IServiceRole;
  /** Lets `grantee` (a pipeline's role) start builds of the project and follow them. */
  grantStartBuild(grantee: IGrantable): Grant;
}

/** How {@link BuildProject.fromProjectName} reaches an existing project's role. */
export interface ExistingProjectOptions {
  /**
   * The ARN of the project's service role, so that a pipeline stage that runs the project can grant it the stage's
   * artifacts.
   * @default - the role is unknown: the project cannot run in a {@link CodeBuildAction}
   */
  readonly roleArn?: string;
  /**
   * Grant to that role through an inline policy this stack manages ({@link ExistingRoleOptions.mutable}).
   * @default true
   */
  readonly mutableRole?: boolean;
}

/** The provider resources of a {@link BuildProject}. */
export interface BuildProjectResources {
  /** The project. */
  readonly project: CodebuildProject;
  /** Its build logs' log group, encrypted with the key. */
  readonly logGroup: CloudwatchLogGroup;
  /** Its unit-test report group. */
  readonly reportGroup: CodebuildReportGroup;
  /**
   * Its webhook, which starts builds on GitHub events.
   * @default - none, without a `gitHubSource`
   */
  readonly webhook?: CodebuildWebhook;
}

const grantStartBuild = (grantee: IGrantable, projectArn: string): Grant =>
  grant(grantee, { sid: 'RunBuildProject', actions: START_BUILD_ACTIONS, resources: [projectArn] });

/**
 * A CodeBuild project run by CodePipeline: the app's buildspec, its own KMS-
 * encrypted log group, a `TEST` report group for the unit-test results, and a
 * service role that may do what the build does and no more.
 *
 * Further permissions (e.g. pushing to an image repository) are granted
 * through {@link BuildProject.role} by the resource's own `grant*` method.
 */
export class BuildProject extends Construct implements IBuildProject {
  /**
   * A project that exists already, in the stack's account and region, which Terraform does not manage: for a
   * pipeline stage that runs it ({@link CodeBuildAction}) or a rule that watches it ({@link buildFailures}).
   *
   * @param scope the construct that uses it: its stack's account, region and partition are the project's
   * @param id the ID of the construct that grants to the project's role, when `roleArn` is given
   * @param projectName the project's name
   */
  public static fromProjectName(
    scope: Construct,
    id: string,
    projectName: string,
    options: ExistingProjectOptions = {},
  ): IBuildProject {
    throwIfInvalid('BuildProject.fromProjectName', scope, [
      ...checkProp('projectName', projectName, checkCodeBuildProjectName),
      ...checkOptionalProp('roleArn', options.roleArn, checkIamRoleArn),
    ]);
    const projectArn = AwsContext.of(scope).arn('codebuild', `project/${projectName}`);
    const role =
      options.roleArn === undefined
        ? undefined
        : ServiceRole.fromRoleArn(scope, id, options.roleArn, { mutable: options.mutableRole });
    return {
      projectName,
      projectArn,
      role,
      grantStartBuild: (grantee) => grantStartBuild(grantee, projectArn),
    };
  }

  /** The project's name. */
  public readonly projectName: string;
  /** The project's ARN, built from its name so that it is known at plan time. */
  public readonly projectArn: string;
  /**
   * The project's ARN as a reference to the project: whatever uses it is created
   * after the project. (`projectArn` is known at plan time instead, for IAM policies.)
   */
  public readonly deployedProjectArn: string;
  /** The log group the builds write to. */
  public readonly logGroupName: string;
  /** The build's service role. */
  public readonly role: ServiceRole;
  /** The provider resources it created (its role's are the role's), to reach any argument it does not model. */
  public readonly resources: BuildProjectResources;

  constructor(scope: Construct, id: string, props: BuildProjectProps) {
    super(scope, id);
    throwIfInvalid('BuildProject', this, validateBuildProjectProps(props));
    // `./app/` and `app` are one directory: APP_DIR and the buildspec's path are written from one spelling.
    props = withCanonicalAppPath(props);
    requireAwsProvider(this);
    const logGroup = this.createLogGroup(props);
    const reportGroup = new CodebuildReportGroup(this, 'unit-test-reports', {
      name: buildReportGroupName(props.projectName),
      type: 'TEST',
      exportConfig: { type: 'NO_EXPORT' },
      deleteReports: true,
    });
    // ARNs built from the names, which are known at plan time: a reference to a resource's `arn` would defer
    // the policy document's read whenever that resource changes, and show the policy changing in every such plan.
    const aws = AwsContext.of(this);
    // Only builds of this project may act with the role (CodeBuild User Guide, "Cross-service confused deputy
    // prevention").
    this.role = new ServiceRole(this, 'role', {
      roleName: buildRoleName(props.projectName),
      assumedBy: 'codebuild.amazonaws.com',
      sourceArns: [aws.arn('codebuild', `project/${props.projectName}`)],
    });
    const logGroupArn = aws.arn('logs', `log-group:${buildLogGroupName(props.projectName)}`);
    grant(
      this.role,
      { sid: 'WriteBuildLogs', actions: LOG_WRITE_ACTIONS, resources: [logGroupArn, `${logGroupArn}:*`] },
      {
        sid: 'PublishTestReports',
        actions: REPORT_ACTIONS,
        resources: [aws.arn('codebuild', `report-group/${buildReportGroupName(props.projectName)}`)],
      },
    );
    props.encryptionKey.grantEncryptDecrypt(this.role);
    const secretArns = [...new Set(variablesOf(props).secrets.map((secret) => secret.secretArn))];
    if (secretArns.length > 0)
      grant(this.role, { sid: 'ReadBuildSecrets', actions: SECRET_READ_ACTIONS, resources: secretArns });

    if (props.gitHubSource !== undefined) this.grantSourceAccess(props.gitHubSource);

    const project = this.createProject(props, logGroup.name);
    const webhook = props.gitHubSource === undefined ? undefined : this.createWebhook(project, props.gitHubSource);
    this.node.defaultChild = project;
    this.resources = { project, logGroup, reportGroup, webhook };
    this.projectName = project.name;
    this.deployedProjectArn = project.arn;
    this.projectArn = aws.arn('codebuild', `project/${props.projectName}`);
    this.logGroupName = logGroup.name;
  }

  /**
   * The build's log group, under the key. A retention shorter than the guardrails' minimum is the owner's choice,
   * recorded with its reason for review.
   */
  private createLogGroup(props: BuildProjectProps): CloudwatchLogGroup {
    const retentionInDays = props.logRetentionDays ?? MIN_LOG_RETENTION_DAYS;
    const logGroup = new CloudwatchLogGroup(this, 'logs', {
      name: buildLogGroupName(props.projectName),
      retentionInDays,
      kmsKeyId: props.encryptionKey.keyArn,
    });
    if (retentionInDays < MIN_LOG_RETENTION_DAYS) {
      Suppressions.add(logGroup, {
        ruleId: 'cw-loggroup-retention-period-check',
        reason:
          `logRetentionDays is ${retentionInDays} on ${this.node.path}: the build logs are kept that long, ` +
          'as its owner chose',
      });
    }
    return logGroup;
  }

  /** Lets `grantee` (a pipeline's role) start builds of this project and follow them. */
  public grantStartBuild(grantee: IGrantable): Grant {
    return grantStartBuild(grantee, this.projectArn);
  }

  /** The source's credentials: the connection's token, or the secret that holds the token. */
  private grantSourceAccess(source: GitHubBuildSource): void {
    if (source.auth.type === 'CODECONNECTIONS') {
      grant(this.role, {
        sid: 'ReadSourceThroughConnection',
        actions: connectionActionsFor(source.auth.connectionArn, CONNECTION_TOKEN_ACTIONS),
        resources: [source.auth.connectionArn],
      });
    } else {
      grant(this.role, { sid: 'ReadSourceToken', actions: SECRET_READ_ACTIONS, resources: [source.auth.secretArn] });
    }
  }

  /**
   * The webhook through which GitHub events start builds (CodeBuild creates its GitHub side with the source's
   * credentials).
   */
  private createWebhook(project: CodebuildProject, source: GitHubBuildSource): CodebuildWebhook {
    const policy = source.pullRequestBuildPolicy;
    if (policy !== undefined) requireAwsProvider(this, PULL_REQUEST_BUILD_POLICY_PROVIDER);
    return new CodebuildWebhook(this, 'webhook', {
      projectName: project.name,
      buildType: 'BUILD',
      filterGroup: source.webhookFilterGroups.map((group) => ({
        filter: group.map((filter) => ({
          type: filter.type,
          pattern: filter.pattern,
          excludeMatchedPattern: filter.excludeMatchedPattern ?? false,
        })),
      })),
      pullRequestBuildPolicy:
        policy === undefined
          ? undefined
          : {
              requiresCommentApproval: policy.requiresCommentApproval,
              approverRoles:
                policy.requiresCommentApproval === 'DISABLED'
                  ? undefined
                  : [...(policy.approverRoles ?? DEFAULT_GITHUB_APPROVER_ROLES)],
            },
    });
  }

  private createProject(props: BuildProjectProps, logGroup: string): CodebuildProject {
    const appPath = props.appPath ?? '.';
    const buildsImages = props.buildsImages ?? true;
    const buildspec = props.buildspec ?? (appPath === '.' ? 'buildspec.yml' : `${appPath}/buildspec.yml`);
    const github = props.gitHubSource;
    const project = new CodebuildProject(this, 'project', {
      name: props.projectName,
      description:
        props.description ?? `Tests and builds ${appPath === '.' ? 'the repository' : appPath}; run by CodePipeline`,
      serviceRole: this.role.roleArn,
      buildTimeout: props.timeoutMinutes ?? 30,
      queuedTimeout: props.queuedTimeoutMinutes ?? 60,
      concurrentBuildLimit: props.concurrentBuildLimit,
      encryptionKey: props.encryptionKey.keyArn,
      source:
        github === undefined
          ? { type: 'CODEPIPELINE', buildspec }
          : {
              type: 'GITHUB',
              location: github.repositoryUrl,
              buildspec,
              gitCloneDepth: props.fullClone === true ? 0 : 1,
              reportBuildStatus: true,
              buildStatusConfig: { context: github.statusContext },
              auth: {
                type: github.auth.type,
                resource: github.auth.type === 'CODECONNECTIONS' ? github.auth.connectionArn : github.auth.secretArn,
              },
            },
      artifacts: { type: github === undefined ? 'CODEPIPELINE' : 'NO_ARTIFACTS' },
      environment: renderEnvironment(props, buildsImages),
      cache: {
        type: 'LOCAL',
        modes: buildsImages ? ['LOCAL_DOCKER_LAYER_CACHE', 'LOCAL_SOURCE_CACHE'] : ['LOCAL_SOURCE_CACHE'],
      },
      logsConfig: { cloudwatchLogs: { status: 'ENABLED', groupName: logGroup }, s3Logs: { status: 'DISABLED' } },
    });
    this.role.orderAfterPermissions(project);
    if (buildsImages) {
      Suppressions.add(project, {
        ruleId: 'CKV_AWS_316',
        reason:
          'The build runs `docker build` (and `docker push`, where it publishes), which need the Docker daemon that ' +
          'only privileged mode provides (prop buildsImages)',
      });
    }
    return project;
  }
}

/** The build container: ARM for "aarch64" images, privileged only to build images, and its variables. */
function renderEnvironment(props: BuildProjectProps, buildsImages: boolean): CodebuildProjectEnvironment {
  const image = props.image ?? DEFAULT_BUILD_IMAGE;
  const { plain, secrets } = variablesOf(props);
  return {
    type: environmentTypeOf(image),
    computeType: props.computeType ?? 'BUILD_GENERAL1_SMALL',
    image,
    imagePullCredentialsType: 'CODEBUILD',
    privilegedMode: buildsImages,
    environmentVariable: [
      ...plain.map((variable) => ({ name: variable.name, value: variable.value, type: 'PLAINTEXT' })),
      ...secrets.map((secret) => ({
        name: secret.name,
        value: secret.jsonKey === undefined ? secret.secretArn : `${secret.secretArn}:${secret.jsonKey}`,
        type: 'SECRETS_MANAGER',
      })),
    ],
  };
}

// --- Rules for the values of its props (limits from the owning service's documentation) ---

/** A CodeBuild project name (CodeBuild API Reference, CreateProject: name, `[A-Za-z0-9][A-Za-z0-9\-_]{1,149}`). */
export const checkCodeBuildProjectName = matches(
  /^[A-Za-z0-9][A-Za-z0-9_-]{1,149}$/,
  'must be 2-150 letters, digits, "-" and "_", starting with a letter or digit',
);

/** A report group name (CodeBuild API Reference, CreateReportGroup: name, 2-128 characters). */
export const checkReportGroupName = matches(
  /^[A-Za-z0-9][A-Za-z0-9_-]{1,127}$/,
  'must be 2-128 letters, digits, "-" and "_", starting with a letter or digit',
);

/**
 * CodeBuild's compute types for on-demand Linux containers (CodeBuild User Guide, "Build environment compute types").
 */
export const COMPUTE_TYPES = [
  'BUILD_GENERAL1_SMALL',
  'BUILD_GENERAL1_MEDIUM',
  'BUILD_GENERAL1_LARGE',
  'BUILD_GENERAL1_XLARGE',
  'BUILD_GENERAL1_2XLARGE',
] as const;

export type ComputeType = (typeof COMPUTE_TYPES)[number];

export const checkComputeType = checkOneOf(COMPUTE_TYPES);

/** The environment type a project runs an image in: an Arm container for "aarch64" images, else a Linux one. */
export const environmentTypeOf = (image: string): 'ARM_CONTAINER' | 'LINUX_CONTAINER' =>
  image.includes('aarch64') ? 'ARM_CONTAINER' : 'LINUX_CONTAINER';

/**
 * The curated images of environment types these projects do not run (CodeBuild User Guide, "Docker images provided
 * by CodeBuild"): Windows, Lambda and macOS images.
 */
const OTHER_ENVIRONMENT_IMAGES: readonly (readonly [RegExp, string])[] = [
  [/^aws\/codebuild\/windows-base:/, 'WINDOWS_SERVER_2019_CONTAINER or WINDOWS_SERVER_2022_CONTAINER'],
  [/^aws\/codebuild\/[^:]*-lambda-standard:/, 'LINUX_LAMBDA_CONTAINER or ARM_LAMBDA_CONTAINER'],
  [/^aws\/codebuild\/macos-/, 'MAC_ARM, on reserved capacity fleets only'],
];

/** A curated image these projects can run: a Linux or Arm container's. */
export const checkContainerImage: Check<string> = (image) => {
  const other = OTHER_ENVIRONMENT_IMAGES.find(([pattern]) => pattern.test(image));
  return other === undefined
    ? undefined
    : `must be an image for a Linux or Arm container, which the projects run: ${image} runs only in ${other[1]} ` +
        '(CodeBuild User Guide, "Docker images provided by CodeBuild")';
};

/**
 * Where CodeBuild offers what a project needs, by environment type and compute type (CodeBuild API Reference,
 * "ProjectEnvironment", type; https://docs.aws.amazon.com/codebuild/latest/APIReference/API_ProjectEnvironment.html):
 * "The environment type ARM_CONTAINER is available only in regions US East (N. Virginia), US East (Ohio), US West
 * (Oregon), EU (Ireland), Asia Pacific (Mumbai), Asia Pacific (Tokyo), Asia Pacific (Singapore), Asia Pacific
 * (Sydney), EU (Frankfurt), and South America (São Paulo)"; "The environment type LINUX_CONTAINER with compute type
 * build.general1.2xlarge is available only in regions US East (N. Virginia), US East (Ohio), US West (Oregon), Canada
 * (Central), EU (Ireland), EU (London), EU (Frankfurt), Asia Pacific (Tokyo), Asia Pacific (Seoul), Asia Pacific
 * (Singapore), Asia Pacific (Sydney), China (Beijing), and China (Ningxia)".
 */
export const REGIONAL_ENVIRONMENTS: readonly {
  readonly environmentType: 'ARM_CONTAINER' | 'LINUX_CONTAINER';
  readonly computeType?: ComputeType;
  readonly regions: readonly string[];
}[] = [
  {
    environmentType: 'ARM_CONTAINER',
    regions: [
      'us-east-1',
      'us-east-2',
      'us-west-2',
      'eu-west-1',
      'ap-south-1',
      'ap-northeast-1',
      'ap-southeast-1',
      'ap-southeast-2',
      'eu-central-1',
      'sa-east-1',
    ],
  },
  {
    environmentType: 'LINUX_CONTAINER',
    computeType: 'BUILD_GENERAL1_2XLARGE',
    regions: [
      'us-east-1',
      'us-east-2',
      'us-west-2',
      'ca-central-1',
      'eu-west-1',
      'eu-west-2',
      'eu-central-1',
      'ap-northeast-1',
      'ap-northeast-2',
      'ap-southeast-1',
      'ap-southeast-2',
      'cn-north-1',
      'cn-northwest-1',
    ],
  },
];

/**
 * What a build's region refuses: an environment (its image's environment type, with its compute type) CodeBuild does
 * not offer there. Reported at `computeType`, or at `image` for an Arm image, whatever its compute type.
 */
export function regionalBuildProblems(settings: BuildSettings, region: string): PropProblem[] {
  const image = typeof settings.image === 'string' ? settings.image : DEFAULT_BUILD_IMAGE;
  const computeType = settings.computeType ?? 'BUILD_GENERAL1_SMALL';
  const environmentType = environmentTypeOf(image);
  const limit = REGIONAL_ENVIRONMENTS.find(
    (entry) =>
      entry.environmentType === environmentType &&
      (entry.computeType === undefined || entry.computeType === computeType),
  );
  if (limit === undefined || limit.regions.includes(region)) return [];
  const [prop, value, what] =
    limit.computeType === undefined
      ? ['image', image, `${environmentType} (the image's environment type)`]
      : ['computeType', computeType, `${computeType} on ${environmentType}`];
  return [
    {
      prop,
      value,
      allowed:
        `must be offered by CodeBuild in ${region}: ${what} is offered only in ${limit.regions.join(', ')} ` +
        '(CodeBuild API Reference, "ProjectEnvironment")',
    },
  ];
}

/**
 * An image reference as Docker parses it (the grammar of github.com/distribution/reference, regexp.go and
 * reference.go): `[domain[:port]/]path[:tag][@digest]`. Path components are lowercase; a tag is up to 128 word
 * characters, dots and dashes, any case; a digest is `algorithm:hex`; the name is at most 255 characters.
 */
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const IMAGE_NAME = new RegExp(`^(?:(${DOMAIN})/)?(${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)$`);
const IMAGE_TAG = /^\w[\w.-]{0,127}$/;
const IMAGE_DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,}$/;

/** Whether `reference` is an image reference Docker accepts. */
function isImageReference(reference: string): boolean {
  const [nameAndTag, digest, ...extra] = reference.split('@');
  if (extra.length > 0 || (digest !== undefined && !IMAGE_DIGEST.test(digest))) return false;
  // A tag follows the last ":" that is after the last "/" (a ":" before it is the registry's port).
  const lastSlash = nameAndTag.lastIndexOf('/');
  const colon = nameAndTag.indexOf(':', lastSlash + 1);
  const name = colon < 0 ? nameAndTag : nameAndTag.slice(0, colon);
  if (colon >= 0 && !IMAGE_TAG.test(nameAndTag.slice(colon + 1))) return false;
  const match = IMAGE_NAME.exec(name);
  if (match === null || name.length > 255) return false;
  // Docker reads the first component as a registry only with a ".", a ":" or as "localhost"; otherwise it is a path
  // component, which is lowercase.
  const domain = match[1];
  return domain === undefined || /[.:[]/.test(domain) || domain === 'localhost' || domain === domain.toLowerCase();
}

/** A CodeBuild curated or custom image: `aws/codebuild/...` or a registry image reference. */
export const checkBuildImage: Check<string> = (value) =>
  typeof value === 'string' && isImageReference(value)
    ? undefined
    : 'must be a CodeBuild image such as "aws/codebuild/standard:7.0" or an image reference such as ' +
      '"public.ecr.aws/org/image@sha256:<digest>" (lowercase names; a tag of letters, digits, "_", "." and "-")';

/**
 * CodeBuild's limits, in minutes, on build and queue time (CodeBuild API Reference, CreateProject: timeoutInMinutes,
 * queuedTimeoutInMinutes).
 */
export const checkBuildTimeoutMinutes = checkIntegerBetween(5, 2160);

export const checkQueuedTimeoutMinutes = checkIntegerBetween(5, 480);

/** CreateProject: concurrentBuildLimit, at least 1 (its maximum is the account's quota, unknown here). */
export const checkConcurrentBuildLimit = checkIntegerBetween(1, Number.MAX_SAFE_INTEGER);

/**
 * A build environment variable's name: a shell identifier that does not start
 * with `CODEBUILD_`, which CodeBuild reserves for its own (CodeBuild User Guide,
 * "Environment variables in build environments").
 */
export const checkEnvironmentVariableName: Check<string> = (value) =>
  typeof value === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(value) && !value.startsWith('CODEBUILD_')
    ? undefined
    : 'must be letters, digits and "_", not starting with a digit or with CODEBUILD_';

/**
 * A log group's name (CloudWatch Logs API Reference, CreateLogGroup: logGroupName,
 * 1-512 of `[.\-_/#A-Za-z0-9]`, and not starting with `aws/`, which AWS reserves).
 */
export const checkLogGroupName: Check<string> = (value) =>
  typeof value === 'string' && /^[.\-_/#A-Za-z0-9]{1,512}$/.test(value) && !value.startsWith('aws/')
    ? undefined
    : 'must be 1-512 letters, digits and ._-/#, not starting with "aws/"';

/**
 * The retention periods CloudWatch Logs accepts (PutRetentionPolicy: retentionInDays); 0, "never expire", is
 * deliberately not offered.
 */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export const checkLogRetentionDays: Check<number> = (value) =>
  (LOG_RETENTION_DAYS as readonly number[]).includes(value)
    ? undefined
    : `must be one of CloudWatch Logs' retention periods: ${LOG_RETENTION_DAYS.join(', ')}`;

/**
 * The image of a build that runs Docker, which needs privileged mode (root on
 * the build host): one CodeBuild provides and maintains ("Docker images
 * provided by CodeBuild", AWS CodeBuild User Guide) or one pinned by digest, so
 * that nobody who can move a tag can take the host. The guardrail CIP_CB_1
 * holds the synthesized project to the same rule; an image the stack computes
 * (a reference) is left to it.
 */
export const checkPrivilegedBuildImage: Check<string> = (value) =>
  typeof value === 'string' && (value.includes('${') || isTrustedPrivilegedImage(value))
    ? undefined
    : 'must be a CodeBuild image ("aws/codebuild/...") or pinned by digest ("name@sha256:<64 hex digits>"): a build ' +
      'that runs Docker runs privileged, as root on its host';
