/**
 * Regenerates the plan fixtures of `npm run plan-summary` (`__tests__/fixtures/plans/`)
 * from real Terraform plans of the default configuration's pipeline stack:
 *
 *   CI_PIPELINES_PROVIDER_MIRROR=/opt/tf-plugins npm run plan-fixtures
 *
 * The stack is prepared as `npm run validate` prepares it (providers the mirror
 * lacks cut, the AWS provider pointed at the local stub). `create.json` is its
 * first plan. A prior state is then built from that plan's planned values, with
 * values of the right shape for what was unknown, and re-planned with
 * `-refresh=false` until Terraform reports no changes (`no-op.json`). The other
 * fixtures change the configuration, or ask for a replacement, against that state.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAwsStub } from '../tools/validate/aws-stub';
import { literalFor } from '../tools/validate/literals';
import { PlanCounts, readPlanLog } from '../tools/validate/diagnostics';
import { prepareStack } from '../tools/validate/prepare';
import {
  missingProviders,
  providerSetup,
  qualifiedSource,
  runTerraform,
  terraformVersion,
} from '../tools/validate/terraform';
import { PROJECT_ROOT } from './app-command';

type Json = Record<string, any>;

const GOLDEN = join(PROJECT_ROOT, '__tests__', 'golden');
const STACK = join(GOLDEN, 'default', 'ci-sample-flask-app.tf.json');
export const FIXTURES_DIR = join(PROJECT_ROOT, '__tests__', 'fixtures', 'plans');
const VARIABLES = ['-var', 'dockerhub_username=placeholder', '-var', 'dockerhub_password=placeholder'];

/** A value of the right shape for an attribute Terraform knew only after apply. */
function knownValue(type: string, attribute: string, config: Json, region: string, optional: boolean): unknown {
  try {
    return literalFor(attribute, { type, body: config, region });
  } catch {
    if (attribute === 'tags_all') return {};
    // An optional argument the configuration leaves out is unset at AWS too, and a made-up value can be refused
    // (a FIFO throughput scope on a standard SNS topic).
    if (optional && attribute !== 'id') return '';
    if (attribute.endsWith('_arn') || attribute === 'arn')
      return `arn:aws:${type.split('_')[1]}:${region}:123456789012:${type}/${attribute}`;
    // Stable across runs, so that regenerating the fixtures changes only what Terraform changed.
    const digest = createHash('sha256').update(`${type}.${attribute}`).digest('hex');
    return attribute === 'id'
      ? `${digest.slice(0, 8)}-${digest.slice(8, 12)}-${digest.slice(12, 16)}-` +
          `${digest.slice(16, 20)}-${digest.slice(20, 32)}`
      : `known-after-apply-${attribute}`;
  }
}

/** A resource type's schema block, as `terraform providers schema -json` writes it. */
interface SchemaBlock {
  readonly attributes?: Record<
    string,
    { readonly type?: unknown; readonly optional?: boolean; readonly computed?: boolean }
  >;
  readonly block_types?: Record<string, { readonly nesting_mode: string; readonly block: SchemaBlock }>;
}

/** An empty value of a cty type: what a computed attribute Terraform does not know yet can be in a state. */
function emptyValueOf(type: unknown): unknown {
  if (type === 'bool') return false;
  if (type === 'number') return 0;
  if (Array.isArray(type)) return type[0] === 'map' || type[0] === 'object' ? {} : [];
  return undefined;
}

/** `after` with each value that `unknown` marks as known only after apply filled in, by the attribute's type. */
function fillUnknown(
  after: unknown,
  unknown: unknown,
  block: SchemaBlock,
  fill: (attribute: string, optional: boolean) => unknown,
): unknown {
  if (typeof unknown !== 'object' || unknown === null || Array.isArray(unknown)) return after;
  const filled: Json = typeof after === 'object' && after !== null ? { ...(after as Json) } : {};
  for (const [key, marker] of Object.entries(unknown)) {
    const nested = block.block_types?.[key];
    if (nested !== undefined) {
      const items = marker === true ? [] : Array.isArray(marker) ? marker : [marker];
      const current = Array.isArray(filled[key]) ? filled[key] : [];
      filled[key] = items.map((item, index) => fillUnknown(current[index], item, nested.block, fill));
      if (nested.nesting_mode === 'single') filled[key] = filled[key][0] ?? null;
    } else if (marker === true) {
      const attribute = block.attributes?.[key];
      filled[key] =
        attribute?.type === 'string' ? fill(key, attribute.optional === true) : emptyValueOf(attribute?.type);
    }
  }
  return filled;
}

