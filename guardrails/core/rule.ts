import { Element, SynthesizedStack } from './terraform-json';

/**
 * A guardrail: a small, pure check of one kind of element of a synthesized stack.
 *
 * Rules that mirror an IaC scanner's check carry its ID (`CKV_AWS_78`), so a
 * reviewer recognises them and one suppression reason serves both; rules no
 * scanner has are prefixed `CIP_` (CI pipeline).
 */
export interface Rule {
  /** The ID that reports and suppressions use. */
  readonly id: string;
  /** What must hold, as one sentence: "CodeBuild artifacts are encrypted". */
  readonly name: string;
  /**
   * The element types checked: resource types, `data.<type>`, `terraform` for the settings block,
   * `provider`, `output`, `locals`, `variable`, or `*` for every element.
   */
  readonly targets: readonly string[];
  /**
   * Why the rule matters: the risk it prevents, in one to three sentences, citing the owning service's
   * documentation or the scanner's check.
   */
  readonly explanation: string;
  /** How to comply. */
  readonly fix: string;
  /**
   * What is wrong with `element`; empty when it complies. `app` holds every stack checked with this one (this one
   * included), for rules about what stacks promise each other, such as a pipeline's pull-request builds and the
   * branch protection that requires them; a caller that has only the one stack may leave it out.
   */
  check(element: Element, stack: SynthesizedStack, app?: readonly SynthesizedStack[]): readonly string[];
}

/**
 * The target of a rule that checks every element of a stack (resources, data sources, settings, providers, outputs,
 * locals, variables).
 */
export const ANY_ELEMENT = '*';

/** A rule whose check is one condition: it fails with `problem` when `passes` is false. */
export function simpleRule(
  rule: Omit<Rule, 'check'> & {
    passes(element: Element, stack: SynthesizedStack): boolean;
    problem: string | ((element: Element) => string);
  },
): Rule {
  const { passes, problem, ...rest } = rule;
  return {
    ...rest,
    check: (element, stack) =>
      passes(element, stack) ? [] : [typeof problem === 'string' ? problem : problem(element)],
  };
}
