import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { dependable } from 'cdktf';
import { Construct } from 'constructs';
import {
  BUCKET_LIST_ACTIONS,
  OBJECT_VALUE_ACTIONS,
  PARAMETER_VALUE_ACTIONS,
  SECRET_READ_ACTIONS,
  SECRET_VALUE_ACTIONS,
  STATE_KEY_READ_ACTIONS,
  STATE_READ_ACTIONS,
} from '../../shared/iam-actions';
import { BuildProject } from '../aws/build-project';
import { WebhookFilter } from '../aws/build-source';
import { EncryptionKey, IEncryptionKey } from '../aws/encryption-key';
import { checkSecretArn, checkSecretId } from '../aws/registry-credentials';
import { PULL_REQUEST_BUILD_EVENTS } from '../ci-pipeline/pull-request-builds';
import { IGrantable } from '../core/grants';
import { StackOutput } from '../core/stack-output';
import { PropProblem } from '../core/validation';
import { checkConnectionArn } from '../github/github-connection-source';
import { checkBranchName, checkGitHubOwner, checkGitHubRepository } from '../github/source-repository';
import { AwsContext } from '../private/aws-context';
import { checkStatusCheckContext, isTerraformExpression, literalPattern, matches } from '../private/checks';
import { grant } from '../private/policy-statements';
import { PLAN_BUILD_VARIABLES } from '../../shared/plan-build';
import { DATA_ACTIONS_OF_PLANNED_SERVICES, PLANNED_STACK_SERVICES } from './planned-services';
import { Suppressions } from '../../shared/suppressions';
import { checkOptionalList, checkOptionalProp, checkProp, throwIfInvalid } from '../private/validation';

/** The Terraform release the builds install, checked against its published SHA-256 before it runs. */
export interface TerraformRelease {
  /** The version, e.g. "1.11.4". */
  readonly version: string;
  /**
   * The SHA-256 of `terraform_<version>_linux_amd64.zip`, as HashiCorp's `terraform_<version>_SHA256SUMS` lists it
   * (https://releases.hashicorp.com/terraform/<version>/): 64 hexadecimal digits.
   */
  readonly sha256: string;
}

