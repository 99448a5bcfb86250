import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Aspects, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import {
  BUCKET_LIST_ACTIONS,
  KEY_ENCRYPT_DECRYPT_ACTIONS,
  STATE_LOCK_ACTIONS,
  STATE_WRITE_ACTIONS,
  OBJECT_VALUE_ACTIONS,
  PARAMETER_VALUE_ACTIONS,
  SECRET_READ_ACTIONS,
  SECRET_VALUE_ACTIONS,
  STATE_KEY_READ_ACTIONS,
  STATE_READ_ACTIONS,
} from '../../shared/iam-actions';
import { BuildProject } from '../aws/build-project';
import { CodeBuildAction } from '../aws/codebuild-action';
import { ManualApprovalAction } from '../aws/manual-approval-action';
import { Pipeline } from '../aws/pipeline';
import { SecureBucket } from '../aws/secure-bucket';
import { artifactBucketPrefix } from '../ci-pipeline/ci-pipeline-props';
import { pipelineArtifactPrefix } from '../../shared/artifact-store';
import { WebhookFilter } from '../aws/build-source';
import { EncryptionKey, IEncryptionKey } from '../aws/encryption-key';
import { checkSecretArn, checkSecretId } from '../aws/registry-credentials';
import { PULL_REQUEST_BUILD_EVENTS } from '../ci-pipeline/pull-request-builds';
import { IGrantable } from '../core/grants';
import { StackOutput } from '../core/stack-output';
import { PropProblem } from '../core/validation';
import { checkConnectionArn, GitHubConnectionSource } from '../github/github-connection-source';
import { checkBranchName, checkGitHubOwner, checkGitHubRepository } from '../github/source-repository';
import { AwsContext } from '../private/aws-context';
import {
  checkBoolean,
  checkStatusCheckContext,
  isTerraformExpression,
  literalPattern,
  matches,
} from '../private/checks';
import { grant } from '../private/policy-statements';
import { GITHUB_PROVIDER_TOKEN_VARIABLE, PLAN_BUILD_VARIABLES } from '../../shared/plan-build';
import {
  applyBuildspec,
  mergePlanBuildspec,
  NEEDS_APPROVAL_VARIABLE,
  PLANS_ARTIFACT,
  pullRequestBuildspec,
  TerraformRelease,
} from './buildspecs';

import {
  applyProjectName,
  applyRoleName,
  checkInfrastructurePipelineName,
  permissionsBoundaryArn,
  PermissionsBoundaryAspect,
  suppressApplyStatementFindings,
} from './permissions-boundary';
import { applyStatements } from '../../shared/apply-permissions';
import { DATA_ACTIONS_OF_PLANNED_SERVICES, PLANNED_STACK_SERVICES } from './planned-services';
import { Suppressions } from '../../shared/suppressions';
import {
  checkOptionalList,
  checkOptionalProp,
  checkProp,
  crossPropProblem,
  throwIfInvalid,
} from '../private/validation';

/** Where the stacks keep their Terraform state, which a plan reads. */
export interface InfrastructureState {
  /** The S3 bucket of the stacks' state. */
  readonly bucket: string;
  /** The prefix every stack's state key is under (`<keyPrefix>/…/terraform.tfstate`). */
  readonly keyPrefix: string;
  /**
   * The ARN of the KMS key the state is encrypted with (a key ARN, not an alias: IAM scopes KMS actions by key).
   * @default - none: the state is encrypted with S3-managed keys, and the roles get no KMS permission for it
   */
  readonly kmsKeyArn?: string;
}

