import { TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';

/**
 * Terraform that runs write-only arguments (`secret_string_wo`), ephemeral variables and S3-native state locking
 * (`use_lockfile`); 1.11 is the first release with all three.
 */
export const REQUIRED_TERRAFORM_VERSION = '>= 1.11.0';

/**
 * Makes Terraform older than {@link REQUIRED_TERRAFORM_VERSION} refuse the stack of `scope`, before it plans anything:
 * the stacks call it, and so does every construct that uses what only 1.11 runs, in whatever stack it is in.
 */
export function requireTerraformVersion(scope: IConstruct): void {
  TerraformStack.of(scope).addOverride('terraform.required_version', REQUIRED_TERRAFORM_VERSION);
}
