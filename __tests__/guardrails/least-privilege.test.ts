import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkStack, TerraformJson } from '../../guardrails';
import { actionsOfService, catalogAction, expandActions, isKnownService } from '../../guardrails/iam/catalog';

/**
 * Least privilege against the need model (CIP_IAM_13), on the default golden stack edited as an escape hatch or a
 * pull request to the infrastructure code would edit it: one more policy on a service role.
 */
const GOLDEN = join(__dirname, '..', 'golden', 'default', 'ci-sample-flask-app.tf.json');
const ROLES = {
  build: 'aws_iam_role.ci_build_role_A94B56A7',
  pullRequests: 'aws_iam_role.ci_pull-request-build_role_F41D5ECA',
  pipeline: 'aws_iam_role.ci_pipeline_role_B592D837',
};
const BUCKET = '${aws_s3_bucket.ci_artifacts_bucket_AEE149AA.arn}';
const KEY = '${aws_kms_key.ci_key_3C3C3511.arn}';

const golden = (): Record<string, any> => JSON.parse(readFileSync(GOLDEN, 'utf8'));

/** The golden stack with one more inline policy of `statements` on `role`. */
function withPolicy(role: string, ...statements: Record<string, unknown>[]): Record<string, any> {
  const json = golden();
  json.resource.aws_iam_role_policy.extra = {
    name: 'extra',
    role: `\${${role}.name}`,
    policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
  };
  return json;
}

const findings = (json: Record<string, any>) =>
  checkStack(json as TerraformJson)
    .findings.filter((finding) => finding.ruleId === 'CIP_IAM_13')
    .map((finding) => finding.problem);

const allow = (Action: string | string[], Resource: string | string[], extra: Record<string, unknown> = {}) => ({
  Effect: 'Allow',
  Action,
  Resource,
  ...extra,
});

test('the product grants each service role exactly what its services need', () => {
  expect(findings(golden())).toEqual([]);
});

