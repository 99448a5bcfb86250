/**
 * AWS-managed policies attached to the stack's roles, users and groups. The
 * stacks grant with their own policy documents (least privilege, scoped to
 * their resources); an AWS-managed policy grants a service's actions on every
 * resource of the account and changes whenever AWS updates it, and the
 * administrator and power-user ones grant (nearly) everything.
 */
import { parseArn } from '../core/arn';
import { Rule } from '../core/rule';
import { Element, followLocals, parseReference, SynthesizedStack } from '../core/terraform-json';

/** Which attribute of which element type attaches managed policies by ARN (one, or a list). */
const ATTACHMENTS: readonly { type: string; attribute: string }[] = [
  { type: 'aws_iam_role_policy_attachment', attribute: 'policy_arn' },
  { type: 'aws_iam_user_policy_attachment', attribute: 'policy_arn' },
  { type: 'aws_iam_group_policy_attachment', attribute: 'policy_arn' },
  { type: 'aws_iam_policy_attachment', attribute: 'policy_arn' },
  { type: 'aws_iam_role_policy_attachments_exclusive', attribute: 'policy_arns' },
  { type: 'aws_iam_user_policy_attachments_exclusive', attribute: 'policy_arns' },
  { type: 'aws_iam_group_policy_attachments_exclusive', attribute: 'policy_arns' },
  { type: 'aws_iam_role', attribute: 'managed_policy_arns' },
  { type: 'aws_ssoadmin_managed_policy_attachment', attribute: 'managed_policy_arn' },
];

const ATTACHMENT_TYPES = [...new Set(ATTACHMENTS.map(({ type }) => type))];

/**
 * AWS-managed policies that grant administrator or near-administrator access:
 * everything (AdministratorAccess and its service variants), everything but IAM
 * and Organizations (PowerUserAccess), or the power to grant oneself anything
 * (IAMFullAccess, AWSOrganizationsFullAccess), and the administrator job-function
 * policies ("AWS managed policies for job functions", IAM User Guide).
 */
const ADMINISTRATOR_POLICIES = new RegExp(
  [
    String.raw`^(AdministratorAccess(-.+)?|PowerUserAccess|IAMFullAccess|AWSOrganizationsFullAccess|`,
    String.raw`job-function\/(SystemAdministrator|DatabaseAdministrator|NetworkAdministrator))$`,
  ].join(''),
  'i',
);

/**
 * The path and name of an AWS-managed policy (`job-function/SystemAdministrator`), when `arn` is one: `arn:<any
 * partition>:iam::aws:policy/...`.
 */
export function awsManagedPolicyName(arn: string): string | undefined {
  const fields = parseArn(arn);
  if (
    fields === undefined ||
    fields.service !== 'iam' ||
    fields.account !== 'aws' ||
    !fields.resource.startsWith('policy/')
  )
    return undefined;
  return fields.resource.slice('policy/'.length);
}

/**
 * The managed policy a value attaches: an ARN, or a reference to a `data.aws_iam_policy` that names one by ARN or by
 * name.
 */
function attachedPolicyName(written: unknown, stack: SynthesizedStack): string | undefined {
  const value = followLocals(written, stack);
  if (typeof value !== 'string') return undefined;
  const reference = parseReference(value);
  if (reference === undefined) return awsManagedPolicyName(value);
  const source = stack.get(reference.address);
  if (source?.type !== 'data.aws_iam_policy' || !['arn', 'id'].includes(reference.attribute)) return undefined;
  if (typeof source.body.arn === 'string') return awsManagedPolicyName(source.body.arn);
  // By name, a data source finds AWS-managed policies too; only the administrator names are known to be AWS's.
  return typeof source.body.name === 'string' && ADMINISTRATOR_POLICIES.test(source.body.name)
    ? source.body.name
    : undefined;
}

/** Every AWS-managed policy `element` attaches, with the attribute (and index) that attaches it. */
export function attachedAwsManagedPolicies(
  element: Element,
  stack: SynthesizedStack,
): { attribute: string; name: string }[] {
  return ATTACHMENTS.filter(({ type }) => type === element.type).flatMap(({ attribute }) => {
    const value = followLocals(element.body[attribute], stack);
    const values = Array.isArray(value)
      ? value.map((item, index) => ({ item, at: `${attribute}[${index}]` }))
      : [{ item: value, at: attribute }];
    return values.flatMap(({ item, at }) => {
      const name = attachedPolicyName(item, stack);
      return name === undefined ? [] : [{ attribute: at, name }];
    });
  });
}

export const MANAGED_POLICY_RULES: readonly Rule[] = [
  {
    id: 'CKV_AWS_274',
    name: 'IAM roles, users and groups are not given AWS administrator or power-user policies',
    explanation:
      'AdministratorAccess, PowerUserAccess, IAMFullAccess, AWSOrganizationsFullAccess and the ' +
      'administrator job-function policies grant every action on every resource, or the power to ' +
      'grant oneself that, so a leaked build credential or a hostile pull request build controls ' +
      'the account. Checkov\'s CKV_AWS_274 checks AdministratorAccess alone: "Disallow IAM roles, ' +
      'users, and groups from using the AWS AdministratorAccess policy".',
    targets: ATTACHMENT_TYPES,
    fix:
      "remove the attachment and grant the named actions on the stack's own resources with a policy document " +
      '(grant* methods)',
    check: (element, stack) =>
      attachedAwsManagedPolicies(element, stack)
        .filter(({ name }) => ADMINISTRATOR_POLICIES.test(name))
        .map(
          ({ attribute, name }) =>
            `${attribute} attaches the AWS-managed policy "${name}", which gives administrator-level access to the ` +
            `whole account`,
        ),
  },
  {
    id: 'CIP_IAM_8',
    name: "IAM roles, users and groups use the stack's own policies, not AWS-managed ones",
    explanation:
      'An AWS managed policy grants its actions on every resource of the account and changes ' +
      'whenever AWS updates it, for every role it is attached to. The IAM User Guide ("AWS managed ' +
      'policies") notes that they might not grant least-privilege permissions for a given use case ' +
      'and recommends customer managed policies.',
    targets: ATTACHMENT_TYPES,
    fix:
      "replace the AWS-managed policy with a policy document that grants the named actions on the stack's own " +
      'resources (grant* methods)',
    check: (element, stack) =>
      attachedAwsManagedPolicies(element, stack)
        .filter(({ name }) => !ADMINISTRATOR_POLICIES.test(name))
        .map(
          ({ attribute, name }) =>
            `${attribute} attaches the AWS-managed policy "${name}", which grants its actions on every resource of ` +
            `the account and changes whenever AWS updates it`,
        ),
  },
];
