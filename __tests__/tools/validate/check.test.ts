/**
 * What `npm run validate` says when Terraform cannot install the providers: the whole of Terraform's error,
 * not its last line. Runs a real `terraform init` (offline, against an empty mirror), when Terraform is installed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkDirectory } from '../../../tools/validate/check';
import { formatReport } from '../../../tools/validate/report';
import { providerSetup } from '../../../tools/validate/terraform';

const describeWithTerraform = spawnSync('terraform', ['version']).status === 0 ? describe : describe.skip;

/** The lines a Terraform that installs only from `emptyMirror` prints when it looks there for hashicorp/aws. */
const terraformSays = (emptyMirror: string) => [
  'Error: Failed to query available provider packages',
  'Could not retrieve the list of available versions for provider hashicorp/aws:',
  'provider registry.terraform.io/hashicorp/aws was not found in any of the',
  'search locations',
  `  - ${emptyMirror}`,
];

describeWithTerraform('terraform init fails', () => {
  let scratch: string;
  let stacks: string;
  let emptyMirror: string;
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'check-init-'));
    stacks = mkdtempSync(join(scratch, 'stacks-'));
    emptyMirror = mkdtempSync(join(scratch, 'empty-mirror-'));
    const stack = {
      terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '5.100.0' } } },
      provider: { aws: [{ region: 'eu-west-1' }] },
    };
    writeFileSync(join(stacks, 'one.tf.json'), JSON.stringify(stack));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  test("without a mirror, the check is skipped, and the reason carries the whole of Terraform's error", async () => {
    // The user's own setup stands in for one that cannot reach the registry: it installs from an empty mirror.
    const rc = join(scratch, 'user.tfrc');
    writeFileSync(
      rc,
      `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(emptyMirror)}\n  }\n}\n`,
    );
    const { setup } = providerSetup({ ...process.env, TF_CLI_CONFIG_FILE: rc }, { kind: 'none', reason: 'test' });
    const outcome = await checkDirectory(stacks, setup);
    expect(outcome).toEqual({
      kind: 'skipped',
      reason: [
        "terraform init could not install the providers (Terraform's error below)",
        ...terraformSays(emptyMirror),
      ].join('\n'),
    });
  }, 60_000);

  test("with a mirror, the check fails, and the report prints Terraform's whole error under the problem", async () => {
    const { setup } = providerSetup(process.env, { kind: 'found', path: emptyMirror, how: 'a test mirror' });
    const outcome = await checkDirectory(stacks, setup);
    if (outcome.kind !== 'checked') throw new Error(`expected a report, got ${JSON.stringify(outcome)}`);
    const { text, passed } = formatReport(outcome.report);
    expect(passed).toBe(false);
    expect(text).toContain(
      [
        "  error in the root module: terraform init could not install the providers (Terraform's error below)",
        ...terraformSays(emptyMirror).map((line) => `    ${line}`),
      ].join('\n'),
    );
  }, 60_000);
});
