/**
 * Opt-in (`npm run test:validate`, which `.ci/run` runs): the sensitive arguments CIP_SEC_2 reads
 * (guardrails/schema/aws-sensitive-arguments.json) are those of the real AWS provider's schema, as
 * `terraform providers schema -json` prints it from the provider mirror.
 */
import { spawnSync } from 'node:child_process';
import { checkGenerated, UP_TO_DATE } from '../generated-check';
import { findProviderMirror } from '../../tools/validate/mirror';
import { sensitiveArguments } from '../../scripts/sensitive-arguments';

const mirror = findProviderMirror(process.env);
const unavailable =
  spawnSync('terraform', ['version']).status !== 0
    ? 'the terraform CLI is not on PATH'
    : mirror.kind === 'none'
      ? mirror.reason
      : undefined;
if (unavailable !== undefined) console.warn(`SKIPPED the sensitive arguments suite, because ${unavailable}.`);
const testWithProvider = unavailable === undefined ? test : test.skip;

testWithProvider(
  "the committed sensitive arguments are the mirror's hashicorp/aws schema's (npm run sensitive-arguments)",
  () => {
    expect(checkGenerated('sensitive-arguments.ts')).toEqual(UP_TO_DATE);
  },
  120_000,
);

test('what counts: sensitive, settable, not write-only, through nested blocks, with the write-only alternative', () => {
  expect(
    sensitiveArguments({
      attributes: {
        password: { sensitive: true, optional: true },
        password_wo: { sensitive: true, optional: true, write_only: true },
        computed_secret: { sensitive: true },
        name: { required: true },
      },
      block_types: { auth: { block: { attributes: { token: { sensitive: true, required: true } } } } },
    }),
  ).toEqual([{ argument: 'password', writeOnly: 'password_wo' }, { argument: 'auth.token' }]);
});
