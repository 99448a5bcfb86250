import { TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';

/**
 * The AWS provider versions a stack supports: 5.x from 5.100.0, which
 * `npm run validate` plans the stacks with for real, and 6.x, whose schema the
 * bindings they are written with come from. Attributes that exist in one major
 * version only are avoided, so teams still on 5.x can use the stacks; a
 * construct that needs a newer one raises its stack's floor with
 * {@link requireAwsProvider}, and says why.
 */
export const AWS_PROVIDER_FLOOR = '5.100.0';
const AWS_PROVIDER_CEILING = '7.0.0';

/** The version constraint for a floor. */
export const awsProviderVersions = (floor: string): string => `>= ${floor}, < ${AWS_PROVIDER_CEILING}`;

/** The stacks' constraint while nothing raises the floor. */
export const AWS_PROVIDER_VERSIONS = awsProviderVersions(AWS_PROVIDER_FLOOR);

/**
 * The random provider versions a stack that generates a secret supports: 3.x from 3.7.2, the release cdktf's
 * bindings pinned, so that the lock files of stacks deployed with them still satisfy it.
 */
export const RANDOM_PROVIDER_VERSIONS = '>= 3.7.2, < 4.0.0';

/**
 * Each provider's full registry address. The bindings write their own, and the cores' differ (cdktf's aws bindings
 * write `aws`, cdktn's `hashicorp/aws`; Terraform reads both as registry.terraform.io/hashicorp/aws): written out, a
 * stack is the same on either core, as are its state and lock file.
 */
const PROVIDER_SOURCES = { aws: 'hashicorp/aws', random: 'hashicorp/random' } as const;

/** States the source and versions of `provider` in the `required_providers` of `stack`. */
function requireProvider(stack: TerraformStack, provider: keyof typeof PROVIDER_SOURCES, versions: string): void {
  stack.addOverride(`terraform.required_providers.${provider}.source`, PROVIDER_SOURCES[provider]);
  stack.addOverride(`terraform.required_providers.${provider}.version`, versions);
}

const floors = new WeakMap<TerraformStack, string>();

/** Whether version `a` (x.y.z) is older than `b`. */
const older = (a: string, b: string) => {
  const [left, right] = [a, b].map((version) => version.split('.').map(Number));
  const index = left.findIndex((part, position) => part !== right[position]);
  return index !== -1 && left[index] < right[index];
};

/**
 * Makes the stack of `scope` require at least `minimum` of hashicorp/aws (the highest floor any construct asks for
 * wins), in `terraform.required_providers`: every construct that creates AWS resources calls it, so a user's own
 * stack states the versions the constructs are written for, instead of the bindings' exact version.
 */
export function requireAwsProvider(scope: IConstruct, minimum: string = AWS_PROVIDER_FLOOR): void {
  const stack = TerraformStack.of(scope);
  const floor = floors.get(stack);
  if (floor !== undefined && !older(floor, minimum)) return;
  floors.set(stack, minimum);
  requireProvider(stack, 'aws', awsProviderVersions(minimum));
}

/**
 * Makes the stack of `scope` require {@link RANDOM_PROVIDER_VERSIONS} of hashicorp/random, instead of the exact
 * version the bindings were generated for (cdktf's and cdktn's differ).
 */
export function requireRandomProvider(scope: IConstruct): void {
  requireProvider(TerraformStack.of(scope), 'random', RANDOM_PROVIDER_VERSIONS);
}