export interface InfrastructurePipelineProps {
  /** The GitHub owner of the repository that holds the cdktf app this pipeline plans. */
  readonly owner: string;
  /** The repository that holds the cdktf app. */
  readonly repositoryName: string;
  /**
   * The branch pull requests merge into.
   * @default "main"
   */
  readonly branch?: string;
  /**
   * The CodeConnections connection CodeBuild reads the repository and reports status through, available (approved)
   * and given the repository. Only a connection: its token is issued to CodeBuild alone
   * (`codeconnections:GetConnectionToken` is a permission, not an API a build can call), where a token secret
   * would be readable by the code of every pull request the build plans.
   */
  readonly connectionArn: string;
  /**
   * The Secrets Manager secret holding the GitHub token the build comments with (`GITHUB_TOKEN`): a fine-grained
   * token for this repository alone with "Pull requests: write", of a machine user with read access, whose reviews
   * do not count toward a merge. A pull request's code can read it.
   */
  readonly commentTokenSecretArn: string;
  /** The stacks' state. */
  readonly state: InfrastructureState;
  /**
   * The Secrets Manager secrets with the GitHub provider's tokens, for stacks that manage GitHub resources (a
   * pipeline's repository, branch protection): `plan`, read-only, for pull requests' plans, whose code can read it;
   * `apply`, for the merge pipeline's plan and apply, which run merged code only.
   * @default - none: the GitHub provider, where a stack uses it, authenticates with the build's `GITHUB_TOKEN`
   */
  readonly providerTokenSecretArns?: GitHubProviderTokens;
  /** The Terraform release the builds install. */
  readonly terraform: TerraformRelease;
  /**
   * Secrets the plans must read, by ARN or name (in the stack's account and region): those a stack reads at plan,
   * such as a webhook-mode pipeline's OAuth token (which its state holds anyway). The plan role reads no other
   * secret value.
   * @default - none
   */
  readonly planReadableSecrets?: readonly string[];
  /**
   * The AWS services (IAM prefixes) the planned stacks manage, which the plan role may read; every other service is
   * denied, whatever `ReadOnlyAccess` grants.
   * @default - the services of this project's stacks ({@link PLANNED_STACK_SERVICES})
   */
  readonly planReadServices?: readonly string[];
  /**
   * The prefix of the resources' names: the plan project is `<name>-plan`, its role `<name>-plan-codebuild`.
   * @default "infrastructure-pipeline"
   */
  readonly name?: string;
  /**
   * The commit status context the plan build reports (its result: the change may merge), for the branch
   * protection to require.
   * @default "infrastructure/plan"
   */
  readonly statusContext?: string;
  /**
   * The command that runs the pull-request step, from the repository's root after `npm ci`.
   * @default "npx --no-install cdktf-ci-infrastructure", the command this package installs
   */
  readonly command?: string;
  /**
   * The key that encrypts the build's logs and reports; must allow CloudWatch Logs.
   * @default - a key with alias `ci/<name>`
   */
  readonly encryptionKey?: IEncryptionKey;
  /**
   * The stack this pipeline is in, which a merge plans and applies before every other: a change to the pipeline is
   * deployed before the pipeline deploys anything with it.
   * @default - the stack that holds this construct
   */
  readonly selfStack?: string;
  /**
   * Stacks only an administrator applies, such as the {@link PermissionsBoundary}'s: planned on pull requests and on
   * merge, never applied by the pipeline; a merge that changes one applies nothing and says so.
   * @default - none
   */
  readonly adminStacks?: readonly string[];
  /**
   * Wait for a manual approval before every apply, not only before one that replaces or deletes something that holds
   * data.
   * @default false
   */
  readonly alwaysApprove?: boolean;
}

/** The GitHub provider's tokens, each a Secrets Manager secret's ARN. */
export interface GitHubProviderTokens {
  /**
   * A fine-grained token with read access to the pipelines' repositories ("Administration", "Contents" and
   * "Metadata": read), for pull requests' plans.
   */
  readonly plan: string;
  /**
   * A fine-grained token that may change them ("Administration" and "Contents": write), for the merge pipeline's
   * plan and apply.
   */
  readonly apply: string;
}

/** The defaults of {@link InfrastructurePipelineProps}. */
export const INFRASTRUCTURE_PIPELINE_DEFAULTS = {
  name: 'infrastructure-pipeline',
  branch: 'main',
  statusContext: 'infrastructure/plan',
  command: 'npx --no-install cdktf-ci-infrastructure',
} as const;

/** A Terraform version: major.minor.patch, with an optional pre-release (releases.hashicorp.com's directories). */
const checkTerraformVersion = matches(
  /^\d+\.\d+\.\d+(-[A-Za-z0-9.]+)?$/,
  'must be a Terraform release such as "1.11.4"',
);
const checkSha256 = matches(/^[0-9a-f]{64}$/, 'must be a SHA-256: 64 lowercase hexadecimal digits');
const checkKmsKeyArnOrReference = (value: string) =>
  isTerraformExpression(value) || /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/.test(value)
    ? undefined
    : 'must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>), not an alias';

/**
 * The merge's GitHub token must be one no pull request's build reads: not the pull requests' token, not the comment
 * token, since a pull request's code can read those.
 */
