import { requireAwsProvider } from '../private/provider-versions';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { dependable, ITerraformDependable, Lazy, TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { ASSUME_ROLE_ACTIONS, CONFUSED_DEPUTY_SERVICES } from '../../shared/iam-actions';
import { AwsContext } from '../private/aws-context';
import { IGrantable, PolicyStatement } from '../core/grants';
import { PolicyStatements } from '../private/policy-statements';
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
import { isTerraformExpression, matches } from '../private/checks';

export interface ServiceRoleProps {
  /** The role's name: 1-64 characters of letters, digits and `+=,.@_-`. */
  readonly roleName: string;
  /** The service principal allowed to assume the role, e.g. `codebuild.amazonaws.com`. */
  readonly assumedBy: string;
  /**
   * The account whose resources may have the service assume the role: the trust
   * statement's `aws:SourceAccount` condition, which keeps the service from
   * acting for another account with this role (the confused deputy problem).
   * Only for services that document the key in role trust policies
   * (`CONFUSED_DEPUTY_SERVICES` in shared/iam-actions.ts): for any other the condition never
   * matches and the service could not assume the role.
   * @default - the stack's account (`AwsContext.accountId`) for those services; no condition for others
   */
  readonly sourceAccount?: string;
  /**
   * ARN patterns of the resources that may have the service assume the role
   * (an `ArnLike` condition on `aws:SourceArn`), e.g. the CodeBuild project's
   * ARN. Each names one account. Only for those services.
   * @default - any resource of the source account
   */
  readonly sourceArns?: readonly string[];
}

/** Whether the service documents `aws:SourceAccount`/`aws:SourceArn` in role trust policies. */
const supportsSourceConditions = (service: string) => CONFUSED_DEPUTY_SERVICES.includes(service);

function validateSourceConditions(props: ServiceRoleProps): PropProblem[] {
  const unsupported = !supportsSourceConditions(props.assumedBy);
  const allowed =
    `is only for ${CONFUSED_DEPUTY_SERVICES.join(', ')}, which document aws:SourceAccount and ` +
    `aws:SourceArn in role trust policies; "${props.assumedBy}" would never match it`;
  return [
    ...checkOptionalProp('sourceAccount', props.sourceAccount, checkSourceAccount),
    ...crossPropProblem(
      props.sourceAccount !== undefined && unsupported,
      'sourceAccount',
      props.sourceAccount,
      allowed,
    ),
    ...crossPropProblem(
      props.sourceArns !== undefined && props.sourceArns.length === 0,
      'sourceArns',
      props.sourceArns,
      'must name at least one ARN, or be left out',
    ),
    ...checkOptionalList('sourceArns', props.sourceArns, checkSourceArn),
    ...crossPropProblem(props.sourceArns !== undefined && unsupported, 'sourceArns', props.sourceArns, allowed),
  ];
}

/**
 * The trust statement's confused-deputy conditions: the source account (the stack's by default) and, when given, the
 * source ARNs.
 */
function sourceConditions(
  scope: Construct,
  props: ServiceRoleProps,
): { test: string; variable: string; values: string[] }[] {
  if (!supportsSourceConditions(props.assumedBy)) return [];
  return [
    {
      test: 'StringEquals',
      variable: 'aws:SourceAccount',
      values: [props.sourceAccount ?? AwsContext.of(scope).accountId],
    },
    ...(props.sourceArns === undefined
      ? []
      : [{ test: 'ArnLike', variable: 'aws:SourceArn', values: [...props.sourceArns] }]),
  ];
}

/** The name of a role's inline policy. */
const permissionsPolicyName = (roleName: string) => `${roleName}-permissions`;

/** A role that constructs grant to: one created here, or an existing one ({@link ServiceRole.fromRoleArn}). */
export interface IServiceRole extends IGrantable {
  /** The role's ARN. */
  readonly roleArn: string;
  /** The role's name. */
  readonly roleName: string;
}

/** How {@link ServiceRole.fromRoleArn} treats an existing role. */
export interface ExistingRoleOptions {
  /**
   * Grant to the role through an inline policy that this stack manages. When false, a grant throws, naming the
   * statement: the role's owner must grant it.
   * @default true
   */
  readonly mutable?: boolean;
  /**
   * The name of that inline policy (1-128 letters, digits and `+=,.@_-`), unique among the role's inline policies.
   * @default "<role name>-permissions"
   */
  readonly policyName?: string;
}

/** The provider resources of a {@link ServiceRole}. */
export interface ServiceRoleResources {
  /** The trust policy's document: the one service principal, with its confused-deputy conditions. */
  readonly trustDocument: DataAwsIamPolicyDocument;
  /** The role. */
  readonly role: IamRole;
  /** The permissions policy's document: the statements granted, merged by Sid. */
  readonly permissionsDocument: DataAwsIamPolicyDocument;
  /** The inline permissions policy. */
  readonly policy: IamRolePolicy;
}

/**
 * An IAM role for one AWS service, with one inline policy that holds exactly the
 * statements granted to it.
 *
 * The trust policy names the single service principal and nothing else, and
 * pins services that support it to the stack's account (`aws:SourceAccount`,
 * optionally `aws:SourceArn`) against the confused deputy problem; the
 * permission policy is an `aws_iam_policy_document` built at synth time from the
 * statements that the other constructs' `grant*` methods add, merged as
 * {@link Grant} describes.
 */
export class ServiceRole extends Construct implements IServiceRole {
  /**
   * A role that exists already, which Terraform does not manage. Statements granted to it go into an inline policy of
   * its own that this stack manages (`<policyName>`), unless `mutable` is false: then grants are refused, and the
   * role's owner must grant what the constructs need.
   *
   * @param scope the construct that uses the role
   * @param id the ID of the construct that manages the inline policy
   * @param roleArn the role's ARN, `arn:<partition>:iam::<account>:role/<path/><name>`
   */
  public static fromRoleArn(
    scope: Construct,
    id: string,
    roleArn: string,
    options: ExistingRoleOptions = {},
  ): IServiceRole {
    const problems = checkProp('roleArn', roleArn, checkIamRoleArn);
    const roleName = roleArn.split('/').pop() ?? '';
    const policyName = options.policyName ?? permissionsPolicyName(roleName);
    throwIfInvalid('ServiceRole.fromRoleArn', scope, [
      ...problems,
      ...(problems.length === 0 ? checkOptionalProp('policyName', options.policyName, checkIamPolicyName) : []),
    ]);
    return new ExistingServiceRole(scope, id, { roleArn, roleName, policyName, mutable: options.mutable ?? true });
  }

  /** The role's ARN. */
  public readonly roleArn: string;
  /** The role's name. */
  public readonly roleName: string;
  /** The provider resources it created, to reach any argument it does not model (escape hatch). */
  public readonly resources: ServiceRoleResources;

  private readonly statements = new PolicyStatements();
  private readonly otherPermissions: ITerraformDependable[] = [];
  private readonly dependents: TerraformResource[] = [];

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    validateServiceRoleProps(this, props);
    requireAwsProvider(this);
    const conditions = sourceConditions(this, props);

    const trust = new DataAwsIamPolicyDocument(this, 'trust', {
      statement: [
        {
          sid: 'AssumedByService',
          effect: 'Allow',
          actions: [...ASSUME_ROLE_ACTIONS],
          principals: [{ type: 'Service', identifiers: [props.assumedBy] }],
          ...(conditions.length > 0 ? { condition: conditions } : {}),
        },
      ],
    });
    const role = new IamRole(this, 'role', {
      name: props.roleName,
      assumeRolePolicy: trust.json,
      description: `Service role for ${props.assumedBy}, managed by Terraform`,
    });
    const inline = inlinePolicy(this, role.name, permissionsPolicyName(props.roleName), this.statements);
    this.node.addValidation({
      validate: () =>
        this.statements.list.length === 0 ? [`ServiceRole ${props.roleName} has no permissions granted`] : [],
    });
    this.node.defaultChild = role;
    this.resources = { trustDocument: trust, role, ...inline };
    this.roleArn = role.arn;
    this.roleName = role.name;
  }

  /** Adds a statement, merged with one of the same Sid and actions; returns what was new. */
  public addToPolicy(statement: PolicyStatement): PolicyStatement | undefined {
    throwIfInvalid('ServiceRole.addToPolicy', this, statementProblems(statement));
    return this.statements.add(statement);
  }

  /**
   * The resources that hold the role's permissions: its inline policy, and those added with
   * {@link ServiceRole.addPermissionResource}.
   */
  public get permissionResources(): ITerraformDependable[] {
    return [this.resources.policy, ...this.otherPermissions];
  }

  /**
   * Adds a resource that grants the role more (a managed policy's attachment, another inline policy): every resource
   * ordered after the role's permissions waits for it too, those ordered before it was added included.
   */
  public addPermissionResource(resource: ITerraformDependable): void {
    this.otherPermissions.push(resource);
    for (const dependent of this.dependents)
      dependent.dependsOn = [...(dependent.dependsOn ?? []), dependable(resource)];
  }

  /**
   * Orders `resource`, which its service runs as the role, after every resource that holds the role's permissions,
   * now and when more are added. The role's ARN alone orders a resource after the role, not after its policies, and
   * services act as soon as the resource exists (CodePipeline starts a run when the pipeline is created; CodeBuild
   * reads the source token when its webhook is). aws-cdk-lib orders a pipeline after its role's default policy for
   * the same reason.
   */
  public orderAfterPermissions(resource: TerraformResource): void {
    this.dependents.push(resource);
    resource.dependsOn = [
      ...(resource.dependsOn ?? []),
      ...this.permissionResources.map((permission) => dependable(permission)),
    ];
  }
}

