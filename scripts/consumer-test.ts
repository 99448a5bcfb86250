/**
 * `npm run test:consumer`: the package as platform teams install it. Packs this project (`npm pack`, which builds
 * it), then installs the tarball in two stock apps, each copied to a temporary directory:
 *   - examples/consumer-app: a cdktf app, as `cdktf init --template=typescript` makes it;
 *   - examples/consumer-app-cdktn: a CDK Terrain app, as `cdktn init --template=typescript` makes it, importing the
 *     package's cdktn form (`cdktf-github-codepipeline-ci/cdktn`).
 * Each is installed twice: with the versions its package.json pins, and with the newest versions npm resolves today
 * for every package a new user adds (NEWEST below: what docs/cdktf-or-cdk-terrain.md says works). Each install
 * checks that:
 *   (a) the app synthesizes through ts-node (`npx ts-node main.ts`, cdktf.json's app);
 *   (b) it compiles with `tsc`, and the JavaScript synthesizes the same stack (so does `cdktn synth`, in the cdktn
 *       app, which has cdktn-cli);
 *   (c) its Jest test with its core's `Testing` matchers passes;
 *   (d) the package's commands run from the app (`npx cdktf-ci-guardrails`, `cdktf-ci-diagram`,
 *       `cdktf-ci-plan-summary`, `cdktf-ci-infrastructure`), with their exit codes;
 *   (e) the package loads the app's own `constructs` and core;
 * and, with the newest versions, that TypeScript 7's `tsc` compiles the app and its JavaScript synthesizes the same
 * stack. Both apps must synthesize the same stack but for the core's metadata. Every other example app
 * (`examples/<name>/`, with its own package.json and cdktf.json) is installed the same way and must synthesize its
 * stacks through ts-node. Prints the tarball's size. Exit 0 when all pass, 1 otherwise.
 */
import { spawnSync, SpawnSyncOptions } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const TARBALL = 'cdktf-github-codepipeline-ci.tgz';
const STACK = 'api-ci';

/** The stock apps, and the core each is made with. */
const CONSUMER_APPS = [
  { name: 'consumer-app', core: 'cdktf' },
  { name: 'consumer-app-cdktn', core: 'cdktn' },
] as const;

type ConsumerApp = (typeof CONSUMER_APPS)[number];
type Versions = 'pinned' | 'newest';

/**
 * What a new user gets today: every package at its newest, but for these. `constructs` as each core's template
 * installs it; TypeScript 5.x, the newest line the template's ts-node and ts-jest run on (both need TypeScript's
 * JavaScript API, which TypeScript 7 does not have; cdktn's template installs `typescript@5.x` for that reason).
 */
const NEWEST: Readonly<Record<ConsumerApp['core'], Readonly<Record<string, string>>>> = {
  cdktf: { constructs: '10', typescript: '5.x' },
  cdktn: { constructs: '>=10.6.0 <10.8.0', typescript: '5.x' },
};

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
    [['cdktf-ci-infrastructure', '--help'], 0, /^Usage: cdktf-ci-infrastructure pull-request/],
    [['cdktf-ci-infrastructure', 'pull-request'], 2, /--base is required outside a CodeBuild pull-request build/],
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

/** `app`'s package.json with every package a user adds at its newest version (the tarball stays). */
function withNewestVersions(packageJson: Record<string, any>, core: ConsumerApp['core']): Record<string, any> {
  const newest = (deps: Record<string, string> = {}) =>
    Object.fromEntries(
      Object.entries(deps).map(([name, spec]) => [
        name,
        spec.startsWith('file:') ? spec : (NEWEST[core][name] ?? 'latest'),
      ]),
    );
  const overrides = Object.fromEntries(
    Object.entries<string>(packageJson.overrides ?? {}).map(([name, spec]) => [
      name,
      spec.replace(/@[^@]+$/, '@latest'),
    ]),
  );
  return {
    ...packageJson,
    dependencies: newest(packageJson.dependencies),
    devDependencies: newest(packageJson.devDependencies),
    ...(packageJson.overrides === undefined ? {} : { overrides }),
  };
}

/** An example app copied beside the tarball (to `<name>-<versions>`) and installed with it: its directory. */
function installExample(work: string, name: string, versions: Versions = 'pinned', core?: ConsumerApp['core']): string {
  const app = join(work, `${name}-${versions}`);
  cpSync(join(ROOT, 'examples', name), app, { recursive: true });
  if (versions === 'newest') {
    const manifest = join(app, 'package.json');
    writeFileSync(
      manifest,
      JSON.stringify(withNewestVersions(JSON.parse(readFileSync(manifest, 'utf8')), core!), null, 2),
    );
  }
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: app });
  // The package must take the app's own copies (peers): each resolves to the same file from the package as from the
  // app. (A CLI may carry copies of its own, outside the construct tree.)
  const ours = join(app, 'node_modules', 'cdktf-github-codepipeline-ci');
  for (const dependency of ['constructs', core ?? 'cdktf']) {
    const [fromApp, fromPackage] = [app, ours].map((dir) => resolvedFrom(dir, `${dependency}/package.json`));
    if (fromApp !== fromPackage)
      throw new CheckFailed(
        `${name}: the package loads ${dependency} from ${fromPackage}, the app from ${fromApp}: the package must ` +
          `take the app's own as a peer`,
      );
  }
  return app;
}

/** The installed version of `name` in `app`. */
const installedVersion = (app: string, name: string): string =>
  JSON.parse(readFileSync(join(app, 'node_modules', name, 'package.json'), 'utf8')).version;

