/**
 * The infrastructure pipeline's merge path end to end, by bash as its buildspecs run it: `plan` keeps a saved plan
 * per affected stack in the order they are applied (the pipeline's own stack first), and `apply` applies exactly those
 * plans, in that order, with real Terraform. The project is a cdktf app of a library user whose stacks hold
 * `terraform_data` resources, which Terraform applies for real with no provider to download; their S3 backends are
 * replaced by local state files (no S3 is reachable here), as the stand-in `terraform` does.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { providerSetup, ProviderSetup } from '../../tools/validate/terraform';
import { describeWithTerraformAndMirror } from '../tools/validate/with-terraform';
import { AwsStub, startAwsStub } from '../../tools/validate/aws-stub';
import { runStep, standInTerraformEnv } from './run-step';

const REPO = join(__dirname, '..', '..');
const CDKTF = join(REPO, 'node_modules', 'cdktf');
jest.setTimeout(120_000);

/** A library user's app: the infrastructure pipeline's own stack, a shared stack, and two teams' that depend on it. */
const APP = `
const { App, S3Backend, TerraformResource, TerraformStack } = require(${JSON.stringify(CDKTF)});
const inputs = require('./inputs.json');
const app = new App();
const stack = (id) => {
  const created = new TerraformStack(app, id);
  new S3Backend(created, { bucket: 'example-org-terraform-state', key: id + '.tfstate', region: 'eu-west-1' });
  new TerraformResource(created, 'value', { terraformResourceType: 'terraform_data' }).addOverride('input', inputs[id]);
  return created;
};
stack('infrastructure-pipeline');
const shared = stack('shared');
for (const team of ['team-a', 'team-b']) stack(team).addDependency(shared);
// The permissions boundary's stack, which only an administrator applies.
if (inputs.boundary !== undefined) stack('boundary');
app.synth();
`;

