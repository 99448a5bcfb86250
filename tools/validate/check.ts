/**
 * Checks the stacks of one directory with real Terraform: `terraform validate`,
 * then `terraform plan` against the local AWS stub, of one root module that
 * holds each stack twice, as written and with literals (see prepare.ts).
 * One root, so that the fixed costs of Terraform and its AWS provider are paid
 * once per directory rather than once per stack.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countActions, parsePlan, terraformCounts } from '../plan-summary';
import { AwsStub, AwsStubOptions, startAwsStub } from './aws-stub';
import { creationOrderProblems } from './creation-order';
import { uninstallableStacks, UncheckedStack } from './installable';
import { classify, Diagnostic, LITERALS_SUFFIX, PlanCounts, readPlanLog } from './diagnostics';
import { prepareStack, PreparedStack, stubProviderSettings } from './prepare';
import { readStacks } from './stacks';
import { missingProviders, ProviderSetup, runTerraform, TerraformResult, terraformError } from './terraform';

type Json = Record<string, any>;

/** What a check found. */
export interface CheckReport {
  readonly dir: string;
  /** The stacks checked. */
  readonly stacks: readonly PreparedStack[];
  /** The stacks left out, because Terraform cannot install their providers here, and why. */
  readonly unchecked: readonly UncheckedStack[];
  /** Errors and warnings that fail the check. */
  readonly failing: readonly Diagnostic[];
  /** Warnings listed in ALLOWED_WARNINGS. */
  readonly allowed: readonly Diagnostic[];
  /** Terraform's counts for the plan of both copies; undefined when the plan failed. */
  readonly planCounts?: PlanCounts;
  /** The plan, as `terraform show -json` writes it. */
  readonly plan?: Json;
  /** AWS calls the stub served and refused. */
  readonly stubCalls: { readonly served: readonly string[]; readonly refused: readonly string[] };
  /** The working directory, when kept. */
  readonly workdir?: string;
}

/** The outcome of checking a directory: a report, or why the check could not run (its first line, then details). */
export type CheckOutcome =
  { readonly kind: 'checked'; readonly report: CheckReport } | { readonly kind: 'skipped'; readonly reason: string };

/** Arguments for the variables a stack declares without a default. */
function variableArguments(json: Json): Json {
  const placeholder = (type: unknown) => (type === 'number' ? 1 : type === 'bool' ? false : 'placeholder');
  return Object.fromEntries(
    Object.entries<Json>(json.variable ?? {})
      .filter(([, spec]) => spec.default === undefined)
      .map(([name, spec]) => [name, placeholder(spec.type)]),
  );
}

/**
 * The region of the AWS provider the copies with literals share: the stacks'. When none has an AWS provider, the
 * provider plans nothing, and any region AWS has will do.
 */
const awsRegionOf = (stacks: readonly PreparedStack[]): string =>
  stacks.find((stack) => stack.region !== undefined)?.region ?? 'us-east-1';

/** The root module: each stack as written and with literals, and the AWS provider the copies with literals share. */
function rootModule(stacks: readonly PreparedStack[], endpoint: string): Json {
  const modules: Json = {};
  for (const stack of stacks) {
    modules[stack.id] = { source: `./${stack.id}`, ...variableArguments(stack.asWritten) };
    modules[`${stack.id}${LITERALS_SUFFIX}`] = {
      source: `./${stack.id}${LITERALS_SUFFIX}`,
      ...variableArguments(stack.withLiterals),
    };
  }
  const aws = stacks
    .map((stack) => stack.asWritten.terraform?.required_providers?.aws)
    .find((spec) => spec !== undefined) ?? { source: 'hashicorp/aws' };
  return {
    terraform: { required_providers: { aws } },
    provider: { aws: [{ region: awsRegionOf(stacks), ...stubProviderSettings(endpoint) }] },
    module: modules,
  };
}

function writeWorkspace(workdir: string, stacks: readonly PreparedStack[], endpoint: string): void {
  for (const stack of stacks) {
    for (const [name, json] of [
      [stack.id, stack.asWritten],
      [`${stack.id}${LITERALS_SUFFIX}`, stack.withLiterals],
    ] as const) {
      mkdirSync(join(workdir, name), { recursive: true });
      writeFileSync(join(workdir, name, 'main.tf.json'), `${JSON.stringify(json, null, 2)}\n`);
    }
  }
  writeFileSync(join(workdir, 'main.tf.json'), `${JSON.stringify(rootModule(stacks, endpoint), null, 2)}\n`);
}

/** An error when `npm run plan-summary`'s counts of the real plan differ from Terraform's own. */
function summaryMismatch(plan: Json, terraform: PlanCounts | undefined): Diagnostic[] {
  const ours = terraformCounts(countActions(parsePlan(plan, 'the plan')));
  const same =
    terraform !== undefined &&
    ours.add === terraform.add &&
    ours.change === terraform.change &&
    ours.remove === terraform.remove;
  if (same) return [];
  return [
    {
      severity: 'error',
      summary: `npm run plan-summary counts ${JSON.stringify(ours)}, but Terraform counts ${JSON.stringify(terraform)}`,
    },
  ];
}

