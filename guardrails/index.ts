/**
 * The guardrails' public face (`cdktf-github-codepipeline-ci/guardrails`): the aspect that checks stacks at synth, the
 * functions that check stacks or synthesized JSON, their reports, the rule list, and the suppressions. The rules'
 * own helpers (policy parsing, ARN matching) are internal.
 *
 * @packageDocumentation
 */
export { checkApp, checkStack, formatFinding, GuardrailsError } from './check';
export type { CheckOptions, Finding, StackReport, StackToCheck, SuppressedFinding, UnusedSuppression } from './check';
export { formatReport, summaryLine } from './report';
export { ALL_RULES } from './rules';
export type { Rule } from './core/rule';
export type { Element, SynthesizedStack, TerraformJson } from './core/terraform-json';
export { checkStacks, SecurityChecks } from './security-checks';
export type { SecurityChecksProps } from './security-checks';
export { SuppressionError, Suppressions } from '../shared/suppressions';
export type { Suppression, SuppressionRecord } from '../shared/suppressions';
