/** How grants are added to a policy and merged (see `core/grants.ts`). */
import { Grant, IGrantable, PolicyCondition, PolicyStatement } from '../core/grants';

/** Adds `statements` to `grantee`'s policy, in order, and returns what was added. */
export function grant(grantee: IGrantable, ...statements: readonly PolicyStatement[]): Grant {
  return combineGrants(...statements.map((statement) => ({ statements: optional(grantee.addToPolicy(statement)) })));
}

/** One grant made of several. */
export function combineGrants(...grants: readonly Grant[]): Grant {
  return { statements: grants.flatMap((each) => each.statements) };
}

const optional = <T>(value: T | undefined): T[] => (value === undefined ? [] : [value]);

/** A statement with its conditions, when it has any (a statement without them has no `conditions` key). */
const withConditions = (
  statement: PolicyStatement,
  conditions: readonly PolicyCondition[] | undefined,
): PolicyStatement => (conditions === undefined || conditions.length === 0 ? statement : { ...statement, conditions });

function sameActions(a: readonly string[], b: readonly string[]): boolean {
  const [left, right] = [[...a].sort(), [...b].sort()];
  return left.length === right.length && left.every((action, index) => action === right[index]);
}

/** Whether two statements have the same conditions: only then may one's resources join the other's. */
const sameConditions = (a: readonly PolicyCondition[] = [], b: readonly PolicyCondition[] = []) =>
  JSON.stringify(a) === JSON.stringify(b);

/**
 * The statements of one policy, merged as they are added: a statement with the
 * Sid, actions and conditions of one already there adds its resources to it;
 * any other with a taken Sid is kept under the next free Sid (`Sid2`, `Sid3`, ...),
 * since IAM requires Sids to be unique within a policy.
 */
export class PolicyStatements {
  private readonly entries: {
    readonly requestedSid: string;
    readonly sid: string;
    readonly actions: readonly string[];
    readonly resources: string[];
    readonly conditions?: readonly PolicyCondition[];
  }[] = [];

  /** Adds `statement`; returns what was new, or `undefined`. */
  public add(statement: PolicyStatement): PolicyStatement | undefined {
    const existing = this.entries.find(
      (entry) =>
        entry.requestedSid === statement.sid &&
        sameActions(entry.actions, statement.actions) &&
        sameConditions(entry.conditions, statement.conditions),
    );
    if (existing !== undefined) {
      const added = [...new Set(statement.resources)].filter((resource) => !existing.resources.includes(resource));
      existing.resources.push(...added);
      return added.length === 0
        ? undefined
        : withConditions({ sid: existing.sid, actions: existing.actions, resources: added }, existing.conditions);
    }
    const entry = {
      requestedSid: statement.sid,
      sid: this.freeSid(statement.sid),
      actions: [...statement.actions],
      resources: [...new Set(statement.resources)],
      conditions: statement.conditions,
    };
    this.entries.push(entry);
    return withConditions(
      { sid: entry.sid, actions: entry.actions, resources: [...entry.resources] },
      entry.conditions,
    );
  }

  /** The statements, in the order their Sids were first granted. */
  public get list(): readonly PolicyStatement[] {
    return this.entries.map(({ sid, actions, resources, conditions }) =>
      withConditions({ sid, actions, resources: [...resources] }, conditions),
    );
  }

  private freeSid(requested: string): string {
    const taken = new Set(this.entries.map((entry) => entry.sid));
    let sid = requested;
    for (let suffix = 2; taken.has(sid); suffix += 1) sid = `${requested}${suffix}`;
    return sid;
  }
}
