import { ANY_ELEMENT, Rule } from './core/rule';
import { ALL_RULES } from './rules';
import { Element, SynthesizedStack, TerraformJson } from './core/terraform-json';
import { MIN_SUPPRESSION_REASON_LENGTH, SuppressionRecord } from '../shared/suppressions';

/** A rule that an element breaks. */
export interface Finding {
  readonly ruleId: string;
  readonly ruleName: string;
  /** The element's Terraform address. */
  readonly address: string;
  /** Its construct path. */
  readonly path: string;
  /** What is wrong. */
  readonly problem: string;
  /** How to comply. */
  readonly fix: string;
}

/** A finding that a suppression accepts. */
export interface SuppressedFinding extends Finding {
  readonly reason: string;
}

/** A suppression that matched no finding: stale, or on the wrong element. */
export interface UnusedSuppression {
  readonly address: string;
  readonly path: string;
  readonly ruleId: string;
  readonly reason: string;
}

/** The outcome of checking one stack. */
export interface StackReport {
  readonly stack: string;
  /** How many (rule, element) pairs were checked. */
  readonly checks: number;
  /** Rule IDs that applied to at least one element. */
  readonly rulesApplied: readonly string[];
  readonly findings: readonly Finding[];
  readonly suppressed: readonly SuppressedFinding[];
  readonly unusedSuppressions: readonly UnusedSuppression[];
}

export interface CheckOptions {
  /**
   * The rules to check.
   * @default ALL_RULES
   */
  readonly rules?: readonly Rule[];
  /**
   * The stack's name in the report.
   * @default - the name in the stack's metadata
   */
  readonly stackName?: string;
}

/** One stack to check with others: its JSON, and its name in the report. */
export interface StackToCheck {
  /** The stack as synthesized (`cdk.tf.json`, or `TerraformStack.toTerraform()`). */
  readonly json: TerraformJson;
  /**
   * The stack's name in the report.
   * @default - the name in the stack's metadata
   */
  readonly name?: string;
}

/** Checks every rule against every element of one synthesized stack, on its own. */
export function checkStack(json: TerraformJson, options: CheckOptions = {}): StackReport {
  return checkApp([{ json, name: options.stackName }], options)[0];
}

/**
 * Checks the stacks of one app (a synth output) together: each stack's report, with the rules that read what stacks
 * promise each other (a pull-request build in one, the branch protection that requires it in another) given them all.
 */
export function checkApp(
  stacks: readonly StackToCheck[],
  options: Omit<CheckOptions, 'stackName'> = {},
): StackReport[] {
  const app = stacks.map(({ json, name }) => new SynthesizedStack(json, name));
  return app.map((stack) => checkSynthesized(stack, app, options.rules ?? ALL_RULES));
}

function checkSynthesized(
  stack: SynthesizedStack,
  app: readonly SynthesizedStack[],
  rules: readonly Rule[],
): StackReport {
  const known = new Set([...ALL_RULES, ...rules].map((rule) => rule.id));
  const report: Gathered = {
    checks: 0,
    rulesApplied: new Set<string>(),
    findings: [],
    suppressed: [],
    unusedSuppressions: [],
  };
  // The rules of each element type, in the given order, found once per type rather than once per element.
  const rulesByType = new Map<string, readonly Rule[]>();
  const rulesOf = (type: string) => {
    let applicable = rulesByType.get(type);
    if (applicable === undefined) {
      applicable = rules.filter(
        (candidate) => candidate.targets.includes(type) || candidate.targets.includes(ANY_ELEMENT),
      );
      rulesByType.set(type, applicable);
    }
    return applicable;
  };
  for (const element of stack.elements) checkElement(element, stack, app, rulesOf(element.type), known, report);
  suppressionsOfNothing(stack, report);
  return { ...report, stack: stack.name, rulesApplied: [...report.rulesApplied] };
}

/** What checking a stack gathers, element by element. */
interface Gathered {
  checks: number;
  readonly rulesApplied: Set<string>;
  readonly findings: Finding[];
  readonly suppressed: SuppressedFinding[];
  readonly unusedSuppressions: UnusedSuppression[];
}

