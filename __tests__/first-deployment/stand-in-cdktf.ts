/**
 * A stand-in for `cdktf deploy <stack patterns>`, for running the first-deployment walk-through here, where no AWS
 * account or GitHub is reachable. What cdktf decides is cdktf's own code: which stacks the patterns select, and its
 * refusal of a stack whose dependencies the command leaves out (@cdktf/cli-core's stack helpers). Each selected
 * stack is then planned in dependency order with real Terraform and the real AWS provider, against the AWS stub that
 * stands in for the account (`npm run validate`'s check, with the stub the test runs). The first plan that fails
 * stops the command, with Terraform's errors, as `cdktf deploy` stops before it applies; a stack that plans is
 * recorded as deployed, and its outputs known at plan time are printed.
 *
 * Environment: FIRST_DEPLOYMENT_OUTDIR (the synth), FIRST_DEPLOYMENT_STUB (the stub's endpoint) and
 * FIRST_DEPLOYMENT_LOG (the file each deployed stack's name is appended to).
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkDirectory } from '../../tools/validate/check';
import { formatDiagnostic } from '../../tools/validate/diagnostics';
import { providerSetup } from '../../tools/validate/terraform';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- cdktf's CLI ships no types for its helpers.
const cdktf = require('@cdktf/cli-core/src/lib/helpers/stack-helpers');

type Stack = { readonly name: string; readonly dependencies: readonly string[]; readonly path: string };

function synthesizedStacks(outdir: string): Stack[] {
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8'));
  return Object.entries<any>(manifest.stacks).map(([name, entry]) => ({
    name,
    dependencies: entry.dependencies ?? [],
    path: join(outdir, entry.synthesizedStackPath),
  }));
}

/** The stacks in an order in which each comes after its dependencies, as cdktf deploys them. */
function inDependencyOrder(stacks: readonly Stack[]): Stack[] {
  const ordered: Stack[] = [];
  const pending = [...stacks];
  while (pending.length > 0) {
    const next = pending.findIndex((stack) =>
      stack.dependencies.every((name) => ordered.some((done) => done.name === name)),
    );
    ordered.push(...pending.splice(next, 1));
  }
  return ordered;
}

/** The outputs known before apply: those the stack writes as literals, such as a repository stack's `next_step`. */
function literalOutputs(json: Record<string, any>): string[] {
  return Object.entries<any>(json.output ?? {})
    .filter(([, output]) => typeof output.value === 'string' && !output.value.includes('${'))
    .map(([name, output]) => `${name} = ${output.value}`);
}

async function deploy(patterns: readonly string[]): Promise<number> {
  const env = process.env;
  const outdir = env.FIRST_DEPLOYMENT_OUTDIR!;
  let selected: Stack[];
  try {
    selected = cdktf.getMultipleStacks(synthesizedStacks(outdir), patterns, 'deploy');
    cdktf.checkIfAllDependenciesAreIncluded(selected);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 1;
  }
  const { setup } = providerSetup(env);
  for (const stack of inDependencyOrder(selected)) {
    const dir = mkdtempSync(join(tmpdir(), 'first-deployment-'));
    try {
      const json = JSON.parse(readFileSync(stack.path, 'utf8'));
      writeFileSync(join(dir, `${stack.name}.tf.json`), JSON.stringify(json));
      const outcome = await checkDirectory(dir, setup, { stubEndpoint: env.FIRST_DEPLOYMENT_STUB });
      if (outcome.kind === 'skipped') throw new Error(`${stack.name} could not be planned: ${outcome.reason}`);
      const { failing } = outcome.report;
      if (failing.length > 0) {
        process.stderr.write(`${stack.name}: ${failing.map(formatDiagnostic).join('\n')}\n`);
        return 1;
      }
      const outputs = literalOutputs(json);
      process.stdout.write(
        `${stack.name}: deployed${outputs.length ? `\n\nOutputs:\n  ${outputs.join('\n  ')}` : ''}\n`,
      );
      appendFileSync(env.FIRST_DEPLOYMENT_LOG!, `${stack.name}\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return 0;
}

const [command, ...patterns] = process.argv.slice(2);
if (command !== 'deploy') {
  process.stderr.write(`the stand-in for cdktf runs only "cdktf deploy", not "cdktf ${command}"\n`);
  process.exit(2);
}
void deploy(patterns).then((code) => (process.exitCode = code));