/** A step of a state's attribute path. */
type PathStep =
  | { readonly type: 'get_attr'; readonly value: string }
  | { readonly type: 'index'; readonly value: { readonly value: string | number; readonly type: 'string' | 'number' } };

/**
 * The paths of the values `marks` (a plan's `after_sensitive`) marks sensitive, as a state's `sensitive_attributes`
 * lists them.
 */
function sensitivePaths(marks: unknown, block: SchemaBlock, prefix: PathStep[] = []): PathStep[][] {
  if (typeof marks !== 'object' || marks === null) return [];
  const paths: PathStep[][] = [];
  for (const [key, mark] of Object.entries(marks)) {
    const here: PathStep[] = [...prefix, { type: 'get_attr', value: key }];
    if (mark === true) paths.push(here);
    const nested = block.block_types?.[key];
    if (nested !== undefined && Array.isArray(mark)) {
      mark.forEach((item, index) =>
        paths.push(
          ...sensitivePaths(item, nested.block, [...here, { type: 'index', value: { value: index, type: 'number' } }]),
        ),
      );
    } else if (typeof mark === 'object' && mark !== null && !Array.isArray(mark)) {
      for (const [entry, entryMark] of Object.entries(mark)) {
        if (entryMark === true) paths.push([...here, { type: 'index', value: { value: entry, type: 'string' } }]);
      }
    }
  }
  return paths;
}

/** A state file holding what `plan` says each managed resource will be. */
function stateFrom(
  plan: Json,
  config: Json,
  schemas: Record<string, { readonly version?: number; readonly block: SchemaBlock }>,
  region: string,
): Json {
  const resources = plan.resource_changes
    .filter((change: Json) => change.mode === 'managed' && !change.change.actions.includes('delete'))
    .map((change: Json) => {
      const body = config.resource[change.type][change.name];
      const schema = schemas[change.type];
      const attributes = fillUnknown(
        change.change.after,
        change.change.after_unknown,
        schema.block,
        (attribute, optional) => knownValue(change.type, attribute, body, region, optional),
      );
      return {
        mode: 'managed',
        type: change.type,
        name: change.name,
        provider: `provider["${qualifiedSource('aws')}"]`,
        instances: [
          {
            schema_version: schema.version ?? 0,
            attributes,
            sensitive_attributes: sensitivePaths(change.change.after_sensitive, schema.block),
            dependencies: [],
          },
        ],
      };
    });
  // Outputs as planned; one known only after apply gets a value of the right shape, as attributes do.
  const outputs = Object.fromEntries(
    Object.entries<Json>(plan.output_changes ?? {}).map(([name, change]) => [
      name,
      {
        value: change.after_unknown === true ? `known-after-apply-${name}` : change.after,
        type: 'string',
        sensitive: change.after_sensitive === true,
      },
    ]),
  );
  return {
    version: 4,
    terraform_version: plan.terraform_version,
    serial: 1,
    lineage: '00000000-0000-0000-0000-000000000000',
    outputs,
    resources,
    check_results: null,
  };
}

/** The first resource of `type` in the configuration: its name and body. */
function resourceOf(config: Json, type: string): [string, Json] {
  const [entry] = Object.entries<Json>(config.resource[type]);
  return entry;
}

/** What a fixture plans against the applied state of the stack as it is. */
interface Scenario {
  readonly about: string;
  /** The stack as another golden shape synthesizes it (its path under __tests__/golden), instead of the default's. */
  readonly stack?: string;
  readonly change?: (config: Json) => void;
  readonly args?: (config: Json) => string[];
}

