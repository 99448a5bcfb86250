import { AttachedPolicy, NormalizedStatement, POLICY_HOLDER_TYPES, policiesAt, PolicyUse } from './policy-document';
import { Rule } from './rule';
import { Element, SynthesizedStack } from './terraform-json';

/** Where a statement is, for messages: its Sid and the document it is written in. */
export function locate(policy: AttachedPolicy, statement: NormalizedStatement, index: number): string {
  const name =
    statement.sid === undefined || statement.sid === '' ? `statement ${index + 1}` : `statement "${statement.sid}"`;
  return policy.document !== undefined && policy.document !== policy.consumer
    ? `${name} of ${policy.document.path}`
    : `${name} of ${policy.attribute}`;
}

/** What a statement check sees besides the statement: the stack and the policy it is in. */
export interface StatementContext {
  readonly stack: SynthesizedStack;
  readonly policy: AttachedPolicy;
}

/**
 * A rule over the `Allow` statements of the policies of some uses: `offending`
 * says what is wrong with one statement, or nothing. `targets` narrows the
 * policy holders (e.g. to key policies); by default every holder is checked.
 */
export function statementRule(
  rule: Omit<Rule, 'check' | 'targets'> & {
    uses: readonly PolicyUse[];
    targets?: readonly string[];
    offending(statement: NormalizedStatement, context: StatementContext): string | undefined;
  },
): Rule {
  const { uses, offending, targets, ...rest } = rule;
  return {
    ...rest,
    targets: targets ?? POLICY_HOLDER_TYPES,
    check: (element: Element, stack: SynthesizedStack) =>
      policiesAt(element, stack)
        .filter((policy) => uses.includes(policy.use))
        .flatMap((policy) =>
          (policy.statements ?? []).flatMap((statement, index) => {
            const problem = statement.effect === 'Allow' ? offending(statement, { stack, policy }) : undefined;
            return problem === undefined ? [] : [`${locate(policy, statement, index)} ${problem}`];
          }),
        ),
  };
}