describe('a grant beyond need is a finding, whatever its shape', () => {
  test.each([
    [
      'every action of a service',
      ROLES.build,
      allow('kms:*', KEY),
      /kms:\* \(kms:\w+, .* \(\d{2} actions beyond need\)\) on /,
    ],
    ['an action prefix', ROLES.build, allow('iam:Put*', '*'), /iam:Put\* \(iam:PutAccountProperties, /],
    ['a service wildcard', ROLES.pipeline, allow('*:*', '*'), /\*:\* \(.*\(2\d{4} actions beyond need\)\) on \*/],
    ['every CodeBuild action', ROLES.pullRequests, allow('codebuild:*', '*'), /codebuild:\* \(/],
    ['PassRole on every role', ROLES.build, allow('iam:PassRole', 'arn:aws:iam::*:role/*'), /iam:PassRole on arn:aws/],
    ['reading every secret', ROLES.build, allow('secretsmanager:GetSecretValue', '*'), /GetSecretValue on \*$/],
    [
      "writing another pipeline's artifacts",
      ROLES.build,
      allow('s3:PutObject', `${BUCKET}/other-app/*`),
      /s3:PutObject on \$\{aws_s3_bucket\.ci_artifacts_bucket_AEE149AA\.arn\}\/other-app\/\*/,
    ],
    ['writing the whole artifact bucket', ROLES.pipeline, allow('s3:PutObject', `${BUCKET}/*`), /s3:PutObject on/],
    [
      "starting the main build from the pull-request build's role",
      ROLES.pullRequests,
      allow('codebuild:StartBuild', 'arn:aws:codebuild:eu-west-1:123456789012:project/sample-flask-app'),
      /codebuild:StartBuild on arn:aws:codebuild/,
    ],
    [
      'everything but a few actions (NotAction)',
      ROLES.build,
      { Effect: 'Allow', NotAction: ['iam:*'], Resource: '*' },
      /every action but iam:\* \(NotAction\)/,
    ],
    ['an action AWS does not have', ROLES.build, allow('s3:GetObjet', `${BUCKET}/*`), /s3:GetObjet, which no action/],
  ])('%s', (_name, role, statement, message) => {
    expect(findings(withPolicy(role, statement))).toEqual([
      expect.stringMatching(new RegExp(`^role \\S+ allows beyond what \\S+ needs: .*${message.source}`)),
    ]);
  });

  test('a policy attached from a variable cannot be read, so least privilege cannot be proven', () => {
    const json = golden();
    json.variable = { extra_policy: { type: 'string' } };
    json.resource.aws_iam_role_policy.extra = {
      name: 'extra',
      role: `\${${ROLES.build}.name}`,
      policy: '${var.extra_policy}',
    };
    expect(findings(json)).toEqual([expect.stringMatching(/cannot be read before apply, so its least privilege/)]);
  });
});

describe('what stays within need is no finding', () => {
  test.each([
    [
      'a needed grant written again',
      ROLES.build,
      allow(['logs:PutLogEvents'], ['${aws_cloudwatch_log_group.ci_build_logs_AB8D340F.arn}:*']),
    ],
    ['a narrower resource than the need', ROLES.pipeline, allow('s3:GetObject', `${BUCKET}/sample-flask-app/source/*`)],
    ['actions named in another case', ROLES.build, allow('KMS:decrypt', KEY)],
    ['a Deny, which only takes away', ROLES.build, { Effect: 'Deny', Action: '*', Resource: '*' }],
  ])('%s', (_name, role, statement) => {
    const json = withPolicy(role, statement);
    expect(findings(json)).toEqual([]);
  });
});

describe("AWS's action catalog", () => {
  test('expands action patterns as IAM does: any case, wildcards in the action and the service prefix', () => {
    const names = (pattern: string) => expandActions(pattern).map((action) => action.name);
    expect(names('iam:Put*')).toEqual(expect.arrayContaining(['iam:PutRolePolicy', 'iam:PutUserPolicy']));
    expect(names('iam:Put*')).not.toContain('iam:PassRole');
    expect(names('KMS:decrypt')).toEqual(['kms:Decrypt']);
    expect(names('kms:GenerateDataKey?')).toEqual([]);
    expect(names('kms:GenerateDataKey*')).toHaveLength(4);
    expect(names('codestar-connections:UseConnection')).toEqual(['codestar-connections:UseConnection']);
    expect(names('*').length).toBeGreaterThan(15_000);
    expect(names('*')).toEqual(names('*:*'));
    expect(names('no-such-service:*')).toEqual([]);
    expect(names('s3')).toEqual([]);
  });

  test('knows which actions only "Resource": "*" can grant', () => {
    expect(catalogAction('ecr:GetAuthorizationToken')).toEqual({ name: 'ecr:GetAuthorizationToken', scopable: false });
    expect(catalogAction('sts:GetCallerIdentity')?.scopable).toBe(false);
    expect(catalogAction('s3:GetObject')?.scopable).toBe(true);
    expect(catalogAction('s3:NoSuchAction')).toBeUndefined();
    expect(isKnownService('CodeBuild')).toBe(true);
    expect(actionsOfService('codebuild').length).toBeGreaterThan(50);
  });
});

describe('policies read as Terraform reads them', () => {
  const BUILD_PERMISSIONS = 'ci_build_role_permissions_D503EACF';
  const document = (json: Record<string, any>, name = BUILD_PERMISSIONS) => json.data.aws_iam_policy_document[name];
  const all = (json: Record<string, any>) =>
    checkStack(json as TerraformJson).findings.map((finding) => `${finding.ruleId} ${finding.problem}`);

  test('a "*" that arrives through a local, or through a variable\'s default, is a "*"', () => {
    const json = golden();
    json.locals = { everything: '*', actions: ['s3:*'] };
    json.variable = { logs_resource: { type: 'string', default: '${local.everything}' } };
    document(json).statement[0].resources = ['${var.logs_resource}'];
    document(json).statement.push({ effect: 'Allow', actions: '${local.actions}', resources: [`${BUCKET}/*`] });
    expect(findings(json)).toEqual([
      expect.stringMatching(/logs:CreateLogStream on \*; logs:PutLogEvents on \*$/),
      expect.stringMatching(
        /allows beyond .*: s3:\* \(.*\) on \$\{aws_s3_bucket\.ci_artifacts_bucket_AEE149AA\.arn\}\/\*$/,
      ),
    ]);
  });

  test('a policy kept as an object in a local and encoded where it is attached is read', () => {
    const json = golden();
    json.locals = { extra: { Version: '2012-10-17', Statement: [allow('iam:PassRole', '*')] } };
    json.resource.aws_iam_role_policy.extra = {
      name: 'extra',
      role: `\${${ROLES.build}.name}`,
      policy: '${jsonencode(local.extra)}',
    };
    expect(findings(json)).toEqual([expect.stringMatching(/iam:PassRole on \*$/)]);
  });

  test('an override document replaces the statement with its sid: wider is beyond need, narrower is incomplete', () => {
    const widened = golden();
    widened.data.aws_iam_policy_document.wider = {
      statement: [{ sid: 'UseEncryptionKey', effect: 'Allow', actions: ['kms:*'], resources: ['*'] }],
    };
    document(widened).override_policy_documents = ['${data.aws_iam_policy_document.wider.json}'];
    expect(findings(widened)).toEqual([expect.stringMatching(/\(statement UseEncryptionKey\) .*kms:\* \(.*\) on \*$/)]);

    const narrowed = golden();
    narrowed.data.aws_iam_policy_document.narrower = {
      statement: [{ sid: 'WriteBuildLogs', effect: 'Allow', actions: ['logs:CreateLogStream'], resources: ['*'] }],
    };
    document(narrowed).override_policy_documents = ['${data.aws_iam_policy_document.narrower.json}'];
    expect(all(narrowed)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^CIP_PERM_1 role \S+ may not write build logs: logs:PutLogEvents on /),
        expect.stringMatching(/^CIP_IAM_13 .*\(statement WriteBuildLogs\) .*logs:CreateLogStream on \*$/),
      ]),
    );
  });

  test('a source document gives way to the statement with its sid', () => {
    const json = golden();
    json.data.aws_iam_policy_document.base = {
      statement: [{ sid: 'UseEncryptionKey', effect: 'Allow', actions: ['kms:*'], resources: ['*'] }],
    };
    document(json).source_policy_documents = ['${data.aws_iam_policy_document.base.json}'];
    expect(findings(json)).toEqual([]);
  });

  test("an account read through a provider alias that assumes a role is not this stack's account", () => {
    const json = golden();
    json.provider.aws.push({
      alias: 'shared',
      region: 'eu-west-1',
      assume_role: [{ role_arn: 'arn:aws:iam::999988887777:role/deployer' }],
    });
    json.data.aws_caller_identity.shared = { provider: 'aws.shared' };
    const trust = json.data.aws_iam_policy_document.ci_build_role_trust_3C1F028C;
    trust.statement.push({
      effect: 'Allow',
      actions: ['sts:AssumeRole'],
      principals: [{ type: 'AWS', identifiers: ['arn:aws:iam::${data.aws_caller_identity.shared.account_id}:root'] }],
    });
    expect(all(json)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/arn:aws:iam::\$\{data\.aws_caller_identity\.shared\.account_id\}:root/),
      ]),
    );
    // The same alias without credentials of its own reads this account.
    delete json.provider.aws[1].assume_role;
    expect(all(json).filter((finding) => finding.includes('caller_identity.shared'))).toEqual([]);
  });
});