/** Where the stacks keep their Terraform state, which a plan reads. */
export interface InfrastructureState {
  /** The S3 bucket of the stacks' state. */
  readonly bucket: string;
  /** The prefix every stack's state key is under (`<keyPrefix>/…/terraform.tfstate`). */
  readonly keyPrefix: string;
  /** The ARN of the KMS key the state is encrypted with (a key ARN, not an alias: IAM scopes KMS actions by key). */
  readonly kmsKeyArn: string;
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
const checkPrefix = matches(
  /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/,
  'must be 1-100 letters, digits, "-" and "_", starting with a letter or digit',
);
const checkKmsKeyArnOrReference = (value: string) =>
  isTerraformExpression(value) || /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/.test(value)
    ? undefined
    : 'must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>), not an alias';

/** Every problem with the props. */
export function validateInfrastructurePipelineProps(props: InfrastructurePipelineProps): PropProblem[] {
  return [
    ...checkProp('owner', props.owner, checkGitHubOwner),
    ...checkProp('repositoryName', props.repositoryName, checkGitHubRepository),
    ...checkOptionalProp('branch', props.branch, checkBranchName),
    ...checkProp('connectionArn', props.connectionArn, checkConnectionArn),
    ...checkProp('commentTokenSecretArn', props.commentTokenSecretArn, checkSecretArn),
    ...checkProp('state.bucket', props.state?.bucket, (value) =>
      typeof value === 'string' && value !== '' ? undefined : "must be the state bucket's name",
    ),
    ...checkProp('state.keyPrefix', props.state?.keyPrefix, (value) =>
      typeof value === 'string' && value !== '' && !value.startsWith('/') && !value.endsWith('/')
        ? undefined
        : 'must be the prefix of the state keys, without a leading or trailing "/"',
    ),
    ...checkProp('state.kmsKeyArn', props.state?.kmsKeyArn, checkKmsKeyArnOrReference),
    ...checkProp('terraform.version', props.terraform?.version, checkTerraformVersion),
    ...checkProp('terraform.sha256', props.terraform?.sha256, checkSha256),
    ...checkOptionalList('planReadableSecrets', props.planReadableSecrets, checkSecretId),
    ...checkOptionalList(
      'planReadServices',
      props.planReadServices,
      matches(/^[a-z0-9-]{2,64}$/, 'must be an IAM service prefix, such as "codebuild" or "s3"'),
    ),
    ...checkOptionalProp('name', props.name, checkPrefix),
    ...checkOptionalProp('statusContext', props.statusContext, checkStatusCheckContext),
    ...checkOptionalProp('command', props.command, (value) =>
      typeof value === 'string' && value.trim() !== '' && !value.includes('\n')
        ? undefined
        : 'must be one line: the command that runs cdktf-ci-infrastructure',
    ),
  ];
}

/**
 * The pull-request build's commands: install the Terraform release after checking its SHA-256, install the app's
 * dependencies, then plan the change, comment and exit with the verdict. CodeBuild reports the result as the status.
 */
export function pullRequestBuildspec(terraform: TerraformRelease, command: string): string {
  const zip = `terraform_${terraform.version}_linux_amd64.zip`;
  return [
    'version: 0.2',
    'env:',
    '  variables:',
    '    TF_IN_AUTOMATION: "1"',
    '    CHECKPOINT_DISABLE: "1"',
    'phases:',
    '  install:',
    '    runtime-versions:',
    '      nodejs: 22',
    '    commands:',
    `      - curl -fsSL -o /tmp/${zip} https://releases.hashicorp.com/terraform/${terraform.version}/${zip}`,
    `      - echo "${terraform.sha256}  /tmp/${zip}" | sha256sum -c -`,
    `      - unzip -o -d /usr/local/bin /tmp/${zip}`,
    '      - npm ci',
    '  build:',
    '    commands:',
    // Quoted (JSON's double-quoted strings are YAML's): a ": " or " #" in the command stays part of it.
    `      - ${JSON.stringify(`${command} pull-request --no-commit-status`)}`,
    '',
  ].join('\n');
}

/** The provider resources the pipeline created, beyond its build project's. */
export interface InfrastructurePipelineResources {
  /** The attachment of AWS's `ReadOnlyAccess` to the plan role. */
  readonly readOnlyAccess: IamRolePolicyAttachment;
  /** The plan role's explicit denials of data reads. */
  readonly denyDataReads: IamRolePolicy;
}

/**
 * The platform team's own pipeline for the repository that holds this cdktf app: on every pull request into its
 * branch, a CodeBuild build plans each stack the change affects with a read-only role, comments the plan summary
 * on the pull request, and reports its verdict as a commit status the branch protection can require
 * (docs/infrastructure-pipeline.md).
 *
 * The plan role reads the planned services (`ReadOnlyAccess`, every other service denied) and the state, and changes
 * nothing (a pull request's plan is a preview: no lock, no refresh); it is denied every secret value but the
 * comment token and `planReadableSecrets`, every SSM parameter value, and every S3 object outside the state.
 */
export class InfrastructurePipeline extends Construct {
  /** The CodeBuild project that plans pull requests. */
  public readonly planProject: BuildProject;
  /** The commit status context the plan build reports. */
  public readonly statusContext: string;
  /** The provider resources it created beyond the project's. */
  public readonly resources: InfrastructurePipelineResources;

  constructor(scope: Construct, id: string, props: InfrastructurePipelineProps) {
    super(scope, id);
    throwIfInvalid('InfrastructurePipeline', this, validateInfrastructurePipelineProps(props));
    this.statusContext = props.statusContext ?? INFRASTRUCTURE_PIPELINE_DEFAULTS.statusContext;
    const aws = AwsContext.of(this);
    const partition = aws.partition;
    // A secret's ARN ends in "-" and six random characters (Secrets Manager User Guide, "Secret ARN").
    const planSecrets = (props.planReadableSecrets ?? []).map((secret) =>
      secret.startsWith('arn:') ? secret : aws.arn('secretsmanager', `secret:${secret}-??????`),
    );
    this.planProject = this.createPlanProject(props, planSecrets);
    const role = this.planProject.role;
    const stateObjects = grantStateRead(role, props.state, partition);
    if (planSecrets.length > 0)
      grant(role, { sid: 'ReadPlanSecrets', actions: SECRET_READ_ACTIONS, resources: planSecrets });
    const readOnlyAccess = new IamRolePolicyAttachment(this, 'read-only-access', {
      role: role.roleName,
      policyArn: `arn:${partition}:iam::aws:policy/ReadOnlyAccess`,
    });
    // ReadOnlyAccess reads data too (s3:GetObject, ssm:GetParameter*): a pull request's code runs with this role,
    // so what is not the plan's is denied, whatever else is attached.
    const denyDataReads = new IamRolePolicy(this, 'deny-data-reads', {
      name: 'deny-data-reads',
      role: role.roleName,
      policy: JSON.stringify(
        dataReadDenials({
          readableSecrets: [props.commentTokenSecretArn, ...planSecrets],
          stateObjects,
          services: props.planReadServices ?? PLANNED_STACK_SERVICES,
        }),
      ),
    });
    // The project, and the webhook that starts its builds, wait for every policy of the role, the denials included.
    const { project, webhook } = this.planProject.resources;
    for (const resource of [project, webhook!])
      resource.dependsOn = [...(resource.dependsOn ?? []), dependable(readOnlyAccess), dependable(denyDataReads)];
    suppressPlanRoleFindings(this.planProject, readOnlyAccess);
    this.resources = { readOnlyAccess, denyDataReads };
  }

