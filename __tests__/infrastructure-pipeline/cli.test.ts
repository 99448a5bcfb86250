import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { synthesizeChecked } from '../../app/synthesize';
import { loadConfigFile } from '../../config/load';
import { buildStacks } from '../../main';
import { main, repositoryOfUrl } from '../../tools/infrastructure-pipeline/cli';

/** Runs the command in-process; its exit code and what it printed. */
async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  let out = '';
  let err = '';
  const code = await main(argv, env, { out: (text) => (out += text), err: (text) => (err += text) });
  return { code, out, err };
}

describe('cdktf-ci-infrastructure', () => {
  test("batch-graph prints the synth output's stacks as a batch buildspec section", async () => {
    const outdir = join(mkdtempSync(join(tmpdir(), 'cli-')), 'cdktf.out');
    synthesizeChecked(
      outdir,
      (app) => buildStacks(app, loadConfigFile(join(__dirname, '..', 'golden', 'fleet-of-ten.json'))).all,
    );
    const { code, out } = await run(['batch-graph', '--outdir', outdir]);
    expect(code).toBe(0);
    expect(parse(out).batch['build-graph']).toHaveLength(20);
    const sharded = await run(['batch-graph', '--outdir', outdir, '--max-builds', '5']);
    expect(parse(sharded.out).batch['build-graph']).toHaveLength(5);
  });

  test.each([
    [['batch-graph', '--max-builds', '101'], 2, '--max-builds must be a whole number from 2 to 100, not "101"'],
    [['batch-graph', '--outdir', '/nonexistent/out'], 3, '/nonexistent/out/manifest.json does not exist'],
    [['pull-request'], 2, '--base is required outside a CodeBuild pull-request build'],
    [['pull-request', '--base', 'main', '--pull-request', '7x'], 2, "--pull-request must be a pull request's number"],
    [['pull-request', '--base', 'main', '--repository', 'a/b/c'], 2, '--repository must be owner/name, not "a/b/c"'],
    [['pull-request', '--base', 'main'], 2, '--pull-request, --repository, GITHUB_TOKEN required to comment'],
    [['apply', '--work-dir', '/nonexistent/work'], 3, '/nonexistent/work/saved-plans.json does not exist: run'],
    [['plan', '--always-approve=yes'], 2, "Option '--always-approve' does not take an argument"],
    [['deploy'], 2, 'unknown command deploy: the commands are pull-request, plan, apply, batch-graph'],
    [['pull-request', '--bogus'], 2, "Unknown option '--bogus'"],
  ])('%j exits %i: %s', async (argv, code, message) => {
    const result = await run(argv);
    expect(result.code).toBe(code);
    expect(result.err).toContain(message);
    expect(result.err).not.toMatch(/^\s+at /m);
  });

  test('a step run outside a git checkout (a CodePipeline ZIP source) says what it needs', async () => {
    const project = mkdtempSync(join(tmpdir(), 'zip-source-'));
    writeFileSync(join(project, 'cdktf.json'), JSON.stringify({ app: 'true' }));
    const cwd = process.cwd();
    process.chdir(project);
    try {
      const result = await run(['plan', '--work-dir', join(project, 'work')]);
      expect(result.code).toBe(3);
      expect(result.err).toContain("is not a git checkout, which the pipeline's steps read");
    } finally {
      process.chdir(cwd);
    }
  });

  test('a CodeBuild webhook build supplies the pull request, the base and the repository', async () => {
    const env = {
      CODEBUILD_WEBHOOK_TRIGGER: 'pr/12',
      CODEBUILD_WEBHOOK_BASE_REF: 'refs/heads/main',
      CODEBUILD_SOURCE_REPO_URL: 'https://github.com/example-org/infrastructure.git',
    };
    // Only the token is missing: every other setting came from the build's variables.
    expect((await run(['pull-request'], env)).err).toContain('GITHUB_TOKEN required to comment on GitHub');
    expect(repositoryOfUrl('https://github.com/example-org/infrastructure.git')).toBe('example-org/infrastructure');
    expect(repositoryOfUrl('https://ghe.example.com/platform/infra')).toBe('platform/infra');
    expect(repositoryOfUrl('git@github.com:a/b.git')).toBeUndefined();
  });
});
