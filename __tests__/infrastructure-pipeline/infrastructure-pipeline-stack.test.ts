import { App, Testing } from 'cdktf';
import {
  InfrastructurePipelineStack,
  InfrastructurePipelineStackProps,
} from '../../stacks/infrastructure-pipeline-stack';
import { testApp } from '../helpers';
import { Suppressions } from '../../shared/suppressions';
import { COMMENT_TOKEN, CONNECTION, INFRASTRUCTURE_STACK_PROPS, PROVIDER_READ_TOKEN, TERRAFORM } from './stack-props';
import { at } from './synthesized-element';

const PROPS = INFRASTRUCTURE_STACK_PROPS;

function synth(props: Partial<InfrastructurePipelineStackProps> = {}) {
  const app: App = testApp();
  const stack = new InfrastructurePipelineStack(app, 'infrastructure-pipeline', { ...PROPS, ...props });
  return JSON.parse(Testing.synth(stack, true));
}

const only = (block: Record<string, any> | undefined) => {
  const values = Object.values(block ?? {});
  expect(values).toHaveLength(1);
  return values[0];
};

describe('InfrastructurePipelineStack', () => {
  let json: any;
  beforeAll(() => {
    json = synth();
  });

  test('a project plans each pull request into the branch, through the connection, with its own buildspec', () => {
    const [, project] = at(json, 'aws_codebuild_project', 'pipeline/plan/project');
    expect(project.name).toBe('infrastructure-pipeline-plan');
    expect(project.source).toMatchObject({
      type: 'GITHUB',
      location: 'https://github.com/example-org/platform-pipelines.git',
      auth: { type: 'CODECONNECTIONS', resource: CONNECTION },
      report_build_status: true,
      build_status_config: { context: 'infrastructure/plan' },
      // The whole history: the step compares the change with its base branch.
      git_clone_depth: 0,
    });
    // The commands are the project's, not the repository's: a pull request cannot change them.
    expect(project.source.buildspec).toContain(
      '- "npx --no-install cdktf-ci-infrastructure pull-request --no-commit-status"',
    );
    expect(project.source.buildspec).toContain(`echo "${TERRAFORM.sha256}  /tmp/terraform_1.11.4_linux_amd64.zip"`);
    expect(project.environment.privileged_mode).toBe(false);
    expect(project.environment.environment_variable).toContainEqual({
      name: 'GITHUB_TOKEN',
      value: COMMENT_TOKEN,
      type: 'SECRETS_MANAGER',
    });
    // The state its role may read and lock, which the step checks each stack against and the guardrails hold it to.
    expect(project.environment.environment_variable).toEqual(
      expect.arrayContaining([
        { name: 'TF_STATE_BUCKET', value: 'example-org-terraform-state', type: 'PLAINTEXT' },
        { name: 'TF_STATE_KEY_PREFIX', value: 'ci-pipelines', type: 'PLAINTEXT' },
        { name: 'TF_STATE_KMS_KEY', value: '${data.aws_kms_alias.state-key.target_key_arn}', type: 'PLAINTEXT' },
      ]),
    );
    // Only the findings about the managed policy are suppressed: the rules still read the role's own statements.
    const stack = new InfrastructurePipelineStack(testApp(), 'infrastructure-pipeline', PROPS);
    expect(Suppressions.of(stack.pipeline.planProject.role.resources.role)).toEqual([
      expect.objectContaining({
        ruleId: 'CIP_IAM_13',
        finding: 'iam::aws:policy/ReadOnlyAccess cannot be read before apply',
      }),
    ]);
    const webhook = only(json.resource.aws_codebuild_webhook);
    expect(webhook.filter_group).toEqual([
      {
        filter: [
          {
            type: 'EVENT',
            pattern: 'PULL_REQUEST_CREATED, PULL_REQUEST_UPDATED, PULL_REQUEST_REOPENED',
            exclude_matched_pattern: false,
          },
          { type: 'BASE_REF', pattern: '^refs/heads/main$', exclude_matched_pattern: false },
        ],
      },
    ]);
  });

  test('the plan role reads AWS and the state, takes no lock, is denied secrets, parameters and other objects', () => {
    const [attachedName, attachment] = at(json, 'aws_iam_role_policy_attachment', 'pipeline/read-only-access');
    expect(attachment.policy_arn).toMatch(/:iam::aws:policy\/ReadOnlyAccess$/);
    const [, document] = at(json, 'aws_iam_policy_document', 'pipeline/plan/role/permissions', 'data');
    const statements: any[] = document.statement;
    const bySid = Object.fromEntries(statements.map((statement: any) => [statement.sid, statement]));
    expect(bySid.ListStateKeys.condition).toEqual([
      { test: 'StringLike', variable: 's3:prefix', values: ['ci-pipelines/*'] },
    ]);
    expect(bySid.ReadState.resources).toEqual([
      expect.stringMatching(/:s3:::example-org-terraform-state\/ci-pipelines\/\*$/),
    ]);
    // A pull request's plan takes no lock: the role writes nothing, and only decrypts the state.
    expect(bySid.LockState).toBeUndefined();
    expect(bySid.DecryptState).toMatchObject({ actions: ['kms:Decrypt'] });
    expect(statements.flatMap((statement: any) => statement.actions)).not.toContain('s3:PutObject');
    expect(bySid.DecryptState.resources).toEqual(['${data.aws_kms_alias.state-key.target_key_arn}']);
    // The secret values it reads are the comment token and the GitHub provider's read-only token, which CodeBuild
    // puts in the build's environment.
    const secretReads = statements.filter((statement: any) =>
      statement.actions.includes('secretsmanager:GetSecretValue'),
    );
    expect(secretReads.flatMap((statement: any) => statement.resources)).toEqual([COMMENT_TOKEN, PROVIDER_READ_TOKEN]);
    const [denyName, denyPolicy] = at(json, 'aws_iam_role_policy', 'pipeline/deny-data-reads');
    const deny = JSON.parse(denyPolicy.policy);
    expect(deny.Statement.map((statement: any) => [statement.Sid, statement.Effect])).toEqual([
      ['DenyOtherServices', 'Deny'],
      ['DenyDataActions', 'Deny'],
      ['DenyOtherSecretValues', 'Deny'],
      ['DenyParameterValues', 'Deny'],
      ['DenyOtherObjects', 'Deny'],
    ]);
    // Only the services the planned stacks manage are readable: Lambda, DynamoDB, EC2 … are denied whole.
    expect(deny.Statement[0].NotAction).toEqual(expect.arrayContaining(['codebuild:*', 's3:*', 'kms:*', 'iam:*']));
    expect(deny.Statement[0].NotAction).not.toContain('lambda:*');
    expect(deny.Statement[1].Action).toEqual(expect.arrayContaining(['logs:GetLogEvents', 'ecr:BatchGetImage']));
    expect(deny.Statement[2].NotResource).toEqual([COMMENT_TOKEN, PROVIDER_READ_TOKEN]);
    expect(deny.Statement[4].NotResource).toEqual([expect.stringMatching(/ci-pipelines\/\*$/)]);
    // The project waits for every policy of the role, the denials included; the webhook, which starts builds, refers
    // to the project and so waits too.
    const [inlineName] = at(json, 'aws_iam_role_policy', 'pipeline/plan/role/policy');
    const [, project] = at(json, 'aws_codebuild_project', 'pipeline/plan/project');
    expect([...project.depends_on].sort()).toEqual(
      [
        `aws_iam_role_policy.${inlineName}`,
        `aws_iam_role_policy.${denyName}`,
        `aws_iam_role_policy_attachment.${attachedName}`,
      ].sort(),
    );
    expect(only(json.resource.aws_codebuild_webhook).project_name).toMatch(/^\$\{aws_codebuild_project\./);
  });

  test('a state encrypted with S3-managed keys gives the roles no KMS permission for it', () => {
    const managed = synth({ state: { ...PROPS.state, kmsKeyId: undefined, s3ManagedEncryption: true } });
    expect(managed.data.aws_kms_alias).toBeUndefined();
    const sids = Object.values<any>(managed.data.aws_iam_policy_document).flatMap((doc) =>
      (doc.statement ?? []).map((statement: any) => statement.sid),
    );
    expect(sids).toEqual(expect.arrayContaining(['ReadState', 'WriteState', 'LockState']));
    for (const sid of ['DecryptState', 'EncryptState', 'EncryptStateLock']) expect(sids).not.toContain(sid);
    const variables = Object.values<any>(managed.resource.aws_codebuild_project).flatMap(
      (project) => project.environment.environment_variable,
    );
    expect(variables.map((variable: any) => variable.name)).not.toContain('TF_STATE_KMS_KEY');
  });

  test('a key ARN is used as it is; an alias is looked up', () => {
    const keyArn = 'arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-aaaa-bbbb-cccc-0123456789ab';
    const direct = synth({ state: { ...PROPS.state, kmsKeyId: keyArn } });
    expect(direct.data.aws_kms_alias).toBeUndefined();
    expect(JSON.stringify(direct.data.aws_iam_policy_document)).toContain(keyArn);
  });

  test('mistakes name the prop, the value and what is allowed', () => {
    expect(() => synth({ pipeline: { ...PROPS.pipeline, commentTokenSecretArn: 'github-comments' } })).toThrow(
      'invalid prop "pipeline.commentTokenSecretArn" = "github-comments"',
    );
    expect(() => synth({ pipeline: { ...PROPS.pipeline, terraform: { version: '1.11', sha256: 'x' } } })).toThrow(
      /"pipeline.terraform.version" = "1.11": must be a Terraform release[\s\S]*"pipeline.terraform.sha256" = "x"/,
    );
    expect(() => synth({ region: 'ca-west-1', state: { ...PROPS.state, region: 'ca-west-1' } })).toThrow(
      'invalid prop "region" = "ca-west-1": must be a region where AWS offers the services of the infrastructure ' +
        'pipeline: AWS does not offer CodeBuild and CodePipeline and CodeConnections in ca-west-1',
    );
    expect(() => synth({ state: { ...PROPS.state, kmsKeyId: undefined } })).toThrow(
      'invalid prop "state.kmsKeyId" = undefined: is required unless s3ManagedEncryption is true',
    );
    expect(() => synth({ region: 'cn-north-1', state: { ...PROPS.state, region: 'cn-north-1' } })).toThrow(
      'AWS does not offer CodeConnections in cn-north-1',
    );
    expect(() =>
      synth({
        pipeline: { ...PROPS.pipeline, providerTokenSecretArns: { plan: COMMENT_TOKEN, apply: COMMENT_TOKEN } },
      }),
    ).toThrow('invalid prop "pipeline.providerTokenSecretArns.apply"');
  });
});