/** A role this stack does not manage, with the inline policy it grants through, when mutable. */
class ExistingServiceRole extends Construct implements IServiceRole {
  public readonly roleArn: string;
  public readonly roleName: string;
  private readonly statements = new PolicyStatements();
  private policy?: ReturnType<typeof inlinePolicy>;

  constructor(
    scope: Construct,
    id: string,
    private readonly settings: { roleArn: string; roleName: string; policyName: string; mutable: boolean },
  ) {
    super(scope, id);
    this.roleArn = settings.roleArn;
    this.roleName = settings.roleName;
  }

  public addToPolicy(statement: PolicyStatement): PolicyStatement | undefined {
    const immutable: PropProblem[] = this.settings.mutable
      ? []
      : [
          {
            prop: 'statement',
            value: statement.sid,
            allowed:
              `cannot be granted to ${this.roleArn}, imported with mutable: false; grant it in the role's ` +
              `own policies`,
          },
        ];
    throwIfInvalid('ServiceRole.addToPolicy', this, [...immutable, ...statementProblems(statement)]);
    if (this.policy === undefined) {
      requireAwsProvider(this);
      this.policy = inlinePolicy(this, this.roleName, this.settings.policyName, this.statements);
    }
    return this.statements.add(statement);
  }
}

/** The inline policy that holds a role's granted statements, rendered at synth. */
function inlinePolicy(scope: Construct, roleName: string, policyName: string, statements: PolicyStatements) {
  const permissionsDocument = new DataAwsIamPolicyDocument(scope, 'permissions', {
    statement: Lazy.anyValue({ produce: () => statements.list.map(renderStatement) }),
  });
  const policy = new IamRolePolicy(scope, 'policy', {
    name: policyName,
    role: roleName,
    policy: permissionsDocument.json,
  });
  return { permissionsDocument, policy };
}

