/**
 * Opt-in (`npm run test:validate`, which `.ci/run` runs): `npm run validate`
 * fails, naming the stack, the resource and the problem, on values the real
 * AWS provider refuses, and on an order of creation that lets a service act
 * through a role or a topic before the policy that permits it exists. It needs Terraform and a provider mirror (the one
 * CI_PIPELINES_PROVIDER_MIRROR names, or one found as `npm run validate` finds
 * it); without them it is skipped and says why.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runValidate } from '../../../tools/validate/cli';
import { describeWithTerraformAndMirror } from './with-terraform';

const GOLDEN_STACK = join(__dirname, '..', '..', 'golden', 'default', 'ci-sample-flask-app.tf.json');

const describeWithTerraform = describeWithTerraformAndMirror('the real-Terraform suite');

/** The default pipeline stack, changed by `change`, alone in a directory. */
function changedStack(change: (json: any) => void): string {
  const json = JSON.parse(readFileSync(GOLDEN_STACK, 'utf8'));
  change(json);
  const dir = mkdtempSync(join(tmpdir(), 'refused-'));
  writeFileSync(join(dir, 'ci-sample-flask-app.tf.json'), JSON.stringify(json));
  return dir;
}

async function validate(dir: string) {
  let stdout = '';
  const code = await runValidate(['--require', dir], {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stdout += text),
    env: process.env,
  });
  return { code, stdout };
}

describeWithTerraform('npm run validate with the real AWS provider', () => {
  test("fails on a region that does not exist, by the provider's own list of AWS's regions", async () => {
    const dir = changedStack((json) => (json.provider.aws[0].region = 'eu-west-9'));
    const { code, stdout } = await validate(dir);
    expect(code).toBe(1);
    expect(stdout).toContain(
      'error in ci-sample-flask-app: provider["registry.terraform.io/hashicorp/aws"]: invalid AWS Region: eu-west-9',
    );
  }, 300_000);

  test('fails on a queued_timeout of 1000 minutes (CodeBuild allows 5-480), in both copies', async () => {
    const dir = changedStack((json) => {
      const [project] = Object.values<any>(json.resource.aws_codebuild_project);
      project.queued_timeout = 1000;
    });
    const { code, stdout } = await validate(dir);
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /error in ci-sample-flask-app: aws_codebuild_project\.ci_build_project_7FD7DB46: .*queued_timeout/,
    );
    expect(stdout).toMatch(
      new RegExp(
        String.raw`error in ci-sample-flask-app \(with literals\): ` +
          String.raw`aws_codebuild_project\.ci_build_project_7FD7DB46: .*queued_timeout`,
      ),
    );
  }, 300_000);

  test(
    'fails on a bad value in a block that also holds a value known only after apply, through the copy with ' +
      'literals',
    async () => {
      // The environment block holds the secret's ARN, so the provider skips the whole block while it is unknown.
      const dir = changedStack((json) => {
        const [project] = Object.values<any>(json.resource.aws_codebuild_project);
        project.environment.compute_type = 'BUILD_GENERAL1_HUGE';
      });
      const { code, stdout } = await validate(dir);
      expect(code).toBe(1);
      expect(stdout).toMatch(
        new RegExp(
          String.raw`error in ci-sample-flask-app \(with literals\): ` +
            String.raw`aws_codebuild_project\.ci_build_project_7FD7DB46: .*compute_type`,
        ),
      );
      expect(stdout).not.toMatch(/error in ci-sample-flask-app: /);
    },
    300_000,
  );

  test(
    "fails on a pipeline that acts as its role before the role's policy exists, and a notification rule that " +
      "publishes before its topic's policy does (their depends_on removed), naming each, the target and the policy",
    async () => {
      const dir = changedStack((json) => {
        const [pipeline] = Object.values<any>(json.resource.aws_codepipeline);
        delete pipeline.depends_on;
        const [rule] = Object.values<any>(json.resource.aws_codestarnotifications_notification_rule);
        delete rule.depends_on;
      });
      const { code, stdout } = await validate(dir);
      expect(code).toBe(1);
      expect(stdout).toMatch(
        new RegExp(
          String.raw`error in ci-sample-flask-app: aws_codepipeline\.ci_pipeline_E3513F99: acts through ` +
            String.raw`aws_iam_role\.ci_pipeline_role_\w+ before its permissions exist`,
        ),
      );
      expect(stdout).toMatch(/depends_on lacks aws_iam_role_policy\.ci_pipeline_role_policy_\w+/);
      expect(stdout).toMatch(
        new RegExp(
          String.raw`error in ci-sample-flask-app: aws_codestarnotifications_notification_rule\.\S+: acts through ` +
            String.raw`aws_sns_topic\.\S+ before its permissions exist`,
        ),
      );
      expect(stdout).toMatch(/depends_on lacks aws_sns_topic_policy\.\S+: CodeStar Notifications can publish/);
    },
    300_000,
  );
});
