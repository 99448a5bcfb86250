import { AwsProvider, AwsProviderConfig } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack } from 'cdktf';
import { AWS_PROVIDER_FLOOR, requireAwsProvider } from '../constructs/private/provider-versions';

export { AWS_PROVIDER_VERSIONS } from '../constructs/private/provider-versions';

/**
 * The stack's AWS provider, with the supported version range (see `AWS_PROVIDER_VERSIONS`) instead of the bindings'
 * exact version.
 */
export function addAwsProvider(stack: TerraformStack, config: AwsProviderConfig): AwsProvider {
  const provider = new AwsProvider(stack, 'aws', config);
  requireAwsProvider(stack, AWS_PROVIDER_FLOOR);
  return provider;
}
