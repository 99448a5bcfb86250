import { UNSCOPED_ACTIONS } from '../../iam/actions';
import { actionMatches, AttachedPolicy, NormalizedStatement, POLICY_HOLDER_TYPES, policiesAt, PolicyUse } from '../core/policy-document';
import { Rule } from '../core/rule';
import { Element, SynthesizedStack } from '../core/terraform-json';

/** Where a statement is, for messages: its Sid and the document it is written in. */
function locate(policy: AttachedPolicy, statement: NormalizedStatement, index: number): string {
  const name = statement.sid === undefined ? `statement ${index + 1}` : `statement "${statement.sid}"`;
  return policy.document !== undefined && policy.document !== policy.consumer ? `${name} of ${policy.document.path}` : `${name} of ${policy.attribute}`;
}

/** Whether an action pattern grants every action of `service` ("*" or "<service>:*"). */
const coversService = (action: string, service: string) => action === '*' || action.toLowerCase() === `${service}:*`;

/**
 * A rule over the `Allow` statements of the policies of one use: `offending`
 * says what is wrong with one statement, or nothing.
 */
function statementRule(
  rule: Omit<Rule, 'check' | 'targets'> & { use: PolicyUse; offending(statement: NormalizedStatement): string | undefined },
): Rule {
  const { use, offending, ...rest } = rule;
  return {
    ...rest,
    targets: POLICY_HOLDER_TYPES,
    check: (element: Element, stack: SynthesizedStack) =>
      policiesAt(element, stack)
        .filter((policy) => policy.use === use)
        .flatMap((policy) =>
          (policy.statements ?? []).flatMap((statement, index) => {
            const problem = statement.effect === 'Allow' ? offending(statement) : undefined;
            return problem === undefined ? [] : [`${locate(policy, statement, index)} ${problem}`];
          }),
        ),
  };
}

/** A rule against Allow statements that grant every action of `service` ("*" or "<service>:*"). */
function serviceWildcardRule(id: string, service: string, label: string, fix: string): Rule {
  return statementRule({
    id,
    name: `IAM policies do not grant every ${label} action`,
    use: 'identity',
    fix,
    offending: (statement) => {
      const broad = statement.actions.filter((action) => coversService(action, service));
      return broad.length > 0 ? `allows ${broad.map((action) => `"${action}"`).join(', ')}, every ${label} action` : undefined;
    },
  });
}

export const IAM_RULES: readonly Rule[] = [
  {
    id: 'CIP_IAM_1',
    name: 'IAM policies are written so they can be checked',
    targets: POLICY_HOLDER_TYPES,
    fix: 'build the policy with an `aws_iam_policy_document` data source or write it as JSON text, not as a computed expression',
    check: (element, stack) =>
      policiesAt(element, stack)
        .filter((policy) => policy.statements === undefined)
        .map((policy) => `${policy.attribute} is an expression whose statements cannot be read before apply`),
  },
  statementRule({
    id: 'CKV_AWS_60',
    name: 'IAM roles trust specific principals, not everyone',
    use: 'trust',
    fix: 'name the service or account that may assume the role in the trust policy\'s principals',
    offending: (statement) =>
      statement.principals.some((principal) => principal.identifiers.includes('*')) ? 'lets any principal ("*") assume the role' : undefined,
  }),
  statementRule({
    id: 'CKV_AWS_62',
    name: 'IAM policies do not grant full administrator access ("*" on "*")',
    use: 'identity',
    fix: 'grant the named actions the role needs on the resources it needs them for',
    offending: (statement) =>
      statement.actions.includes('*') && statement.resources.includes('*') ? 'allows every action ("*") on every resource ("*")' : undefined,
  }),
  statementRule({
    id: 'CKV_AWS_63',
    name: 'IAM policies do not allow every action ("*")',
    use: 'identity',
    fix: 'list the actions the role needs, from a named action list',
    offending: (statement) => (statement.actions.includes('*') ? 'allows every action ("*")' : undefined),
  }),
  serviceWildcardRule('CKV2_AWS_40', 'iam', 'IAM', 'list the IAM actions the role needs instead of "iam:*"'),
  serviceWildcardRule('CIP_IAM_2', 's3', 'S3', 'grant named S3 actions, such as OBJECT_READ_WRITE_ACTIONS, on the bucket ARNs'),
  statementRule({
    id: 'CIP_IAM_3',
    name: 'iam:PassRole is granted on named roles only',
    use: 'identity',
    fix: 'list the ARNs of the roles that may be passed',
    offending: (statement) =>
      statement.resources.includes('*') && statement.actions.some((action) => actionMatches(action, 'iam:PassRole'))
        ? 'allows iam:PassRole on "*", so the holder can hand any role to a service'
        : undefined,
  }),
  statementRule({
    id: 'CIP_IAM_4',
    name: 'IAM policies use Resource "*" only for actions that cannot be scoped',
    use: 'identity',
    fix: `scope the actions to resource ARNs; only ${UNSCOPED_ACTIONS.join(', ')} may use "*"`,
    offending: (statement) => {
      if (!statement.resources.includes('*')) return undefined;
      const scopable = statement.actions.filter((action) => !UNSCOPED_ACTIONS.some((allowed) => allowed.toLowerCase() === action.toLowerCase()));
      return scopable.length > 0 ? `allows ${scopable.join(', ')} on "*"` : undefined;
    },
  }),
];
