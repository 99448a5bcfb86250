import { AwsProvider, AwsProviderConfig } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack } from 'cdktf';

/**
 * The AWS provider versions the stacks support: 5.x from 5.100.0, which
 * `npm run validate` plans them with for real, and 6.x, whose schema the
 * bindings they are written with come from. Attributes that exist in one major
 * version only are avoided, so teams still on 5.x can use the stacks.
 */
export const AWS_PROVIDER_VERSIONS = '>= 5.100.0, < 7.0.0';

/** The stack's AWS provider, with the supported version range instead of the bindings' exact version. */
export function addAwsProvider(stack: TerraformStack, config: AwsProviderConfig): AwsProvider {
  const provider = new AwsProvider(stack, 'aws', config);
  stack.addOverride('terraform.required_providers.aws.version', AWS_PROVIDER_VERSIONS);
  return provider;
}
