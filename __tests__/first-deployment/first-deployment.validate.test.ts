/**
 * docs/first-deployment.md, run as written: each mode's commands in their order, by bash, with stand-ins for what is
 * not reachable here (`npx cdktf deploy`, whose stack selection is cdktf's own code and whose plans are real Terraform
 * with the real AWS provider; the AWS CLI; an AWS account, empty at first). Checks the order, the message each step
 * gives, and that the pipeline's stack refuses to go on before the manual step, saying what that step is.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesizeChecked } from '../../app/synthesize';
import { DEFAULT_CONFIG_PATH, loadConfigFile } from '../../config/load';
import { DEFAULT_CONNECTION_NAME } from '../../config/stack-props';
import { buildStacks } from '../../main';
import { AwsStub, startAwsStub } from '../../tools/validate/aws-stub';
import { describeWithTerraformAndMirror } from '../tools/validate/with-terraform';

const REPO = join(__dirname, '..', '..');
// Each deploy plans its stacks with real Terraform: several seconds each.
jest.setTimeout(300_000);
const GUIDE = readFileSync(join(REPO, 'docs', 'first-deployment.md'), 'utf8');

/** The commands of a mode's section, split where the manual step is. */
function walkThrough(section: string): { readonly before: string; readonly after: string } {
  const start = GUIDE.indexOf(`## ${section}`);
  const block = /```sh\n([\s\S]*?)```/.exec(GUIDE.slice(start))?.[1];
  if (start < 0 || block === undefined) throw new Error(`docs/first-deployment.md has no commands under ${section}`);
  const [before, after] = block.split(/^# Manual step.*$/m);
  return { before, after };
}

/** A directory of stand-ins that come first on PATH: `npx cdktf ...` and `aws ...`. */
function standIns(): string {
  const bin = mkdtempSync(join(tmpdir(), 'first-deployment-bin-'));
  const tsx = join(REPO, 'node_modules', '.bin', 'tsx');
  const script = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  script(
    'npx',
    `[ "$1" = cdktf ] || { echo "the stand-in for npx runs only cdktf" >&2; exit 2; }\nshift\n` +
      `exec "${tsx}" "${join(__dirname, 'stand-in-cdktf.ts')}" "$@"`,
  );
  script('aws', `exec "${tsx}" "${join(__dirname, 'stand-in-aws.ts')}" "$@"`);
  return bin;
}

/** One person at one machine: a home with the deployer's token file, a shell, and the log of what was deployed. */
class Deployer {
  private readonly home = mkdtempSync(join(tmpdir(), 'first-deployment-home-'));
  private readonly log = join(this.home, 'deployed.log');
  private readonly bin = standIns();

  constructor(
    private readonly outdir: string,
    private readonly stub: AwsStub,
  ) {
    mkdirSync(join(this.home, '.config', 'ci-pipelines'), { recursive: true });
    writeFileSync(join(this.home, '.config', 'ci-pipelines', 'github-token'), 'github_pat_deployer_placeholder\n');
    writeFileSync(this.log, '');
  }

  /**
   * Runs commands as the guide's reader pastes them, `input` being what they type at each prompt. Asynchronously: the
   * stub answers the plans from this process.
   */
  public run(commands: string, input = ''): Promise<{ status: number | null; stdout: string; stderr: string }> {
    // A new home, whose Terraform settings are Terraform's defaults (this machine's may name a file it lacks).
    const { TF_CLI_CONFIG_FILE: _settings, ...environment } = process.env;
    const child = spawn('bash', ['-e', '-o', 'pipefail', '-c', commands], {
      env: {
        ...environment,
        HOME: this.home,
        PATH: `${this.bin}:${process.env.PATH}`,
        AWS_REGION: 'eu-west-1',
        FIRST_DEPLOYMENT_OUTDIR: this.outdir,
        FIRST_DEPLOYMENT_STUB: this.stub.endpoint,
        FIRST_DEPLOYMENT_LOG: this.log,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdin.end(input);
    return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
  }

  public get deployed(): string[] {
    return readFileSync(this.log, 'utf8').split('\n').filter(Boolean);
  }
}

function synthesize(configPath: string): string {
  const outdir = join(mkdtempSync(join(tmpdir(), 'first-deployment-synth-')), 'cdktf.out');
  synthesizeChecked(outdir, (app) => buildStacks(app, loadConfigFile(configPath)).all);
  return outdir;
}

const manifestStacks = (outdir: string): string[] =>
  Object.keys(JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')).stacks);

describeWithTerraformAndMirror('the first deployment in webhook mode, as docs/first-deployment.md writes it')(
  'the first deployment in webhook mode, as docs/first-deployment.md writes it',
  () => {
    const { before, after } = walkThrough('Webhook mode');
    let stub: AwsStub;
    let outdir: string;
    let deployer: Deployer;
    beforeAll(async () => {
      outdir = synthesize(DEFAULT_CONFIG_PATH);
      // An empty account: no secret is stored yet.
      stub = await startAwsStub({ secretNames: [] });
      deployer = new Deployer(outdir, stub);
    });
    afterAll(() => stub.close());

    test('the state bucket, then the repository, whose next_step names the tokens and what comes after', async () => {
      const result = await deployer.run(before);
      expect(result.stderr).not.toMatch(/error/i);
      expect(result.status).toBe(0);
      expect(deployer.deployed).toEqual(['state-bootstrap', 'repo-sample-flask-app']);
      expect(result.stdout).toContain(
        'next_step = Next: make two fine-grained GitHub tokens with access to only example-org/sample-flask-app, ' +
          'and store them in Secrets Manager as github/codepipeline-oauth-token (Contents: read-only) and ' +
          'github/codebuild-token',
      );
      expect(result.stdout).toContain('Then deploy ci-sample-flask-app.');
    });

    test('cdktf refuses the pipeline alone: its repository must be in the same command', async () => {
      const result = await deployer.run('npx cdktf deploy ci-sample-flask-app');
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(
        'The following dependencies are not included in the stacks to run: ' + 'repo-sample-flask-app',
      );
    });

    test('before the tokens are stored, the pipeline stops at its plan and says what to do', async () => {
      const result = await deployer.run("npx cdktf deploy 'repo-*' 'ci-*'");
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(
        'Secrets Manager holds no secret named github/codebuild-token in this region yet.',
      );
      expect(result.stderr).toContain(
        'Secrets Manager holds no secret named github/codepipeline-oauth-token in this region yet.',
      );
      expect(result.stderr).toContain('Next: make');
      expect(deployer.deployed).not.toContain('ci-sample-flask-app');
    });

    test('the tokens, stored as the guide says, then the pipeline', async () => {
      const result = await deployer.run(after, 'github_pat_pipeline\ngithub_pat_build\ndockerhub-access-token\n');
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(stub.createdSecrets.get('github/codepipeline-oauth-token')).toBe('github_pat_pipeline');
      // CodeBuild reads its secret as JSON in its own format.
      expect(JSON.parse(stub.createdSecrets.get('github/codebuild-token')!)).toEqual({
        ServerType: 'GITHUB',
        AuthType: 'PERSONAL_ACCESS_TOKEN',
        Token: 'github_pat_build',
      });
      expect(deployer.deployed.slice(-2)).toEqual(['repo-sample-flask-app', 'ci-sample-flask-app']);
      expect(new Set(deployer.deployed)).toEqual(new Set(manifestStacks(outdir)));
    });
  },
);

describeWithTerraformAndMirror('the first deployment in connection mode, as docs/first-deployment.md writes it')(
  'the first deployment in connection mode, as docs/first-deployment.md writes it',
  () => {
    const { before, after } = walkThrough('Connection mode');
    let stub: AwsStub;
    let outdir: string;
    let deployer: Deployer;
    beforeAll(async () => {
      outdir = synthesize(join(REPO, '__tests__', 'golden', 'connection-ecr.json'));
      // The connection its stack creates, PENDING until a person approves it.
      stub = await startAwsStub({
        secretNames: [],
        connectionNames: [DEFAULT_CONNECTION_NAME],
        connectionStatus: 'PENDING',
      });
      deployer = new Deployer(outdir, stub);
    });
    afterAll(() => stub.close());

    test('the state bucket, the repository (whose next_step is the approval), then the connection', async () => {
      const result = await deployer.run(before);
      expect(result.status).toBe(0);
      expect(deployer.deployed).toEqual(['state-bootstrap', 'repo-orders-api', 'github-connection']);
      expect(result.stdout).toContain(
        `next_step = Next: approve the connection ${DEFAULT_CONNECTION_NAME} if it is PENDING (AWS console: ` +
          'Developer Tools > Settings > Connections > Update pending connection), and let its AWS Connector for ' +
          'GitHub app reach example-org/orders-api',
      );
    });

    test('before the approval, the pipeline stops at its plan and says what to do', async () => {
      const result = await deployer.run("npx cdktf deploy github-connection 'repo-*' 'ci-*'");
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(`The connection ${DEFAULT_CONNECTION_NAME} is not AVAILABLE yet. Next: approve`);
      expect(deployer.deployed).not.toContain('ci-orders-api');
    });

    test('approved, the pipeline deploys', async () => {
      stub.approveConnections();
      const result = await deployer.run(after);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(deployer.deployed.at(-1)).toBe('ci-orders-api');
      expect(new Set(deployer.deployed)).toEqual(new Set(manifestStacks(outdir)));
    });
  },
);
