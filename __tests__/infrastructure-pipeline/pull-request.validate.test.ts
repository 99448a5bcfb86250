/**
 * The infrastructure pipeline's pull-request build end to end, run by bash as CodeBuild runs it: a git repository of
 * this project's configuration, the pull request's base and head synthesized by the app, every affected stack planned
 * by real Terraform with the real AWS provider against the local AWS stand-in, and the comment and status sent to a
 * GitHub stand-in on 127.0.0.1, which records them. Pushes to the same pull request update one comment.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMENT_MARKER } from '../../tools/infrastructure-pipeline/pull-request-comment';
import { AwsStub, startAwsStub } from '../../tools/validate/aws-stub';
import { providerSetup, ProviderSetup } from '../../tools/validate/terraform';
import { describeWithTerraformAndMirror } from '../tools/validate/with-terraform';
import { GitHubStandIn, startGitHubStandIn } from './github-stand-in';
import { runStep, standInTerraformEnv } from './run-step';

const REPO = join(__dirname, '..', '..');
jest.setTimeout(300_000);

/** Runs git in `dir`; its output. */
function git(dir: string, ...args: string[]): string {
  const result = spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
}

/**
 * The platform team's configuration repository, whose app is this project's: `origin` (bare, standing in for GitHub)
 * and an author's clone, on a pull request's branch.
 */
function configurationRepository(): { readonly origin: string; readonly author: string } {
  const origin = mkdtempSync(join(tmpdir(), 'infrastructure-origin-'));
  const author = mkdtempSync(join(tmpdir(), 'infrastructure-author-'));
  git(origin, 'init', '--quiet', '--bare', '--initial-branch=main');
  git(author, 'init', '--quiet', '--initial-branch=main');
  git(author, 'config', 'user.email', 'platform@example.org');
  git(author, 'config', 'user.name', 'Platform team');
  writeFileSync(
    join(author, 'cdktf.json'),
    JSON.stringify({ language: 'typescript', app: `CI_PIPELINES_CONFIG=pipelines.json node ${REPO}/app/launch.cjs` }),
  );
  cpSync(join(REPO, 'package-lock.json'), join(author, 'package-lock.json'));
  cpSync(join(REPO, 'config', 'pipelines.json'), join(author, 'pipelines.json'));
  writeFileSync(join(author, '.gitignore'), 'node_modules\n.infrastructure-pipeline\n');
  git(author, 'add', '.');
  git(author, 'commit', '--quiet', '-m', "The sample app's pipeline");
  git(author, 'remote', 'add', 'origin', `file://${origin}`);
  git(author, 'push', '--quiet', 'origin', 'main');
  git(author, 'checkout', '--quiet', '-b', 'add-orders-api');
  return { origin, author };
}

/** Edits the configuration, commits and pushes it, as a pull request's author does. */
function push(author: string, message: string, edit: (config: any) => void): string {
  const file = join(author, 'pipelines.json');
  const config = JSON.parse(readFileSync(file, 'utf8'));
  edit(config);
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  git(author, 'commit', '--quiet', '-am', message);
  git(author, 'push', '--quiet', 'origin', 'add-orders-api');
  return git(author, 'rev-parse', 'HEAD');
}

/**
 * What CodeBuild checks out for a pull request's build: a shallow clone of the pull request's branch alone, without
 * the base branch (CodeBuild User Guide, "Source version sample"); node_modules as `npm ci` would leave it.
 */
function checkout(origin: string): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'infrastructure-build-')), 'src');
  git(
    tmpdir(),
    'clone',
    '--quiet',
    '--depth',
    '1',
    '--single-branch',
    '--branch',
    'add-orders-api',
    `file://${origin}`,
    dir,
  );
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

const ORDERS_API = {
  name: 'orders-api',
  github: {
    owner: 'example-org',
    repository: 'orders-api',
    branch: 'main',
    codeOwners: ['@example-org/platform-team'],
  },
  trigger: 'webhook',
  registry: { type: 'dockerhub', image: 'exampleorg/orders-api' },
  build: { computeType: 'BUILD_GENERAL1_SMALL', image: 'aws/codebuild/standard:7.0', timeoutMinutes: 30 },
  appPath: 'app',
};

