import { TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';

/**
 * Terraform that runs write-only arguments (`secret_string_wo`), ephemeral variables and S3-native state locking
 * (`use_lockfile`); 1.11 is the first release with all three.
 */
export const REQUIRED_TERRAFORM_VERSION = '>= 1.11.0';

/**
 * {@link REQUIRED_TERRAFORM_VERSION} as CDK Terrain's `targetVersions` states it (npm semver ranges, by product).
 * cdktn checks at synth that each feature a stack uses runs on every release the project targets; a project that
 * declares nothing targets Terraform 1.5.7 and OpenTofu 1.6 onwards, where write-only arguments do not exist.
 * cdktf has no such check and ignores the context key.
 * https://github.com/open-constructs/cdk-terrain/blob/main/packages/cdktn/src/validations/target-versions.ts
 */
export const REQUIRED_TERRAFORM_TARGETS: Readonly<Record<'terraform', string>> = { terraform: '>=1.11.0' };

/** cdktn's context key for a project's or a stack's target releases (cdktf.json's `targetVersions`). */
const TARGET_VERSIONS_CONTEXT_KEY = 'targetVersions';

/**
 * Makes Terraform older than {@link REQUIRED_TERRAFORM_VERSION} refuse the stack of `scope`, before it plans anything:
 * the stacks call it, and so does every construct that uses what only 1.11 runs, in whatever stack it is in.
 */
export function requireTerraformVersion(scope: IConstruct): void {
  TerraformStack.of(scope).addOverride('terraform.required_version', REQUIRED_TERRAFORM_VERSION);
}

/**
 * Has one of our stacks target the Terraform releases it runs on ({@link REQUIRED_TERRAFORM_TARGETS}), unless the
 * project declared its own targets (cdktf.json's `targetVersions`, or the App's context): then cdktn checks our
 * features against those, and a project that targets an older Terraform gets cdktn's error naming the feature.
 * Called first in a stack's constructor: context can be set only before a construct has children.
 */
export function declareTerraformTargets(stack: TerraformStack): void {
  if (stack.node.tryGetContext(TARGET_VERSIONS_CONTEXT_KEY) !== undefined) return;
  stack.node.setContext(TARGET_VERSIONS_CONTEXT_KEY, REQUIRED_TERRAFORM_TARGETS);
}
