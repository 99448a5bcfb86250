/**
 * `npm run test:consumer`: the package as a platform team installs it. Packs
 * this project (`npm pack`, which builds it), copies the stock cdktf app of
 * `examples/consumer-app` to a temporary directory with the tarball, installs
 * it there with the app's own, newer `constructs`, and checks that:
 *   (a) the app synthesizes through ts-node (`npx ts-node main.ts`, cdktf.json's app);
 *   (b) it compiles with `tsc`, and the JavaScript synthesizes the same stack;
 *   (c) its Jest test with cdktf's `Testing` matchers passes;
 *   (d) the package's commands run from the app (`npx cdktf-ci-guardrails`,
 *       `cdktf-ci-diagram`, `cdktf-ci-plan-summary`), with their exit codes;
 * and that one copy of `constructs` and of `cdktf` is installed. Every other
 * example app (`examples/<name>/`, each with its own package.json and
 * cdktf.json) is installed the same way and must synthesize its stacks through
 * ts-node. Prints the tarball's size. Exit 0 when all pass, 1 otherwise.
 */
import { spawnSync, SpawnSyncOptions } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const TARBALL = 'cdktf-github-codepipeline-ci.tgz';
const STACK = 'api-ci';

class CheckFailed extends Error {}

/** Runs a command, printing it; fails with its output when it exits non-zero. */
function run(command: string, args: readonly string[], options: SpawnSyncOptions & { cwd: string }): string {
  const started = Date.now();
  const result = spawnSync(command, [...args], {
    encoding: 'utf8',
    ...options,
    env: { ...process.env, ...options.env },
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`  $ ${[command, ...args].join(' ')}  (${seconds} s)`);
  if (result.status !== 0)
    throw new CheckFailed(`${command} ${args.join(' ')} exited ${result.status}:\n${result.stdout}${result.stderr}`);
  return String(result.stdout);
}

/** Runs a command and returns its exit status and output, whatever the status. */
function status(command: string, args: readonly string[], cwd: string): { status: number | null; output: string } {
  const result = spawnSync(command, [...args], { cwd, encoding: 'utf8' });
  console.log(`  $ ${[command, ...args].join(' ')}  (exit ${result.status})`);
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** The package's commands, run from the app as a team runs them: (d). */
function checkCommands(app: string, outdir: string): void {
  const expectations: readonly [readonly string[], number, RegExp][] = [
    [['cdktf-ci-guardrails', outdir], 0, /^Guardrails: 1 stack, \d+ checks, no findings/],
    [['cdktf-ci-guardrails', '--help'], 0, /^Usage: cdktf-ci-guardrails/],
    [['cdktf-ci-guardrails', '--strict'], 2, /Unknown option '--strict'/],
    [['cdktf-ci-guardrails', join(app, 'no-such-dir')], 1, /manifest\.json does not exist/],
    [['cdktf-ci-diagram', '--outdir', outdir], 0, /diagrams\/api-ci\.md/],
    [['cdktf-ci-diagram', '--help'], 0, /^Usage: cdktf-ci-diagram/],
    [['cdktf-ci-plan-summary', join(ROOT, '__tests__', 'fixtures', 'plans', 'mixed.json')], 0, /^#+ Terraform plan/m],
    [['cdktf-ci-plan-summary'], 2, /no plan file given/],
  ];
  for (const [args, expected, output] of expectations) {
    const result = status('npx', ['--no-install', ...args], app);
    if (result.status !== expected || !output.test(result.output)) {
      throw new CheckFailed(
        `npx ${args.join(' ')} exited ${result.status} (expected ${expected}), printing:\n${result.output}`,
      );
    }
    if (/^\s+at /m.test(result.output))
      throw new CheckFailed(`npx ${args.join(' ')} printed a stack trace:\n${result.output}`);
  }
}

/** An example app of its own, copied beside the tarball and installed with it: its directory. */
function installExample(work: string, name: string): string {
  const app = join(work, name);
  cpSync(join(ROOT, 'examples', name), app, { recursive: true });
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: app });
  for (const dependency of ['constructs', 'cdktf']) {
    const copies = copiesOf(app, dependency);
    if (copies.length !== 1)
      throw new CheckFailed(
        `${name}: ${copies.length} copies of ${dependency} installed (${copies.join(', ')}): the package must take ` +
          `the app's own as a peer`,
      );
  }
  return app;
}

/** The example apps besides the consumer app: each synthesizes every stack it declares through ts-node. */
function checkOtherExamples(work: string): void {
  const examples = readdirSync(join(ROOT, 'examples'), { withFileTypes: true }).filter(
    (entry) =>
      entry.isDirectory() &&
      entry.name !== 'consumer-app' &&
      existsSync(join(ROOT, 'examples', entry.name, 'cdktf.json')),
  );
  for (const example of examples) {
    const app = installExample(work, example.name);
    const outdir = join(app, 'cdktf.out');
    run('npx', ['ts-node', 'main.ts'], { cwd: app, env: { CDKTF_OUTDIR: outdir } });
    const stacks = Object.keys(JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')).stacks);
    if (stacks.length === 0) throw new CheckFailed(`examples/${example.name} synthesized no stack`);
    console.log(
      `  examples/${example.name}: installed the tarball and synthesized ${stacks.join(', ')} through ts-node`,
    );
  }
}

/** The synthesized stack's JSON in an output directory. */
function stackIn(outdir: string): Record<string, any> {
  const file = join(outdir, 'stacks', STACK, 'cdk.tf.json');
  if (!existsSync(file)) throw new CheckFailed(`no ${file}: the app synthesized nothing`);
  const json = JSON.parse(readFileSync(file, 'utf8'));
  for (const type of ['aws_codepipeline', 'aws_codebuild_project', 'aws_codebuild_webhook']) {
    if (json.resource?.[type] === undefined) throw new CheckFailed(`${file} has no ${type}`);
  }
  return json;
}

/** The installed copies of a package, by path. */
function copiesOf(app: string, name: string): string[] {
  const result = spawnSync('npm', ['ls', name, '--all', '--parseable'], { cwd: app, encoding: 'utf8' });
  return String(result.stdout)
    .split('\n')
    .filter((line) => line.endsWith(`node_modules/${name}`));
}

function main(): number {
  const work = mkdtempSync(join(tmpdir(), 'ci-consumer-'));
  const app = join(work, 'consumer-app');
  try {
    console.log(`Consumer test in ${work}`);
    const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], { cwd: ROOT }))[0];
    renameSync(join(work, packed.filename), join(work, TARBALL));
    console.log(
      `  tarball: ${packed.entryCount} files, ${(packed.size / 1024).toFixed(0)} KiB packed, ` +
        `${(packed.unpackedSize / 1024).toFixed(0)} KiB unpacked`,
    );
    installExample(work, 'consumer-app');
    const constructsVersion = JSON.parse(
      readFileSync(join(app, 'node_modules', 'constructs', 'package.json'), 'utf8'),
    ).version;
    console.log(`  one copy each of constructs (${constructsVersion}, the app's own) and cdktf`);

    run('npx', ['ts-node', 'main.ts'], { cwd: app, env: { CDKTF_OUTDIR: join(app, 'out-ts-node') } });
    const viaTsNode = stackIn(join(app, 'out-ts-node'));
    console.log('  (a) synthesized through ts-node');

    run('npx', ['tsc'], { cwd: app });
    run('node', ['main.js'], { cwd: app, env: { CDKTF_OUTDIR: join(app, 'out-tsc') } });
    const viaTsc = stackIn(join(app, 'out-tsc'));
    if (JSON.stringify(viaTsc.resource) !== JSON.stringify(viaTsNode.resource))
      throw new CheckFailed('the compiled app synthesized other resources than ts-node did');
    console.log('  (b) compiled with tsc; the JavaScript synthesizes the same stack');

    run('npx', ['jest'], { cwd: app });
    console.log("  (c) the app's Jest test with cdktf's Testing matchers passes");

    checkCommands(app, join(app, 'out-tsc'));
    console.log("  (d) the package's commands run from the app, with the documented exit codes");

    checkOtherExamples(work);
    console.log(`Consumer test passed (${(statSync(join(work, TARBALL)).size / 1024).toFixed(0)} KiB tarball).`);
    return 0;
  } catch (error) {
    if (!(error instanceof CheckFailed)) throw error;
    console.error(`Consumer test failed: ${error.message}`);
    return 1;
  } finally {
    if (process.env.KEEP_CONSUMER === undefined) rmSync(work, { recursive: true, force: true });
  }
}

process.exitCode = main();
