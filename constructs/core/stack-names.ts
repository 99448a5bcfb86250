import { TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import { PropValidationError } from './validation';

/**
 * What each stack-level name (an input variable, an output, a pipeline's name prefix, the name of an AWS resource
 * that must be unique in its account and region) is claimed by: its kind and name, to a construct path.
 */
const claims = new WeakMap<TerraformStack, Map<string, string>>();

/**
 * Claims `name` for `scope` among the stack's input variables or outputs, whose addresses are their names: a second
 * claim would silently replace the first in the JSON, so it throws, naming the first claimant.
 *
 * @param construct the construct (or function) that writes the name, for the error
 * @param prop what the user sets to make the name unique, for the error
 */
export function claimStackName(
  construct: string,
  scope: IConstruct,
  kind: 'variable' | 'output' | 'terraformNamePrefix' | 'pipelineName' | { readonly accountUnique: string },
  name: string,
  prop: string,
): void {
  const stack = TerraformStack.of(scope);
  const taken = claims.get(stack) ?? new Map<string, string>();
  claims.set(stack, taken);
  const key = `${typeof kind === 'string' ? kind : kind.accountUnique} ${name}`;
  const owner = taken.get(key);
  if (owner !== undefined) {
    const allowed =
      typeof kind !== 'string'
        ? `must be unique in the account and region: ${owner} creates the ${kind.accountUnique} "${name}" too`
        : kind === 'variable' || kind === 'output'
          ? `must give ${kind === 'output' ? 'an' : 'a'} ${kind} name unique in the stack ${stack.node.id}: ` +
            `${owner} has the ${kind} "${name}" already`
          : `must be unique among the CiPipelines of the stack ${stack.node.id}` +
            `${kind === 'pipelineName' ? ', since it names their AWS resources' : ''}: ${owner} has it already`;
    throw new PropValidationError(construct, scope, [{ prop, value: name, allowed }]);
  }
  taken.set(key, scope.node.path);
}
