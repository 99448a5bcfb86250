import { UNSCOPED_ACTIONS } from '../../shared/iam-actions';
import { actionMatches, POLICY_HOLDER_TYPES, policiesAt } from '../core/policy-document';
import { Rule } from '../core/rule';
import { hasWildcard, parseArn } from '../core/arn';
import { statementRule } from '../core/statement-rule';

/** Whether an action pattern grants every action of `service` ("*" or "<service>:*"). */
const coversService = (action: string, service: string) => action === '*' || action.toLowerCase() === `${service}:*`;

const quoted = (values: readonly string[]) => values.map((value) => JSON.stringify(value)).join(', ');

/**
 * The ARN fields before the resource that hold a wildcard: an ARN pattern like
 * `arn:aws:logs:*:*:log-group:x` matches that name in every region of every
 * account. Empty fields are the ARN format's own (S3 has neither region nor
 * account, IAM no region) and interpolations are Terraform's, so neither counts;
 * an `arn:` pattern too short to have an account field matches across the
 * colons it lacks, so its wildcard counts as every field.
 */
export function wildcardArnFields(resource: string): string[] {
  if (!resource.startsWith('arn:')) return [];
  const arn = parseArn(resource);
  if (arn === undefined) return hasWildcard(resource) ? ['partition', 'region', 'account'] : [];
  return (['partition', 'service', 'region', 'account'] as const).filter((field) => hasWildcard(arn[field]));
}

/** A rule against Allow statements that grant every action of `service` ("*" or "<service>:*"). */
function serviceWildcardRule(id: string, service: string, label: string, fix: string): Rule {
  return statementRule({
    id,
    name: `IAM policies do not grant every ${label} action`,
    uses: ['identity'],
    fix,
    offending: (statement) => {
      const broad = statement.actions.filter((action) => coversService(action, service));
      return broad.length > 0
        ? `allows ${broad.map((action) => `"${action}"`).join(', ')}, every ${label} action`
        : undefined;
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
    uses: ['trust'],
    fix: "name the service or account that may assume the role in the trust policy's principals",
    offending: (statement) =>
      statement.principals.some((principal) => principal.identifiers.includes('*'))
        ? 'lets any principal ("*") assume the role'
        : undefined,
  }),
  statementRule({
    id: 'CKV_AWS_62',
    name: 'IAM policies do not grant full administrator access ("*" on "*")',
    uses: ['identity'],
    fix: 'grant the named actions the role needs on the resources it needs them for',
    offending: (statement) =>
      statement.actions.includes('*') && statement.resources.includes('*')
        ? 'allows every action ("*") on every resource ("*")'
        : undefined,
  }),
  statementRule({
    id: 'CKV_AWS_63',
    name: 'IAM policies do not allow every action ("*")',
    uses: ['identity'],
    fix: 'list the actions the role needs, from a named action list',
    offending: (statement) => (statement.actions.includes('*') ? 'allows every action ("*")' : undefined),
  }),
  serviceWildcardRule('CKV2_AWS_40', 'iam', 'IAM', 'list the IAM actions the role needs instead of "iam:*"'),
  serviceWildcardRule(
    'CIP_IAM_2',
    's3',
    'S3',
    'grant named S3 actions, such as OBJECT_READ_WRITE_ACTIONS, on the bucket ARNs',
  ),
  statementRule({
    id: 'CIP_IAM_3',
    name: 'iam:PassRole is granted on named roles only',
    uses: ['identity'],
    fix: 'list the ARNs of the roles that may be passed',
    offending: (statement) =>
      statement.resources.includes('*') && statement.actions.some((action) => actionMatches(action, 'iam:PassRole'))
        ? 'allows iam:PassRole on "*", so the holder can hand any role to a service'
        : undefined,
  }),
  statementRule({
    id: 'CIP_IAM_4',
    name: 'IAM policies use Resource "*" only for actions that cannot be scoped',
    uses: ['identity'],
    fix: `scope the actions to resource ARNs; only ${UNSCOPED_ACTIONS.join(', ')} may use "*"`,
    offending: (statement) => {
      if (!statement.resources.includes('*')) return undefined;
      const scopable = statement.actions.filter(
        (action) => !UNSCOPED_ACTIONS.some((allowed) => allowed.toLowerCase() === action.toLowerCase()),
      );
      return scopable.length > 0 ? `allows ${scopable.join(', ')} on "*"` : undefined;
    },
  }),
  statementRule({
    id: 'CIP_IAM_5',
    name: 'IAM policies allow named actions on named resources, never everything but a list (NotAction, NotResource)',
    uses: ['identity', 'trust', 'resource'],
    fix: 'list the actions in `actions` (Action) and the resources in `resources` (Resource); keep NotAction and NotResource for Deny statements',
    offending: (statement) => {
      const problems = [
        ...(statement.notActions.length > 0 ? [`every action except ${quoted(statement.notActions)} (NotAction)`] : []),
        ...(statement.notResources.length > 0
          ? [`every resource except ${quoted(statement.notResources)} (NotResource)`]
          : []),
      ];
      return problems.length > 0 ? `allows ${problems.join(' on ')}` : undefined;
    },
  }),
  statementRule({
    id: 'CIP_IAM_6',
    name: 'Trust and resource policies allow named principals, never everyone but a list (NotPrincipal)',
    uses: ['trust', 'resource'],
    fix: 'name the principals in `principals` (Principal); NotPrincipal belongs only in Deny statements',
    offending: (statement) =>
      statement.notPrincipals.length > 0
        ? `allows every principal except ${statement.notPrincipals.map((principal) => `${principal.type} ${quoted(principal.identifiers)}`).join(', ')} (NotPrincipal)`
        : undefined,
  }),
  statementRule({
    id: 'CIP_IAM_7',
    name: 'IAM policies name resources in a known partition, region and account, not in any ("*" in an ARN\'s account or region)',
    uses: ['identity'],
    fix: "build the ARN from the stack's partition, region and account (AwsContext.arn), or name the other account explicitly",
    offending: (statement) => {
      const wild = [...statement.resources, ...statement.notResources]
        .map((resource) => ({ resource, fields: wildcardArnFields(resource) }))
        .filter(({ fields }) => fields.length > 0);
      return wild.length > 0
        ? `names ${wild.map(({ resource, fields }) => `${JSON.stringify(resource)} (any ${fields.join(', ')})`).join(', ')}, which matches resources of other accounts or regions`
        : undefined;
    },
  }),
];
