import { IAspect, TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import { checkApp, formatFinding, StackReport } from './check';
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
      validate: () => {
        // The stacks it depends on and those that depend on it (a pipeline's and its repository's) are read with it,
        // for the rules about what they promise each other; each is reported on in its own validation.
        const [report] = checkApp([node, ...relatedStacks(node)].map(toCheck), { rules: this.props.rules });
        return report.findings.map(formatFinding);
      },
    });
  }
}

const toCheck = (stack: TerraformStack) => ({ json: stack.toTerraform(), name: stack.node.id });

/** The stacks `stack` depends on, and those of its app that depend on it. */
function relatedStacks(stack: TerraformStack): TerraformStack[] {
  // Stacks are the app's children: reading them, not the whole tree, keeps a fleet's validations linear.
  const dependents = stack.node.root.node.children
    .filter((construct): construct is TerraformStack => TerraformStack.isStack(construct))
    .filter((other) => other !== stack && other.dependencies.includes(stack));
  return [...new Set([...stack.dependencies, ...dependents])];
}

/** Checks stacks as they would be synthesized, together, without writing anything. */
export function checkStacks(stacks: readonly TerraformStack[], props: SecurityChecksProps = {}): StackReport[] {
  return checkApp(stacks.map(toCheck), { rules: props.rules });
}
