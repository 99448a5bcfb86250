/**
 * `npm run validate -- [--require] [--keep] [<dir>...]`: validates and plans
 * every synthesized stack with real Terraform (see check.ts). Exit codes: 0
 * valid (or skipped, and said why), 1 a problem or a skip under --require,
 * 2 a usage error. `--print-mirror` only prints the provider mirror it would
 * use (see mirror.ts), for `.ci/run`.
 */
import { parseArgs } from 'node:util';
import { checkDirectory } from './check';
import { findProviderMirror, MIRROR_ENV_VAR } from './mirror';
import { formatReport } from './report';
import { ValidateError } from './stacks';
import { providerSetup, terraformVersion } from './terraform';

export const USAGE = `Usage: npm run validate -- [--require] [--keep] [<dir>...]
       npm run validate -- --print-mirror

Validates and plans every synthesized stack with real Terraform: \`terraform validate\`,
then \`terraform plan\` against a local stub of the AWS APIs a plan calls, each stack
as written and again with literal values for what is known only after apply.

  <dir>           a synth output directory (default: cdktf.out), or a directory of
                  <stack>.tf.json files such as __tests__/golden/<shape>
  --require       a check that cannot run (no Terraform, no providers, a stack whose
                  providers the mirror lacks) fails
  --keep          keep the working directories and print where they are
  --print-mirror  print the provider mirror it would use (nothing when there is none)
                  and how it was found (on stderr), and check nothing
  --help          this text

Providers come from a provider filesystem mirror (Terraform's "Provider Installation"
layout, <dir>/registry.terraform.io/hashicorp/aws/<version>/<os>_<arch>/): the one
${MIRROR_ENV_VAR}=<dir> names, or else the first that holds hashicorp/aws
among Terraform's implied local mirror directories, /opt/tf-plugins, and two levels
under /opt, /srv, /usr/local and /var/lib. Terraform then installs only from it,
offline, and the elements of providers it lacks are cut from the copies checked;
every such change is printed. A stack that needs a release of a provider the mirror
lacks (a version constraint it cannot meet) is named, with its requirement, and left
out; the other stacks are still checked. Without a mirror, providers come from your
Terraform setup.

Exit codes: 0 valid, or skipped with the reason; 1 a problem, or a skip with
--require; 2 a usage error.`;

/** Where the command writes, and the environment it reads. */
interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
}

const OPTIONS = {
  require: { type: 'boolean' },
  keep: { type: 'boolean' },
  'print-mirror': { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

/** `--print-mirror`: the mirror's path alone on stdout, for scripts (`.ci/run`), and how it was found on stderr. */
function printMirror(io: Io): number {
  const choice = findProviderMirror(io.env);
  if (choice.kind === 'found') {
    io.stdout(`${choice.path}\n`);
    io.stderr(`Provider mirror: ${choice.path} (${choice.how})\n`);
  } else {
    io.stderr(`No provider mirror: ${choice.reason}\n`);
  }
  return 0;
}

/** What a skip prints: the reason's first line as the sentence, and the lines under it (Terraform's error) indented. */
export function skipMessage(reason: string, required: boolean): string {
  const [headline, ...details] = reason.split('\n');
  const indented = details.map((line) => `  ${line}\n`).join('');
  return `npm run validate: skipped, because ${headline}.${required ? '' : ' Nothing was checked.'}\n${indented}`;
}

/** Checks each directory; the first line says which Terraform and which providers (and how they were found). */
async function checkAll(
  dirs: readonly string[],
  { keep, required }: { readonly keep?: boolean; readonly required: boolean },
  io: Io,
  skip: (reason: string) => number,
) {
  const version = terraformVersion(io.env);
  if (version === undefined) return skip('the terraform CLI is not on PATH (Terraform 1.11 or later)');
  const { setup, description } = providerSetup(io.env);
  io.stdout(`Terraform ${version}; ${description}\n`);
  let passed = true;
  let complete = true;
  try {
    for (const dir of dirs) {
      const outcome = await checkDirectory(dir, setup, { keep });
      if (outcome.kind === 'skipped') return skip(outcome.reason);
      const report = formatReport(outcome.report);
      io.stdout(report.text);
      passed &&= report.passed;
      complete &&= report.complete;
    }
  } finally {
    // Kept working directories are for running Terraform again by hand, with the same configuration.
    if (!keep) setup.dispose();
  }
  if (!complete && required) {
    io.stderr('npm run validate: some stacks were not checked (named above), and --require asks that every one be.\n');
    return 1;
  }
  return passed ? 0 : 1;
}

/** Runs the command and returns its exit code. */
export async function runValidate(argv: readonly string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, options: OPTIONS });
  } catch (error) {
    io.stderr(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (parsed.values.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const required = parsed.values.require === true;
  const skip = (reason: string) => {
    io.stderr(skipMessage(reason, required));
    return required ? 1 : 0;
  };
  try {
    if (parsed.values['print-mirror']) return printMirror(io);
    const dirs = parsed.positionals.length > 0 ? parsed.positionals : ['cdktf.out'];
    return await checkAll(dirs, { keep: parsed.values.keep, required }, io, skip);
  } catch (error) {
    if (!(error instanceof ValidateError)) throw error;
    io.stderr(`npm run validate: ${error.message}\n`);
    return 1;
  }
}

if (require.main === module) {
  runValidate(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
  }).then((code) => (process.exitCode = code));
}
