/**
 * The IAM vocabulary the constructs share. Statements are plain data with
 * named action lists (`iam/actions.ts`) and ARNs taken from the constructs they
 * grant on, so a reviewer reads the permission surface in one place and
 * `terraform plan` shows a readable `aws_iam_policy_document`.
 *
 * Grants compose: granting the same actions again, on another resource, adds
 * the resource to the statement already there; a different grant under a Sid
 * already taken gets a Sid of its own. Each grant returns what it added.
 */

/** One `Allow` statement of an identity policy. */
export interface PolicyStatement {
  /** A short statement ID that says what the statement is for (shown in plans): ASCII letters and digits. */
  readonly sid: string;
  /** The actions allowed: use a named action list such as `OBJECT_READ_WRITE_ACTIONS`. */
  readonly actions: readonly string[];
  /** The ARNs the actions apply to; `*` only for actions that support no resource scoping. */
  readonly resources: readonly string[];
  /**
   * Conditions that narrow the statement, all of which must hold.
   * @default - none
   */
  readonly conditions?: readonly PolicyCondition[];
}

/** One condition of a statement, as `aws_iam_policy_document` writes it: `test` is the operator, `variable` the key. */
export interface PolicyCondition {
  /** The condition operator, e.g. `StringLike`. */
  readonly test: string;
  /** The condition key, e.g. `s3:prefix`. */
  readonly variable: string;
  /** The values, any of which may match. */
  readonly values: readonly string[];
}

/** Anything an IAM statement can be added to: a service role. */
export interface IGrantable {
  /**
   * Adds a statement to the grantee's identity policy.
   * @returns what was added: the statement under the Sid it has in the policy, with only the resources that are new;
   * `undefined` when all of it was granted already
   */
  addToPolicy(statement: PolicyStatement): PolicyStatement | undefined;
}

/** What a `grant*` method added to a grantee's policy. */
export interface Grant {
  /** The statements added, each with the Sid it has in the policy and only its new resources; empty when everything was granted already. */
  readonly statements: readonly PolicyStatement[];
}

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
