/**
 * Opt-in suite (`npm run test:validate`): runs `terraform validate` on every
 * synthesized stack. It needs the `terraform` CLI (>= 1.11) and its providers
 * (network access to the registry, or a filled TF_PLUGIN_CACHE_DIR / provider
 * mirror); without them it skips and says why. Never part of `npm test`.
 */
import { spawnSync } from 'node:child_process';
import { Testing } from 'cdktf';
import { DEFAULT_CONFIG_PATH, loadConfigFile } from '../config/load';
import { buildStacks } from '../main';
import { join } from 'node:path';

const app = Testing.app();
const stacks = buildStacks(app, loadConfigFile(DEFAULT_CONFIG_PATH)).all;

function unavailableReason(): string | undefined {
  const version = spawnSync('terraform', ['version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) return 'the terraform CLI is not on PATH';
  const probeDir = join(Testing.fullSynth(stacks[0]), 'stacks', stacks[0].node.id);
  const init = spawnSync('terraform', ['init', '-backend=false', '-input=false', '-no-color'], { cwd: probeDir, encoding: 'utf8', timeout: 120_000 });
  if (init.status !== 0) {
    const lastLine = `${init.stderr ?? ''}${init.stdout ?? ''}`.trim().split('\n').filter(Boolean).slice(-1)[0];
    return `terraform init cannot install the providers (${lastLine ?? 'timed out'})`;
  }
  return undefined;
}

const reason = unavailableReason();
if (reason !== undefined) {
  // eslint-disable-next-line no-console
  console.warn(`SKIPPED terraform validate suite: ${reason}. Run it where the providers can be installed.`);
}
const describeIfTerraform = reason === undefined ? describe : describe.skip;

describeIfTerraform('terraform validate', () => {
  test.each(stacks.map((stack) => [stack.node.id, stack] as const))('%s is valid Terraform', (_, stack) => {
    expect(Testing.fullSynth(stack)).toBeValidTerraform();
  });
});