/** What failed, and on the lines under it the whole of Terraform's error, so that a user can act on it. */
const failure = (what: string, result: TerraformResult) =>
  `${what} (Terraform's error below)\n${terraformError(result.stderr.trim() === '' ? result.stdout : result.stderr)}`;

/** What a check uses of a stub. */
type StubInUse = Pick<AwsStub, 'endpoint' | 'served' | 'refused' | 'close'>;

/** A stub another process runs: its calls are its own to report, and closing it is its owner's. */
const runningStub = (endpoint: string): StubInUse => ({ endpoint, served: [], refused: [], close: async () => {} });

/**
 * What the stacks look up that exists before they are planned: the shared connections (their stack is deployed
 * first) and the keys named by alias (the state's key, which the state-bootstrap stack creates).
 */
function lookedUp(stacks: ReturnType<typeof readStacks>): AwsStubOptions {
  const names = (type: string) =>
    stacks
      .flatMap((stack) => Object.values<any>(stack.json.data?.[type] ?? {}).map((lookup) => lookup.name))
      .filter((name): name is string => typeof name === 'string');
  return { connectionNames: names('aws_codestarconnections_connection'), kmsAliasNames: names('aws_kms_alias') };
}

/** Validates and plans the stacks in `dir`. */
export async function checkDirectory(
  dir: string,
  setup: ProviderSetup,
  options: {
    readonly keep?: boolean;
    /** A stub that is running already, standing in for an account in a given state; else one is started. */
    readonly stubEndpoint?: string;
  } = {},
): Promise<CheckOutcome> {
  const stacks = readStacks(dir);
  const stub: StubInUse =
    options.stubEndpoint === undefined ? await startAwsStub(lookedUp(stacks)) : runningStub(options.stubEndpoint);
  const workdir = mkdtempSync(join(tmpdir(), 'ci-validate-'));
  try {
    const prepared = stacks.map((stack) =>
      prepareStack(stack, { missingProviders: missingProviders(stack.json, setup), stubEndpoint: stub.endpoint }),
    );
    const terraform = (args: readonly string[]) => runTerraform([...args, '-no-color'], workdir, setup.env);
    const initialize = (checked: readonly PreparedStack[]) => {
      writeWorkspace(workdir, checked, stub.endpoint);
      return terraform(['init', '-input=false']);
    };
    let stacksChecked: readonly PreparedStack[] = prepared;
    let unchecked: UncheckedStack[] = [];
    let init = await initialize(prepared);
    // One stack that needs a provider release the mirror lacks fails the init of all: name it, and check the others.
    if (init.status !== 0 && setup.mirror !== undefined) {
      unchecked = await uninstallableStacks(prepared, setup, workdir);
      stacksChecked = prepared.filter((stack) => !unchecked.some((left) => left.id === stack.id));
      if (unchecked.length > 0 && stacksChecked.length > 0) init = await initialize(stacksChecked);
    }
    const workdirKept = options.keep ? workdir : undefined;
    const base = { dir, stacks: stacksChecked, unchecked, workdir: workdirKept };
    if (stacksChecked.length === 0) {
      return { kind: 'checked', report: { ...base, failing: [], allowed: [], stubCalls: stub } };
    }
    if (init.status !== 0) {
      const reason = failure('terraform init could not install the providers', init);
      if (setup.mirror === undefined) return { kind: 'skipped', reason };
      const failing: Diagnostic[] = [{ severity: 'error', summary: reason }];
      return { kind: 'checked', report: { ...base, failing, allowed: [], stubCalls: stub } };
    }
    const { diagnostics, planCounts, plan } = await validateAndPlan(terraform);
    const { failing, allowed } = classify(diagnostics);
    const stubCalls = { served: [...stub.served], refused: [...stub.refused] };
    return { kind: 'checked', report: { ...base, failing, allowed, planCounts, plan, stubCalls } };
  } finally {
    await stub.close();
    if (!options.keep) rmSync(workdir, { recursive: true, force: true });
  }
}

/** `terraform validate` and `plan` in an initialized workspace: every diagnostic, and the plan when there is one. */
async function validateAndPlan(terraform: (args: readonly string[]) => ReturnType<typeof runTerraform>) {
  const validate = await terraform(['validate', '-json']);
  const diagnostics: Diagnostic[] = JSON.parse(validate.stdout).diagnostics ?? [];
  const plan = await terraform(['plan', '-input=false', '-lock=false', '-out=plan.tfplan', '-json']);
  const planLog = readPlanLog(plan.stdout);
  diagnostics.push(...planLog.diagnostics);
  if (plan.status !== 0 && planLog.diagnostics.length === 0)
    diagnostics.push({ severity: 'error', summary: failure('terraform plan failed', plan) });
  const shown = plan.status === 0 ? JSON.parse((await terraform(['show', '-json', 'plan.tfplan'])).stdout) : undefined;
  if (shown !== undefined)
    diagnostics.push(...summaryMismatch(shown, planLog.changes), ...creationOrderProblems(shown));
  return { diagnostics, planCounts: plan.status === 0 ? planLog.changes : undefined, plan: shown };
}
