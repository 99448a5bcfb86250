/**
 * A value an operator reads after deploying (`terraform output`): constructs
 * describe their outputs as data, and a stack writes them, so a stack needs
 * no knowledge of which kind of source or registry a pipeline has.
 */
export interface StackOutput {
  /** The output's name, a Terraform identifier (`pipeline_name`). */
  readonly name: string;
  /** Its value: a literal or a reference. */
  readonly value: string;
  /** What it is, shown by `terraform output` and in the README. */
  readonly description: string;
}
