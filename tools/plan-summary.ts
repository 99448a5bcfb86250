#!/usr/bin/env node
/**
 * `npm run plan-summary -- <plan.json>...`: a Markdown summary of Terraform
 * plans for a pull-request comment, from `terraform show -json <planfile>`.
 *
 * It prints counts per action, a loud warning when a resource holding data or
 * history would be replaced or deleted (the list is tools/data-loss.ts), and one
 * table row per changed resource. It never prints an attribute's value (a plan
 * can hold secrets), only attribute names.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { type DataLoss, dataLossOf } from './data-loss';

export {
  DATA_GUARD_ARGUMENTS,
  DATA_LOSING_RESOURCE_TYPES,
  DATA_FREE_RESOURCE_TYPES,
  type DataLoss,
  dataLossOf,
} from './data-loss';

/** What a change does to its resource, in review terms. */
export type PlanAction = 'create' | 'update' | 'replace' | 'delete' | 'read' | 'forget' | 'import' | 'move' | 'no-op';

const changeSchema = z.object({
  actions: z.array(z.enum(['no-op', 'create', 'read', 'update', 'delete', 'forget'])).min(1),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
  replace_paths: z.array(z.array(z.union([z.string(), z.number()]))).optional(),
  importing: z.object({ id: z.string().optional() }).passthrough().optional(),
});

const resourceChangeSchema = z
  .object({
    address: z.string(),
    previous_address: z.string().optional(),
    mode: z.enum(['managed', 'data']),
    type: z.string(),
    deposed: z.string().optional(),
    change: changeSchema,
    action_reason: z.string().optional(),
  })
  .passthrough();

const planSchema = z
  .object({
    format_version: z.string().regex(/^1\.\d+$/, { message: 'must be a 1.x format version; this tool reads format 1' }),
    terraform_version: z.string().optional(),
    resource_changes: z.array(resourceChangeSchema).default([]),
    resource_drift: z.array(resourceChangeSchema).default([]),
    // Terraform writes each output's change directly, without the `change` wrapper resource changes have.
    output_changes: z.record(z.string(), changeSchema.partial({ actions: true }).passthrough()).default({}),
    errored: z.boolean().optional(),
  })
  .passthrough();

/** A change's actions and values, as `terraform show -json` writes them (the fields read here). */
export interface Change {
  readonly actions: readonly ('no-op' | 'create' | 'read' | 'update' | 'delete' | 'forget')[];
  readonly before?: unknown;
  readonly after?: unknown;
  readonly replace_paths?: readonly (readonly (string | number)[])[];
  readonly importing?: { readonly id?: string };
}

/** One resource's change in a plan (the fields read here). */
export interface ResourceChange {
  readonly address: string;
  readonly previous_address?: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly deposed?: string;
  readonly change: Change;
  readonly action_reason?: string;
}

/** A plan as `terraform show -json` writes it (the fields read here), as {@link parsePlan} returns it. */
export interface Plan {
  readonly format_version: string;
  readonly terraform_version?: string;
  readonly resource_changes: readonly ResourceChange[];
  readonly resource_drift: readonly ResourceChange[];
  readonly output_changes: Readonly<Record<string, Partial<Change>>>;
  readonly errored?: boolean;
}

/** A file that is not a Terraform JSON plan; the message says what it is and what to run. */
export class PlanError extends Error {
  constructor(source: string, problem: string) {
    super(`${source}: ${problem}`);
    this.name = 'PlanError';
  }
}

/** One resource change as a reviewer reads it. */
export interface SummarizedChange {
  readonly address: string;
  readonly type: string;
  readonly action: PlanAction;
  /** Why, in words: Terraform's action reason, the attributes that force a replacement, the attributes that change. */
  readonly details: string;
  /** What is lost, for a resource holding data or history that is replaced or deleted, and the page that says so. */
  readonly loses?: DataLoss;
}

const ACTION_ORDER: readonly PlanAction[] = [
  'replace',
  'delete',
  'forget',
  'update',
  'create',
  'import',
  'move',
  'read',
  'no-op',
];

const ACTION_REASONS: Readonly<Record<string, string>> = {
  replace_because_tainted: 'the resource is tainted',
  replace_because_cannot_update: 'an argument cannot be changed in place',
  replace_by_request: 'requested with -replace',
  delete_because_no_resource_config: 'the resource was removed from the configuration',
  delete_because_no_module: 'its module was removed from the configuration',
  delete_because_wrong_repetition: 'count or for_each was added or removed',
  delete_because_count_index: 'its count index is out of range',
  delete_because_each_key: 'its for_each key is gone',
  delete_because_no_move_target: 'its moved block points nowhere',
  read_because_config_unknown: 'its arguments are known only after apply',
  read_because_dependency_pending: 'it depends on a pending change',
  read_because_check_nested: 'a check block reads it',
};

