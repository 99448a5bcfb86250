import { CodebuildProject } from '@cdktf/provider-aws/lib/codebuild-project';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Aspects, LocalBackend, TerraformStack, Testing } from 'cdktf';
import { CiPipelineStack } from '../../stacks/ci-pipeline-stack';
import {
  checkStack,
  checkStacks,
  formatReport,
  GuardrailsError,
  SecurityChecks,
  SuppressionError,
  Suppressions,
} from '../../guardrails';
import { pipelineProps, testApp } from '../helpers';

const bareStack = () => new TerraformStack(testApp(), 'bare');

/** A project that breaks CKV_AWS_147 (no customer key) and nothing in the privileged-mode rule. */
function unencryptedProject(stack: TerraformStack): CodebuildProject {
  return new CodebuildProject(stack, 'project', {
    name: 'p',
    serviceRole: 'arn:aws:iam::123456789012:role/outside',
    artifacts: { type: 'NO_ARTIFACTS' },
    source: { type: 'NO_SOURCE', buildspec: 'version: 0.2' },
    environment: { type: 'LINUX_CONTAINER', computeType: 'BUILD_GENERAL1_SMALL', image: 'aws/codebuild/standard:7.0' },
    logsConfig: { cloudwatchLogs: { status: 'ENABLED' } },
  });
}