function distinctTokenProblems(props: InfrastructurePipelineProps): PropProblem[] {
  const apply = props.providerTokenSecretArns?.apply;
  const readByPullRequests = [
    { prop: 'providerTokenSecretArns.plan', arn: props.providerTokenSecretArns?.plan },
    { prop: 'commentTokenSecretArn', arn: props.commentTokenSecretArn },
  ];
  return readByPullRequests.flatMap(({ prop, arn }) =>
    crossPropProblem(
      apply !== undefined && apply === arn,
      'providerTokenSecretArns.apply',
      apply,
      `must differ from ${prop}: a pull request's code can read that secret, and this token may change the ` +
        'repositories',
    ),
  );
}

/** A stack's ID as the buildspecs pass it to the step (cdktf names a stack's directory after it). */
const checkStackId = matches(
  /^[A-Za-z0-9][A-Za-z0-9_.-]{0,254}$/,
  'must be a stack ID: letters, digits, ".", "-" and "_", starting with a letter or digit',
);

/** Every problem with the props. */
export function validateInfrastructurePipelineProps(props: InfrastructurePipelineProps): PropProblem[] {
  return [
    ...checkProp('owner', props.owner, checkGitHubOwner),
    ...checkProp('repositoryName', props.repositoryName, checkGitHubRepository),
    ...checkOptionalProp('branch', props.branch, checkBranchName),
    ...checkProp('connectionArn', props.connectionArn, checkConnectionArn),
    ...checkProp('commentTokenSecretArn', props.commentTokenSecretArn, checkSecretArn),
    ...(props.providerTokenSecretArns === undefined
      ? []
      : [
          ...checkProp('providerTokenSecretArns.plan', props.providerTokenSecretArns.plan, checkSecretArn),
          ...checkProp('providerTokenSecretArns.apply', props.providerTokenSecretArns.apply, checkSecretArn),
        ]),
    ...checkProp('state.bucket', props.state?.bucket, (value) =>
      typeof value === 'string' && value !== '' ? undefined : "must be the state bucket's name",
    ),
    ...checkProp('state.keyPrefix', props.state?.keyPrefix, (value) =>
      typeof value === 'string' && value !== '' && !value.startsWith('/') && !value.endsWith('/')
        ? undefined
        : 'must be the prefix of the state keys, without a leading or trailing "/"',
    ),
    ...checkOptionalProp('state.kmsKeyArn', props.state?.kmsKeyArn, checkKmsKeyArnOrReference),
    ...distinctTokenProblems(props),
    ...checkProp('terraform.version', props.terraform?.version, checkTerraformVersion),
    ...checkProp('terraform.sha256', props.terraform?.sha256, checkSha256),
    ...checkOptionalList('planReadableSecrets', props.planReadableSecrets, checkSecretId),
    ...checkOptionalList(
      'planReadServices',
      props.planReadServices,
      matches(/^[a-z0-9-]{2,64}$/, 'must be an IAM service prefix, such as "codebuild" or "s3"'),
    ),
    ...checkOptionalProp('name', props.name, checkInfrastructurePipelineName),
    ...checkOptionalProp('statusContext', props.statusContext, checkStatusCheckContext),
    ...checkOptionalProp('selfStack', props.selfStack, checkStackId),
    ...checkOptionalList('adminStacks', props.adminStacks, checkStackId),
    ...checkOptionalProp('alwaysApprove', props.alwaysApprove, checkBoolean),
    ...checkOptionalProp('command', props.command, (value) =>
      typeof value === 'string' && value.trim() !== '' && !value.includes('\n')
        ? undefined
        : 'must be one line: the command that runs cdktf-ci-infrastructure',
    ),
  ];
}

/** The provider resources a plan role's reads are made of, beyond its project's. */
export interface PlanReadResources {
  /** The attachment of AWS's `ReadOnlyAccess` to the plan role. */
  readonly readOnlyAccess: IamRolePolicyAttachment;
  /** The plan role's explicit denials of data reads. */
  readonly denyDataReads: IamRolePolicy;
}

/** The provider resources the pipeline created, beyond its build projects' and its merge pipeline's. */
export interface InfrastructurePipelineResources extends PlanReadResources {
  /** The merge plan role's reads. */
  readonly mergePlanReads: PlanReadResources;
}

