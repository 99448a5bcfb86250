import { StackReport } from './check';
import { Rule } from './core/rule';
import { ALL_RULES } from './rules';

const plural = (count: number, noun: string) =>
  `${count === 0 && noun === 'finding' ? 'no' : count} ${noun}${count === 1 ? '' : 's'}`;

/** The one-line outcome of the checks: `Guardrails: 2 stacks, 519 checks, no findings, 4 suppressed with reasons`. */
export function summaryLine(reports: readonly StackReport[]): string {
  const total = (count: (report: StackReport) => number) => reports.reduce((sum, report) => sum + count(report), 0);
  return (
    `Guardrails: ${plural(reports.length, 'stack')}, ${total((report) => report.checks)} checks, ` +
    `${plural(
      total((report) => report.findings.length),
      'finding',
    )}, ${total((report) => report.suppressed.length)} suppressed with reasons`
  );
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** A Markdown report of the checks: per stack, the counts, every suppression with its reason, and the rules checked. */
export function formatReport(reports: readonly StackReport[], rules: readonly Rule[] = ALL_RULES): string {
  const lines = ['# Guardrails report', ''];
  lines.push('| Stack | Checks | Findings | Suppressed |', '| --- | ---: | ---: | ---: |');
  for (const report of reports)
    lines.push(`| ${report.stack} | ${report.checks} | ${report.findings.length} | ${report.suppressed.length} |`);
  for (const report of reports) {
    lines.push('', `## ${report.stack}`, '');
    if (report.findings.length > 0) {
      lines.push('Findings:', '', '| Rule | Resource | Problem |', '| --- | --- | --- |');
      for (const finding of report.findings)
        lines.push(`| ${finding.ruleId} | \`${finding.path}\` | ${cell(finding.problem)} |`);
      lines.push('');
    }
    if (report.suppressed.length === 0) lines.push('No suppressions.');
    else {
      lines.push('Suppressed:', '', '| Rule | Resource | Finding | Reason |', '| --- | --- | --- | --- |');
      for (const finding of report.suppressed) {
        lines.push(`| ${finding.ruleId} | \`${finding.path}\` | ${cell(finding.problem)} | ${cell(finding.reason)} |`);
      }
    }
    if (report.unusedSuppressions.length > 0) {
      lines.push('', 'Suppressions that matched no finding (remove them):', '');
      for (const unused of report.unusedSuppressions)
        lines.push(`- ${unused.ruleId} on \`${unused.path}\`: ${cell(unused.reason)}`);
    }
  }
  lines.push('', '## Rules', '', '| Rule | Checks that | Applies to |', '| --- | --- | --- |');
  for (const rule of rules)
    lines.push(`| ${rule.id} | ${cell(rule.name)} | ${rule.targets.map((target) => `\`${target}\``).join(', ')} |`);
  return `${lines.join('\n')}\n`;
}