describe('Suppressions', () => {
  test('a resource suppression is written into its own metadata, with the reason, and accepts the finding', () => {
    const stack = bareStack();
    const project = unencryptedProject(stack);
    Suppressions.add(project, { ruleId: 'CKV_AWS_147', reason: 'The project only runs linters on public code' });
    const json = stack.toTerraform();
    expect(Object.values<any>(json.resource.aws_codebuild_project)[0]['//'].suppressions).toEqual([
      { rule: 'CKV_AWS_147', reason: 'The project only runs linters on public code' },
    ]);
    const report = checkStack(json);
    expect(report.findings).toEqual([]);
    expect(report.suppressed).toEqual([
      expect.objectContaining({
        ruleId: 'CKV_AWS_147',
        path: 'bare/project',
        reason: 'The project only runs linters on public code',
      }),
    ]);
  });

  test("a suppression narrowed to one finding's text suppresses that finding and no other of the rule", () => {
    const stack = bareStack();
    const document = new DataAwsIamPolicyDocument(stack, 'loose', {
      statement: [
        { sid: 'Objects', actions: ['s3:*'], resources: ['arn:aws:s3:::b/*'] },
        { sid: 'Keys', actions: ['kms:*'], resources: ['*'] },
      ],
    });
    const reason = 'Reviewed: the objects of b are scratch space for this stack';
    Suppressions.add(document, { ruleId: 'CIP_IAM_2', reason, finding: 's3:*' });
    const json = stack.toTerraform();
    expect(json['//'].suppressions['data.aws_iam_policy_document.loose']).toEqual([
      { rule: 'CIP_IAM_2', reason, finding: 's3:*' },
    ]);
    const report = checkStack(json);
    expect(report.suppressed.map((finding) => finding.problem)).toEqual([expect.stringContaining('s3:*')]);
    expect(report.findings.map((finding) => finding.problem)).toEqual([expect.stringContaining('kms:*')]);
    // A second narrowed suppression of the rule is its own; an unnarrowed one beside it is refused.
    expect(() => Suppressions.add(document, { ruleId: 'CIP_IAM_2', reason, finding: 's3:*' })).toThrow(
      'CIP_IAM_2 is already suppressed here for "s3:*"',
    );
    expect(() => Suppressions.add(document, { ruleId: 'CIP_IAM_2', reason })).toThrow(
      'CIP_IAM_2 is already suppressed',
    );
    expect(() => Suppressions.add(document, { ruleId: 'CIP_IAM_2', reason, finding: ' ' })).toThrow(
      '"finding" for CIP_IAM_2 must be text',
    );
  });

  test('data source and stack suppressions go to the stack metadata, keyed by address', () => {
    const stack = bareStack();
    const document = new DataAwsIamPolicyDocument(stack, 'loose', {
      statement: [{ actions: ['s3:*'], resources: ['arn:aws:s3:::b/*'] }],
    });
    Suppressions.add(document, { ruleId: 'CIP_IAM_2', reason: 'Reviewed: the document is attached outside Terraform' });
    Suppressions.add(stack, { ruleId: 'CIP_TF_1', reason: 'This stack deploys nothing that needs remote state' });
    const json = stack.toTerraform();
    expect(json['//'].suppressions).toEqual({
      'data.aws_iam_policy_document.loose': [
        { rule: 'CIP_IAM_2', reason: 'Reviewed: the document is attached outside Terraform' },
      ],
      terraform: [{ rule: 'CIP_TF_1', reason: 'This stack deploys nothing that needs remote state' }],
    });
    const report = checkStack(json);
    expect(report.findings).toEqual([]);
    expect(report.suppressed.map((finding) => finding.ruleId)).toEqual(['CIP_IAM_2']);
    expect(report.unusedSuppressions).toEqual([expect.objectContaining({ ruleId: 'CIP_TF_1', address: 'terraform' })]);
  });

  describe('suppressions written straight into the JSON are held to the same rules where the checks read them', () => {
    /** The stack's JSON with the project's own suppressions replaced by `records`. */
    const withRecords = (records: unknown) => {
      const stack = bareStack();
      unencryptedProject(stack);
      const json: any = stack.toTerraform();
      Object.values<any>(json.resource.aws_codebuild_project)[0]['//'].suppressions = records;
      return checkStack(json);
    };

    test.each([
      ['a reason too short', [{ rule: 'CKV_AWS_147', reason: 'ok' }], /gives the reason "ok", which does not say why/],
      ['no reason', [{ rule: 'CKV_AWS_147' }], /gives the reason null, which does not say why/],
      ['a reason of spaces', [{ rule: 'CKV_AWS_147', reason: ' '.repeat(30) }], /which does not say why/],
      ['a record that is not one', ['CKV_AWS_147'], /a suppression record "CKV_AWS_147" is not \{ "rule"/],
      ['one record, not a list', { rule: 'CKV_AWS_147', reason: 'x' }, /gives the reason "x"/],
    ])('%s: a finding, and the finding it meant to accept stands', (_name, records, problem) => {
      const report = withRecords(records);
      expect(report.findings.map((finding) => finding.problem)).toEqual(
        expect.arrayContaining([expect.stringMatching(problem), expect.stringMatching(/kms|key|encrypt/i)]),
      );
      expect(report.findings.find((finding) => problem.test(finding.problem))).toMatchObject({
        ruleName: 'Suppressions name an existing rule and element, and say why',
        path: 'bare/project',
      });
      expect(report.suppressed).toEqual([]);
    });

    test('a stack-level suppression for an address that is not in the stack is a finding', () => {
      const stack = bareStack();
      unencryptedProject(stack);
      const json: any = stack.toTerraform();
      json['//'] = {
        ...json['//'],
        suppressions: { 'data.aws_iam_policy_document.gone': [{ rule: 'CKV_AWS_111', reason: 'x'.repeat(30) }] },
      };
      expect(checkStack(json).findings).toContainEqual(
        expect.objectContaining({
          address: 'data.aws_iam_policy_document.gone',
          problem:
            'the stack records suppressions for data.aws_iam_policy_document.gone, which is not in the stack, so ' +
            'they suppress nothing',
        }),
      );
    });

    test('a valid record accepts its finding, with the reason trimmed', () => {
      const report = withRecords([{ rule: 'CKV_AWS_147', reason: '  The project only runs linters on public code ' }]);
      expect(report.suppressed).toEqual([
        expect.objectContaining({ ruleId: 'CKV_AWS_147', reason: 'The project only runs linters on public code' }),
      ]);
    });
  });

  test('a suppression of a rule that does not exist is a finding', () => {
    const stack = bareStack();
    Suppressions.add(new KmsKey(stack, 'key', { enableKeyRotation: true }), {
      ruleId: 'CKV_AWS_7000',
      reason: 'A typo of the rule ID, on purpose',
    });
    expect(checkStack(stack.toTerraform()).findings).toEqual([
      expect.objectContaining({
        ruleId: 'CKV_AWS_7000',
        path: 'bare/key',
        problem: 'a suppression names rule "CKV_AWS_7000", which does not exist',
      }),
    ]);
  });

  test.each([
    [
      { ruleId: 'CKV AWS 7', reason: 'long enough to be a reason' },
      /^Suppressions.add on bare\/key: "ruleId" = "CKV AWS 7" is not a rule ID; use one like "CKV_AWS_316"$/,
    ],
    [
      { ruleId: 'CKV_AWS_7', reason: 'because' },
      /^Suppressions.add on bare\/key: "reason" for CKV_AWS_7 = "because" must say why, in at least 20 characters$/,
    ],
  ])('refuses %j, naming the element', (suppression, message) => {
    const key = new KmsKey(bareStack(), 'key', {});
    expect(() => Suppressions.add(key, suppression)).toThrow(message);
    expect(() => Suppressions.add(key, suppression)).toThrow(SuppressionError);
  });

  test('refuses to suppress the same rule twice on one resource', () => {
    const key = new KmsKey(bareStack(), 'key', {});
    Suppressions.add(key, { ruleId: 'CKV_AWS_7', reason: 'An asymmetric key that cannot rotate' });
    expect(() =>
      Suppressions.add(key, { ruleId: 'CKV_AWS_7', reason: 'An asymmetric key that cannot rotate' }),
    ).toThrow(
      'Suppressions.add on bare/key: CKV_AWS_7 is already suppressed here; suppress a rule once, with one reason',
    );
    expect(Suppressions.of(key)).toEqual([{ ruleId: 'CKV_AWS_7', reason: 'An asymmetric key that cannot rotate' }]);
  });
});

describe('SecurityChecks', () => {
  test('fails synth with the construct path, rule ID, problem and fix', () => {
    const stack = bareStack();
    new LocalBackend(stack, {});
    unencryptedProject(stack);
    Aspects.of(stack).add(new SecurityChecks());
    Aspects.of(stack).add(new SecurityChecks());
    let message = '';
    try {
      Testing.synth(stack, true);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(
      '[bare/project] CKV_AWS_147 CodeBuild encrypts with a customer-managed KMS key: encryption_key is not set, so ' +
        'the AWS-managed key is used. Fix: set `encryption_key`',
    );
    // Applied twice, checked once.
    expect(message.split('CKV_AWS_147').length - 1).toBe(1);
  });

  test('the pipeline stacks apply it themselves', () => {
    const stack = new CiPipelineStack(testApp(), 'ci-app', {
      pipeline: pipelineProps(),
      region: 'eu-west-1',
      state: {
        bucket: 'my-state-bucket',
        region: 'eu-west-1',
        key: 'k/terraform.tfstate',
        kmsKeyId: 'alias/terraform-state/my-state-bucket',
      },
    });
    stack.ciPipeline.buildProject.role.addToPolicy({ sid: 'Admin', actions: ['*'], resources: ['*'] });
    expect(() => Testing.synth(stack, true)).toThrow(/\[ci-app\/ci\/build\/role\/policy\] CKV_AWS_62 /);
  });
});

describe("a stack's securityChecks prop", () => {
  const pipelineStack = (securityChecks?: boolean) =>
    new CiPipelineStack(testApp(), 'ci-app', {
      securityChecks,
      pipeline: pipelineProps(),
      region: 'eu-west-1',
      state: {
        bucket: 'my-state-bucket',
        region: 'eu-west-1',
        key: 'k/terraform.tfstate',
        kmsKeyId: 'alias/terraform-state/my-state-bucket',
      },
    });

  test('by default the aspect checks at synth, resolving the stack once more', () => {
    const stack = pipelineStack();
    const resolve = jest.spyOn(stack, 'toTerraform');
    Testing.synth(stack, true);
    expect(resolve).toHaveBeenCalledTimes(2);
  });

  test('false (for a caller that checks the written JSON itself): resolved only to be written, no check', () => {
    const stack = pipelineStack(false);
    stack.ciPipeline.buildProject.role.addToPolicy({ sid: 'Admin', actions: ['*'], resources: ['*'] });
    const resolve = jest.spyOn(stack, 'toTerraform');
    expect(() => Testing.synth(stack, true)).not.toThrow();
    expect(resolve).toHaveBeenCalledTimes(1);
  });
});

describe('formatReport and GuardrailsError', () => {
  let reports: ReturnType<typeof checkStacks>;
  beforeAll(() => {
    const stack = bareStack();
    Suppressions.add(unencryptedProject(stack), { ruleId: 'CKV_AWS_147', reason: 'The project | only runs linters' });
    const failing = bareStack();
    unencryptedProject(failing);
    reports = checkStacks([stack, failing]);
  });

  test('the report lists counts, suppressions with reasons, findings and the rules', () => {
    const report = formatReport(reports);
    expect(report).toContain('| bare | ');
    expect(report).toContain(
      '| CKV_AWS_147 | `bare/project` | encryption_key is not set, so the AWS-managed key is used | The project \\| ' +
        'only runs linters |',
    );
    expect(report).toContain(
      '| CIP_PERM_2 | CodePipeline service roles allow everything their pipelines do | `aws_codepipeline` |',
    );
  });

  test('the error lists every finding, one per line', () => {
    const error = new GuardrailsError(reports.flatMap((report) => report.findings));
    expect(error.message.split('\n')[0]).toBe('Guardrails: 1 finding; nothing was synthesized.');
    expect(error.message).toContain('  - [bare/project] CKV_AWS_147 ');
  });
});
