import { UNSCOPED_ACTIONS } from '../../shared/iam-actions';
import { POLICY_HOLDER_TYPES, policiesAt } from '../core/policy-document';
import { actionMatches } from '../iam/matching';
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
function serviceWildcardRule(id: string, service: string, label: string, explanation: string, fix: string): Rule {
  return statementRule({
    id,
    name: `IAM policies do not grant every ${label} action`,
    explanation,
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

/** IAM users and the long-lived credentials of users ("IAM resource types", AWS provider documentation). */
const IAM_USER_TYPES = [
  'aws_iam_user',
  'aws_iam_access_key',
  'aws_iam_user_login_profile',
  'aws_iam_service_specific_credential',
  'aws_iam_signing_certificate',
  'aws_iam_user_ssh_key',
];

export const IAM_RULES: readonly Rule[] = [
  {
    id: 'CIP_IAM_1',
    name: 'IAM policies are written so they can be checked',
    explanation:
      'A policy built from an expression computed at apply has no statements these rules can read, ' +
      'so every other IAM rule would pass it unseen. An `aws_iam_policy_document` data source or ' +
      'literal JSON keeps the statements readable at synth and in the plan (Terraform AWS provider ' +
      'documentation, "Data Source: aws_iam_policy_document").',
    targets: POLICY_HOLDER_TYPES,
    fix:
      'build the policy with an `aws_iam_policy_document` data source or write it as JSON text, not as a ' +
      'computed expression',
    check: (element, stack) =>
      policiesAt(element, stack)
        .filter((policy) => policy.statements === undefined)
        .map((policy) => `${policy.attribute} is an expression whose statements cannot be read before apply`),
  },
  statementRule({
    id: 'CKV_AWS_60',
    name: 'IAM roles trust specific principals, not everyone',
    explanation:
      'A trust policy whose principal is "*" lets any principal of any AWS account assume the role ' +
      'and act with its permissions ("AWS JSON policy elements: Principal", IAM User Guide: "Do not ' +
      'leave your role accessible to everyone!"). Checkov\'s CKV_AWS_60 checks the same: "Ensure IAM ' +
      'role allows only specific services or principals to assume it".',
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
    explanation:
      'Every action on every resource makes the holder an administrator: a leaked build credential ' +
      "could read every secret, rewrite any policy and delete anything in the account. Checkov's " +
      "CKV_AWS_62 checks the same: \"Ensure IAM policies that allow full '*-*' administrative " +
      'privileges are not created".',
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
    explanation:
      'Action "*" grants every action of every service on the statement\'s resources, destructive ' +
      "and permission-changing ones included, and each action AWS adds later. Checkov's CKV_AWS_63 " +
      "checks the same: \"Ensure no IAM policies documents allow '*' as a statement's actions\".",
    uses: ['identity'],
    fix: 'list the actions the role needs, from a named action list',
    offending: (statement) => (statement.actions.includes('*') ? 'allows every action ("*")' : undefined),
  }),
  serviceWildcardRule(
    'CKV2_AWS_40',
    'iam',
    'IAM',
    '"iam:*" lets the holder create users and access keys, attach AdministratorAccess to itself ' +
      "or rewrite any role's trust policy, which is control of the whole account. Checkov's " +
      'CKV2_AWS_40 checks the same: "Ensure AWS IAM policy does not allow full IAM privileges".',
    'list the IAM actions the role needs instead of "iam:*"',
  ),
  serviceWildcardRule(
    'CIP_IAM_2',
    's3',
    'S3',
    '"s3:*" includes s3:PutBucketPolicy, s3:PutBucketPublicAccessBlock and s3:DeleteBucket, so a ' +
      'role that only needs to read and write objects could also make the artifact or state bucket ' +
      'public or delete it. The IAM User Guide ("Security best practices in IAM") asks for ' +
      'least-privilege permissions: the named object actions on the buckets used.',
    'grant named S3 actions, such as OBJECT_READ_WRITE_ACTIONS, on the bucket ARNs',
  ),
  statementRule({
    id: 'CIP_IAM_3',
    name: 'iam:PassRole is granted on named roles only',
    explanation:
      'iam:PassRole decides which roles a principal may hand to a service ("Grant a user ' +
      'permissions to pass a role to an AWS service", IAM User Guide); on "*" it covers every role ' +
      'of the account, administrator roles included, so the holder can have a service it configures ' +
      '(a CodeBuild project, a Lambda function) run code with any of them.',
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
    explanation:
      'A statement on Resource "*" reaches every resource of its actions in the account, so a role ' +
      'that needs one bucket, log group or secret gets all of them. Only actions without ' +
      'resource-level permissions need "*" ("IAM JSON policy elements: Resource", IAM User Guide; ' +
      'the Service Authorization Reference lists them).',
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
    explanation:
      'An Allow with NotAction grants every action of every service except those listed, actions ' +
      'AWS adds later included, and NotResource grants on every resource but those listed. The IAM ' +
      'User Guide ("IAM JSON policy elements: NotAction") warns that this can grant more ' +
      'permissions than intended.',
    uses: ['identity', 'trust', 'resource'],
    fix:
      'list the actions in `actions` (Action) and the resources in `resources` (Resource); keep NotAction and ' +
      'NotResource for Deny statements',
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
    explanation:
      'An Allow with NotPrincipal grants the statement to every principal except those listed, ' +
      'anonymous users included, wherever a service accepts it at all. The IAM User Guide ("AWS ' +
      'JSON policy elements: NotPrincipal") says NotPrincipal must be used with "Effect": "Deny" ' +
      'and recommends aws:PrincipalArn conditions instead.',
    uses: ['trust', 'resource'],
    fix: 'name the principals in `principals` (Principal); NotPrincipal belongs only in Deny statements',
    offending: (statement) => {
      const excepted = statement.notPrincipals.map((principal) => `${principal.type} ${quoted(principal.identifiers)}`);
      return excepted.length > 0 ? `allows every principal except ${excepted.join(', ')} (NotPrincipal)` : undefined;
    },
  }),
  statementRule({
    id: 'CIP_IAM_7',
    name:
      'IAM policies name resources in a known partition, region and account, not in any ("*" in an ARN\'s ' +
      'account or region)',
    explanation:
      'A "*" in an ARN\'s partition, region or account ("IAM JSON policy elements: Resource", IAM ' +
      'User Guide) matches resources of that name in every account and region, so the role may also ' +
      "use another account's resource whose policy admits it, such as publishing build data to an " +
      "outsider's SNS topic or queue. Building the ARN from the stack's own account and region " +
      'keeps the grant to the resources the stack means.',
    uses: ['identity'],
    fix:
      "build the ARN from the stack's partition, region and account (AwsContext.arn), or name the other account " +
      'explicitly',
    offending: (statement) => {
      const wild = [...statement.resources, ...statement.notResources]
        .map((resource) => ({ resource, fields: wildcardArnFields(resource) }))
        .filter(({ fields }) => fields.length > 0);
      const named = wild.map(({ resource, fields }) => `${JSON.stringify(resource)} (any ${fields.join(', ')})`);
      return wild.length > 0
        ? `names ${named.join(', ')}, which matches resources of other accounts or regions`
        : undefined;
    },
  }),
  {
    id: 'CIP_IAM_14',
    name: 'No IAM users or long-lived credentials: the pipeline acts through roles',
    explanation:
      "An IAM user's access keys and passwords do not expire, so once copied they work until someone notices, and a " +
      'key created by Terraform is written into the state. AWS asks workloads to use roles with temporary ' +
      'credentials instead ("Require workloads to use temporary credentials with IAM roles to access AWS", IAM User ' +
      'Guide, Security best practices); every service here acts through its role.',
    targets: IAM_USER_TYPES,
    fix: 'remove the user or credential; give the service a role (ServiceRole), and people access through SSO roles',
    check: (element) => [
      element.type === 'aws_iam_user'
        ? 'creates an IAM user, whose credentials never expire'
        : `creates ${element.type.replace(/^aws_iam_/, '').replace(/_/g, ' ')} for an IAM user: a long-lived ` +
          'credential, kept in the state',
    ],
  },
];