/** The merge pipeline's stages and actions, by name, for a reader of its runs. */
export const MERGE_PIPELINE_STAGES = {
  source: 'Source',
  plan: 'Plan',
  approve: 'Approve',
  apply: 'Apply',
} as const;

/** The settings every part of the pipeline uses, defaults applied. */
interface ResolvedSettings {
  readonly name: string;
  readonly branch: string;
  readonly command: string;
  readonly encryptionKey: IEncryptionKey;
  /** The secrets the plans read, by ARN pattern. */
  readonly planSecrets: readonly string[];
  readonly partition: string;
  /** The merge pipeline's artifact bucket. */
  readonly artifactBucket: SecureBucket;
}

/**
 * The platform team's own pipeline for the repository that holds this cdktf app (docs/infrastructure-pipeline.md):
 *
 * - **On every pull request** into its branch, a CodeBuild build plans each stack the change affects with a read-only
 *   role, comments the plan summary on the pull request, and reports its verdict as a commit status the branch
 *   protection can require.
 * - **On merge**, a CodePipeline (V2, QUEUED) plans every stack of the merged commit (its own first) with a read-only
 *   role that may lock the state, waits for a manual approval when a plan replaces or deletes something that holds
 *   data, and applies exactly the saved plans with the apply role.
 *
 * The plan roles read the planned services (`ReadOnlyAccess`, every other service denied) and the state; they are
 * denied every secret value but their builds' own tokens and `planReadableSecrets`, every SSM parameter value, and
 * every S3 object outside the state (and, for the merge plan, its input artifact). The apply role may do what the
 * {@link PermissionsBoundary} allows, and every role it creates or changes, its own included, must carry that
 * boundary, which only an administrator changes.
 */
export class InfrastructurePipeline extends Construct {
  /** The CodeBuild project that plans pull requests. */
  public readonly planProject: BuildProject;
  /** The CodeBuild project that plans the merged commit, in the merge pipeline. */
  public readonly mergePlanProject: BuildProject;
  /** The CodeBuild project that applies the saved plans, in the merge pipeline. */
  public readonly applyProject: BuildProject;
  /** The merge pipeline: Source, Plan, Approve (skipped unless a plan loses data), Apply. */
  public readonly mergePipeline: Pipeline;
  /** The commit status context the plan build reports. */
  public readonly statusContext: string;
  /** The provider resources it created beyond the projects' and the pipeline's. */
  public readonly resources: InfrastructurePipelineResources;

  constructor(scope: Construct, id: string, props: InfrastructurePipelineProps) {
    super(scope, id);
    throwIfInvalid('InfrastructurePipeline', this, validateInfrastructurePipelineProps(props));
    this.statusContext = props.statusContext ?? INFRASTRUCTURE_PIPELINE_DEFAULTS.statusContext;
    const settings = this.resolveSettings(props);
    this.planProject = this.createPlanProject(props, settings);
    const tokens = props.providerTokenSecretArns;
    const planReads = restrictToPlanReads(this, '', this.planProject, props, settings, {
      secrets: [props.commentTokenSecretArn, ...(tokens === undefined ? [] : [tokens.plan])],
      objects: [],
    });
    this.mergePlanProject = this.createMergePlanProject(props, settings);
    const mergePlanReads = restrictToPlanReads(this, 'merge-plan-', this.mergePlanProject, props, settings, {
      secrets: tokens === undefined ? [] : [tokens.apply],
      // CodeBuild downloads the build's input artifact, the clone reference, with the role.
      objects: [`${settings.artifactBucket.bucketArn}/${pipelineArtifactPrefix(settings.name)}/*`],
    });
    this.applyProject = this.createApplyProject(props, settings);
    this.mergePipeline = this.createMergePipeline(props, settings);
    // Its own roles carry the boundary too, the apply role's above all: whatever a merged change writes into their
    // policies, they can do no more than the boundary allows.
    Aspects.of(this).add(new PermissionsBoundaryAspect(settings.name));
    this.resources = { ...planReads, mergePlanReads };
  }

