import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, Token } from 'cdktf';

/**
 * Where a stack deploys, as far as synth can tell, from its default AWS provider: the account is named by the
 * provider's identity settings (stacks with the same settings deploy with the same credentials, so to the same
 * account), the region by its `region`. Either is undefined when the stack has no default AWS provider yet, or when a
 * setting is known only at apply.
 */
export interface DeploymentTarget {
  readonly account?: string;
  readonly region?: string;
}

const targets = new WeakMap<TerraformStack, DeploymentTarget>();

/** A setting of the provider as written, or undefined when it is a token (known only at apply). */
function literal(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'string') return Token.isUnresolved(value) ? undefined : value;
  const text = JSON.stringify(value);
  return text === undefined || text.includes('${') ? undefined : value;
}

/** The stack's deployment target, read from the default AWS provider among its children, once found. */
export function deploymentTargetOf(stack: TerraformStack): DeploymentTarget {
  const known = targets.get(stack);
  if (known !== undefined) return known;
  const provider = stack.node.children.find(
    (child): child is AwsProvider => child instanceof AwsProvider && child.alias === undefined,
  );
  if (provider === undefined) return {};
  const identity = [
    literal(provider.profile),
    literal(provider.assumeRole),
    literal(provider.assumeRoleWithWebIdentity),
    literal(provider.allowedAccountIds),
    literal(provider.accessKey),
  ];
  const region = literal(provider.region);
  const target: DeploymentTarget = {
    account: identity.includes(undefined) ? undefined : JSON.stringify(identity),
    region: typeof region === 'string' ? region : undefined,
  };
  targets.set(stack, target);
  return target;
}
