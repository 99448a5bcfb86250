/**
 * A pull request's path through the resources, end to end: the webhook's
 * filter group, the project it starts (unprivileged where it can be, without
 * registry credentials or push permission), the status context the build
 * reports, and the same context required by the branch protection.
 */
import { CodebuildWebhook } from '@cdktf/provider-aws/lib/codebuild-webhook';
import { DataAwsSecretsmanagerSecret } from '@cdktf/provider-aws/lib/data-aws-secretsmanager-secret';
import { DEFAULT_CONFIG_PATH, loadConfigFile, parseConfig } from '../../../config/load';
import { buildStacks } from '../../../main';
import { CiPipelineProps, pullRequestStatusContext } from '../../../constructs/ci-pipeline/ci-pipeline-props';
import { CONNECTION_TOKEN_ACTIONS, ECR_PUSH_ACTIONS, SECRET_READ_ACTIONS } from '../../../shared/iam-actions';
import { CiPipelineStack } from '../../../stacks/ci-pipeline-stack';
import { AWS_PROVIDER_VERSIONS } from '../../../stacks/aws-provider';
import { pipelineProps, statement, synthPipeline, testApp } from '../../helpers';

/** The stack of one pipeline, as Terraform reads it. */
const stackJson = (pipeline: CiPipelineProps): any =>
  JSON.parse(
    JSON.stringify(
      new CiPipelineStack(testApp(), 'ci-app', {
        pipeline,
        region: 'eu-west-1',
        state: {
          bucket: 'my-state-bucket',
          region: 'eu-west-1',
          key: 'ci/app/terraform.tfstate',
          kmsKeyId: 'alias/terraform-state/my-state-bucket',
        },
      }).toTerraform(),
    ),
  );

/** The resource of `type` whose construct path ends with `suffix`. */
const resourceAt = (json: any, type: string, suffix: string) => {
  const found = Object.values<any>(json.resource[type] ?? {}).filter((body) =>
    body['//'].metadata.path.endsWith(suffix),
  );
  if (found.length !== 1) throw new Error(`${found.length} ${type} at ${suffix}`);
  return found[0];
};