  private resolveSettings(props: InfrastructurePipelineProps): ResolvedSettings {
    const aws = AwsContext.of(this);
    const name = props.name ?? INFRASTRUCTURE_PIPELINE_DEFAULTS.name;
    const encryptionKey =
      props.encryptionKey ??
      new EncryptionKey(this, 'key', {
        alias: `ci/${name}`,
        description: `Encrypts the ${name} builds' logs and reports`,
        allowCloudWatchLogs: true,
      });
    return {
      name,
      branch: props.branch ?? INFRASTRUCTURE_PIPELINE_DEFAULTS.branch,
      command: props.command ?? INFRASTRUCTURE_PIPELINE_DEFAULTS.command,
      encryptionKey,
      artifactBucket: this.createArtifactBucket(name, encryptionKey),
      // A secret's ARN ends in "-" and six random characters (Secrets Manager User Guide, "Secret ARN").
      planSecrets: (props.planReadableSecrets ?? []).map((secret) =>
        secret.startsWith('arn:') ? secret : aws.arn('secretsmanager', `secret:${secret}-??????`),
      ),
      partition: aws.partition,
    };
  }

  /**
   * The merge pipeline's artifacts: the clone reference and the saved plans, which hold the plans' values, so they
   * expire after 30 days (a run waits at most 7 days for its approval: CodePipeline User Guide, "Quotas").
   */
  private createArtifactBucket(name: string, encryptionKey: IEncryptionKey): SecureBucket {
    return new SecureBucket(this, 'artifacts', {
      bucketPrefix: artifactBucketPrefix(name),
      encryptionKey,
      expireObjectsAfterDays: 30,
    });
  }

  /** The project: the repository's pull requests into the branch, through the connection, with its own buildspec. */
  private createPlanProject(props: InfrastructurePipelineProps, settings: ResolvedSettings): BuildProject {
    const pullRequestFilters: WebhookFilter[] = [
      { type: 'EVENT', pattern: PULL_REQUEST_BUILD_EVENTS.join(', ') },
      { type: 'BASE_REF', pattern: `^refs/heads/${literalPattern(settings.branch)}$` },
    ];
    return new BuildProject(this, 'plan', {
      projectName: `${settings.name}-plan`,
      description: `Plans pull requests into ${settings.branch}, comments the plan, reports "${this.statusContext}"`,
      encryptionKey: settings.encryptionKey,
      buildsImages: false,
      // The step compares the change with its base branch: the whole history, so the base is there to compare with.
      fullClone: true,
      buildspec: pullRequestBuildspec(props.terraform, settings.command),
      secretEnvironmentVariables: [
        { name: 'GITHUB_TOKEN', secretArn: props.commentTokenSecretArn },
        ...providerToken(props.providerTokenSecretArns?.plan),
      ],
      environmentVariables: stateVariables(props.state, settings.planSecrets),
      gitHubSource: {
        repositoryUrl: `https://github.com/${props.owner}/${props.repositoryName}.git`,
        auth: { type: 'CODECONNECTIONS', connectionArn: props.connectionArn },
        statusContext: this.statusContext,
        webhookFilterGroups: [pullRequestFilters],
      },
    });
  }

  /** The merge plan: every stack of the merged commit, locking the state, run by the merge pipeline. */
  private createMergePlanProject(props: InfrastructurePipelineProps, settings: ResolvedSettings): BuildProject {
    const project = new BuildProject(this, 'merge-plan', {
      projectName: `${settings.name}-merge-plan`,
      description: `Plans each merge into ${settings.branch} and keeps the saved plans; run by ${settings.name}`,
      encryptionKey: settings.encryptionKey,
      buildsImages: false,
      buildspec: mergePlanBuildspec(props.terraform, settings.command, {
        selfStack: props.selfStack ?? TerraformStack.of(this).node.id,
        adminStacks: props.adminStacks ?? [],
        alwaysApprove: props.alwaysApprove ?? false,
      }),
      // Merged code only: the merge's token, which no pull request's build shares.
      secretEnvironmentVariables: providerToken(props.providerTokenSecretArns?.apply),
      environmentVariables: [
        ...stateVariables(props.state, settings.planSecrets),
        { name: PLAN_BUILD_VARIABLES.stateLock, value: 'true' },
      ],
    });
    grant(
      project.role,
      lockState(stateArns(props.state, settings.partition)),
      ...stateKeyGrant('EncryptStateLock', KEY_ENCRYPT_DECRYPT_ACTIONS, props.state),
    );
    return project;
  }

