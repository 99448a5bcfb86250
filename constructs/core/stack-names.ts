import { TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import { PropValidationError } from './validation';
import { deploymentTargetOf } from './deployment-target';

/**
 * What each stack-level name (an input variable, an output, a pipeline's name prefix) is claimed by: its kind and
 * name, to a construct path.
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
  kind: 'variable' | 'output' | 'terraformNamePrefix' | 'pipelineName',
  name: string,
  prop: string,
): void {
  const stack = TerraformStack.of(scope);
  const taken = claims.get(stack) ?? new Map<string, string>();
  claims.set(stack, taken);
  const key = `${kind} ${name}`;
  const owner = taken.get(key);
  if (owner !== undefined) {
    const allowed =
      kind === 'variable' || kind === 'output'
        ? `must give ${kind === 'output' ? 'an' : 'a'} ${kind} name unique in the stack ${stack.node.id}: ` +
          `${owner} has the ${kind} "${name}" already`
        : `must be unique among the CiPipelines of the stack ${stack.node.id}` +
          `${kind === 'pipelineName' ? ', since it names their AWS resources' : ''}: ${owner} has it already`;
    throw new PropValidationError(construct, scope, [{ prop, value: name, allowed }]);
  }
  taken.set(key, scope.node.path);
}

/** Where AWS holds a resource's name unique: in the whole account (IAM), or in the account's region. */
export type UniqueIn = 'account' | 'region';

/** The words for a uniqueness scope, in an error. */
export const uniqueInWords = (uniqueIn: UniqueIn): string =>
  uniqueIn === 'account' ? 'the account (in every region)' : 'the account and region';

/** The names of AWS resources claimed in an app, by where they deploy, kind and name, to a construct path. */
const awsNameClaims = new WeakMap<IConstruct, Map<string, string>>();

/**
 * Claims the name of an AWS resource that `scope` creates, where AWS holds it unique, among every stack of the app that
 * deploys there: the account (stacks whose AWS providers have the same identity settings) and, for a regional name,
 * the region. Where synth cannot tell, the stack stands for both, as before the stack is deployed anywhere.
 */
export function claimAwsResourceName(
  construct: string,
  scope: IConstruct,
  resource: { readonly kind: string; readonly name: string; readonly prop: string; readonly uniqueIn: UniqueIn },
): void {
  const stack = TerraformStack.of(scope);
  const target = deploymentTargetOf(stack);
  const account = target.account ?? `stack ${stack.node.path}`;
  const where = resource.uniqueIn === 'account' ? account : `${account} ${target.region ?? `stack ${stack.node.path}`}`;
  const app = scope.node.root;
  const taken = awsNameClaims.get(app) ?? new Map<string, string>();
  awsNameClaims.set(app, taken);
  const key = `${where}|${resource.kind}|${resource.name}`;
  const owner = taken.get(key);
  if (owner !== undefined) {
    const allowed =
      `must be unique in ${uniqueInWords(resource.uniqueIn)}: ${owner} creates the ${resource.kind} ` +
      `"${resource.name}" too`;
    throw new PropValidationError(construct, scope, [{ prop: resource.prop, value: resource.name, allowed }]);
  }
  taken.set(key, scope.node.path);
}
