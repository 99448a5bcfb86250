/**
 * `npm run validate -- [--require] [--keep] [<dir>...]`: validates and plans
 * every synthesized stack with real Terraform (see check.ts). Exit codes: 0
 * valid (or skipped, and said why), 1 a problem or a skip under --require,
 * 2 a usage error.
 */
import { parseArgs } from 'node:util';
import { checkDirectory } from './check';
import { formatReport } from './report';
import { ValidateError } from './stacks';
import { MIRROR_ENV_VAR, providerSetup, terraformVersion } from './terraform';

export const USAGE = `Usage: npm run validate -- [--require] [--keep] [<dir>...]

Validates and plans every synthesized stack with real Terraform: \`terraform validate\`,
then \`terraform plan\` against a local stub of the AWS APIs a plan calls, each stack
as written and again with literal values for what is known only after apply.

  <dir>       a synth output directory (default: cdktf.out), or a directory of
              <stack>.tf.json files such as __tests__/golden/<shape>
  --require   a check that cannot run (no Terraform, no providers) fails
  --keep      keep the working directories and print where they are
  --help      this text

Providers come from your Terraform setup. With ${MIRROR_ENV_VAR}=<dir>, a provider
filesystem mirror (Terraform's "Provider Installation" layout), Terraform installs
only from it, offline, and the elements of providers it lacks are cut from the
copies checked; every such change is printed.

Exit codes: 0 valid, or skipped with the reason; 1 a problem, or a skip with
--require; 2 a usage error.`;

/** Runs the command and returns its exit code. */
export async function runValidate(
  argv: readonly string[],
  io: {
    readonly stdout: (text: string) => void;
    readonly stderr: (text: string) => void;
    readonly env: NodeJS.ProcessEnv;
  },
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { require: { type: 'boolean' }, keep: { type: 'boolean' }, help: { type: 'boolean' } },
    });
  } catch (error) {
    io.stderr(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (parsed.values.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const dirs = parsed.positionals.length > 0 ? parsed.positionals : ['cdktf.out'];
  const skip = (reason: string) => {
    io.stderr(`npm run validate: skipped, because ${reason}.${parsed.values.require ? '' : ' Nothing was checked.'}\n`);
    return parsed.values.require ? 1 : 0;
  };
  try {
    const version = terraformVersion(io.env);
    if (version === undefined) return skip('the terraform CLI is not on PATH (Terraform 1.11 or later)');
    const { setup, description } = providerSetup(io.env);
    io.stdout(`Terraform ${version}; ${description}\n`);
    let passed = true;
    for (const dir of dirs) {
      const outcome = await checkDirectory(dir, setup, { keep: parsed.values.keep });
      if (outcome.kind === 'skipped') return skip(outcome.reason);
      const report = formatReport(outcome.report);
      io.stdout(report.text);
      passed &&= report.passed;
    }
    return passed ? 0 : 1;
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
