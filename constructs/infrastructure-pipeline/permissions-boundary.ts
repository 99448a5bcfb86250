/**
 * The permissions boundary that caps what the infrastructure pipeline's apply can do: the most any role it applies
 * may do, its own apply role included. An administrator deploys it, in a stack of its own; the pipeline cannot change
 * it, remove it from a role, or create a role without it, so a merged change cannot make a role more powerful than
 * the boundary, however the change rewrites the roles' own policies (IAM User Guide, "Permissions boundaries for IAM
 * entities": effective permissions are the intersection of the identity policies and the boundary).
 */
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IAspect, TerraformResource } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { applyStatements, ApplyStatement } from '../../shared/apply-permissions';
import { buildRoleName } from '../aws/build-project';
import { checkSecretArn } from '../aws/registry-credentials';
import { Suppressions } from '../../shared/suppressions';
import { checkIamPolicyName } from '../aws/service-role';
import { AwsContext } from '../private/aws-context';
import { checkOptionalList, checkProp, throwIfInvalid } from '../private/validation';
import { matches } from '../private/checks';
import { PLANNED_STACK_SERVICES } from './planned-services';
import { PropProblem } from '../core/validation';

/** The boundary policy's name: `<name>-boundary`, `name` being the infrastructure pipeline's. */
export const permissionsBoundaryName = (name: string) => `${name}-boundary`;

/** The infrastructure pipeline's apply project: `<name>-apply`. */
export const applyProjectName = (name: string) => `${name}-apply`;

/** The apply project's role, which the boundary denies running other projects' and pipelines' work. */
export const applyRoleName = (name: string) => buildRoleName(applyProjectName(name));

/** The boundary's ARN in the scope's account (IAM is global: no region). */
export const permissionsBoundaryArn = (scope: Construct, name: string) =>
  AwsContext.of(scope).arn('iam', `policy/${permissionsBoundaryName(name)}`, { global: true });

export interface PermissionsBoundaryProps {
  /**
   * The infrastructure pipeline's name, whose boundary this is: the policy is `<name>-boundary`.
   * @default "infrastructure-pipeline"
   */
  readonly name?: string;
  /**
   * The AWS services (IAM prefixes) the stacks manage, whose every action the boundary allows; IAM's are always
   * bounded as `applyStatements` (shared/apply-permissions.ts) says.
   * @default - the services of this project's stacks ({@link PLANNED_STACK_SERVICES})
   */
  readonly services?: readonly string[];
  /**
   * The secrets whose values the apply role may read, by ARN: its build's GitHub provider token
   * (`providerTokenSecretArns.apply` of the {@link InfrastructurePipeline}). It reads no other.
   * @default - none: the apply role reads no secret value
   */
  readonly applyReadableSecrets?: readonly string[];
}

/**
 * The infrastructure pipeline's name, which prefixes its projects, roles, pipeline and boundary: the one rule for
 * `InfrastructurePipelineProps.name` and `PermissionsBoundaryProps.name`, so that the two can always agree.
 */
export const checkInfrastructurePipelineName = matches(
  /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/,
  'must be 1-100 letters, digits, "-" and "_", starting with a letter or digit',
);

/** Every problem with the props. */
export function validatePermissionsBoundaryProps(props: PermissionsBoundaryProps): PropProblem[] {
  return [
    ...(props.name === undefined ? [] : checkProp('name', props.name, checkInfrastructurePipelineName)),
    ...(props.name === undefined ? [] : checkProp('name', permissionsBoundaryName(props.name), checkIamPolicyName)),
    ...checkOptionalList('applyReadableSecrets', props.applyReadableSecrets, checkSecretArn),
    ...checkOptionalList(
      'services',
      props.services,
      matches(/^[a-z0-9-]{2,64}$/, 'must be an IAM service prefix, such as "codebuild" or "s3"'),
    ),
  ];
}

/**
 * The boundary policy. Deploy it with administrator credentials, before the stacks whose roles it bounds; the
 * infrastructure pipeline plans its stack but never applies it.
 */
export class PermissionsBoundary extends Construct {
  /** The managed policy. */
  public readonly policy: IamPolicy;
  /** Its ARN. */
  public readonly arn: string;

  constructor(scope: Construct, id: string, props: PermissionsBoundaryProps = {}) {
    super(scope, id);
    throwIfInvalid('PermissionsBoundary', this, validatePermissionsBoundaryProps(props));
    const aws = AwsContext.of(this);
    const name = props.name ?? 'infrastructure-pipeline';
    const boundaryArn = permissionsBoundaryArn(this, name);
    const statements = applyStatements({
      boundaryArn,
      applyRoleName: applyRoleName(name),
      applyReadableSecrets: props.applyReadableSecrets ?? [],
      partition: aws.partition,
      accountId: aws.accountId,
      services: props.services ?? PLANNED_STACK_SERVICES,
    });
    this.policy = new IamPolicy(this, 'policy', {
      name: permissionsBoundaryName(name),
      description: `The most any role the ${name} applies may do; changed by an administrator only`,
      policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
    });
    suppressApplyStatementFindings(this.policy, statements);
    this.arn = this.policy.arn;
  }
}

/**
 * The findings of the apply's statements that are the design, each suppressed by its whole text, so that any widening
 * (another service, another IAM action) is still reported: every action of the managed services on every resource,
 * since the stacks' resources are named by the stacks a merge adds; IAM reads on every resource.
 */
export function suppressApplyStatementFindings(
  resource: TerraformResource,
  statements: readonly ApplyStatement[],
): void {
  const reason =
    'The apply creates, changes and deletes whatever the merged stacks declare, in the services they manage; what ' +
    'it may do with roles is held by the permissions boundary, which an administrator alone changes.';
  for (const statement of statements.filter(
    (candidate) => candidate.Effect === 'Allow' && (candidate.Resource ?? []).includes('*'),
  )) {
    Suppressions.add(resource, {
      ruleId: 'CIP_IAM_4',
      reason,
      finding: `statement "${statement.Sid}" of policy allows ${statement.Action.join(', ')} on "*"`,
    });
    if (statement.Action.includes('s3:*'))
      Suppressions.add(resource, {
        ruleId: 'CIP_IAM_2',
        reason,
        finding: `statement "${statement.Sid}" of policy allows "s3:*"`,
      });
  }
}

/**
 * Gives every IAM role in the scope the boundary, unless it has one: applied to each stack the infrastructure pipeline
 * applies, so that the roles it creates or changes stay within what the boundary allows it to create.
 */
export class PermissionsBoundaryAspect implements IAspect {
  /** @param name the infrastructure pipeline's name, whose boundary `<name>-boundary` is given */
  constructor(private readonly name: string) {}

  public visit(node: IConstruct): void {
    if (!TerraformResource.isTerraformResource(node) || node.terraformResourceType !== 'aws_iam_role') return;
    // The input, not the attribute: an attribute is a reference even when unset.
    const role = node as TerraformResource & { readonly permissionsBoundaryInput?: string };
    if (role.permissionsBoundaryInput === undefined)
      role.addOverride('permissions_boundary', permissionsBoundaryArn(node as unknown as Construct, this.name));
  }
}
