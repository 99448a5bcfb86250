import { TerraformStack } from 'cdktf';

/**
 * Terraform that runs write-only arguments (`secret_string_wo`), ephemeral
 * variables and S3-native state locking (`use_lockfile`); 1.11 is the first
 * release with all three.
 */
export const REQUIRED_TERRAFORM_VERSION = '>= 1.11.0';

/** Makes Terraform older than {@link REQUIRED_TERRAFORM_VERSION} refuse the stack, before it plans anything. */
export function requireTerraformVersion(stack: TerraformStack): void {
  stack.addOverride('terraform.required_version', REQUIRED_TERRAFORM_VERSION);
}
