import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { checkStack, GuardrailsError, StackReport } from '../guardrails';
import { checkedByCaller } from '../guardrails/security-checks';

/** An output directory that cannot be written: a file, a read-only or full file system, no permission. One line, no stack trace. */
export class OutputDirError extends Error {
  constructor(outdir: string, reason: string) {
    super(`Cannot write the output directory ${outdir}: ${reason}. Name another one with CDKTF_OUTDIR, or unset it to use cdktf.out.`);
    this.name = 'OutputDirError';
  }
}

/** What file system errors mean, in words. */
const FILE_SYSTEM_ERRORS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space is left on the device',
  ENOTDIR: 'a part of its path is a file, not a directory',
  EEXIST: 'a file is where a directory is needed',
  EISDIR: 'a directory is where a file should be',
  ENOENT: 'a part of its path does not exist and cannot be created',
};

/** Runs a file operation on the output directory; a file system error becomes an OutputDirError. */
function onOutputDir<T>(outdir: string, operation: () => T): T {
  try {
    return operation();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === undefined || FILE_SYSTEM_ERRORS[code] === undefined) throw error;
    throw new OutputDirError(outdir, `${FILE_SYSTEM_ERRORS[code]} (${code} on ${(error as NodeJS.ErrnoException).path ?? outdir})`);
  }
}

/**
 * Synthesizes the stacks that `build` adds to an app into a staging directory,
 * checks each stack as written with every guardrail, and only then moves the
 * files into `outdir`. A finding, a prop error or a crash leaves `outdir` as it
 * was; files there that synth does not write (Terraform's `.terraform`
 * directories and lock files) stay. Checking the written files, rather than
 * resolving each stack once more before synth, saves a fifth of a fleet's synth.
 *
 * @returns one report per stack
 * @throws GuardrailsError listing every finding of every stack
 */
export function synthesizeChecked(outdir: string, build: (app: App) => readonly TerraformStack[]): StackReport[] {
  if (fs.existsSync(outdir) && !fs.statSync(outdir).isDirectory()) throw new OutputDirError(outdir, 'it is a file, not a directory');
  // Beside the output directory, so that moving the files is a rename on one file system.
  const staging = onOutputDir(outdir, () => {
    fs.mkdirSync(path.dirname(path.resolve(outdir)), { recursive: true });
    return fs.mkdtempSync(`${path.resolve(outdir)}.staging-`);
  });
  try {
    const app = new App({ outdir: staging });
    const stacks = build(app);
    checkedByCaller(stacks);
    app.synth();
    const manifest = JSON.parse(fs.readFileSync(path.join(staging, 'manifest.json'), 'utf8'));
    const reports = stacks.map((stack) => {
      const written = path.join(staging, manifest.stacks[stack.node.id].synthesizedStackPath);
      // `cdktf synth --hcl` writes HCL, which the guardrails cannot read: they check the stack as JSON instead.
      const json = written.endsWith('.json') ? JSON.parse(fs.readFileSync(written, 'utf8')) : stack.toTerraform();
      return checkStack(json, { stackName: stack.node.id });
    });
    const findings = reports.flatMap((report) => report.findings);
    if (findings.length > 0) throw new GuardrailsError(findings);
    onOutputDir(outdir, () => moveFiles(staging, outdir));
    return reports;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** A stack's file in the other format: Terraform loads both `cdk.tf` and `cdk.tf.json`, and reports every element twice. */
const OTHER_FORMAT: Readonly<Record<string, string>> = { 'cdk.tf.json': 'cdk.tf', 'cdk.tf': 'cdk.tf.json' };

/**
 * Moves every file under `from` to the same relative path under `to`, replacing
 * files of the same name, and removing a stack's file in the other format.
 */
function moveFiles(from: string, to: string): void {
  for (const relative of fs.readdirSync(from, { recursive: true, encoding: 'utf8' })) {
    const source = path.join(from, relative);
    if (!fs.statSync(source).isFile()) continue;
    const target = path.join(to, relative);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    moveFile(source, target);
    const other = OTHER_FORMAT[path.basename(relative)];
    if (other !== undefined) fs.rmSync(path.join(path.dirname(target), other), { force: true });
  }
}

/** Renames a file; across file systems (an output directory that is a mount point), copies it and removes the original. */
function moveFile(source: string, target: string): void {
  try {
    fs.renameSync(source, target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    fs.copyFileSync(source, target);
    fs.rmSync(source);
  }
}
