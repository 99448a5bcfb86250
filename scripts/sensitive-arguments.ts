/**
 * Regenerates guardrails/schema/aws-sensitive-arguments.json, the arguments the
 * AWS provider marks sensitive, from the provider's own schema:
 *
 *   CI_PIPELINES_PROVIDER_MIRROR=/opt/tf-plugins npm run sensitive-arguments
 *
 * It runs `terraform providers schema -json` against the newest hashicorp/aws
 * of the provider mirror (found as `npm run validate` finds it), offline, and
 * keeps, for each resource type, the sensitive arguments a configuration can
 * set (optional or required) that are not write-only: Terraform keeps their
 * values in the state and in saved plans. Where the schema offers a write-only
 * argument in their place (`password_wo` for `password`), it is named.
 * `--check` compares instead of writing, and fails when the file differs.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findProviderMirror, terraformTarget, awsProviderVersions } from '../tools/validate/mirror';
import { providerSetup, runTerraform, terraformError } from '../tools/validate/terraform';
import { PROJECT_ROOT } from './app-command';

export const SENSITIVE_ARGUMENTS_FILE = join(PROJECT_ROOT, 'guardrails', 'schema', 'aws-sensitive-arguments.json');

interface SchemaBlock {
  readonly attributes?: Record<
    string,
    { sensitive?: boolean; optional?: boolean; required?: boolean; write_only?: boolean }
  >;
  readonly block_types?: Record<string, { block: SchemaBlock }>;
}

/** A sensitive argument, by its path through blocks (`authentication_configuration.secret_token`). */
export interface SensitiveArgument {
  readonly argument: string;
  /** The write-only argument the schema offers in its place, when there is one. */
  readonly writeOnly?: string;
}

/** The sensitive arguments of one resource's schema that a configuration sets and Terraform keeps. */
export function sensitiveArguments(block: SchemaBlock, prefix = ''): SensitiveArgument[] {
  const attributes = block.attributes ?? {};
  const found: SensitiveArgument[] = Object.entries(attributes)
    .filter(
      ([, attribute]) => attribute.sensitive && !attribute.write_only && (attribute.optional || attribute.required),
    )
    .map(([name]) => ({
      argument: `${prefix}${name}`,
      ...(attributes[`${name}_wo`]?.write_only ? { writeOnly: `${prefix}${name}_wo` } : {}),
    }));
  for (const [name, nested] of Object.entries(block.block_types ?? {}))
    found.push(...sensitiveArguments(nested.block, `${prefix}${name}.`));
  return found;
}

async function main(): Promise<number> {
  const choice = findProviderMirror(process.env);
  if (choice.kind === 'none') {
    process.stderr.write(`No provider mirror with hashicorp/aws: ${choice.reason}\n`);
    return 1;
  }
  const version = awsProviderVersions(choice.path, terraformTarget())
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }))
    .pop()!;
  const { setup } = providerSetup(process.env, choice);
  const work = mkdtempSync(join(tmpdir(), 'ci-sensitive-arguments-'));
  try {
    writeFileSync(
      join(work, 'main.tf.json'),
      JSON.stringify({ terraform: { required_providers: { aws: { source: 'hashicorp/aws', version } } } }),
    );
    for (const args of [
      ['init', '-input=false', '-no-color'],
      ['providers', 'schema', '-json'],
    ]) {
      const result = await runTerraform(args, work, setup.env);
      if (result.status !== 0) {
        process.stderr.write(`terraform ${args.join(' ')} failed:\n${terraformError(result.stderr)}\n`);
        return 1;
      }
      if (args[0] === 'providers') {
        const schemas = JSON.parse(result.stdout).provider_schemas['registry.terraform.io/hashicorp/aws'];
        const resources = Object.fromEntries(
          Object.entries<{ block: SchemaBlock }>(schemas.resource_schemas)
            .map(([type, schema]) => [type, sensitiveArguments(schema.block)] as const)
            .filter(([, found]) => found.length > 0)
            .sort(([a], [b]) => a.localeCompare(b)),
        );
        const text = `${JSON.stringify({ provider: 'hashicorp/aws', version, resources }, undefined, 2)}\n`;
        if (process.argv.includes('--check')) {
          const same = readFileSync(SENSITIVE_ARGUMENTS_FILE, 'utf8') === text;
          process.stdout.write(
            same ? 'up to date\n' : `${SENSITIVE_ARGUMENTS_FILE} differs from aws ${version}'s schema\n`,
          );
          return same ? 0 : 1;
        }
        writeFileSync(SENSITIVE_ARGUMENTS_FILE, text);
        process.stdout.write(`${Object.keys(resources).length} resource types, from hashicorp/aws ${version}\n`);
      }
    }
    return 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
    setup.dispose();
  }
}

if (require.main === module) void main().then((code) => (process.exitCode = code));
