/**
 * Which stacks Terraform cannot install the providers of. One stack that needs a provider release the mirror lacks
 * (hashicorp/aws 6.13 for a pull-request build policy, where the mirror holds 5.100) makes `terraform init` of the
 * whole directory fail; this finds that stack, so that it is named and the others are still checked.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PreparedStack } from './prepare';
import { ProviderSetup, qualifiedSource, runTerraform, terraformError } from './terraform';

/** A stack left out of the check: its ID, and why, in words a user acts on (Terraform's error on the lines under). */
export interface UncheckedStack {
  readonly id: string;
  readonly reason: string;
}

/** `hashicorp/aws >= 6.13.0, < 7.0.0 (the mirror holds 5.100.0)` for each provider the stack requires. */
function requirementsOf(stack: PreparedStack, setup: ProviderSetup): string {
  const required = Object.values<Record<string, unknown>>(stack.asWritten.terraform?.required_providers ?? {});
  return required
    .map((spec) => {
      const source = String(spec.source);
      const held = setup.mirror?.providers.get(qualifiedSource(source)) ?? [];
      const version = spec.version === undefined ? 'any version' : String(spec.version);
      return `${source} ${version} (the mirror holds ${held.length === 0 ? 'none' : held.join(', ')})`;
    })
    .join('; ');
}

/**
 * The stacks whose providers Terraform cannot install with `setup`. Each stack's `required_providers` is tried on its
 * own with `terraform init`, so that Terraform's own version-constraint rules decide. Run only after the directory's
 * init failed: it costs an init per stack.
 */
export async function uninstallableStacks(
  stacks: readonly PreparedStack[],
  setup: ProviderSetup,
  workdir: string,
): Promise<UncheckedStack[]> {
  const unchecked: UncheckedStack[] = [];
  for (const stack of stacks) {
    const dir = join(workdir, 'providers-of', stack.id);
    mkdirSync(dir, { recursive: true });
    const requirements = { terraform: { required_providers: stack.asWritten.terraform?.required_providers ?? {} } };
    writeFileSync(join(dir, 'main.tf.json'), JSON.stringify(requirements));
    const init = await runTerraform(['init', '-input=false', '-backend=false', '-no-color'], dir, setup.env);
    if (init.status === 0) continue;
    unchecked.push({
      id: stack.id,
      reason:
        `not checked: Terraform cannot install the providers it requires, ${requirementsOf(stack, setup)}. ` +
        `Check it where that release is installed (Terraform's error below)\n` +
        terraformError(init.stderr.trim() === '' ? init.stdout : init.stderr),
    });
  }
  return unchecked;
}