  /**
   * The apply: the saved plans, with a role that may write the state and do what the permissions boundary allows,
   * and that carries the boundary itself (the stack's aspect gives it), so that no merged change can widen it.
   */
  private createApplyProject(props: InfrastructurePipelineProps, settings: ResolvedSettings): BuildProject {
    const aws = AwsContext.of(this);
    const applyServices = props.planReadServices ?? PLANNED_STACK_SERVICES;
    const project = new BuildProject(this, 'apply', {
      projectName: applyProjectName(settings.name),
      description: `Applies the saved plans of each merge into ${settings.branch}; run by ${settings.name}`,
      encryptionKey: settings.encryptionKey,
      buildsImages: false,
      buildspec: applyBuildspec(props.terraform, settings.command),
      secretEnvironmentVariables: providerToken(props.providerTokenSecretArns?.apply),
      environmentVariables: [
        ...stateVariables(props.state, []),
        { name: PLAN_BUILD_VARIABLES.stateWrite, value: 'true' },
        // What the role may apply beyond the state, which the guardrails hold it to.
        { name: PLAN_BUILD_VARIABLES.applyServices, value: applyServices.join(',') },
      ],
    });
    const state = stateArns(props.state, settings.partition);
    grant(
      project.role,
      listStateKeys(props.state, state),
      { sid: 'WriteState', actions: STATE_WRITE_ACTIONS, resources: [`${state.objects}/*`] },
      lockState(state),
      ...stateKeyGrant('EncryptState', KEY_ENCRYPT_DECRYPT_ACTIONS, props.state),
    );
    const statements = applyStatements({
      boundaryArn: permissionsBoundaryArn(this, settings.name),
      applyRoleName: applyRoleName(settings.name),
      applyReadableSecrets: providerToken(props.providerTokenSecretArns?.apply).map((variable) => variable.secretArn),
      partition: settings.partition,
      accountId: aws.accountId,
      services: applyServices,
    });
    const apply = new IamRolePolicy(this, 'apply-within-boundary', {
      name: 'apply-within-boundary',
      role: project.role.roleName,
      policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
    });
    project.role.addPermissionResource(apply);
    suppressApplyStatementFindings(apply, statements);
    return project;
  }

  /** Source (a full clone), Plan, Approve (entered only when the plan says a person must), Apply. */
  private createMergePipeline(props: InfrastructurePipelineProps, settings: ResolvedSettings): Pipeline {
    const pipeline = new Pipeline(this, 'merge-pipeline', {
      pipelineName: settings.name,
      pipelineType: 'V2',
      executionMode: 'QUEUED',
      encryptionKey: settings.encryptionKey,
      artifactBucket: settings.artifactBucket,
    });
    const source = this.createMergeSource(props, settings);
    const stages = MERGE_PIPELINE_STAGES;
    const input = source.outputArtifact;
    const plan = new CodeBuildAction({
      actionName: stages.plan,
      project: this.mergePlanProject,
      input,
      outputs: [PLANS_ARTIFACT],
      namespace: stages.plan,
    });
    pipeline.addStage({ stageName: stages.source, actions: [source] });
    pipeline.addStage({ stageName: stages.plan, actions: [plan] });
    pipeline.addStage({
      stageName: stages.approve,
      actions: [new ManualApprovalAction({ actionName: stages.approve, comments: APPROVAL_COMMENT })],
      // Skipped only when the plan says positively that no approval is needed: any other value, an empty one
      // included, enters it (fails closed). A SKIP condition cannot be overridden at run time.
      entryCondition: {
        result: 'SKIP',
        rules: [
          {
            ruleName: 'PlanNeedsApproval',
            variable: `#{${stages.plan}.${NEEDS_APPROVAL_VARIABLE}}`,
            operator: 'NE',
            value: 'false',
          },
        ],
      },
    });
    const apply = new CodeBuildAction({
      actionName: stages.apply,
      project: this.applyProject,
      input,
      extraInputs: [PLANS_ARTIFACT],
    });
    pipeline.addStage({ stageName: stages.apply, actions: [apply] });
    return pipeline;
  }

  /** The branch, through the connection, as a reference both builds clone (the history, the same commit). */
  private createMergeSource(props: InfrastructurePipelineProps, settings: ResolvedSettings): GitHubConnectionSource {
    const source = new GitHubConnectionSource(this, 'source', {
      repository: {
        owner: props.owner,
        repositoryName: props.repositoryName,
        fullName: `${props.owner}/${props.repositoryName}`,
        branch: settings.branch,
      },
      connectionArn: props.connectionArn,
      fullClone: true,
    });
    source.grantClone(this.mergePlanProject.role);
    source.grantClone(this.applyProject.role);
    return source;
  }

