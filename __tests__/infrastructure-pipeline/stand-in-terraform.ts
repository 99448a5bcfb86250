/**
 * `terraform` for the infrastructure pipeline's end-to-end test: the real Terraform with the real AWS provider, on a
 * stack prepared as `npm run validate` prepares it (the providers this machine lacks, github and random, cut; the AWS
 * provider pointed at the local stand-in), its S3 backend replaced by a local state file per stack, since no S3 is
 * reachable here. Every other argument goes to Terraform as given.
 *
 * Environment: STAND_IN_TERRAFORM (the real binary), STAND_IN_AWS_ENDPOINT, STAND_IN_STATE_DIR, and Terraform's own
 * (TF_CLI_CONFIG_FILE naming the provider mirror).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { prepareStack } from '../../tools/validate/prepare';
import { missingProviders, providerSetup } from '../../tools/validate/terraform';

const [command] = process.argv.slice(2);
const env = process.env;
if (command === 'init') {
  const file = join(process.cwd(), 'cdk.tf.json');
  const json = JSON.parse(readFileSync(file, 'utf8'));
  const { setup } = providerSetup(env);
  const id = basename(process.cwd());
  const prepared = prepareStack(
    { id, path: file, json },
    { missingProviders: missingProviders(json, setup), stubEndpoint: env.STAND_IN_AWS_ENDPOINT! },
  );
  setup.dispose();
  const asWritten = prepared.asWritten;
  asWritten.terraform.backend = { local: { path: join(env.STAND_IN_STATE_DIR!, `${id}.tfstate`) } };
  writeFileSync(file, JSON.stringify(asWritten, null, 2));
}
const result = spawnSync(env.STAND_IN_TERRAFORM!, process.argv.slice(2), { stdio: 'inherit', env });
process.exitCode = result.status ?? 1;
