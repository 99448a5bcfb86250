import { Lazy, TerraformDataSource, TerraformResource, TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';

/**
 * Suppressions of the guardrails' rules, as code writes them and the checks read them: the format of the record in
 * the synthesized JSON, and the one way to write it. A leaf module: the constructs and the guardrails import it.
 */

/**
 * The address of the Terraform settings block (`terraform { backend ... }`), for stack-level rules and suppressions.
 */
export const TERRAFORM_BLOCK_ADDRESS = 'terraform';

/** The fewest characters a suppression's reason has: enough to say why, checked where it is written and read. */
export const MIN_SUPPRESSION_REASON_LENGTH = 20;

/** A suppression as written to the synthesized JSON (a resource's `//.suppressions`, or the stack's, by address). */
export interface SuppressionRecord {
  /** The ID of the suppressed rule. */
  readonly rule: string;
  /** Why the finding is acceptable here. */
  readonly reason: string;
  /** Only the rule's findings whose problem contains this text are suppressed; without it, all of them. */
  readonly finding?: string;
}

/** Why one rule does not apply to one resource, or to one of its findings there. */
export interface Suppression {
  /** The rule's ID, e.g. `CKV_AWS_316`. */
  readonly ruleId: string;
  /** Why the finding is acceptable here: a reviewer reads it in the JSON and in the report (at least 20 characters). */
  readonly reason: string;
  /**
   * Suppress only the findings whose problem contains this text, so that the rule still reports anything else it
   * finds here (a suppression of one AWS-managed policy does not hide a widened statement of the same role).
   * @default - every finding of the rule on the element
   */
  readonly finding?: string;
}

/** A suppression written wrong: it names the element's construct path, the rule and what is wrong. */
export class SuppressionError extends Error {
  constructor(target: IConstruct, message: string) {
    super(`Suppressions.add on ${target.node.path}: ${message}`);
    this.name = 'SuppressionError';
  }
}

/** The element's suppressions, and for a stack those of its data sources and `terraform` block. */
const recorded = new WeakMap<IConstruct, SuppressionRecord[]>();
const stackLevel = new WeakMap<TerraformStack, Map<TerraformDataSource | TerraformStack, SuppressionRecord[]>>();

/** The Terraform address of a data source, or of a stack's `terraform` block. */
const addressOf = (element: TerraformDataSource | TerraformStack) =>
  element instanceof TerraformStack
    ? TERRAFORM_BLOCK_ADDRESS
    : `data.${element.terraformResourceType}.${element.friendlyUniqueId}`;

/**
 * Explicit, per-resource exceptions to the guardrails, each with its reason.
 *
 * A resource's suppressions are written into its own `//` metadata in the
 * synthesized JSON; those of a data source or of the stack's `terraform` block
 * (which have no room of their own) into the stack's `//` metadata, keyed by
 * address. The checks read them from there, so the JSON is the record.
 */
export class Suppressions {
  /** Suppresses one rule on `target`: a resource, a data source, or a stack (its `terraform` block). */
  public static add(target: TerraformResource | TerraformDataSource | TerraformStack, suppression: Suppression): void {
    const { ruleId, reason, finding } = suppression;
    if (!/^[A-Za-z0-9_-]{2,64}$/.test(ruleId)) {
      throw new SuppressionError(
        target,
        `"ruleId" = ${JSON.stringify(ruleId)} is not a rule ID; use one like "CKV_AWS_316"`,
      );
    }
    if (typeof reason !== 'string' || reason.trim().length < MIN_SUPPRESSION_REASON_LENGTH) {
      throw new SuppressionError(
        target,
        `"reason" for ${ruleId} = ${JSON.stringify(reason)} must say why, in at least ` +
          `${MIN_SUPPRESSION_REASON_LENGTH} characters`,
      );
    }
    if (finding !== undefined && (typeof finding !== 'string' || finding.trim() === '')) {
      throw new SuppressionError(target, `"finding" for ${ruleId} must be text a finding's problem contains`);
    }
    const records = recorded.get(target) ?? [];
    if (records.some((record) => record.rule === ruleId && (record.finding === undefined || finding === undefined))) {
      throw new SuppressionError(
        target,
        `${ruleId} is already suppressed here; suppress a rule once, with one reason (or each of its findings once)`,
      );
    }
    if (records.some((record) => record.rule === ruleId && record.finding === finding)) {
      throw new SuppressionError(target, `${ruleId} is already suppressed here for ${JSON.stringify(finding)}`);
    }
    records.push({ rule: ruleId, reason: reason.trim(), ...(finding === undefined ? {} : { finding }) });
    // The override below holds this very array, so later suppressions of the same target need no new override.
    if (recorded.has(target)) return;
    recorded.set(target, records);

    if (target instanceof TerraformResource) {
      target.addOverride('//.suppressions', records);
      return;
    }
    const stack = TerraformStack.of(target);
    let byAddress = stackLevel.get(stack);
    if (byAddress === undefined) {
      const map = new Map<TerraformDataSource | TerraformStack, SuppressionRecord[]>();
      stackLevel.set(stack, map);
      byAddress = map;
      // Addresses are read at synth time: a logical ID may still be overridden after this call.
      stack.addOverride(
        '//.suppressions',
        Lazy.anyValue({
          produce: () => Object.fromEntries([...map].map(([element, list]) => [addressOf(element), list])),
        }),
      );
    }
    byAddress.set(target, records);
  }

  /** The suppressions added to `target` in code. */
  public static of(target: IConstruct): readonly Suppression[] {
    return (recorded.get(target) ?? []).map((record) => ({
      ruleId: record.rule,
      reason: record.reason,
      ...(record.finding === undefined ? {} : { finding: record.finding }),
    }));
  }
}