describe('CIP_IAM_17: the services a trust or resource policy names are those the stack needs', () => {
  const problems = (json: Record<string, any>) =>
    checkStack(json as TerraformJson)
      .findings.filter((finding) => finding.ruleId === 'CIP_IAM_17')
      .map((finding) => finding.problem);
  const keyPolicy = (json: Record<string, any>) => json.data.aws_iam_policy_document.ci_key_policy_CA481FC0;

  test('a service no resource of the stack needs on the key, even pinned to this account', () => {
    const json = golden();
    keyPolicy(json).statement.push({
      sid: 'EventBridge',
      effect: 'Allow',
      actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      resources: ['*'],
      principals: [{ type: 'Service', identifiers: ['events.amazonaws.com'] }],
      condition: [
        {
          test: 'StringEquals',
          variable: 'aws:SourceAccount',
          values: ['${data.aws_caller_identity.aws-context_account_8AB0A92B.account_id}'],
        },
      ],
    });
    expect(problems(json)).toEqual([
      expect.stringMatching(
        /statement "EventBridge" .* grants events\.amazonaws\.com, which nothing in the stack needs on/,
      ),
    ]);
  });

  test('a needed service given more actions than it needs', () => {
    const json = golden();
    const notifications = keyPolicy(json).statement.find(
      (statement: any) => statement.sid === 'CodeStarNotificationsPublishToEncryptedTopics',
    );
    notifications.actions = ['kms:*'];
    expect(problems(json)).toEqual([
      expect.stringMatching(
        /grants codestar-notifications\.amazonaws\.com beyond what a notified topic needs: kms:\* \(/,
      ),
    ]);
  });

  test("a key no log group uses has no business with CloudWatch Logs; the product's key has", () => {
    const json = golden();
    for (const group of Object.values<any>(json.resource.aws_cloudwatch_log_group)) delete group.kms_key_id;
    expect(problems(json)).toEqual([
      expect.stringMatching(/grants logs\.\$\{data\.aws_region\.\S+\}\.amazonaws\.com, which nothing/),
    ]);
    expect(problems(golden())).toEqual([]);
  });
});
