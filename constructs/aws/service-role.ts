import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Lazy } from 'cdktf';
import { Construct } from 'constructs';
import { checkIamPolicyName, checkIamRoleName, checkServicePrincipal, checkStatementId } from '../core/checks';
import { IGrantable, PolicyStatement, PolicyStatements } from '../core/grants';
import { checkDerivedName, checkProp, crossPropProblem, throwIfInvalid } from '../core/validation';

export interface ServiceRoleProps {
  /** The role's name: 1-64 characters of letters, digits and `+=,.@_-`. */
  readonly roleName: string;
  /** The service principal allowed to assume the role, e.g. `codebuild.amazonaws.com`. */
  readonly assumedBy: string;
}

/** The name of a role's inline policy. */
const permissionsPolicyName = (roleName: string) => `${roleName}-permissions`;

/**
 * An IAM role for one AWS service, with one inline policy that holds exactly the
 * statements granted to it.
 *
 * The trust policy names the single service principal and nothing else; the
 * permission policy is an `aws_iam_policy_document` built at synth time from the
 * statements that the other constructs' `grant*` methods add, merged as
 * {@link PolicyStatements} describes.
 */
export class ServiceRole extends Construct implements IGrantable {
  /** The role's ARN. */
  public readonly roleArn: string;
  /** The role's name. */
  public readonly roleName: string;

  private readonly statements = new PolicyStatements();

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    const roleNameProblems = checkProp('roleName', props.roleName, checkIamRoleName);
    throwIfInvalid('ServiceRole', this, [
      ...roleNameProblems,
      ...(roleNameProblems.length > 0 ? [] : checkDerivedName('roleName', props.roleName, 'inline policy name', permissionsPolicyName(props.roleName), checkIamPolicyName)),
      ...checkProp('assumedBy', props.assumedBy, checkServicePrincipal),
    ]);

    const trust = new DataAwsIamPolicyDocument(this, 'trust', {
      statement: [
        {
          sid: 'AssumedByService',
          effect: 'Allow',
          actions: ['sts:AssumeRole'],
          principals: [{ type: 'Service', identifiers: [props.assumedBy] }],
        },
      ],
    });
    const role = new IamRole(this, 'role', {
      name: props.roleName,
      assumeRolePolicy: trust.json,
      description: `Service role for ${props.assumedBy}, managed by Terraform`,
    });

    const permissions = new DataAwsIamPolicyDocument(this, 'permissions', {
      statement: Lazy.anyValue({
        produce: () =>
          this.statements.list.map((statement) => ({
            sid: statement.sid,
            effect: 'Allow',
            actions: [...statement.actions],
            resources: [...statement.resources],
            ...(statement.conditions === undefined ? {} : { condition: statement.conditions.map((condition) => ({ ...condition, values: [...condition.values] })) }),
          })),
      }),
    });
    new IamRolePolicy(this, 'policy', { name: permissionsPolicyName(props.roleName), role: role.name, policy: permissions.json });

    this.node.addValidation({
      validate: () => (this.statements.list.length === 0 ? [`ServiceRole ${props.roleName} has no permissions granted`] : []),
    });
    this.roleArn = role.arn;
    this.roleName = role.name;
  }

  /** Adds a statement, merged with one of the same Sid and actions; returns what was new. */
  public addToPolicy(statement: PolicyStatement): PolicyStatement | undefined {
    throwIfInvalid('ServiceRole.addToPolicy', this, [
      ...checkProp('statement.sid', statement.sid, checkStatementId),
      ...crossPropProblem(statement.actions.length === 0, 'statement.actions', statement.actions, 'must name at least one action'),
      ...crossPropProblem(statement.resources.length === 0, 'statement.resources', statement.resources, 'must name at least one resource'),
    ]);
    return this.statements.add(statement);
  }
}