/** Classifies Terraform's action list (and import/move markers) as one review action. */
export function actionOf(change: Pick<ResourceChange, 'change' | 'previous_address' | 'address'>): PlanAction {
  const actions = change.change.actions;
  if (actions.includes('delete') && actions.includes('create')) return 'replace';
  const [only] = actions;
  if (only === 'no-op' || only === 'update') {
    if (change.change.importing !== undefined) return 'import';
    if (change.previous_address !== undefined && change.previous_address !== change.address && only === 'no-op')
      return 'move';
  }
  return only;
}

/** The top-level attributes whose planned value differs from the current one. Values are compared, never printed. */
function changedAttributes(before: unknown, after: unknown): string[] {
  if (typeof before !== 'object' || before === null || typeof after !== 'object' || after === null) return [];
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys]
    .filter(
      (key) =>
        JSON.stringify((before as Record<string, unknown>)[key]) !==
        JSON.stringify((after as Record<string, unknown>)[key]),
    )
    .sort();
}

const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;
const list = (names: readonly string[], limit = 8) =>
  names.length <= limit
    ? names.map(code).join(', ')
    : `${names.slice(0, limit).map(code).join(', ')} and ${names.length - limit} more`;

function summarizeChange(change: ResourceChange): SummarizedChange {
  const action = actionOf(change);
  const details: string[] = [];
  if (change.action_reason !== undefined)
    details.push(ACTION_REASONS[change.action_reason] ?? change.action_reason.replace(/_/g, ' '));
  const forcing = (change.change.replace_paths ?? []).map((path) => path.join('.'));
  if (action === 'replace' && forcing.length > 0) details.push(`forced by ${list(forcing)}`);
  if (action === 'replace' && change.change.actions[0] === 'create')
    details.push('the new one is created before the old one is deleted');
  if (action === 'update' || action === 'import') {
    const changed = changedAttributes(change.change.before, change.change.after);
    if (changed.length > 0) details.push(`changes ${list(changed)}`);
  }
  if (change.change.importing?.id !== undefined) details.push(`imports ${code(change.change.importing.id)}`);
  if (change.previous_address !== undefined && change.previous_address !== change.address)
    details.push(`moved from ${code(change.previous_address)}`);
  if (change.deposed !== undefined) details.push(`deposed object ${code(change.deposed)}`);
  const loses =
    (action === 'replace' || action === 'delete') && change.mode === 'managed'
      ? dataLossOf(change.type, change.change.before)
      : undefined;
  return { address: change.address, type: change.type, action, details: details.join('; '), loses };
}

/** Parses a plan document, with errors that say what the file is instead. */
export function parsePlan(document: unknown, source: string): Plan {
  const isObject = typeof document === 'object' && document !== null;
  // A state file as Terraform keeps it (terraform.tfstate: `version`, `serial`, `resources`), or as `terraform show
  // -json` prints it (`values`).
  const isState = isObject && !('resource_changes' in document) && ('values' in document || 'serial' in document);
  if (isState) {
    throw new PlanError(
      source,
      'this is Terraform state, not a plan: run `terraform plan -out=plan.tfplan && terraform show -json ' +
        'plan.tfplan > plan.json` and summarize plan.json',
    );
  }
  const result = planSchema.safeParse(document);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `${issue.path.length === 0 ? '(document)' : issue.path.join('.')}: ${issue.message}`,
    );
    throw new PlanError(
      source,
      `not a Terraform JSON plan (\`terraform show -json ` +
        `<planfile>\`):\n${problems.map((problem) => `  - ${problem}`).join('\n')}`,
    );
  }
  return result.data;
}

/** Reads and parses a plan file. */
export function readPlan(path: string): Plan {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new PlanError(
      path,
      `cannot read the file: ` +
        `${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (error as Error).message}`,
    );
  }
  if (bytes.subarray(0, 2).toString('latin1') === 'PK') {
    throw new PlanError(
      path,
      'this is a binary plan file: convert it with `terraform show -json <planfile> > plan.json`',
    );
  }
  let document: unknown;
  try {
    document = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new PlanError(
      path,
      `not JSON (${(error as Error).message}): write the plan with \`terraform show -json <planfile> > plan.json\``,
    );
  }
  return parsePlan(document, path);
}

/** How many resource changes of each action a plan has. */
export function countActions(plan: Plan): Record<PlanAction, number> {
  const counts = Object.fromEntries(ACTION_ORDER.map((action) => [action, 0])) as Record<PlanAction, number>;
  for (const change of plan.resource_changes) counts[actionOf(change)] += 1;
  return counts;
}

/**
 * The counts Terraform prints ("Plan: 1 to add, 2 to change, 0 to destroy"): a replacement adds one and destroys one.
 */
export function terraformCounts(counts: Record<PlanAction, number>): {
  readonly add: number;
  readonly change: number;
  readonly remove: number;
} {
  return { add: counts.create + counts.replace, change: counts.update, remove: counts.delete + counts.replace };
}