/** What is wrong with a statement: an invalid Sid, no actions or no resources. */
const statementProblems = (statement: PolicyStatement): PropProblem[] => [
  ...checkProp('statement.sid', statement.sid, checkStatementId),
  ...crossPropProblem(
    statement.actions.length === 0,
    'statement.actions',
    statement.actions,
    'must name at least one action',
  ),
  ...crossPropProblem(
    statement.resources.length === 0,
    'statement.resources',
    statement.resources,
    'must name at least one resource',
  ),
];

/** Throws, naming each bad prop, when the role's props break a rule of IAM's. */
function validateServiceRoleProps(role: Construct, props: ServiceRoleProps): void {
  const roleNameProblems = checkProp('roleName', props.roleName, checkIamRoleName);
  throwIfInvalid('ServiceRole', role, [
    ...roleNameProblems,
    ...(roleNameProblems.length > 0
      ? []
      : checkDerivedName(
          'roleName',
          props.roleName,
          'inline policy name',
          permissionsPolicyName(props.roleName),
          checkIamPolicyName,
        )),
    ...checkProp('assumedBy', props.assumedBy, checkServicePrincipal),
    ...validateSourceConditions(props),
  ]);
}

/** A statement as `aws_iam_policy_document` takes it. */
const renderStatement = (statement: PolicyStatement) => ({
  sid: statement.sid,
  effect: 'Allow',
  actions: [...statement.actions],
  resources: [...statement.resources],
  ...(statement.conditions === undefined
    ? {}
    : { condition: statement.conditions.map((condition) => ({ ...condition, values: [...condition.values] })) }),
});

