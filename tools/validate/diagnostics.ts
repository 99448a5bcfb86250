/**
 * What Terraform reports, attributed to the stacks it is about, and which
 * warnings are expected: each allowed warning is listed here by its summary,
 * with the reason; any other warning fails the check, as any error does.
 */

/** A warning the stacks cause on purpose. */
export interface AllowedWarning {
  readonly summary: string;
  readonly reason: string;
}

export const ALLOWED_WARNINGS: readonly AllowedWarning[] = [
  {
    summary: 'The CodePipeline GitHub version 1 action provider is no longer recommended.',
    reason:
      'webhook mode uses the GitHub version 1 source action by design; connection mode is the recommended one ' +
      '(docs/configuration.md, "Webhook or connection?")',
  },
];

/** One diagnostic, from `terraform validate -json` or a `terraform plan -json` line. */
export interface Diagnostic {
  readonly severity: 'error' | 'warning';
  readonly summary: string;
  readonly detail?: string;
  readonly address?: string;
  readonly range?: { readonly filename: string; readonly start?: { readonly line: number } };
}

/** Where a diagnostic is: `<stack>` or `<stack> (with literals)`, and the element. */
export function locate(diagnostic: Diagnostic): string {
  const module = /^module\.([^.]+)\.(.+)$/.exec(diagnostic.address ?? '');
  const fromFile = diagnostic.range?.filename.split('/')[0];
  const copy = module?.[1] ?? fromFile ?? 'the root module';
  const where = copy.endsWith(LITERALS_SUFFIX) ? `${copy.slice(0, -LITERALS_SUFFIX.length)} (with literals)` : copy;
  const element = module?.[2] ?? (diagnostic.range?.start === undefined ? '' : `line ${diagnostic.range.start.line}`);
  return element === '' ? where : `${where}: ${element}`;
}

/** The suffix of the module that holds a stack's copy with literals. */
export const LITERALS_SUFFIX = '__literals';

/** One diagnostic as a line: severity, where, summary and the first line of the detail. */
export function formatDiagnostic(diagnostic: Diagnostic): string {
  const detail = diagnostic.detail?.split('\n').find((line) => line.trim() !== '');
  return (
    `${diagnostic.severity} in ${locate(diagnostic)}: ` +
    `${diagnostic.summary}${detail === undefined ? '' : ` ${detail.trim()}`}`
  );
}

/** The diagnostics, each once (a plan reports again what validate reported). */
export function distinct(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((diagnostic) => {
    const key = `${diagnostic.severity}|${diagnostic.summary}|${locate(diagnostic)}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

/** Splits diagnostics into the failing ones and the allowed warnings. */
export function classify(diagnostics: readonly Diagnostic[]): {
  readonly failing: Diagnostic[];
  readonly allowed: Diagnostic[];
} {
  const isAllowed = (diagnostic: Diagnostic) =>
    diagnostic.severity === 'warning' && ALLOWED_WARNINGS.some((warning) => warning.summary === diagnostic.summary);
  const unique = distinct(diagnostics);
  return { failing: unique.filter((diagnostic) => !isAllowed(diagnostic)), allowed: unique.filter(isAllowed) };
}

/** The diagnostics and the change summary of `terraform plan -json`'s lines. */
export function readPlanLog(log: string): { readonly diagnostics: Diagnostic[]; readonly changes?: PlanCounts } {
  const diagnostics: Diagnostic[] = [];
  let changes: PlanCounts | undefined;
  for (const line of log.split('\n').filter((candidate) => candidate.startsWith('{'))) {
    const message = JSON.parse(line);
    if (message.type === 'diagnostic') diagnostics.push(message.diagnostic);
    if (message.type === 'change_summary') changes = message.changes;
  }
  return { diagnostics, changes };
}

/** Terraform's own counts of a plan. */
export interface PlanCounts {
  readonly add: number;
  readonly change: number;
  readonly remove: number;
  readonly import?: number;
}
