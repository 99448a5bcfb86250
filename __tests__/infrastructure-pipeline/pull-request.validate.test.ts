/**
 * The infrastructure pipeline's pull-request build end to end, run by bash as CodeBuild runs it: a git repository of
 * this project's configuration, the pull request's base and head synthesized by the app, every affected stack planned
 * by real Terraform with the real AWS provider against the local AWS stand-in, and the comment and status sent to a
 * GitHub stand-in on 127.0.0.1, which records them. Pushes to the same pull request update one comment.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMENT_MARKER } from '../../tools/infrastructure-pipeline/pull-request-comment';
import { AwsStub, startAwsStub } from '../../tools/validate/aws-stub';
import { providerSetup, ProviderSetup } from '../../tools/validate/terraform';
import { describeWithTerraformAndMirror } from '../tools/validate/with-terraform';
import { GitHubStandIn, startGitHubStandIn } from './github-stand-in';

const REPO = join(__dirname, '..', '..');
jest.setTimeout(300_000);

/** A repository of the platform team's configuration, whose app is this project's. */
function configurationRepository(): string {
  const dir = mkdtempSync(join(tmpdir(), 'infrastructure-repo-'));
  const git = (...args: string[]) => {
    const result = spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
    return result.stdout.trim();
  };
  git('init', '--quiet', '--initial-branch=main');
  git('config', 'user.email', 'platform@example.org');
  git('config', 'user.name', 'Platform team');
  writeFileSync(
    join(dir, 'cdktf.json'),
    JSON.stringify({ language: 'typescript', app: `CI_PIPELINES_CONFIG=pipelines.json node ${REPO}/app/launch.cjs` }),
  );
  cpSync(join(REPO, 'package-lock.json'), join(dir, 'package-lock.json'));
  cpSync(join(REPO, 'config', 'pipelines.json'), join(dir, 'pipelines.json'));
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'), 'dir');
  writeFileSync(join(dir, '.gitignore'), 'node_modules\n.infrastructure-pipeline\n');
  git('add', '.');
  git('commit', '--quiet', '-m', "The sample app's pipeline");
  git('update-ref', 'refs/remotes/origin/main', 'HEAD');
  git('checkout', '--quiet', '-b', 'add-orders-api');
  return dir;
}

/** Edits the configuration and commits it, as a pull request's author pushes. */
function push(dir: string, message: string, edit: (config: any) => void): string {
  const file = join(dir, 'pipelines.json');
  const config = JSON.parse(readFileSync(file, 'utf8'));
  edit(config);
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  spawnSync('git', ['commit', '--quiet', '-am', message], { cwd: dir });
  return spawnSync('git', ['rev-parse', 'HEAD'], { cwd: dir, encoding: 'utf8' }).stdout.trim();
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
  let repository: string;
  let bin: string;
  let states: string;

  beforeAll(async () => {
    aws = await startAwsStub();
    github = await startGitHubStandIn('example-org', 'infrastructure');
    setup = providerSetup(process.env).setup;
    repository = configurationRepository();
    bin = mkdtempSync(join(tmpdir(), 'infrastructure-bin-'));
    states = mkdtempSync(join(tmpdir(), 'infrastructure-states-'));
    const terraform = join(bin, 'terraform');
    writeFileSync(
      terraform,
      `#!/bin/sh\nexec "${REPO}/node_modules/.bin/tsx" "${join(__dirname, 'stand-in-terraform.ts')}" "$@"\n`,
    );
    chmodSync(terraform, 0o755);
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
  const build = (commit: string) => {
    const real = spawnSync('sh', ['-c', 'command -v terraform'], { encoding: 'utf8' }).stdout.trim();
    mkdirSync(states, { recursive: true });
    const child = spawn('bash', ['-c', `npx tsx ${REPO}/tools/infrastructure-pipeline/cli.ts pull-request`], {
      cwd: repository,
      env: {
        ...setup.env,
        PATH: `${bin}:${process.env.PATH}`,
        STAND_IN_TERRAFORM: real,
        STAND_IN_AWS_ENDPOINT: aws.endpoint,
        STAND_IN_STATE_DIR: states,
        TF_VAR_dockerhub_username: 'placeholder',
        TF_VAR_dockerhub_password: 'placeholder',
        CODEBUILD_WEBHOOK_TRIGGER: 'pr/7',
        CODEBUILD_WEBHOOK_BASE_REF: 'refs/heads/main',
        CODEBUILD_RESOLVED_SOURCE_VERSION: commit,
        CODEBUILD_SOURCE_REPO_URL: 'https://github.com/example-org/infrastructure.git',
        CODEBUILD_BUILD_URL: 'https://console.aws.amazon.com/codesuite/codebuild/builds/infrastructure-pr:1',
        GITHUB_API_URL: github.url,
        GITHUB_TOKEN: github.token,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) =>
      child.on('close', (status) => resolve({ status, stdout, stderr })),
    );
  };

  test('a change that adds a pipeline: its two stacks planned in order, one comment, a success status', async () => {
    const commit = push(repository, "Add the orders API's pipeline", (config) => config.pipelines.push(ORDERS_API));
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
    const commit = push(repository, 'A larger build', (config) => {
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
    const commit = push(repository, 'A typo', (config) => {
      config.pipelines[1].build.computeType = 'BUILD_GENERAL1_HUGE';
    });
    const result = await build(commit);
    expect(result.status).toBe(1);
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0].body).toContain('### Synth or the guardrails failed');
    expect(github.comments[0].body).toContain('BUILD_GENERAL1_HUGE');
    expect(github.statuses.at(-1)).toMatchObject({ sha: commit, state: 'failure' });
  });
});
