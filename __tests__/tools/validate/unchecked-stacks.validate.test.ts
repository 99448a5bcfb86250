/**
 * Opt-in (`npm run test:validate`, which `.ci/run` runs): a stack that needs a provider release the mirror lacks is
 * named, with its requirement, and left out, and every other stack of the directory is still checked. The stacks are
 * the app's own output for a configuration whose second pipeline writes a pull-request build policy (hashicorp/aws
 * 6.13 or later; the mirror holds 5.x).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runValidate } from '../../../tools/validate/cli';
import { describeWithTerraformAndMirror } from './with-terraform';
import { appCommand, PROJECT_ROOT } from '../../../scripts/app-command';

const describeWithTerraform = describeWithTerraformAndMirror('the real-Terraform suite');

async function validate(...args: string[]) {
  let [stdout, stderr] = ['', ''];
  const code = await runValidate(args, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env: process.env,
  });
  return { code, stdout, stderr };
}

describeWithTerraform('a stack whose providers cannot be installed here', () => {
  const work = mkdtempSync(join(tmpdir(), 'unchecked-'));
  const out = join(work, 'cdktf.out');
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  beforeAll(() => {
    const config = JSON.parse(readFileSync(join(PROJECT_ROOT, 'config', 'pipelines.json'), 'utf8'));
    const policy = structuredClone(config.pipelines[0]);
    policy.name = 'policy-app';
    policy.github.repository = 'policy-app';
    policy.registry.image = 'exampleorg/policy-app';
    policy.pullRequestBuilds = { commentApproval: 'FORK_PULL_REQUESTS' };
    config.pipelines.push(policy);
    delete config.$schema;
    writeFileSync(join(work, 'pipelines.json'), JSON.stringify(config));
    const { command, args } = appCommand();
    const synth = spawnSync(command, args, {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      env: { ...process.env, CI_PIPELINES_CONFIG: join(work, 'pipelines.json'), CDKTF_OUTDIR: out },
    });
    expect(synth.stderr).toBe('');
    expect(synth.status).toBe(0);
  }, 120_000);

  test('is named with its requirement and left out; the other stacks are checked and valid', async () => {
    const { code, stdout } = await validate(out);
    // The bootstrap stack, and each pipeline's repository stack; the policy app's pipeline stack is left out.
    expect(stdout).toContain(`${out}: 4 stacks, checked as written`);
    expect(stdout).toContain('; 1 stack not checked (below)');
    expect(stdout).toMatch(
      new RegExp(
        String.raw`\n {2}ci-policy-app: not checked: Terraform cannot install the providers it requires, ` +
          String.raw`hashicorp/aws >= 6\.13\.0, < 7\.0\.0 \(the mirror holds 5\.\d+\.\d+\)`,
      ),
    );
    expect(stdout).toMatch(/no available releases match the given constraints >= 6\.13\.0, < 7\.0\.0/);
    expect(stdout).toMatch(/\n {4}ci-sample-flask-app: cut provider/);
    expect(stdout).toMatch(/\n {4}state-bootstrap: /);
    expect(stdout).not.toMatch(/\n {4}ci-policy-app: cut provider/);
    expect(stdout).toMatch(/\n {4}repo-policy-app: cut provider .*; no resource or data source left to check\n/);
    expect(stdout).toContain('Result: valid (the 4 stacks checked)');
    expect(code).toBe(0);
  }, 300_000);

  test('--require fails on it, and says why; alone, nothing is checked', async () => {
    const alone = join(work, 'alone');
    spawnSync('mkdir', ['-p', alone]);
    writeFileSync(
      join(alone, 'ci-policy-app.tf.json'),
      readFileSync(join(out, 'stacks', 'ci-policy-app', 'cdk.tf.json')),
    );
    const { code, stdout, stderr } = await validate('--require', alone);
    expect(stdout).toContain(`${alone}: 1 stack not checked (below)\n`);
    expect(stdout).toContain('ci-policy-app: not checked:');
    expect(stdout).toContain('Result: nothing checked');
    expect(stderr).toContain('some stacks were not checked (named above), and --require asks that every one be.');
    expect(code).toBe(1);
  }, 120_000);
});
