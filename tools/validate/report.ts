/** The text `npm run validate` prints for a checked directory. */
import { ALLOWED_WARNINGS, formatDiagnostic, locate } from './diagnostics';
import { CheckReport } from './check';
import { PreparedStack } from './prepare';

/** `n thing(s)`. */
const count = (n: number, thing: string) => `${n} ${thing}${n === 1 ? '' : 's'}`;

/** How many times each call was made: `STS.GetCallerIdentity ×4`. */
function tally(calls: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const call of calls) counts.set(call, (counts.get(call) ?? 0) + 1);
  return [...counts].map(([call, n]) => `${call} ×${n}`).join(', ') || 'nothing';
}

/** What was changed in a stack's copies to check them here. */
function changesOf(stack: PreparedStack): string {
  const parts = [...stack.cut].map(
    ([source, addresses]) => `cut provider ${source}${addresses.length === 0 ? '' : ` with ${addresses.join(', ')}`}`,
  );
  if (stack.placeholders > 0)
    parts.push(`${count(stack.placeholders, 'reference')} to cut elements replaced by placeholders`);
  parts.push(
    ...stack.notes,
    `${count(stack.literals, 'reference')} to resources replaced by literals in the second copy`,
  );
  // Every element cut (a repository's stack, without the GitHub provider): only its backend and providers were read.
  if (stack.asWritten.resource === undefined && stack.asWritten.data === undefined)
    parts.push('no resource or data source left to check');
  return `    ${stack.id}: ${parts.join('; ')}`;
}

/**
 * The report of one directory; whether what was checked passed; and whether every stack was checked (a stack whose
 * providers cannot be installed here is named, and left out).
 */
export function formatReport(report: CheckReport): {
  readonly text: string;
  readonly passed: boolean;
  readonly complete: boolean;
} {
  const notChecked = `${count(report.unchecked.length, 'stack')} not checked (below)`;
  const lines = [
    report.stacks.length === 0
      ? `${report.dir}: ${notChecked}`
      : `${report.dir}: ${count(report.stacks.length, 'stack')}, checked as written and again with literals for the ` +
        `values known only after apply${report.unchecked.length === 0 ? '' : `; ${notChecked}`}`,
  ];
  for (const left of report.unchecked) lines.push(`  ${left.id}: ${left.reason.replace(/\n/g, '\n    ')}`);
  if (report.stacks.length === 0) {
    lines.push('  Result: nothing checked');
    return { text: `${lines.join('\n')}\n`, passed: true, complete: false };
  }
  lines.push('  Changed in the copies checked (the stacks themselves are untouched):', ...report.stacks.map(changesOf));
  const counts = report.planCounts;
  lines.push(
    counts === undefined
      ? '  terraform plan: failed'
      : `  terraform plan: ${counts.add} to add, ${counts.change} to change, ${counts.remove} to destroy (both ` +
          `copies), as npm run plan-summary counts it too; the AWS stub served ${tally(report.stubCalls.served)}`,
  );
  if (report.stubCalls.refused.length > 0)
    lines.push(
      `  The AWS stub refused: ${tally(report.stubCalls.refused)} (teach tools/validate/aws-stub.ts these calls)`,
    );
  for (const diagnostic of report.allowed) {
    const reason = ALLOWED_WARNINGS.find((warning) => warning.summary === diagnostic.summary)?.reason;
    lines.push(`  allowed warning in ${locate(diagnostic)}: ${diagnostic.summary} (${reason})`);
  }
  // A problem of our own may span lines (Terraform's error under it): they are indented under its first.
  for (const diagnostic of report.failing) lines.push(`  ${formatDiagnostic(diagnostic).replace(/\n/g, '\n    ')}`);
  if (report.workdir !== undefined) lines.push(`  Working directory kept: ${report.workdir}`);
  const passed = report.failing.length === 0 && counts !== undefined && report.stubCalls.refused.length === 0;
  const checked = report.unchecked.length === 0 ? '' : ` (the ${count(report.stacks.length, 'stack')} checked)`;
  lines.push(passed ? `  Result: valid${checked}` : `  Result: ${count(report.failing.length, 'problem')}`);
  return { text: `${lines.join('\n')}\n`, passed, complete: report.unchecked.length === 0 };
}