/** The configuration changes each fixture plans, against the applied state of the stack as it is. */
const SCENARIOS: Readonly<Record<string, Scenario>> = {
  update: {
    about: 'the build timeout changes: one update in place',
    change: (config) => (resourceOf(config, 'aws_codebuild_project')[1].build_timeout = 45),
  },
  replace: {
    about:
      'the artifact bucket gets another name prefix (forced) and the key is replaced on request: two stateful ' +
      'replacements',
    change: (config) => (resourceOf(config, 'aws_s3_bucket')[1].bucket_prefix = 'renamed-artifacts-'),
    args: (config) => [`-replace=aws_kms_key.${resourceOf(config, 'aws_kms_key')[0]}`],
  },
  delete: {
    about: "the key's alias is removed from the configuration",
    change: (config) => delete config.resource.aws_kms_alias,
  },
  mixed: {
    about:
      'an update, a replacement forced by an argument, one created before the old is destroyed, one on request, a ' +
      'delete, a forget and a move',
    change: (config) => {
      SCENARIOS.update.change!(config);
      SCENARIOS.replace.change!(config);
      const [, webhookBody] = resourceOf(config, 'aws_codepipeline_webhook');
      webhookBody.name = `${webhookBody.name}-v2`;
      webhookBody.lifecycle = { create_before_destroy: true };
      delete config.resource.aws_s3_bucket_lifecycle_configuration;
      const [ownership] = resourceOf(config, 'aws_s3_bucket_ownership_controls');
      delete config.resource.aws_s3_bucket_ownership_controls;
      config.removed = [{ from: `aws_s3_bucket_ownership_controls.${ownership}`, lifecycle: [{ destroy: false }] }];
      const [alias, aliasBody] = resourceOf(config, 'aws_kms_alias');
      config.resource.aws_kms_alias = { renamed_alias: aliasBody };
      config.moved = [{ from: `aws_kms_alias.${alias}`, to: 'aws_kms_alias.renamed_alias' }];
    },
    args: (config) => SCENARIOS.replace.args!(config),
  },
  history: {
    about: "the build's log group gets another name (forced) and the report group is removed: the logs and reports go",
    change: (config) => {
      const [, logs] = resourceOf(config, 'aws_cloudwatch_log_group');
      logs.name = `${logs.name}-renamed`;
      delete config.resource.aws_codebuild_report_group;
    },
  },
  destroy: {
    about: 'the whole stack is destroyed, as `cdktf destroy` plans it',
    args: () => ['-destroy'],
  },
  branch: {
    about: 'the built branch changes from main to release (the golden shape "branch-changed"): updates in place',
    stack: 'branch-changed/ci-sample-flask-app.tf.json',
  },
  rename: {
    about: 'the pipeline is renamed, keeping its stack and state by its id (the golden shape "renamed")',
    stack: 'renamed/ci-sample-flask-app.tf.json',
  },
  retire: {
    about:
      'the pipeline is retired: its stack keeps its state and providers, no resources (the golden shape "retired")',
    stack: 'retired/ci-sample-flask-app.tf.json',
  },
};

/** Terraform in a working directory that holds the stack: plans it and shows a plan as JSON. */
function terraformIn(workdir: string, env: NodeJS.ProcessEnv) {
  const run = async (args: readonly string[]) => {
    const result = await runTerraform([...args, '-no-color'], workdir, env);
    if (result.status !== 0) throw new Error(`terraform ${args.join(' ')} failed:\n${result.stderr || result.stdout}`);
    return result.stdout;
  };
  /** A plan as `terraform show -json` writes it, and Terraform's own counts of it ("Plan: 1 to add, ..."). */
  const plan = async (args: readonly string[] = [], variables: readonly string[] = VARIABLES): Promise<Planned> => {
    const { changes } = readPlanLog(
      await run(['plan', '-input=false', '-lock=false', '-out=plan.tfplan', '-json', ...variables, ...args]),
    );
    return { json: JSON.parse(await run(['show', '-json', 'plan.tfplan'])), counts: changes };
  };
  return { run, plan };
}

const isSettled = (plan: Json) =>
  plan.resource_changes.every((change: Json) =>
    change.change.actions.every((action: string) => action === 'no-op' || action === 'read'),
  );

