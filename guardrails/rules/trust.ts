/**
 * Who may assume the stack's roles. Our roles are service roles: the service
 * principal, pinned to this account where the service supports it, and nothing
 * from outside the account.
 */
import { CONFUSED_DEPUTY_SERVICES } from '../../shared/iam-actions';
import { describePrincipal, hasWildcard, isOwnAccountId, isOwnAccountPrincipal, parseArn } from '../core/arn';
import { Condition, NormalizedStatement } from '../core/policy-document';
import { Rule } from '../core/rule';
import { statementRule } from '../core/statement-rule';
import { SynthesizedStack } from '../core/terraform-json';

/**
 * The principals of a statement that are outside this stack's account; `*` is
 * CKV_AWS_60's and not repeated here, nor, with `skipAnyAccount`, ARNs of any
 * account (a resource policy's public-principal rules report those).
 */
export function outsidePrincipals(
  statement: NormalizedStatement,
  stack: SynthesizedStack,
  options: { readonly skipAnyAccount?: boolean } = {},
): string[] {
  const anyAccount = (identifier: string) =>
    options.skipAnyAccount === true && hasWildcard(parseArn(identifier)?.account ?? '');
  return statement.principals.flatMap((principal) => {
    // A service principal is AWS's, unless a wildcard makes it any service.
    if (principal.type === 'Service')
      return principal.identifiers
        .filter((identifier) => identifier !== '*' && hasWildcard(identifier))
        .map((identifier) => `any service (Service ${JSON.stringify(identifier)})`);
    return principal.identifiers
      .filter(
        (identifier) =>
          identifier !== '*' &&
          !anyAccount(identifier) &&
          !(principal.type === 'AWS' && isOwnAccountPrincipal(identifier, stack)),
      )
      .map((identifier) => describePrincipal(principal.type, identifier));
  });
}

const ACCOUNT_ID = /^\d{12}$/;

/**
 * Whether an account value pins one account: this stack's (a reference to data.aws_caller_identity) or a literal
 * 12-digit ID.
 */
const pinsAccount = (value: string, stack: SynthesizedStack) => isOwnAccountId(value, stack) || ACCOUNT_ID.test(value);

/**
 * Whether a condition pins the calling service's resource to one account: aws:SourceAccount, or aws:SourceArn with an
 * account, matched positively and always present.
 */
export function isConfusedDeputyCondition(condition: Condition, stack: SynthesizedStack): boolean {
  const test = condition.test.toLowerCase();
  const positive =
    !test.includes('not') &&
    !test.endsWith('ifexists') &&
    !test.startsWith('forallvalues') &&
    (test.includes('equals') || test.includes('like'));
  // One account: a list of several lets each of them have the service use the role.
  if (!positive || new Set(condition.values).size !== 1) return false;
  const variable = condition.variable.toLowerCase();
  if (variable === 'aws:sourceaccount') return condition.values.every((value) => pinsAccount(value, stack));
  if (variable === 'aws:sourcearn') {
    return condition.values.every((value) => {
      const arn = parseArn(value);
      return arn !== undefined && !hasWildcard(arn.account) && pinsAccount(arn.account, stack);
    });
  }
  return false;
}

export const TRUST_RULES: readonly Rule[] = [
  statementRule({
    id: 'CIP_IAM_9',
    name: 'IAM roles trust AWS services and principals of their own account only',
    explanation:
      'A trust policy that names a principal of another account, or a wildcard service, lets ' +
      'identities this stack does not control assume the role and act in this account with its ' +
      'permissions ("Cross-account policy evaluation logic", IAM User Guide). The stack\'s roles are ' +
      'service roles: they trust their service principal and at most principals of their own ' +
      'account.',
    uses: ['trust'],
    fix:
      'trust the service principal that uses the role; for a principal of this account, write its ARN with the ' +
      'account from data.aws_caller_identity (AwsContext.accountId)',
    offending: (statement, { stack }) => {
      const outside = outsidePrincipals(statement, stack);
      return outside.length > 0
        ? `lets ${outside.join(', ')} assume the role: not this stack's account (data.aws_caller_identity)`
        : undefined;
    },
  }),
  statementRule({
    id: 'CIP_IAM_10',
    name:
      'Service roles pin the service to this account (aws:SourceAccount or aws:SourceArn) where the service ' +
      'supports it',
    explanation:
      'Without aws:SourceAccount or aws:SourceArn, nothing in the trust policy limits on whose ' +
      'behalf the service assumes the role, which is the cross-service confused deputy problem ' +
      '("Cross-service confused deputy prevention", AWS CodeBuild User Guide). Pinning the ' +
      'condition to this account makes the trust hold only for projects of this account, beside the ' +
      'same-account limit that iam:PassRole already sets.',
    uses: ['trust'],
    fix:
      `add a StringEquals condition on aws:SourceAccount (the stack's account) or an ArnLike condition on ` +
      `aws:SourceArn to the trust statement (ServiceRole does it for ${CONFUSED_DEPUTY_SERVICES.join(', ')})`,
    offending: (statement, { stack }) => {
      const services = statement.principals
        .filter((principal) => principal.type === 'Service')
        .flatMap((principal) =>
          principal.identifiers.filter((identifier) => CONFUSED_DEPUTY_SERVICES.includes(identifier.toLowerCase())),
        );
      if (
        services.length === 0 ||
        statement.conditions.some((condition) => isConfusedDeputyCondition(condition, stack))
      )
        return undefined;
      return (
        `lets ${services.join(', ')} assume the role for any account's resources: no aws:SourceAccount or ` +
        `aws:SourceArn condition pins it to one account (confused deputy)`
      );
    },
  }),
];