const SUITE = 'the merge path, run as CodeBuild runs it: saved plans applied in order';
describeWithTerraformAndMirror(SUITE)(SUITE, () => {
  let aws: AwsStub;
  let setup: ProviderSetup;
  let project: string;
  let stepEnv: NodeJS.ProcessEnv;
  let states: string;
  let log: string;

  const git = (...args: string[]) => spawnSync('git', args, { cwd: project, encoding: 'utf8' }).stdout.trim();
  const commit = (message: string, inputs: Record<string, string>) => {
    writeFileSync(join(project, 'inputs.json'), JSON.stringify(inputs));
    git('add', '.');
    git('commit', '--quiet', '-m', message);
  };
  const stateOf = (stack: string) =>
    JSON.parse(readFileSync(join(states, `${stack}.tfstate`), 'utf8')).resources[0].instances[0].attributes.input.value;

  beforeAll(async () => {
    aws = await startAwsStub();
    setup = providerSetup(process.env).setup;
    project = mkdtempSync(join(tmpdir(), 'infrastructure-merge-'));
    states = mkdtempSync(join(tmpdir(), 'infrastructure-states-'));
    log = join(states, 'terraform.log');
    writeFileSync(join(project, 'cdktf.json'), JSON.stringify({ language: 'typescript', app: 'node app.js' }));
    writeFileSync(join(project, 'app.js'), APP);
    writeFileSync(join(project, '.gitignore'), 'node_modules\n.infrastructure-pipeline\n');
    writeFileSync(join(project, 'package-lock.json'), readFileSync(join(REPO, 'package-lock.json')));
    symlinkSync(join(REPO, 'node_modules'), join(project, 'node_modules'), 'dir');
    git('init', '--quiet', '--initial-branch=main');
    git('config', 'user.email', 'platform@example.org');
    git('config', 'user.name', 'Platform team');
    stepEnv = standInTerraformEnv(setup.env, aws.endpoint, states);
  });
  afterAll(async () => {
    await aws?.close();
    setup?.dispose();
  });

  /** A step of the pipeline: `npx cdktf-ci-infrastructure <args>` by bash, in the checked-out project. */
  const step = (args: string) => runStep(args, project, stepEnv);
  /** The stacks Terraform ran `command` in, in order, since `from` lines of the log. */
  const ran = (command: string, from: number) =>
    readFileSync(log, 'utf8')
      .split('\n')
      .slice(from)
      .filter((line) => line.split(' ')[1] === command)
      .map((line) => line.split(' ')[0]);
  const logLength = () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').length - 1 : 0);

  test("the first merge plans every stack and applies the saved plans in order, the pipeline's own first", async () => {
    commit('Four stacks', { 'infrastructure-pipeline': 'v1', shared: 'v1', 'team-a': 'v1', 'team-b': 'v1' });
    const plan = await step('plan --self-stack infrastructure-pipeline');
    expect(plan.stdout).toBe('4 saved plans, in order: infrastructure-pipeline, shared, team-a, team-b; no approval\n');
    expect(readFileSync(join(project, '.infrastructure-pipeline', 'needs-approval'), 'utf8')).toBe('false\n');
    const from = logLength();
    const apply = await step('apply');
    expect(apply.status).toBe(0);
    expect(apply.stdout).toBe('Applied: infrastructure-pipeline, shared, team-a, team-b\n');
    expect(ran('apply', from)).toEqual(['infrastructure-pipeline', 'shared', 'team-a', 'team-b']);
    // Each apply was given its saved plan, and nothing else.
    for (const line of readFileSync(log, 'utf8')
      .split('\n')
      .filter((entry) => entry.includes(' apply ')))
      expect(line).toMatch(/ apply -input=false -no-color \S+\/\.infrastructure-pipeline\/plans\/[\w-]+\.tfplan$/);
    expect(['infrastructure-pipeline', 'shared', 'team-a', 'team-b'].map(stateOf)).toEqual(['v1', 'v1', 'v1', 'v1']);
  });

  test("a later merge plans and applies only the affected stacks, the pipeline's own first (self-update)", async () => {
    commit('Team A and the pipeline', {
      'infrastructure-pipeline': 'v2',
      shared: 'v1',
      'team-a': 'v2',
      'team-b': 'v1',
    });
    const plan = await step('plan --base HEAD~1 --self-stack infrastructure-pipeline');
    expect(plan.stdout).toBe('2 saved plans, in order: infrastructure-pipeline, team-a; no approval\n');
    const from = logLength();
    expect((await step('apply')).status).toBe(0);
    expect(ran('apply', from)).toEqual(['infrastructure-pipeline', 'team-a']);
    expect(['infrastructure-pipeline', 'shared', 'team-a', 'team-b'].map(stateOf)).toEqual(['v2', 'v1', 'v2', 'v1']);
  });

  test('a saved plan whose state changed since is refused by Terraform, and nothing after it is applied', async () => {
    commit('Team B and shared', { 'infrastructure-pipeline': 'v2', shared: 'v3', 'team-a': 'v2', 'team-b': 'v3' });
    // Team A depends on the shared stack, so it is planned too.
    expect((await step('plan --base HEAD~1 --always-approve')).stdout).toBe(
      '3 saved plans, in order: shared, team-a, team-b; ' +
        'waits for approval: every change waits for an approval (alwaysApprove)\n',
    );
    // Someone applies the shared stack by hand while the pipeline waits for its approval.
    const shared = join(project, '.infrastructure-pipeline', 'head-out', 'stacks', 'shared');
    const real = stepEnv.STAND_IN_TERRAFORM!;
    expect(
      spawnSync(real, ['apply', '-auto-approve', '-replace=terraform_data.value'], { cwd: shared, env: setup.env })
        .status,
    ).toBe(0);
    const apply = await step('apply');
    expect(apply.status).toBe(1);
    expect(apply.stderr).toContain('The apply of shared failed; the stacks after it were not applied.');
    expect(apply.stderr).toContain('Saved plan is stale');
    expect(stateOf('team-b')).toBe('v1');
  });

  test('an admin stack is planned, never applied; while it has changes nothing is applied', async () => {
    const inputs = { 'infrastructure-pipeline': 'v2', shared: 'v3', 'team-a': 'v4', 'team-b': 'v3', boundary: 'b1' };
    commit('The boundary, and team A', inputs);
    const blocked = await step('plan --base HEAD~1 --self-stack infrastructure-pipeline --admin-stack boundary');
    expect(blocked.status).toBe(1);
    expect(blocked.stderr).toContain(
      'Nothing can be applied: boundary (1 resource) changes, and only an administrator applies it: apply it with ' +
        'administrator credentials (cdktf deploy), then release the change again',
    );
    // The administrator applies the boundary's stack, as synthesized, with their own credentials.
    const boundary = join(project, '.infrastructure-pipeline', 'head-out', 'stacks', 'boundary');
    const real = stepEnv.STAND_IN_TERRAFORM!;
    expect(spawnSync(real, ['apply', '-auto-approve'], { cwd: boundary, env: setup.env }).status).toBe(0);
    const plan = await step('plan --base HEAD~1 --self-stack infrastructure-pipeline --admin-stack boundary');
    expect(plan.stdout).toBe('1 saved plans, in order: team-a; no approval\n');
    const from = logLength();
    expect((await step('apply')).status).toBe(0);
    expect(ran('apply', from)).toEqual(['team-a']);
    expect(stateOf('team-a')).toBe('v4');
  });

  test('apply without a plan step says what to run', async () => {
    const result = await step('apply --work-dir nowhere');
    expect(result.status).toBe(3);
    expect(result.stderr).toContain('saved-plans.json does not exist: run `cdktf-ci-infrastructure plan` first');
  });
});