const SUITE = 'the pull-request build, run as CodeBuild runs it';
describeWithTerraformAndMirror(SUITE)(SUITE, () => {
  let aws: AwsStub;
  let github: GitHubStandIn;
  let setup: ProviderSetup;
  let repository: { readonly origin: string; readonly author: string };
  let stepEnv: NodeJS.ProcessEnv;
  let states: string;

  beforeAll(async () => {
    aws = await startAwsStub();
    github = await startGitHubStandIn('example-org', 'infrastructure');
    setup = providerSetup(process.env).setup;
    repository = configurationRepository();
    states = mkdtempSync(join(tmpdir(), 'infrastructure-states-'));
    stepEnv = standInTerraformEnv(setup.env, aws.endpoint, states);
  });
  afterAll(async () => {
    await aws?.close();
    await github?.close();
    setup?.dispose();
  });

  /**
   * The buildspec's command, by bash, with what a CodeBuild webhook build of pull request 7 sets. Asynchronous: the
   * stand-ins answer from this process.
   */
  const build = (commit: string, baseRef = 'refs/heads/main', options = '') =>
    runStep(`pull-request ${options}`.trim(), checkout(repository.origin), {
      ...stepEnv,
      TF_VAR_dockerhub_username: 'placeholder',
      TF_VAR_dockerhub_password: 'placeholder',
      CODEBUILD_WEBHOOK_TRIGGER: 'pr/7',
      CODEBUILD_WEBHOOK_BASE_REF: baseRef,
      CODEBUILD_RESOLVED_SOURCE_VERSION: commit,
      CODEBUILD_SOURCE_REPO_URL: 'https://github.com/example-org/infrastructure.git',
      CODEBUILD_BUILD_URL: 'https://console.aws.amazon.com/codesuite/codebuild/builds/infrastructure-pr:1',
      GITHUB_API_URL: github.url,
      GITHUB_TOKEN: github.token,
    });

  test('a change that adds a pipeline: its two stacks planned in order, one comment, a success status', async () => {
    const commit = push(repository.author, "Add the orders API's pipeline", (config) =>
      config.pipelines.push(ORDERS_API),
    );
    const result = await build(commit);
    expect(result.stderr).toContain('Planning repo-orders-api');
    expect(result.stdout).toBe('success: 2 stacks planned; nothing lost\n');
    expect(result.status).toBe(0);
    expect(github.comments).toHaveLength(1);
    const [comment] = github.comments;
    expect(comment.body.startsWith(COMMENT_MARKER)).toBe(true);
    expect(comment.body).toContain('| 1 | `repo-orders-api` | added by this change | planned |');
    expect(comment.body).toContain('| 2 | `ci-orders-api` | added by this change | planned |');
    expect(comment.body).toMatch(/### `ci-orders-api`: [1-9]\d* to create, 0 to update, 0 to replace, 0 to delete/);
    expect(comment.body).not.toContain('sample-flask-app');
    expect(github.statuses).toEqual([
      expect.objectContaining({ sha: commit, state: 'success', context: 'infrastructure/plan' }),
    ]);
  });

  test('a second push updates the same comment in place and sets the status of the new commit', async () => {
    const commit = push(repository.author, 'A larger build', (config) => {
      config.pipelines[1].build.computeType = 'BUILD_GENERAL1_MEDIUM';
    });
    const result = await build(commit);
    expect(result.status).toBe(0);
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0].updates).toBe(1);
    expect(github.comments[0].body).toContain(commit.slice(0, 12));
    expect(github.statuses.map((status) => status.sha)).toContain(commit);
  });

  test('a configuration the synth refuses fails the status and shows why in the comment', async () => {
    const commit = push(repository.author, 'A typo', (config) => {
      config.pipelines[1].build.computeType = 'BUILD_GENERAL1_HUGE';
    });
    const result = await build(commit);
    expect(result.status).toBe(1);
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0].body).toContain('### Synth or the guardrails failed');
    expect(github.comments[0].body).toContain('BUILD_GENERAL1_HUGE');
    expect(github.statuses.at(-1)).toMatchObject({ sha: commit, state: 'failure' });
  });

  test('with --no-commit-status, as the buildspec runs it: a comment, no status, exit code as verdict', async () => {
    const commit = push(repository.author, 'Another typo', (config) => {
      config.pipelines[1].build.computeType = 'BUILD_GENERAL1_ENORMOUS';
    });
    const statusesBefore = github.statuses.length;
    const result = await build(commit, 'refs/heads/main', '--no-commit-status');
    // CodeBuild reports the build's result as the status: the exit code is the verdict.
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("verdict failure (the build's result)");
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0].body).toContain('BUILD_GENERAL1_ENORMOUS');
    expect(github.statuses).toHaveLength(statusesBefore);
  });

  test('a base git cannot find fails the status: a stack the change removes would go unseen', async () => {
    const commit = push(repository.author, 'Fix the typo', (config) => {
      config.pipelines[1].build.computeType = 'BUILD_GENERAL1_MEDIUM';
    });
    const result = await build(commit, 'refs/heads/no-such-branch');
    expect(result.status).toBe(1);
    expect(github.comments[0].body).toContain('> Every stack was planned, since the base could not be compared');
    expect(github.statuses.at(-1)).toMatchObject({
      sha: commit,
      state: 'failure',
      description: 'Blocked: the base could not be compared',
    });
  });
});