/** Checks `rules` against one element, with its suppressions, into `gathered`. */
function checkElement(
  element: Element,
  stack: SynthesizedStack,
  app: readonly SynthesizedStack[],
  rules: readonly Rule[],
  known: ReadonlySet<string>,
  gathered: Gathered,
): void {
  const suppressions = acceptedSuppressions(element, stack, known, gathered);
  const used = new Set<SuppressionRecord>();
  for (const rule of rules) {
    gathered.checks += 1;
    gathered.rulesApplied.add(rule.id);
    for (const problem of rule.check(element, stack, app)) {
      const suppression = suppressions.find(
        (candidate) =>
          candidate.rule === rule.id && (candidate.finding === undefined || problem.includes(candidate.finding)),
      );
      const finding = {
        ruleId: rule.id,
        ruleName: rule.name,
        address: element.address,
        path: element.path,
        problem,
        fix: rule.fix,
      };
      if (suppression === undefined) gathered.findings.push(finding);
      else {
        used.add(suppression);
        gathered.suppressed.push({ ...finding, reason: suppression.reason });
      }
    }
  }
  for (const suppression of suppressions) {
    if (!used.has(suppression)) {
      gathered.unusedSuppressions.push({
        address: element.address,
        path: element.path,
        ruleId: suppression.rule,
        reason: suppression.reason,
      });
    }
  }
}

/** The name of the check every suppression the scanner reads is held to, however it got into the JSON. */
const SUPPRESSION_CHECK = 'Suppressions name an existing rule and element, and say why';

/**
 * The suppressions of `element` that hold, each checked where it is read: a record `{ rule, reason }`, naming a rule
 * that exists, with a reason of at least {@link MIN_SUPPRESSION_REASON_LENGTH} characters. Each that does not is a
 * finding, and suppresses nothing.
 */
function acceptedSuppressions(
  element: Element,
  stack: SynthesizedStack,
  known: ReadonlySet<string>,
  gathered: Gathered,
): SuppressionRecord[] {
  const accepted: SuppressionRecord[] = [];
  for (const record of stack.suppressionsOf(element)) {
    const { rule, reason, finding } = (typeof record === 'object' && record !== null ? record : {}) as Record<
      string,
      unknown
    >;
    const problem =
      typeof rule !== 'string' || (finding !== undefined && (typeof finding !== 'string' || finding.trim() === ''))
        ? `a suppression record ${JSON.stringify(record)} is not { "rule": <rule ID>, "reason": <why>, ` +
          '"finding"?: <text of the findings it suppresses> }'
        : !known.has(rule)
          ? `a suppression names rule ${JSON.stringify(rule)}, which does not exist`
          : typeof reason !== 'string' || reason.trim().length < MIN_SUPPRESSION_REASON_LENGTH
            ? `the suppression of ${rule} gives the reason ${JSON.stringify(reason ?? null)}, which does not say ` +
              `why in at least ${MIN_SUPPRESSION_REASON_LENGTH} characters, so it suppresses nothing`
            : undefined;
    if (problem === undefined)
      accepted.push({
        rule: rule as string,
        reason: (reason as string).trim(),
        ...(finding === undefined ? {} : { finding: finding as string }),
      });
    else
      gathered.findings.push({
        ruleId: typeof rule === 'string' ? rule : 'suppression',
        ruleName: SUPPRESSION_CHECK,
        address: element.address,
        path: element.path,
        problem,
        fix: 'name an existing rule and say why it does not apply here, or remove the suppression',
      });
  }
  return accepted;
}

/** A finding for each address the stack records suppressions for that is not in the stack: they suppress nothing. */
function suppressionsOfNothing(stack: SynthesizedStack, gathered: Gathered): void {
  for (const address of stack.suppressionsOfNothing())
    gathered.findings.push({
      ruleId: 'suppression',
      ruleName: SUPPRESSION_CHECK,
      address,
      path: `${stack.name}/${address}`,
      problem: `the stack records suppressions for ${address}, which is not in the stack, so they suppress nothing`,
      fix: 'point the suppression at an element of the stack, or remove it',
    });
}

/** One finding as a line: where, which rule, what is wrong, and how to fix it. */
export function formatFinding(finding: Finding): string {
  return `[${finding.path}] ${finding.ruleId} ${finding.ruleName}: ${finding.problem}. Fix: ${finding.fix}.`;
}

/** Thrown when checked stacks have findings: its message lists every one. */
export class GuardrailsError extends Error {
  constructor(public readonly findings: readonly Finding[]) {
    super(
      `Guardrails: ${findings.length} finding${findings.length === 1 ? '' : 's'}; nothing was synthesized.\n` +
        findings.map((finding) => `  - ${formatFinding(finding)}`).join('\n'),
    );
    this.name = 'GuardrailsError';
  }
}
