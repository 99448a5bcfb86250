/**
 * `npm run fleet-waits`: what a platform team waits for when a change plans every stack of a fleet, in a CodeBuild
 * batch against one machine planning the stacks one by one. Prints a Markdown table.
 *
 *   CI_PIPELINES_PROVIDER_MIRROR=/opt/tf-plugins npm run fleet-waits -- [--stacks-measured 4] [--start-seconds 60]
 *
 * Measured here: each stack's `terraform init` and `plan` (real Terraform and the real AWS provider against the
 * local AWS stand-in, stacks prepared as `npm run validate` prepares them), the app's synth of each fleet, and
 * `npm ci`. Not measurable here, so a parameter: the seconds CodeBuild takes to provision a build and download its
 * source (`--start-seconds`). The model (tools/infrastructure-pipeline/wait-model.ts) runs the batch graph of every
 * stack at 5, 20 and 60 concurrent builds: figures "Quotas for AWS CodeBuild" names (between 1 and 5 for a new
 * account, 20 for some compute types, 60 in the China regions' page).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { batchGraph } from '../tools/infrastructure-pipeline/batch-graph';
import { dependencyLevels } from '../tools/infrastructure-pipeline/stack-order';
import { readSynthOutput, SynthOutput } from '../tools/infrastructure-pipeline/synth-output';
import { batchSeconds, serialSeconds, WaitModelInputs } from '../tools/infrastructure-pipeline/wait-model';
import { startAwsStub } from '../tools/validate/aws-stub';
import { prepareStack } from '../tools/validate/prepare';
import { missingProviders, providerSetup, ProviderSetup } from '../tools/validate/terraform';
import { PROJECT_ROOT } from './app-command';
import { fleetConfig } from './fleet';

const CONCURRENCIES = [5, 20, 60] as const;
/**
 * Fleets of about 10, 100 and 1,000 stacks: each pipeline has a repository's stack and a pipeline's, and the fleet
 * one state bootstrap stack (its connection-mode pipelines share an existing connection).
 */
const FLEET_PIPELINES = [5, 50, 500] as const;

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;
const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Synthesizes a fleet with the app, as a build would; returns its output and the synth's seconds. */
function synthesizeFleet(pipelines: number, work: string): { readonly output: SynthOutput; readonly seconds: number } {
  const config = join(work, `fleet-${pipelines}.json`);
  writeFileSync(config, JSON.stringify(fleetConfig(pipelines)));
  const outdir = join(work, `fleet-${pipelines}.out`);
  const start = process.hrtime.bigint();
  const result = spawnSync('node', ['app/launch.cjs'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, CI_PIPELINES_CONFIG: config, CDKTF_OUTDIR: outdir },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`synth of ${pipelines} pipelines failed:\n${result.stderr}`);
  return { output: readSynthOutput(outdir), seconds: seconds(start) };
}

/** Seconds of `terraform init` and `plan` of each of `count` pipeline stacks, against the AWS stand-in. */
async function planSeconds(fleet: SynthOutput, count: number, setup: ProviderSetup, work: string): Promise<number[]> {
  const stub = await startAwsStub();
  try {
    const stacks = [...fleet.stacks.values()].filter((stack) => stack.id.startsWith('ci-')).slice(0, count);
    const measured: number[] = [];
    for (const stack of stacks) {
      const json = JSON.parse(readFileSync(stack.file, 'utf8'));
      const prepared = prepareStack(
        { id: stack.id, path: stack.file, json },
        { missingProviders: missingProviders(json, setup), stubEndpoint: stub.endpoint },
      );
      const dir = join(work, 'plans', stack.id);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify(prepared.asWritten));
      const variables = Object.entries<any>(prepared.asWritten.variable ?? {})
        .filter(([, variable]) => variable.default === undefined)
        .flatMap(([name]) => ['-var', `${name}=placeholder`]);
      const start = process.hrtime.bigint();
      for (const args of [
        ['init', '-input=false'],
        ['plan', '-input=false', '-lock=false', ...variables],
      ]) {
        const result = await new Promise<number | null>((resolve) =>
          spawn('terraform', [...args, '-no-color'], { cwd: dir, env: setup.env, stdio: 'ignore' }).on(
            'close',
            resolve,
          ),
        );
        if (result !== 0) throw new Error(`terraform ${args[0]} of ${stack.id} failed (exit ${result})`);
      }
      measured.push(seconds(start));
    }
    return measured;
  } finally {
    await stub.close();
  }
}

const minutes = (value: number) => `${(value / 60).toFixed(1)} min`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'stacks-measured': { type: 'string', default: '4' },
      'start-seconds': { type: 'string', default: '60' },
    },
  });
  const work = mkdtempSync(join(tmpdir(), 'fleet-waits-'));
  const { setup } = providerSetup(process.env);
  try {
    if (setup.mirror === undefined) throw new Error('no provider mirror: set CI_PIPELINES_PROVIDER_MIRROR');
    const fleets = FLEET_PIPELINES.map((pipelines) => synthesizeFleet(pipelines, work));
    const perStack = await planSeconds(fleets[0].output, Number(values['stacks-measured']), setup, work);
    const plan = median(perStack);
    const start = Number(values['start-seconds']);
    const lines = [
      `Plan of one pipeline stack (init + plan, real Terraform against the AWS stand-in), median of ` +
        `${perStack.length}: ${plan.toFixed(1)} s (${perStack.map((value) => value.toFixed(1)).join(', ')}).`,
      `A build's start: ${start} s of provisioning and source (assumed), plus the fleet's synth (measured).`,
      '',
      `| Stacks | Synth | Builds (levels) | One machine, one by one | ` +
        `${CONCURRENCIES.map((concurrency) => `Batch, ${concurrency} at once`).join(' | ')} |`,
      `| ---: | ---: | ---: | ---: | ${CONCURRENCIES.map(() => '---:').join(' | ')} |`,
    ];
    for (const fleet of fleets) {
      const graph = batchGraph(fleet.output.stacks);
      const levels = dependencyLevels(fleet.output.stacks).length;
      const inputs = (concurrency: number): WaitModelInputs => ({
        secondsPerStack: plan,
        secondsToStartBuild: start + fleet.seconds,
        concurrency,
      });
      const batch = CONCURRENCIES.map((concurrency) => minutes(batchSeconds(graph, inputs(concurrency))));
      lines.push(
        `| ${fleet.output.stacks.size} | ${fleet.seconds.toFixed(1)} s | ${graph.builds.length + 1} (${levels}) | ` +
          `${minutes(serialSeconds(fleet.output.stacks.size, inputs(1)))} | ${batch.join(' | ')} |`,
      );
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    setup.dispose();
    rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module)
  main().catch((error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  });
