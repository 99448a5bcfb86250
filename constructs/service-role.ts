import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Lazy } from 'cdktf';
import { Construct } from 'constructs';
import { IGrantable, PolicyStatement } from './policy';
import { validateProp } from './validation';

export interface ServiceRoleProps {
  /** The role's name: 1-64 characters of letters, digits and `+=,.@_-`. */
  readonly roleName: string;
  /** The service principal allowed to assume the role, e.g. `codebuild.amazonaws.com`. */
  readonly assumedBy: string;
  /**
   * Statements to start with; more can be added with {@link ServiceRole.addToPolicy}.
   * @default - none
   */
  readonly statements?: readonly PolicyStatement[];
}

/**
 * An IAM role for one AWS service, with one inline policy that holds exactly the
 * statements granted to it.
 *
 * The trust policy names the single service principal and nothing else; the
 * permission policy is an `aws_iam_policy_document` built at synth time from the
 * statements that the other constructs' `grant*` methods add.
 */
export class ServiceRole extends Construct implements IGrantable {
  /** The role's ARN. */
  public readonly roleArn: string;
  /** The role's name. */
  public readonly roleName: string;

  private readonly statements: PolicyStatement[] = [];

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    validateProp('ServiceRole', 'roleName', props.roleName, (name) =>
      /^[\w+=,.@-]{1,64}$/.test(name) ? undefined : 'must be 1-64 letters, digits and +=,.@_-',
    );
    validateProp('ServiceRole', 'assumedBy', props.assumedBy, (principal) =>
      /^[a-z0-9.-]+\.amazonaws\.com$/.test(principal) ? undefined : 'must be a service principal such as "codebuild.amazonaws.com"',
    );
    props.statements?.forEach((statement) => this.addToPolicy(statement));

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
          this.statements.map((statement) => ({
            sid: statement.sid,
            effect: 'Allow',
            actions: [...statement.actions],
            resources: [...statement.resources],
          })),
      }),
    });
    new IamRolePolicy(this, 'policy', {
      name: `${props.roleName}-permissions`,
      role: role.name,
      policy: permissions.json,
    });

    this.node.addValidation({
      validate: () => (this.statements.length === 0 ? [`ServiceRole ${props.roleName} has no permissions granted`] : []),
    });

    this.roleArn = role.arn;
    this.roleName = role.name;
  }

  /** Adds a statement; a statement ID used twice is an error, since it would hide a grant in the plan. */
  public addToPolicy(statement: PolicyStatement): void {
    if (this.statements.some((existing) => existing.sid === statement.sid)) {
      throw new Error(`ServiceRole ${this.node.path}: statement "${statement.sid}" is already granted`);
    }
    if (statement.actions.length === 0 || statement.resources.length === 0) {
      throw new Error(`ServiceRole ${this.node.path}: statement "${statement.sid}" needs at least one action and one resource`);
    }
    this.statements.push(statement);
  }

  /** The statements granted so far, for tests and reports. */
  public get policyStatements(): readonly PolicyStatement[] {
    return [...this.statements];
  }
}
