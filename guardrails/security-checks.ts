import { IAspect, TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import { checkStack, formatFinding, StackReport } from './check';
import { Rule } from './core/rule';

export interface SecurityChecksProps {
  /**
   * The rules to check.
   * @default ALL_RULES
   */
  readonly rules?: readonly Rule[];
}

/** Stacks an aspect has added its validation to: applying the aspect twice checks a stack once. */
const checkedStacks = new WeakSet<TerraformStack>();

/**
 * Runs the guardrails on the stack it is applied to, at synth: a finding fails synth with the construct path, the
 * rule ID, what is wrong and how to fix it. Add it to each stack (cdktf 0.21 invokes aspects from each stack down,
 * so one added to the App is never called):
 *
 * ```ts
 * Aspects.of(stack).add(new SecurityChecks());
 * ```
 * This package's stacks add it themselves (their `securityChecks` prop). Applying it more than once to a stack checks
 * the stack once.
 */
export class SecurityChecks implements IAspect {
  constructor(private readonly props: SecurityChecksProps = {}) {}

  public visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node) || checkedStacks.has(node)) return;
    checkedStacks.add(node);
    node.node.addValidation({
      validate: () =>
        checkStack(node.toTerraform(), { rules: this.props.rules, stackName: node.node.id }).findings.map(
          formatFinding,
        ),
    });
  }
}

/** Checks each stack as it would be synthesized, without writing anything. */
export function checkStacks(stacks: readonly TerraformStack[], props: SecurityChecksProps = {}): StackReport[] {
  return stacks.map((stack) => checkStack(stack.toTerraform(), { rules: props.rules, stackName: stack.node.id }));
}