/** The summary of one plan, as Markdown. */
export function summarizePlan(plan: Plan, title: string): string {
  const changes = plan.resource_changes.map(summarizeChange);
  const counts = countActions(plan);
  const headline = (['create', 'update', 'replace', 'delete'] as const)
    .map((action) => `${counts[action]} to ${action}`)
    .join(', ');
  const lines = [`### ${title}: ${headline}`, ''];
  if (plan.errored)
    lines.push('> [!WARNING]', '> Terraform reported errors while planning: this plan is incomplete.', '');
  lines.push(...lossWarning(changes), ...countsTable(counts), ...changesTable(changes));
  const drifted = plan.resource_drift.map((change) => change.address);
  if (drifted.length > 0) lines.push(`Changed outside Terraform since the last apply (drift): ${list(drifted)}.`, '');
  const outputs = Object.entries(plan.output_changes)
    .filter(([, output]) => output.actions !== undefined && !output.actions.every((action) => action === 'no-op'))
    .map(([name]) => name)
    .sort();
  if (outputs.length > 0) lines.push(`Outputs that change: ${list(outputs)}.`, '');
  return lines.join('\n');
}

/** What is lost, with a link to the page that says so when there is one. */
const lossText = ({ loses, documentation }: DataLoss) =>
  documentation.startsWith('https://') ? `${loses} ([documented](${documentation}))` : `${loses} (${documentation})`;

/** The caution block for resources holding data or history that a plan destroys or replaces; nothing when none. */
function lossWarning(changes: readonly SummarizedChange[]): string[] {
  const destroyed = changes.filter((change) => change.loses !== undefined);
  if (destroyed.length === 0) return [];
  const count = destroyed.length === 1 ? '1 resource holding' : `${destroyed.length} resources holding`;
  const verb = destroyed.some((change) => change.action === 'delete') ? 'destroyed' : 'replaced';
  return [
    '> [!CAUTION]',
    `> **${count} data or history would be ${verb}.** Terraform cannot bring back what is lost:`,
    '>',
    '> | Action | Resource | Lost | Why |',
    '> | --- | --- | --- | --- |',
    ...destroyed.map(
      (change) =>
        `> | **${change.action}** | ${code(change.address)} | ${lossText(change.loses!)} | ${change.details || '–'} |`,
    ),
    '',
  ];
}

/** The table of how many resources each action touches; the rarer actions only when they occur. */
function countsTable(counts: Record<PlanAction, number>): string[] {
  const others = (['forget', 'import', 'move', 'read'] as const).filter((action) => counts[action] > 0);
  return [
    '| Create | Update | Replace | Delete | Unchanged |' +
      others.map((action) => ` ${action[0].toUpperCase()}${action.slice(1)} |`).join(''),
    '| ---: | ---: | ---: | ---: | ---: |' + others.map(() => ' ---: |').join(''),
    `| ${counts.create} | ${counts.update} | ${counts.replace} | ${counts.delete} | ${counts['no-op']} |` +
      others.map((action) => ` ${counts[action]} |`).join(''),
    '',
  ];
}

/** The table of every change, destructive ones first and in bold. */
function changesTable(changes: readonly SummarizedChange[]): string[] {
  const shown = changes
    .filter((change) => change.action !== 'no-op')
    .sort(
      (a, b) => ACTION_ORDER.indexOf(a.action) - ACTION_ORDER.indexOf(b.action) || a.address.localeCompare(b.address),
    );
  if (shown.length === 0) return ['No changes: the infrastructure matches the configuration.', ''];
  return [
    '| Action | Resource | Type | Details |',
    '| --- | --- | --- | --- |',
    ...shown.map((change) => {
      const action = change.loses === undefined ? change.action : `**${change.action}**`;
      return `| ${action} | ${code(change.address)} | ${change.type} | ${change.details || '–'} |`;
    }),
    '',
  ];
}

/** Summarizes plan files into one comment; throws PlanError for a file that is not a plan. */
export function summarizePlanFiles(paths: readonly string[]): string {
  const sections = paths.map((path) => summarizePlan(readPlan(path), `Terraform plan ${code(path)}`));
  return `${sections.join('\n')}\n_No attribute values are shown: a plan can hold secrets._\n`;
}

export const USAGE = `Usage: cdktf-ci-plan-summary <plan.json>...
       (in this repository: npm run plan-summary -- <plan.json>...)

Prints a Markdown summary of Terraform plans for a pull-request comment: counts
per action, a warning when a resource holding data or history would be
replaced or deleted (with the page that says what is lost), and a row per
changed resource. Attribute values are never printed.
<plan.json> is \`terraform show -json <planfile>\` output.

Exit codes: 0 summarized; 1 a file that cannot be read or is not a plan; 2 a usage error.`;

export function main(argv: readonly string[]): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const unknown = argv.find((arg) => arg.startsWith('-'));
  if (argv.length === 0 || unknown !== undefined) {
    process.stderr.write(`${unknown === undefined ? 'no plan file given' : `unknown option ${unknown}`}\n${USAGE}\n`);
    return 2;
  }
  try {
    process.stdout.write(summarizePlanFiles(argv));
    return 0;
  } catch (error) {
    if (error instanceof PlanError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
