import { Aspects, TerraformStack } from 'cdktf';
import { SecurityChecks } from '../guardrails/security-checks';

/** What every stack of this package offers about the guardrails. */
export interface GuardrailsProps {
  /**
   * Run the guardrails on the stack at synth: a finding fails synth with the construct path, the rule, what is wrong
   * and how to fix it. Leave it on unless something else checks the synthesized JSON: the app (`npm run synth`)
   * checks the files it writes, once for all stacks, and writes the report.
   * @default true
   */
  readonly securityChecks?: boolean;
}

/** Adds the guardrails to `stack` unless its props turn them off: secure by default. */
export function addSecurityChecks(stack: TerraformStack, props: GuardrailsProps): void {
  if (props.securityChecks ?? true) Aspects.of(stack).add(new SecurityChecks());
}
