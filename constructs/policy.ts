/**
 * The IAM vocabulary the constructs share: statements are plain data with named
 * action lists and ARNs taken from the constructs they grant on, so a reviewer
 * reads the whole permission surface in one place and `terraform plan` shows a
 * readable `aws_iam_policy_document`.
 */

/** One `Allow` statement of an identity policy. */
export interface PolicyStatement {
  /** A short, unique statement ID that says what the statement is for (shown in plans). */
  readonly sid: string;
  /** The actions allowed: use a named action list such as `OBJECT_READ_WRITE_ACTIONS`. */
  readonly actions: readonly string[];
  /** The ARNs the actions apply to; `*` only for actions that support no resource scoping. */
  readonly resources: readonly string[];
}

/** Anything an IAM statement can be added to: a service role. */
export interface IGrantable {
  /** Adds a statement to the grantee's identity policy. */
  addToPolicy(statement: PolicyStatement): void;
}