describe('the default configuration: a pull request from webhook to merge gate', () => {
  const config = loadConfigFile(DEFAULT_CONFIG_PATH);
  const pipeline = config.pipelines[0];
  const stacks = buildStacks(testApp(), parseConfig(JSON.parse(JSON.stringify(config))));
  const json = JSON.parse(JSON.stringify(stacks.pipelines[0].toTerraform()));
  const project = resourceAt(json, 'aws_codebuild_project', 'ci/pull-request-build/project');
  const webhook = resourceAt(json, 'aws_codebuild_webhook', 'ci/pull-request-build/webhook');
  // The repository, and its protection, are in the stack deployed before the pipeline's.
  const repositoryJson = JSON.parse(JSON.stringify(stacks.repositories[0].toTerraform()));
  const protection = resourceAt(repositoryJson, 'github_branch_protection', 'ci/repository/branch-protection');
  const context = pullRequestStatusContext(pipeline.name);

  test(
    'GitHub calls a CodeBuild webhook for pull requests opened, updated or reopened against the protected ' + 'branch',
    () => {
      const projectKey = Object.keys(json.resource.aws_codebuild_project).find(
        (key) => json.resource.aws_codebuild_project[key] === project,
      );
      expect(webhook.project_name).toBe(`\${aws_codebuild_project.${projectKey}.name}`);
      expect(webhook.build_type).toBe('BUILD');
      expect(webhook.filter_group).toEqual([
        {
          filter: [
            {
              type: 'EVENT',
              pattern: 'PULL_REQUEST_CREATED, PULL_REQUEST_UPDATED, PULL_REQUEST_REOPENED',
              exclude_matched_pattern: false,
            },
            { type: 'BASE_REF', pattern: `^refs/heads/${pipeline.github.branch}$`, exclude_matched_pattern: false },
          ],
        },
      ]);
    },
  );

  test(
    'the project builds the repository itself, with the buildspec of the pipeline, and reports a fixed ' + 'context',
    () => {
      expect(project.source).toMatchObject({
        type: 'GITHUB',
        buildspec: `${pipeline.appPath}/buildspec.yml`,
        report_build_status: true,
        build_status_config: { context },
        auth: { type: 'SECRETS_MANAGER' },
      });
      expect(project.source.location).toMatch(
        // The repository as the pipeline's stack looks it up, once the repository's stack has created it.
        new RegExp(
          `^https://github\\.com/${pipeline.github.owner}/\\$\\{data\\.github_repository\\..+\\.name\\}\\.git$`,
        ),
      );
      expect(project.artifacts).toEqual({ type: 'NO_ARTIFACTS' });
      expect(project.concurrent_build_limit).toBeUndefined();
    },
  );

  test('it verifies without pushing: PUSH_IMAGE false, a local image name, no secret variables', () => {
    const variables = project.environment.environment_variable;
    expect(variables.filter((variable: any) => variable.type !== 'PLAINTEXT')).toEqual([]);
    expect(Object.fromEntries(variables.map((variable: any) => [variable.name, variable.value]))).toEqual({
      APP_DIR: pipeline.appPath,
      PUSH_IMAGE: 'false',
      IMAGE_REPOSITORY_URI: `local/${pipeline.name}`,
      PUSH_LATEST_TAG: 'false',
    });
  });

  test(
    'its token secret is only looked up by name (no value in state), and its role may read only that secret ' +
      'besides its logs, reports and key',
    () => {
      const lookup = Object.values<any>(json.data.aws_secretsmanager_secret ?? {});
      expect(lookup.map((body) => body.name)).toEqual(['github/codebuild-token']);
      expect(
        json.data.aws_secretsmanager_secret_version === undefined ||
          Object.values<any>(json.data.aws_secretsmanager_secret_version).every(
            (body) => !body['//'].metadata.path.includes('pull-request'),
          ),
      ).toBe(true);
      const role = Object.values<any>(json.data.aws_iam_policy_document).find((body) =>
        body['//'].metadata.path.endsWith('ci/pull-request-build/role/permissions'),
      );
      const sids = role.statement.map((entry: any) => entry.sid).sort();
      expect(sids).toEqual(['PublishTestReports', 'ReadSourceToken', 'UseEncryptionKey', 'WriteBuildLogs']);
      expect(statement(role.statement, 'ReadSourceToken').actions).toEqual([...SECRET_READ_ACTIONS]);
      expect(role.statement.flatMap((entry: any) => entry.actions)).not.toEqual(
        expect.arrayContaining([ECR_PUSH_ACTIONS[0]]),
      );
    },
  );

  test('the branch protection requires exactly that context, on an up-to-date branch', () => {
    expect(protection.required_status_checks).toEqual([{ strict: true, contexts: [context] }]);
  });

  test('a failed pull-request build is reported, like the pipeline and its build', () => {
    const rules = Object.values<any>(json.resource.aws_codestarnotifications_notification_rule);
    expect(rules.map((rule) => rule.name).sort()).toEqual([
      `${pipeline.name}-build-failed`,
      `${pipeline.name}-pipeline-failed`,
      `${pipeline.name}-pull-request-build-failed`,
    ]);
  });
});

