/**
 * The IAM vocabulary the constructs share. Statements are plain data with named action lists
 * (`shared/iam-actions.ts`) and ARNs taken from the constructs they grant on, so a reviewer reads the permission
 * surface in one place and `terraform plan` shows a readable `aws_iam_policy_document`.
 *
 * Grants compose: granting the same actions again, on another resource, adds the resource to the statement already
 * there; a different grant under a Sid already taken gets a Sid of its own. Each grant returns what it added.
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
  /**
   * The statements added, each with the Sid it has in the policy and only its new resources; empty when everything was
   * granted already.
   */
  readonly statements: readonly PolicyStatement[];
}