  /** What an operator needs: the projects, the pipeline and the status context to require. */
  public get outputs(): readonly StackOutput[] {
    return [
      {
        name: 'plan_project_name',
        value: this.planProject.projectName,
        description: 'The CodeBuild project that plans pull requests',
      },
      {
        name: 'plan_status_context',
        value: this.statusContext,
        description: 'The commit status the plan build reports; require it in the branch protection',
      },
      {
        name: 'merge_pipeline_name',
        value: this.mergePipeline.pipelineName,
        description: 'The pipeline that plans, approves when data would be lost, and applies each merge',
      },
    ];
  }
}

const APPROVAL_COMMENT =
  "A saved plan replaces or deletes something that holds data (or every change waits): read the Plan action's log " +
  '(saved-plans.json lists why) before approving.';

/** The GitHub provider's token as a build's secret variable, when there is one. */
const providerToken = (secretArn: string | undefined) =>
  secretArn === undefined ? [] : [{ name: GITHUB_PROVIDER_TOKEN_VARIABLE, secretArn }];

/** The plain variables of a build that plans: the state its role may read, and the secrets its plans read. */
function stateVariables(state: InfrastructureState, planSecrets: readonly string[]) {
  return [
    { name: PLAN_BUILD_VARIABLES.stateBucket, value: state.bucket },
    { name: PLAN_BUILD_VARIABLES.stateKeyPrefix, value: state.keyPrefix },
    ...(state.kmsKeyArn === undefined ? [] : [{ name: PLAN_BUILD_VARIABLES.stateKmsKey, value: state.kmsKeyArn }]),
    ...(planSecrets.length === 0 ? [] : [{ name: PLAN_BUILD_VARIABLES.planSecrets, value: planSecrets.join(',') }]),
  ];
}

/**
 * Restricts a plan project's role to a plan's reads: the state, the secrets the plans read, and AWS's
 * `ReadOnlyAccess` of the planned services, with what it could read beyond denied; `buildReads` are what CodeBuild
 * reads with the role for the build itself: its variables' secrets, and its input artifact's objects.
 */
function restrictToPlanReads(
  scope: Construct,
  idPrefix: string,
  project: BuildProject,
  props: InfrastructurePipelineProps,
  settings: ResolvedSettings,
  buildReads: { readonly secrets: readonly string[]; readonly objects: readonly string[] },
): PlanReadResources {
  const role = project.role;
  const stateObjects = grantStateRead(role, props.state, settings.partition);
  if (settings.planSecrets.length > 0)
    grant(role, { sid: 'ReadPlanSecrets', actions: SECRET_READ_ACTIONS, resources: [...settings.planSecrets] });
  const readOnlyAccess = new IamRolePolicyAttachment(scope, `${idPrefix}read-only-access`, {
    role: role.roleName,
    policyArn: `arn:${settings.partition}:iam::aws:policy/ReadOnlyAccess`,
  });
  // ReadOnlyAccess reads data too (s3:GetObject, ssm:GetParameter*): a pull request's code runs with this role,
  // so what is not the plan's is denied, whatever else is attached.
  const denyDataReads = new IamRolePolicy(scope, `${idPrefix}deny-data-reads`, {
    name: 'deny-data-reads',
    role: role.roleName,
    policy: JSON.stringify(
      dataReadDenials({
        readableSecrets: [...buildReads.secrets, ...settings.planSecrets],
        readableObjects: [stateObjects, ...buildReads.objects],
        services: props.planReadServices ?? PLANNED_STACK_SERVICES,
      }),
    ),
  });
  role.addPermissionResource(readOnlyAccess);
  role.addPermissionResource(denyDataReads);
  suppressPlanRoleFindings(project, readOnlyAccess);
  return { readOnlyAccess, denyDataReads };
}

/**
 * What a plan that takes no lock needs of the S3 backend (Terraform, "Backend Type: s3"): list the bucket under the
 * prefix, read the state, and decrypt it with the state's key. Returns the ARN pattern of the state objects.
 */
