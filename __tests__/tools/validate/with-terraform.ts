import { spawnSync } from 'node:child_process';
import { findProviderMirror } from '../../../tools/validate/mirror';

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
