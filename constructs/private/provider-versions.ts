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
  stack.addOverride('terraform.required_providers.aws.version', awsProviderVersions(minimum));
}
