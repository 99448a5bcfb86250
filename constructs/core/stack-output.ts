import { claimStackName } from './stack-names';
import { TerraformOutput, TerraformStack } from 'cdktf';

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

/**
 * Writes `outputs` into `stack`, each under its own name as its address (`output.pipeline_name`), not a
 * construct-path hash. A name another call wrote already is refused: JSON would keep only one of the two.
 */
export function writeStackOutputs(stack: TerraformStack, outputs: readonly StackOutput[]): void {
  for (const { name, value, description } of outputs) {
    claimStackName('writeStackOutputs', stack, 'output', name, 'outputs');
    new TerraformOutput(stack, name, { value, description }).overrideLogicalId(name);
  }
}