// --- Rules for the values of its props (limits from the owning service's documentation) ---

/** A service principal such as `codebuild.amazonaws.com` (IAM User Guide, "AWS JSON policy elements: Principal"). */
export const checkServicePrincipal = matches(
  /^[a-z0-9.-]+\.amazonaws\.com$/,
  'must be a service principal such as "codebuild.amazonaws.com"',
);

/** An IAM role name (IAM API Reference, CreateRole: RoleName, 1-64 of `[\w+=,.@-]`). */
export const checkIamRoleName = matches(/^[\w+=,.@-]{1,64}$/, 'must be 1-64 letters, digits and +=,.@_-');

/** An inline policy's name (IAM API Reference, PutRolePolicy: PolicyName, 1-128 of `[\w+=,.@-]`). */
export const checkIamPolicyName = matches(/^[\w+=,.@-]{1,128}$/, 'must be 1-128 letters, digits and +=,.@_-');

/** An IAM policy statement ID (IAM User Guide, "IAM JSON policy elements: Sid": ASCII letters and digits). */
export const checkStatementId = matches(/^[A-Za-z0-9]{1,100}$/, 'must be 1-100 ASCII letters and digits');

/**
 * An AWS account ID for `aws:SourceAccount`: 12 digits ("Your AWS account
 * identifiers", AWS Account Management Reference Guide), or a Terraform
 * expression such as `AwsContext.accountId`.
 */
export const checkSourceAccount: Check<string> = (value) =>
  typeof value === 'string' && (/^\d{12}$/.test(value) || isTerraformExpression(value))
    ? undefined
    : 'must be a 12-digit AWS account ID or a Terraform reference to one';

/**
 * An ARN pattern for `aws:SourceArn` with an account in it: `arn:partition:service:region:account:resource`,
 * the account being 12 digits or an expression, never a wildcard ("Amazon Resource Names (ARNs)", IAM User Guide).
 */
export const checkSourceArn: Check<string> = (value) => {
  if (typeof value !== 'string') return 'must be an ARN';
  const fields = value.split(':');
  const account = fields[4] ?? '';
  if (!value.startsWith('arn:') || fields.length < 6)
    return 'must be an ARN such as "arn:aws:codebuild:eu-west-1:123456789012:project/name"';
  return /^\d{12}$/.test(account) || isTerraformExpression(account)
    ? undefined
    : 'must name one account (12 digits or a reference) in its account field, not a wildcard or nothing';
};

/** An IAM role's ARN (IAM User Guide, "IAM ARNs": `arn:<partition>:iam::<account>:role/<path/><name>`). */
export const checkIamRoleArn = matches(
  /^arn:aws[a-z-]*:iam::\d{12}:role\/(?:[\x21-\x7e]+\/)?[\w+=,.@-]{1,64}$/,
  'must be an IAM role ARN such as "arn:aws:iam::123456789012:role/my-role"',
);
