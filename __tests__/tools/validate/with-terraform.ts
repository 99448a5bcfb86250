import { spawnSync } from 'node:child_process';
import { checkDirectory } from '../../../tools/validate/check';
import { findProviderMirror } from '../../../tools/validate/mirror';
import { formatReport } from '../../../tools/validate/report';
import { providerSetup } from '../../../tools/validate/terraform';

/** Why the real-Terraform suites cannot run here (no terraform CLI, no provider mirror), if they cannot. */
function unavailableBecause(): string | undefined {
  if (spawnSync('terraform', ['version']).status !== 0) return 'the terraform CLI is not on PATH';
  const mirror = findProviderMirror(process.env);
  return mirror.kind === 'none' ? `there is no provider mirror: ${mirror.reason}` : undefined;
}

/**
 * `describe` where Terraform and a provider mirror are found (as `npm run validate` finds them), else `describe.skip`,
 * saying why on the console.
 */
export function describeWithTerraformAndMirror(suite: string): jest.Describe {
  const unavailable = unavailableBecause();
  if (unavailable !== undefined) console.warn(`SKIPPED ${suite}, because ${unavailable}.`);
  return unavailable === undefined ? describe : describe.skip;
}

/**
 * `npm run validate` of a synth output directory, with the provider mirror: the report's text and whether it passed.
 */
export async function validateDirectory(outdir: string): Promise<{ readonly passed: boolean; readonly text: string }> {
  const { setup } = providerSetup(process.env, findProviderMirror(process.env));
  try {
    const outcome = await checkDirectory(outdir, setup);
    if (outcome.kind !== 'checked') throw new Error(`expected a report, got ${JSON.stringify(outcome)}`);
    return formatReport(outcome.report);
  } finally {
    setup.dispose();
  }
}
