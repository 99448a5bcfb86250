#!/usr/bin/env node
/**
 * `cdktf-ci-guardrails [<cdktf.out>] [--report <file>]`: runs every guardrail
 * (security rules and permission completeness) over each stack of any cdktf
 * synth output, a team's own stacks included. Exit codes: 0 no findings, 1
 * findings or a user error (no synth output, a stack that is not JSON), 2 usage.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { checkApp, formatFinding, StackReport } from './check';
import { formatReport, summaryLine } from './report';

export const USAGE = `Usage: cdktf-ci-guardrails [<outdir>] [--report <file>]

Runs every guardrail rule over each stack that cdktf synthesized into <outdir>
(default: $CDKTF_OUTDIR, else cdktf.out), and prints each finding with its fix.

Options:
  --report <file>  also write the Markdown report (every stack, finding and suppression)
  --help           this text

Exit codes: 0 no findings; 1 findings, or no synth output to read; 2 a usage error.`;

/** A mistake in what the user pointed the command at. */
export class GuardrailsCliError extends Error {}

/** The reports of every stack of a synth output, in its manifest's order. */
export function checkSynthOutput(outdir: string): StackReport[] {
  const manifestPath = join(outdir, 'manifest.json');
  if (!existsSync(manifestPath))
    throw new GuardrailsCliError(
      `${manifestPath} does not exist: synthesize first (cdktf synth), or name the output directory`,
    );
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const stacks = Object.entries<{ synthesizedStackPath: string }>(manifest.stacks ?? {}).map(([name, entry]) => {
    const path = join(outdir, entry.synthesizedStackPath);
    if (!path.endsWith('.json'))
      throw new GuardrailsCliError(`${path} is HCL: synthesize JSON (without --hcl) to check it`);
    return { name, json: JSON.parse(readFileSync(path, 'utf8')) };
  });
  return checkApp(stacks);
}

export function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { report: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (parsed.values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (parsed.positionals.length > 1) {
    process.stderr.write(`expected at most one output directory, got ${parsed.positionals.length}\n${USAGE}\n`);
    return 2;
  }
  try {
    const outdir = parsed.positionals[0] ?? env.CDKTF_OUTDIR ?? 'cdktf.out';
    const reports = checkSynthOutput(outdir);
    if (parsed.values.report !== undefined) writeFileSync(parsed.values.report, formatReport(reports));
    const findings = reports.flatMap((report) => report.findings);
    process.stdout.write(
      `${[summaryLine(reports), ...findings.map((finding) => `  - ${formatFinding(finding)}`)].join('\n')}\n`,
    );
    return findings.length === 0 ? 0 : 1;
  } catch (error) {
    if (
      error instanceof GuardrailsCliError ||
      error instanceof SyntaxError ||
      (error as NodeJS.ErrnoException).code === 'ENOENT'
    ) {
      process.stderr.write(`cdktf-ci-guardrails: ${(error as Error).message}\n`);
      return 1;
    }
    throw error;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