describe('pull-request builds in other shapes', () => {
  test(
    "connection mode authenticates through the connection, and its role may take the connection's token " + 'only',
    () => {
      const stack = synthPipeline({ trigger: 'connection' });
      const project = stack.at('ci/pull-request-build/project');
      const connection = stack.ref('ci/connection/connection', 'arn');
      expect(project.source.auth).toEqual({ type: 'CODECONNECTIONS', resource: connection });
      expect(
        statement(stack.statements('ci/pull-request-build/role/permissions'), 'ReadSourceThroughConnection'),
      ).toMatchObject({ actions: [...CONNECTION_TOKEN_ACTIONS], resources: [connection] });
      expect(stack.text).not.toHaveDataSource(DataAwsSecretsmanagerSecret);
    },
  );

  test('a token secret given by ARN is used as it is, with no lookup', () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:github/codebuild-AbCdEf';
    const stack = synthPipeline({ github: { owner: 'my-org', repository: 'app', buildTokenSecret: arn } });
    expect(stack.at('ci/pull-request-build/project').source.auth).toEqual({ type: 'SECRETS_MANAGER', resource: arn });
    expect(stack.text).not.toHaveDataSource(DataAwsSecretsmanagerSecret);
  });

  test(
    'a status that is not required is reported for changes under appPath only; a required one for every pull ' +
      'request',
    () => {
      const optional = synthPipeline({ pullRequestBuilds: { requiredStatusCheck: false } });
      expect(optional.at('ci/pull-request-build/webhook').filter_group[0].filter).toContainEqual({
        type: 'FILE_PATH',
        pattern: '^service/',
        exclude_matched_pattern: false,
      });
      expect(optional.at('ci/repository/branch-protection').required_status_checks).toBeUndefined();
      const required = synthPipeline();
      expect(
        required.at('ci/pull-request-build/webhook').filter_group[0].filter.map((filter: any) => filter.type),
      ).toEqual(['EVENT', 'BASE_REF']);
    },
  );

  test(
    'an existing repository gets every pull request built and the status, and no protection: its owner may ' +
      'require the context',
    () => {
      const existing = synthPipeline({ github: { owner: 'my-org', repository: 'app', create: false } });
      expect(existing.at('ci/pull-request-build/project').source.build_status_config).toEqual({
        context: 'codebuild/app',
      });
      expect(
        existing.at('ci/pull-request-build/webhook').filter_group[0].filter.map((filter: any) => filter.type),
      ).toEqual(['EVENT', 'BASE_REF']);
      expect(existing.text).not.toMatch(/github_branch_protection/);
    },
  );

  test("user-required checks are kept after the build's own, once each", () => {
    const stack = synthPipeline({
      github: { owner: 'my-org', repository: 'app', requiredStatusChecks: ['lint', 'codebuild/app'] },
    });
    expect(stack.at('ci/repository/branch-protection').required_status_checks[0].contexts).toEqual([
      'codebuild/app',
      'lint',
    ]);
  });

  test('can be turned off: no project, no webhook, no required context', () => {
    const off = synthPipeline({ pullRequestBuilds: { enabled: false } });
    expect(off.text).not.toHaveResource(CodebuildWebhook);
    expect(off.pipeline.pullRequestBuilds).toBeUndefined();
    expect(off.at('ci/repository/branch-protection').required_status_checks).toBeUndefined();
  });

  test('the branch is matched literally in BASE_REF, whatever regular-expression characters it holds', () => {
    const stack = synthPipeline({ github: { owner: 'my-org', repository: 'app', branch: 'release/1.0+x' } });
    expect(stack.at('ci/pull-request-build/webhook').filter_group[0].filter[1].pattern).toBe(
      '^refs/heads/release/1\\.0\\+x$',
    );
  });

  test(
    "writes no build policy unless one is configured: CodeBuild's default applies, and the stack keeps " +
      'provider 5.x',
    () => {
      const json = stackJson(pipelineProps());
      const webhook = Object.values<any>(json.resource.aws_codebuild_webhook)[0];
      expect(webhook.pull_request_build_policy).toBeUndefined();
      expect(json.terraform.required_providers.aws.version).toBe(AWS_PROVIDER_VERSIONS);
    },
  );

  test(
    "a configured policy is written, with CodeBuild's approver roles unless given, and the stack requires the " +
      'provider that has it',
    () => {
      const forks = stackJson(pipelineProps({ pullRequestBuilds: { commentApproval: 'FORK_PULL_REQUESTS' } }));
      expect(Object.values<any>(forks.resource.aws_codebuild_webhook)[0].pull_request_build_policy).toEqual({
        requires_comment_approval: 'FORK_PULL_REQUESTS',
        approver_roles: ['GITHUB_ADMIN', 'GITHUB_MAINTAIN', 'GITHUB_WRITE'],
      });
      expect(forks.terraform.required_providers.aws.version).toBe('>= 6.13.0, < 7.0.0');
      const admins = stackJson(pipelineProps({ pullRequestBuilds: { approverRoles: ['GITHUB_ADMIN'] } }));
      expect(Object.values<any>(admins.resource.aws_codebuild_webhook)[0].pull_request_build_policy).toEqual({
        requires_comment_approval: 'ALL_PULL_REQUESTS',
        approver_roles: ['GITHUB_ADMIN'],
      });
    },
  );

  test('refuses a policy that builds unreviewed code, or lets read-only roles approve', () => {
    expect(() => synthPipeline({ pullRequestBuilds: { commentApproval: 'DISABLED' as any } })).toThrow(
      'invalid prop "pullRequestBuilds.commentApproval" = "DISABLED": must be one of ALL_PULL_REQUESTS, ' +
        "FORK_PULL_REQUESTS (DISABLED would build the code of anyone's pull request",
    );
    expect(() => synthPipeline({ pullRequestBuilds: { approverRoles: ['GITHUB_READ' as any] } })).toThrow(
      'invalid prop "pullRequestBuilds.approverRoles[0]" = "GITHUB_READ": must be one of GITHUB_WRITE, ' +
        'GITHUB_MAINTAIN, GITHUB_ADMIN (a role that cannot push',
    );
  });
});