function grantStateRead(role: IGrantable, state: InfrastructureState, partition: string): string {
  const arns = stateArns(state, partition);
  const stateObjects = `${arns.objects}/*`;
  grant(
    role,
    listStateKeys(state, arns),
    { sid: 'ReadState', actions: STATE_READ_ACTIONS, resources: [stateObjects] },
    ...stateKeyGrant('DecryptState', STATE_KEY_READ_ACTIONS, state),
  );
  return stateObjects;
}

/** The state's ARNs: its bucket, and the objects under the key prefix (without the trailing "/*"). */
function stateArns(state: InfrastructureState, partition: string) {
  const bucket = `arn:${partition}:s3:::${state.bucket}`;
  return { bucket, objects: `${bucket}/${state.keyPrefix}` };
}

/** Listing the state's keys, under the prefix only. */
const listStateKeys = (state: InfrastructureState, arns: ReturnType<typeof stateArns>) => ({
  sid: 'ListStateKeys',
  actions: BUCKET_LIST_ACTIONS,
  resources: [arns.bucket],
  conditions: [{ test: 'StringLike', variable: 's3:prefix', values: [`${state.keyPrefix}/*`] }],
});

/** Taking and releasing the backend's lock files, `<key>.tflock` under the prefix. */
const lockState = (arns: ReturnType<typeof stateArns>) => ({
  sid: 'LockState',
  actions: STATE_LOCK_ACTIONS,
  resources: [`${arns.objects}/*.tflock`],
});

/** A statement on the state's KMS key; none when the state is encrypted with S3-managed keys. */
function stateKeyGrant(sid: string, actions: readonly string[], state: InfrastructureState) {
  return state.kmsKeyArn === undefined ? [] : [{ sid, actions, resources: [state.kmsKeyArn] }];
}

/**
 * The plan role's denials: every service but those the planned stacks manage, the data actions of those, every secret
 * value but `readableSecrets`, every parameter value, and every object outside the state.
 */
function dataReadDenials(denied: {
  readonly readableSecrets: readonly string[];
  /** The objects it may read: the state, and the build's input artifact. */
  readonly readableObjects: readonly string[];
  readonly services: readonly string[];
}) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DenyOtherServices',
        Effect: 'Deny',
        NotAction: denied.services.map((service) => `${service}:*`),
        Resource: '*',
      },
      { Sid: 'DenyDataActions', Effect: 'Deny', Action: DATA_ACTIONS_OF_PLANNED_SERVICES, Resource: '*' },
      {
        Sid: 'DenyOtherSecretValues',
        Effect: 'Deny',
        Action: SECRET_VALUE_ACTIONS,
        NotResource: denied.readableSecrets,
      },
      { Sid: 'DenyParameterValues', Effect: 'Deny', Action: PARAMETER_VALUE_ACTIONS, Resource: '*' },
      { Sid: 'DenyOtherObjects', Effect: 'Deny', Action: OBJECT_VALUE_ACTIONS, NotResource: denied.readableObjects },
    ],
  };
}

/**
 * The guardrails cannot read AWS's `ReadOnlyAccess`, which a plan role needs to refresh every resource the planned
 * stacks manage (a policy listing every read action of their services exceeds the 10,240 characters of a role's
 * inline policies), so they cannot prove it least privilege. Those findings alone are suppressed, by their text: the
 * rules still report anything else on the role, and its own statements are held to the state and secrets its
 * variables name.
 */
function suppressPlanRoleFindings(project: BuildProject, readOnlyAccess: IamRolePolicyAttachment): void {
  const reason =
    "ReadOnlyAccess is the plan role's read of what the planned stacks look up (their data sources; the merge " +
    "path's plans refresh every resource); what it could read beyond (secret values, parameter values, objects " +
    'outside the state) is ' +
    "denied by the role's deny-data-reads policy, and it changes no resource, state or lock.";
  Suppressions.add(project.role.resources.role, {
    ruleId: 'CIP_IAM_13',
    reason,
    finding: 'iam::aws:policy/ReadOnlyAccess cannot be read before apply',
  });
  Suppressions.add(readOnlyAccess, { ruleId: 'CIP_IAM_8', reason });
  Suppressions.add(project.resources.project, {
    ruleId: 'CIP_PR_1',
    reason:
      'The plan role is ReadOnlyAccess (List, Get and Describe actions) of the planned services only, with their ' +
      'data reads denied, and the state: it changes nothing, and holds no registry credential and no push or apply ' +
      'permission.',
    finding: 'iam::aws:policy/ReadOnlyAccess, which cannot be read',
  });
}