/** Builds the applied state from the create plan, then plans until Terraform reports no changes. */
async function settle(
  terraform: ReturnType<typeof terraformIn>,
  workdir: string,
  create: Planned,
  config: Json,
  region: string,
): Promise<Planned> {
  const schemas = JSON.parse(await terraform.run(['providers', 'schema', '-json'])).provider_schemas[
    qualifiedSource('aws')
  ].resource_schemas;
  let planned = create;
  for (let round = 1; round <= 5; round += 1) {
    writeFileSync(
      join(workdir, 'terraform.tfstate'),
      JSON.stringify({ ...stateFrom(planned.json, config, schemas, region), serial: round }),
    );
    planned = await terraform.plan(['-refresh=false']);
    if (isSettled(planned.json)) return planned;
  }
  const plan = planned.json;
  const unsettled = plan.resource_changes.filter((change: Json) => !isSettled({ resource_changes: [change] }));
  const differences = (change: Json) =>
    Object.keys({ ...change.change.before, ...change.change.after })
      .filter(
        (key) =>
          JSON.stringify(change.change.before?.[key]) !== JSON.stringify(change.change.after?.[key]) ||
          change.change.after_unknown?.[key] !== undefined,
      )
      .join(', ');
  const summary = (change: Json) => `${change.address} (${change.change.actions.join('+')}: ${differences(change)})`;
  throw new Error(`the state did not settle: ${unsettled.map(summary).join('; ')}`);
}

/** A plan, and Terraform's own counts of it. */
interface Planned {
  readonly json: Json;
  readonly counts?: PlanCounts;
}

/** Terraform's own counts of each fixture, from `terraform plan -json`'s change summary. */
export const COUNTS_FILE = join(FIXTURES_DIR, 'terraform-counts.json');

/** Writes the fixtures once every plan has succeeded, so that a failed run leaves the old set whole. */
function writeFixtures(plans: ReadonlyMap<string, Planned>): void {
  for (const [name, plan] of plans)
    writeFileSync(join(FIXTURES_DIR, `${name}.json`), `${JSON.stringify(plan.json, null, 2)}\n`);
  const counts = Object.fromEntries([...plans].map(([name, plan]) => [name, plan.counts]));
  writeFileSync(COUNTS_FILE, `${JSON.stringify(counts, null, 2)}\n`);
}

async function main(): Promise<void> {
  const env = process.env;
  if (terraformVersion(env) === undefined) throw new Error('the terraform CLI is not on PATH');
  const { setup } = providerSetup(env);
  const stub = await startAwsStub();
  const workdir = mkdtempSync(join(tmpdir(), 'plan-fixtures-'));
  try {
    const prepare = (path: string) => {
      const stack = { id: 'ci-sample-flask-app', path, json: JSON.parse(readFileSync(path, 'utf8')) };
      return prepareStack(stack, {
        missingProviders: missingProviders(stack.json, setup),
        stubEndpoint: stub.endpoint,
      });
    };
    const prepared = prepare(STACK);
    const write = (config: Json) => writeFileSync(join(workdir, 'main.tf.json'), JSON.stringify(config, null, 2));
    write(prepared.asWritten);
    const terraform = terraformIn(workdir, setup.env);
    await terraform.run(['init', '-input=false']);
    const create = await terraform.plan();
    const plans = new Map<string, Planned>([['create', create]]);
    if (prepared.region === undefined) throw new Error(`${STACK} has no AWS provider to plan with`);
    plans.set('no-op', await settle(terraform, workdir, create, prepared.asWritten, prepared.region));
    for (const [name, scenario] of Object.entries(SCENARIOS)) {
      const config = structuredClone(
        scenario.stack === undefined ? prepared.asWritten : prepare(join(GOLDEN, scenario.stack)).asWritten,
      );
      scenario.change?.(config);
      write(config);
      // A stack without the registry credentials' variables (a retired one) is given none.
      const variables = config.variable?.dockerhub_username === undefined ? [] : VARIABLES;
      plans.set(name, await terraform.plan(['-refresh=false', ...(scenario.args?.(config) ?? [])], variables));
      process.stdout.write(`${name}: ${scenario.about}\n`);
    }
    writeFixtures(plans);
    process.stdout.write(`Fixtures written to ${FIXTURES_DIR}\n`);
  } finally {
    await stub.close();
    rmSync(workdir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