  /** The project: the repository's pull requests into the branch, through the connection, with its own buildspec. */
  private createPlanProject(props: InfrastructurePipelineProps, planSecrets: readonly string[]): BuildProject {
    const name = props.name ?? INFRASTRUCTURE_PIPELINE_DEFAULTS.name;
    const branch = props.branch ?? INFRASTRUCTURE_PIPELINE_DEFAULTS.branch;
    const encryptionKey =
      props.encryptionKey ??
      new EncryptionKey(this, 'key', {
        alias: `ci/${name}`,
        description: `Encrypts the ${name} builds' logs and reports`,
        allowCloudWatchLogs: true,
      });
    const pullRequestFilters: WebhookFilter[] = [
      { type: 'EVENT', pattern: PULL_REQUEST_BUILD_EVENTS.join(', ') },
      { type: 'BASE_REF', pattern: `^refs/heads/${literalPattern(branch)}$` },
    ];
    return new BuildProject(this, 'plan', {
      projectName: `${name}-plan`,
      description: `Plans pull requests into ${branch}, comments the plan, reports "${this.statusContext}"`,
      encryptionKey,
      buildsImages: false,
      // The step compares the change with its base branch: the whole history, so the base is there to compare with.
      fullClone: true,
      buildspec: pullRequestBuildspec(props.terraform, props.command ?? INFRASTRUCTURE_PIPELINE_DEFAULTS.command),
      secretEnvironmentVariables: [{ name: 'GITHUB_TOKEN', secretArn: props.commentTokenSecretArn }],
      // The state and secrets the role may read: the pull-request step checks each stack's backend against them, and
      // the guardrails hold the role to them.
      environmentVariables: [
        { name: PLAN_BUILD_VARIABLES.stateBucket, value: props.state.bucket },
        { name: PLAN_BUILD_VARIABLES.stateKeyPrefix, value: props.state.keyPrefix },
        { name: PLAN_BUILD_VARIABLES.stateKmsKey, value: props.state.kmsKeyArn },
        ...(planSecrets.length === 0 ? [] : [{ name: PLAN_BUILD_VARIABLES.planSecrets, value: planSecrets.join(',') }]),
      ],
      gitHubSource: {
        repositoryUrl: `https://github.com/${props.owner}/${props.repositoryName}.git`,
        auth: { type: 'CODECONNECTIONS', connectionArn: props.connectionArn },
        statusContext: this.statusContext,
        webhookFilterGroups: [pullRequestFilters],
      },
    });
  }

  /** What an operator needs: the plan project and the status context to require. */
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
    ];
  }
}

/**
 * What a plan that takes no lock needs of the S3 backend (Terraform, "Backend Type: s3"): list the bucket under the
 * prefix, read the state, and decrypt it with the state's key. Returns the ARN pattern of the state objects.
 */
function grantStateRead(role: IGrantable, state: InfrastructureState, partition: string): string {
  const bucketArn = `arn:${partition}:s3:::${state.bucket}`;
  const stateObjects = `${bucketArn}/${state.keyPrefix}/*`;
  grant(
    role,
    {
      sid: 'ListStateKeys',
      actions: BUCKET_LIST_ACTIONS,
      resources: [bucketArn],
      conditions: [{ test: 'StringLike', variable: 's3:prefix', values: [`${state.keyPrefix}/*`] }],
    },
    { sid: 'ReadState', actions: STATE_READ_ACTIONS, resources: [stateObjects] },
    { sid: 'DecryptState', actions: STATE_KEY_READ_ACTIONS, resources: [state.kmsKeyArn] },
  );
  return stateObjects;
}

/**
 * The plan role's denials: every service but those the planned stacks manage, the data actions of those, every secret
 * value but `readableSecrets`, every parameter value, and every object outside the state.
 */
function dataReadDenials(denied: {
  readonly readableSecrets: readonly string[];
  readonly stateObjects: string;
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
      { Sid: 'DenyOtherObjects', Effect: 'Deny', Action: OBJECT_VALUE_ACTIONS, NotResource: [denied.stateObjects] },
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