/** The stack without the core's own metadata (`//`): what both cores must write alike. */
const withoutMetadata = (stack: Record<string, any>): string => JSON.stringify({ ...stack, '//': undefined });

/** Checks (a) to (e) on a stock app, and TypeScript 7 with the newest versions; returns its stack. */
function checkConsumerApp(work: string, consumer: ConsumerApp, versions: Versions): Record<string, any> {
  console.log(`${consumer.name}, ${versions} versions:`);
  const app = installExample(work, consumer.name, versions, consumer.core);
  const installed = ['typescript', 'ts-node', 'jest', 'ts-jest', consumer.core, 'constructs'].map(
    (name) => `${name} ${installedVersion(app, name)}`,
  );
  console.log(`  installed ${installed.join(', ')}; the package loads the app's constructs and ${consumer.core}`);

  run('npx', ['ts-node', 'main.ts'], { cwd: app, env: { CDKTF_OUTDIR: join(app, 'out-ts-node') } });
  const viaTsNode = stackIn(join(app, 'out-ts-node'));
  console.log('  (a) synthesized through ts-node');

  run('npx', ['tsc'], { cwd: app });
  run('node', ['main.js'], { cwd: app, env: { CDKTF_OUTDIR: join(app, 'out-tsc') } });
  if (withoutMetadata(stackIn(join(app, 'out-tsc'))) !== withoutMetadata(viaTsNode))
    throw new CheckFailed('the compiled app synthesized another stack than ts-node did');
  console.log('  (b) compiled with tsc; the JavaScript synthesizes the same stack');

  if (consumer.core === 'cdktn') {
    // The CLI reads cdktf.json (its `app`, its targetVersions) and writes to --output.
    run('npx', ['cdktn', 'synth', '--output', join(app, 'out-cli')], { cwd: app });
    if (withoutMetadata(stackIn(join(app, 'out-cli'))) !== withoutMetadata(viaTsNode))
      throw new CheckFailed('`cdktn synth` synthesized another stack than ts-node did');
    console.log('  `cdktn synth` writes the same stack');
  }

  run('npx', ['jest'], { cwd: app });
  console.log(`  (c) the app's Jest test with ${consumer.core}'s Testing matchers passes`);

  checkCommands(app, join(app, 'out-tsc'));
  console.log("  (d) the package's commands run from the app, with the documented exit codes");

  if (versions === 'newest') checkTypeScript7(app, viaTsNode);
  return viaTsNode;
}

/**
 * TypeScript 7 (what `npm install typescript` gives today): its `tsc` compiles the app, with the one setting the docs
 * name (`types`: TypeScript 6 and later include no @types package unless told), and `node main.js` synthesizes.
 */
function checkTypeScript7(app: string, expected: Record<string, any>): void {
  const config = { extends: './tsconfig.json', compilerOptions: { types: ['node', 'jest'], outDir: 'ts7' } };
  writeFileSync(join(app, 'tsconfig.ts7.json'), JSON.stringify(config));
  run('npx', ['--yes', '--package', 'typescript@7', 'tsc', '-p', 'tsconfig.ts7.json'], { cwd: app });
  run('node', [join('ts7', 'main.js')], { cwd: app, env: { CDKTF_OUTDIR: join(app, 'out-ts7') } });
  if (withoutMetadata(stackIn(join(app, 'out-ts7'))) !== withoutMetadata(expected))
    throw new CheckFailed("TypeScript 7's build synthesized another stack than ts-node did");
  console.log("  TypeScript 7's tsc compiles the app; its JavaScript synthesizes the same stack");
}

/** The example apps besides the consumer app: each synthesizes every stack it declares through ts-node. */
function checkOtherExamples(work: string): void {
  const examples = readdirSync(join(ROOT, 'examples'), { withFileTypes: true }).filter(
    (entry) =>
      entry.isDirectory() &&
      !CONSUMER_APPS.some((consumer) => consumer.name === entry.name) &&
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

/** The file Node.js loads for `specifier` when a module in `dir` requires it. */
function resolvedFrom(dir: string, specifier: string): string {
  const script = `process.stdout.write(require.resolve(${JSON.stringify(specifier)}, { paths: [process.cwd()] }))`;
  return run('node', ['-e', script], { cwd: dir });
}

function main(): number {
  const work = mkdtempSync(join(tmpdir(), 'ci-consumer-'));
  // What the consumer apps write to the temporary directory (their Jest tests' Testing.synth, npm's own files) goes
  // under the work directory, removed at the end with it.
  process.env.TMPDIR = join(work, 'tmp');
  mkdirSync(process.env.TMPDIR);
  try {
    console.log(`Consumer test in ${work}`);
    const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], { cwd: ROOT }))[0];
    renameSync(join(work, packed.filename), join(work, TARBALL));
    console.log(
      `  tarball: ${packed.entryCount} files, ${(packed.size / 1024).toFixed(0)} KiB packed, ` +
        `${(packed.unpackedSize / 1024).toFixed(0)} KiB unpacked`,
    );
    const stacks = new Map<string, string>();
    for (const versions of ['pinned', 'newest'] as const) {
      for (const consumer of CONSUMER_APPS) {
        stacks.set(`${consumer.name}, ${versions}`, withoutMetadata(checkConsumerApp(work, consumer, versions)));
      }
    }
    const [first, ...others] = [...stacks];
    for (const [name, stack] of others) {
      if (stack !== first[1]) throw new CheckFailed(`${name} synthesized another stack than ${first[0]}`);
    }
    console.log(`The ${stacks.size} installs synthesize the same stack, but for each core's metadata`);

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
