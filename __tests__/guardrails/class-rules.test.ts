import { checkStack, TerraformJson } from '../../guardrails';
import { interpolateLocals, SynthesizedStack } from '../../guardrails/core/terraform-json';

/**
 * Each weakness written the many ways Terraform JSON can write it: JSON policy
 * text or a policy-document data source, single values or lists, other case,
 * other resource types. A rule is for the class, not for one spelling.
 */

const ACCOUNT = '${data.aws_caller_identity.current.account_id}';
const PARTITION = '${data.aws_partition.current.partition}';
const REGION = '${data.aws_region.current.id}';
const CONTEXT = { aws_caller_identity: { current: {} }, aws_partition: { current: {} }, aws_region: { current: {} } };

/** A stack of `resource` and `data` (with the account, partition and region data sources). */
const stackOf = (
  resource: Record<string, Record<string, any>>,
  data: Record<string, Record<string, any>> = {},
  extra: Partial<TerraformJson> = {},
): TerraformJson => ({
  ...extra,
  resource,
  data: { ...CONTEXT, ...data },
});

/** The problems of `rule` in `json`, as "address: problem". */
const problems = (json: TerraformJson, rule: string) =>
  checkStack(json)
    .findings.filter((finding) => finding.ruleId === rule)
    .map((finding) => `${finding.address}: ${finding.problem}`);

const policyJson = (...statements: Record<string, unknown>[]) =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements });
/** A role policy whose policy is `policy` (JSON text or a reference). */
const rolePolicy = (policy: string) => ({ aws_iam_role_policy: { p: { role: 'r', policy } } });
/** A role policy built from a policy-document data source with `statement`. */
const documentPolicy = (statement: Record<string, unknown>[]) =>
  stackOf(rolePolicy('${data.aws_iam_policy_document.d.json}'), { aws_iam_policy_document: { d: { statement } } });
const trustRole = (policy: string) => ({ aws_iam_role: { r: { name: 'r', assume_role_policy: policy } } });

describe('CIP_IAM_5: Allow with NotAction or NotResource', () => {
  test.each([
    [
      'JSON NotAction',
      stackOf(rolePolicy(policyJson({ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*' }))),
    ],
    [
      'JSON NotResource, lowercase effect',
      stackOf(
        rolePolicy(policyJson({ Effect: 'allow', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::secret/*' })),
      ),
    ],
    [
      'JSON statement as one object, element names in other case',
      stackOf(rolePolicy(JSON.stringify({ statement: { effect: 'Allow', notaction: 'iam:*', resource: '*' } }))),
    ],
    ['data source not_actions', documentPolicy([{ effect: 'Allow', not_actions: ['iam:*'], resources: ['*'] }])],
    [
      'data source not_resources, effect left out',
      documentPolicy([{ actions: ['s3:GetObject'], not_resources: ['arn:aws:s3:::x'] }]),
    ],
    [
      'a role inline_policy block',
      stackOf({
        aws_iam_role: {
          r: {
            assume_role_policy: policyJson(),
            inline_policy: [{ name: 'i', policy: policyJson({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }) }],
          },
        },
      }),
    ],
    [
      'a user policy',
      stackOf({
        aws_iam_user_policy: {
          p: { user: 'u', policy: policyJson({ Effect: 'Allow', NotAction: '*', Resource: '*' }) },
        },
      }),
    ],
    [
      'a bucket policy',
      stackOf({
        aws_s3_bucket_policy: {
          p: {
            bucket: 'b',
            policy: policyJson({
              Effect: 'Allow',
              Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
              NotAction: 's3:DeleteObject',
              Resource: '*',
            }),
          },
        },
      }),
    ],
  ])('fails: %s', (_name, json) => {
    expect(problems(json, 'CIP_IAM_5')).toEqual([expect.stringMatching(/allows every (action|resource) except/)]);
  });

  test.each([
    [
      'Deny with NotAction (the usual guard)',
      stackOf(rolePolicy(policyJson({ Effect: 'Deny', NotAction: 'iam:*', Resource: '*' }))),
    ],
    [
      'DENY in upper case',
      stackOf(rolePolicy(policyJson({ Effect: 'DENY', NotResource: 'arn:aws:s3:::x', Action: '*' }))),
    ],
    ['data source deny', documentPolicy([{ effect: 'Deny', not_actions: ['iam:*'], resources: ['*'] }])],
  ])('passes: %s', (_name, json) => {
    expect(problems(json, 'CIP_IAM_5')).toEqual([]);
  });
});

describe('CIP_IAM_6: Allow with NotPrincipal', () => {
  test.each([
    [
      'JSON key policy',
      stackOf({
        aws_kms_key: {
          k: {
            policy: policyJson({
              Effect: 'Allow',
              NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' },
              Action: 'kms:*',
              Resource: '*',
            }),
          },
        },
      }),
    ],
    [
      'data source not_principals in a trust',
      stackOf(trustRole('${data.aws_iam_policy_document.t.json}'), {
        aws_iam_policy_document: {
          t: { statement: [{ actions: ['sts:AssumeRole'], not_principals: [{ type: 'AWS', identifiers: ['x'] }] }] },
        },
      }),
    ],
    [
      'SNS topic policy attribute',
      stackOf({
        aws_sns_topic: {
          t: {
            name: 't',
            policy: policyJson({
              Effect: 'Allow',
              NotPrincipal: { Service: 'sns.amazonaws.com' },
              Action: 'sns:Publish',
              Resource: '*',
            }),
          },
        },
      }),
    ],
  ])('fails: %s', (_name, json) => {
    expect(problems(json, 'CIP_IAM_6')).toEqual([
      expect.stringMatching(/allows every principal except .* \(NotPrincipal\)/),
    ]);
  });

  test('passes: Deny with NotPrincipal', () => {
    expect(
      problems(
        stackOf({
          aws_s3_bucket_policy: {
            p: {
              bucket: 'b',
              policy: policyJson({
                Effect: 'Deny',
                NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
                Action: 's3:*',
                Resource: '*',
              }),
            },
          },
        }),
        'CIP_IAM_6',
      ),
    ).toEqual([]);
  });
});

describe('CIP_IAM_7: ARNs with any account or region', () => {
  test.each([
    ['arn:aws:s3:*:*:bucket'],
    ['arn:aws:logs:*:123456789012:log-group:x'],
    ['arn:aws:logs:eu-west-1:*:log-group:x'],
    ['arn:*:ssm:eu-west-1:123456789012:parameter/x'],
    ['arn:aws:codebuild:eu-*:123456789012:project/x'],
    [`arn:${PARTITION}:logs:${REGION}:12345678901?:log-group:x`],
    ['arn:aws:*'],
  ])('fails: %s', (arn) => {
    expect(
      problems(
        stackOf(rolePolicy(policyJson({ Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: [arn] }))),
        'CIP_IAM_7',
      ),
    ).toEqual([expect.stringContaining(JSON.stringify(arn))]);
    expect(problems(documentPolicy([{ actions: ['logs:PutLogEvents'], resources: [arn] }]), 'CIP_IAM_7')).toHaveLength(
      1,
    );
  });

  test.each([
    ['arn:aws:s3:::bucket/*'],
    ['arn:aws:iam::123456789012:role/x'],
    [`arn:${PARTITION}:logs:${REGION}:${ACCOUNT}:log-group:/aws/codebuild/x:*`],
    ['arn:aws:logs:eu-west-1:123456789012:log-group:*'],
    ['*'],
  ])('passes: %s', (arn) => {
    expect(
      problems(
        stackOf(rolePolicy(policyJson({ Effect: 'Allow', Action: 's3:GetObject', Resource: arn }))),
        'CIP_IAM_7',
      ),
    ).toEqual([]);
  });
});

describe('CKV_AWS_274 and CIP_IAM_8: AWS-managed policies', () => {
  test.each([
    [
      'aws_iam_role_policy_attachment',
      {
        aws_iam_role_policy_attachment: { a: { role: 'r', policy_arn: 'arn:aws:iam::aws:policy/AdministratorAccess' } },
      },
    ],
    [
      'aws_iam_policy_attachment, another partition',
      {
        aws_iam_policy_attachment: {
          a: { name: 'a', roles: ['r'], policy_arn: 'arn:aws-us-gov:iam::aws:policy/PowerUserAccess' },
        },
      },
    ],
    [
      'aws_iam_user_policy_attachment',
      { aws_iam_user_policy_attachment: { a: { user: 'u', policy_arn: 'arn:aws:iam::aws:policy/IAMFullAccess' } } },
    ],
    [
      'aws_iam_group_policy_attachment, job function',
      {
        aws_iam_group_policy_attachment: {
          a: { group: 'g', policy_arn: 'arn:aws:iam::aws:policy/job-function/SystemAdministrator' },
        },
      },
    ],
    [
      'aws_iam_role_policy_attachments_exclusive',
      {
        aws_iam_role_policy_attachments_exclusive: {
          a: { role_name: 'r', policy_arns: ['arn:aws:iam::aws:policy/AdministratorAccess'] },
        },
      },
    ],
    [
      'aws_iam_role.managed_policy_arns, partition interpolated',
      {
        aws_iam_role: {
          r: {
            assume_role_policy: policyJson(),
            managed_policy_arns: [`arn:${PARTITION}:iam::aws:policy/AdministratorAccess`],
          },
        },
      },
    ],
    [
      'a data.aws_iam_policy by ARN',
      { aws_iam_role_policy_attachment: { a: { role: 'r', policy_arn: '${data.aws_iam_policy.admin.arn}' } } },
    ],
    [
      'a data.aws_iam_policy by name',
      { aws_iam_role_policy_attachment: { a: { role: 'r', policy_arn: '${data.aws_iam_policy.by_name.arn}' } } },
    ],
    ['a local', { aws_iam_role_policy_attachment: { a: { role: 'r', policy_arn: '${local.admin}' } } }],
    [
      'a variable default',
      { aws_iam_role: { r: { assume_role_policy: policyJson(), managed_policy_arns: '${var.policies}' } } },
    ],
  ])('administrator policies fail CKV_AWS_274: %s', (_name, resource) => {
    const json = stackOf(
      resource,
      {
        aws_iam_policy: {
          admin: { arn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
          by_name: { name: 'AdministratorAccess' },
        },
      },
      {
        locals: { admin: 'arn:aws:iam::aws:policy/AdministratorAccess' },
        variable: {
          policies: { type: 'list(string)', default: ['arn:aws:iam::aws:policy/job-function/NetworkAdministrator'] },
        },
      },
    );
    expect(problems(json, 'CKV_AWS_274')).toEqual([
      expect.stringMatching(/attaches the AWS-managed policy ".+", which gives administrator-level access/),
    ]);
    expect(problems(json, 'CIP_IAM_8')).toEqual([]);
  });

  test('other AWS-managed policies fail CIP_IAM_8, each one named', () => {
    const json = stackOf({
      aws_iam_role_policy_attachment: { a: { role: 'r', policy_arn: 'arn:aws:iam::aws:policy/AmazonS3FullAccess' } },
      aws_iam_role_policy_attachments_exclusive: {
        e: {
          role_name: 'r',
          policy_arns: [
            'arn:aws:iam::aws:policy/service-role/AWSCodeBuildAdminAccess',
            'arn:aws:iam::123456789012:policy/own',
          ],
        },
      },
    });
    expect(problems(json, 'CIP_IAM_8')).toEqual([
      expect.stringMatching(
        /^aws_iam_role_policy_attachment.a: policy_arn attaches the AWS-managed policy "AmazonS3FullAccess"/,
      ),
      expect.stringMatching(
        new RegExp(
          String.raw`^aws_iam_role_policy_attachments_exclusive.e: policy_arns\[0\] ` +
            String.raw`attaches the AWS-managed policy "service-role\/AWSCodeBuildAdminAccess"`,
        ),
      ),
    ]);
  });

  test("the stack's own policies pass", () => {
    const json = stackOf({
      aws_iam_policy: {
        own: { policy: policyJson({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }) },
      },
      aws_iam_role_policy_attachment: {
        a: { role: 'r', policy_arn: '${aws_iam_policy.own.arn}' },
        b: { role: 'r', policy_arn: `arn:aws:iam::${ACCOUNT}:policy/AdministratorAccess` },
      },
    });
    expect([...problems(json, 'CKV_AWS_274'), ...problems(json, 'CIP_IAM_8')]).toEqual([]);
  });
});

describe('CIP_IAM_9: trusts outside the account', () => {
  const trust = (principal: Record<string, unknown>) =>
    stackOf({
      aws_iam_role: {
        ...trustRole(policyJson({ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' })).aws_iam_role,
        other: { assume_role_policy: policyJson() },
      },
    });
  test.each([
    ['another account ID', { AWS: '111122223333' }],
    ['another account root', { AWS: 'arn:aws:iam::111122223333:root' }],
    ['a role of another account, in a list', { AWS: ['arn:aws:iam::111122223333:role/deployer'] }],
    ['any account', { AWS: 'arn:aws:iam::*:root' }],
    ['a variable', { AWS: '${var.trusted_account}' }],
    [
      'a federated provider',
      { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com` },
    ],
    ['a SAML provider', { Federated: 'arn:aws:iam::111122223333:saml-provider/corp' }],
  ])('fails: %s', (_name, principal) => {
    expect(problems(trust(principal), 'CIP_IAM_9')).toEqual([
      expect.stringMatching(/lets .+ assume the role: not this stack's account/),
    ]);
  });

  test('fails: a data-source trust with an account principal', () => {
    const json = stackOf(trustRole('${data.aws_iam_policy_document.t.json}'), {
      aws_iam_policy_document: {
        t: {
          statement: [
            {
              actions: ['sts:AssumeRole'],
              principals: [{ type: 'AWS', identifiers: ['arn:aws:iam::111122223333:root'] }],
            },
          ],
        },
      },
    });
    expect(problems(json, 'CIP_IAM_9')).toHaveLength(1);
  });

  test.each([
    ['a service', { Service: 'codebuild.amazonaws.com' }],
    ["this account's root", { AWS: `arn:${PARTITION}:iam::${ACCOUNT}:root` }],
    ["this account's ID", { AWS: ACCOUNT }],
    ['a role of the stack', { AWS: '${aws_iam_role.other.arn}' }],
  ])('passes: %s', (_name, principal) => {
    expect(problems(trust(principal), 'CIP_IAM_9')).toEqual([]);
  });

  test('follows a local to this account, and fails a wildcard service', () => {
    const own = { ...trust({ AWS: '${local.root}' }), locals: { root: `arn:${PARTITION}:iam::${ACCOUNT}:root` } };
    expect(problems(own, 'CIP_IAM_9')).toEqual([]);
    expect(problems(trust({ Service: '*.amazonaws.com' }), 'CIP_IAM_9')).toEqual([
      expect.stringMatching(/lets any service \(Service "\*.amazonaws.com"\)/),
    ]);
  });

  test('leaves "*" to CKV_AWS_60, which reports it', () => {
    const json = trust({ AWS: '*' });
    expect(problems(json, 'CIP_IAM_9')).toEqual([]);
    expect(problems(json, 'CKV_AWS_60')).toHaveLength(1);
  });
});

describe('CIP_IAM_10: confused-deputy conditions on CodeBuild trusts', () => {
  const trust = (condition?: Record<string, unknown>, service: unknown = 'codebuild.amazonaws.com') =>
    stackOf(
      trustRole(
        policyJson({
          Effect: 'Allow',
          Principal: { Service: service },
          Action: 'sts:AssumeRole',
          ...(condition ? { Condition: condition } : {}),
        }),
      ),
    );
  test.each([
    ['no condition', undefined],
    ['a negated condition', { StringNotEquals: { 'aws:SourceAccount': ACCOUNT } }],
    ['an IfExists condition', { StringEqualsIfExists: { 'aws:SourceAccount': ACCOUNT } }],
    ['a wildcard account', { StringLike: { 'aws:SourceAccount': '*' } }],
    ['a source ARN in any account', { ArnLike: { 'aws:SourceArn': 'arn:aws:codebuild:eu-west-1:*:project/*' } }],
    ['another key', { StringEquals: { 'aws:PrincipalOrgID': 'o-123' } }],
    ['two accounts', { StringEquals: { 'aws:SourceAccount': [ACCOUNT, '111122223333'] } }],
  ])('fails: %s', (_name, condition) => {
    expect(problems(trust(condition), 'CIP_IAM_10')).toEqual([
      expect.stringMatching(/lets codebuild.amazonaws.com assume the role for any account's resources/),
    ]);
  });

  test('fails in a list of services too', () => {
    expect(
      problems(trust(undefined, ['codepipeline.amazonaws.com', 'codebuild.amazonaws.com']), 'CIP_IAM_10'),
    ).toHaveLength(1);
  });

  test.each([
    ['aws:SourceAccount of the stack', { StringEquals: { 'aws:SourceAccount': ACCOUNT } }],
    ['aws:SourceAccount as a literal ID, key in other case', { StringEquals: { 'AWS:SourceAccount': '123456789012' } }],
    [
      'aws:SourceArn of a project',
      { ArnLike: { 'aws:SourceArn': `arn:${PARTITION}:codebuild:${REGION}:${ACCOUNT}:project/app` } },
    ],
  ])('passes: %s', (_name, condition) => {
    expect(problems(trust(condition), 'CIP_IAM_10')).toEqual([]);
  });

  test('passes for a service that does not document the keys (CodePipeline)', () => {
    expect(problems(trust(undefined, 'codepipeline.amazonaws.com'), 'CIP_IAM_10')).toEqual([]);
  });
});

describe('resource policies: everyone and other accounts', () => {
  const everyone = { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' };
  test.each([
    ['CKV_AWS_33', { aws_kms_key: { k: { policy: policyJson(everyone) } } }],
    [
      'CKV_AWS_33',
      { aws_kms_key_policy: { k: { key_id: 'k', policy: policyJson({ ...everyone, Principal: { AWS: ['*'] } }) } } },
    ],
    ['CKV_AWS_70', { aws_s3_bucket_policy: { p: { bucket: 'b', policy: policyJson(everyone) } } }],
    [
      'CKV_AWS_70',
      {
        aws_s3_bucket: {
          b: { bucket: 'b', policy: policyJson({ ...everyone, Principal: { AWS: 'arn:aws:iam::*:root' } }) },
        },
      },
    ],
    ['CKV_AWS_32', { aws_ecr_repository_policy: { p: { repository: 'r', policy: policyJson(everyone) } } }],
    ['CKV_AWS_169', { aws_sns_topic_policy: { p: { arn: 'a', policy: policyJson(everyone) } } }],
    ['CKV_AWS_169', { aws_sns_topic: { t: { policy: policyJson(everyone) } } }],
    ['CIP_IAM_11', { aws_secretsmanager_secret_policy: { p: { secret_arn: 's', policy: policyJson(everyone) } } }],
    ['CIP_IAM_11', { aws_secretsmanager_secret: { s: { policy: policyJson(everyone) } } }],
    ['CIP_IAM_11', { aws_sqs_queue_policy: { p: { queue_url: 'q', policy: policyJson(everyone) } } }],
  ])('%s fails an Allow to everyone in %j', (rule, resource) => {
    expect(problems(stackOf(resource), rule)).toEqual([expect.stringMatching(/allows everyone/)]);
    // Reported once: not again as another account.
    expect(problems(stackOf(resource), 'CIP_IAM_12')).toEqual([]);
  });

  test('an Allow to everyone from a data source, narrowed by a condition on another account, fails', () => {
    const json = stackOf(
      { aws_kms_key: { k: { policy: '${data.aws_iam_policy_document.k.json}' } } },
      {
        aws_iam_policy_document: {
          k: {
            statement: [
              {
                actions: ['kms:Decrypt'],
                resources: ['*'],
                principals: [{ type: '*', identifiers: ['*'] }],
                condition: [{ test: 'StringEquals', variable: 'kms:CallerAccount', values: ['111122223333'] }],
              },
            ],
          },
        },
      },
    );
    expect(problems(json, 'CKV_AWS_33')).toHaveLength(1);
  });

  test.each([
    [
      'a Deny to everyone (TLS only)',
      {
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: '*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ],
    [
      'an Allow to everyone pinned to this account',
      { ...everyone, Condition: { StringEquals: { 'aws:PrincipalAccount': ACCOUNT } } },
    ],
    [
      'an Allow to everyone pinned by kms:CallerAccount',
      { ...everyone, Condition: { StringEquals: { 'kms:CallerAccount': ACCOUNT } } },
    ],
    [
      'a service principal',
      { Effect: 'Allow', Principal: { Service: 'delivery.logs.amazonaws.com' }, Action: 's3:PutObject', Resource: '*' },
    ],
    [
      'this account',
      { Effect: 'Allow', Principal: { AWS: `arn:${PARTITION}:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
    ],
  ])('passes: %s', (_name, statement) => {
    const json = stackOf({
      aws_kms_key: { k: { policy: policyJson(statement) } },
      aws_s3_bucket_policy: { p: { bucket: 'b', policy: policyJson(statement) } },
    });
    for (const rule of ['CKV_AWS_33', 'CKV_AWS_70', 'CIP_IAM_12']) expect(problems(json, rule)).toEqual([]);
  });

  test.each([
    ['aws_kms_key', { AWS: 'arn:aws:iam::111122223333:root' }],
    ['aws_s3_bucket_policy', { AWS: '111122223333' }],
    ['aws_sns_topic_policy', { AWS: ['arn:aws:iam::111122223333:role/x'] }],
    [
      'aws_secretsmanager_secret_policy',
      { CanonicalUser: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be' },
    ],
  ])('CIP_IAM_12 fails a grant to another account in %s', (type, principal) => {
    const json = stackOf({
      [type]: { x: { policy: policyJson({ Effect: 'Allow', Principal: principal, Action: '*', Resource: '*' }) } },
    });
    expect(problems(json, 'CIP_IAM_12')).toEqual([expect.stringMatching(/: not this stack's account/)]);
  });
});

describe('CIP_SEC_1: secrets in the configuration', () => {
  const GITHUB_TOKEN = `ghp_${'Ab1'.repeat(12)}`;

  // Formats secretlint's recommended preset reads, and the two standard formats it reads narrowly, in a description
  // that no name rule reads: only the format finds it.
  test.each([
    [GITHUB_TOKEN, 'GitHub Token (secretlint github)'],
    [`github_pat_${'A1_b'.repeat(20)}Zz`, 'GitHub Token (secretlint github)'],
    ['ASIAQ7XZ4M2KD9RTB6WN', 'AWS Access Key ID (secretlint aws)'],
    [`aws_secret_access_key = ${'wJal/rXUt+nFEM'.repeat(3).slice(0, 40)}`, 'AWS Secret Access Key (secretlint aws)'],
    ['-----BEGIN EC PRIVATE KEY-----', 'private key (its armour line, RFC 7468)'],
    [
      `-----BEGIN RSA PRIVATE KEY-----\n${'MIIEowIBAAKCAQEA'.repeat(8)}\n-----END RSA PRIVATE KEY-----`,
      'private key (secretlint privatekey)',
    ],
    ['xoxp-1234567890-abcdef', 'slack token (secretlint slack)'],
    ['https://hooks.slack.com/services/T0001/B0002/abcDEF123', 'Slack Incoming Webhook (secretlint slack)'],
    [`dckr_pat_${'a1B'.repeat(9)}`, 'Docker Personal Access Token (secretlint docker)'],
    [`glpat-${'x1'.repeat(10)}`, 'GitLab Personal Access Token (secretlint gitlab)'],
    [`npm_${'a1B'.repeat(12)}`, 'npm access token (secretlint npm)'],
    ['sk_live_4eC39HqLyjWDarjtT1zdp7dc', 'Stripe Live Secret Key (secretlint stripe)'],
    [
      'postgres://app:S3cretPass@db.example.com:5432/app',
      'PostgreSQL connection string (secretlint database-connection-string)',
    ],
    ['amqp://worker:p@ss!@mq.internal', 'URL with a password (user:password@) (its userinfo, RFC 3986)'],
  ])('finds %s as %s, and nothing else', (secret, kind) => {
    const json = stackOf({ aws_codebuild_project: { p: { name: 'p', description: `built with ${secret} inside` } } });
    expect(problems(json, 'CIP_SEC_1')).toEqual([`aws_codebuild_project.p: description holds a secret: ${kind}`]);
  });

  const variables = (...environmentVariable: Record<string, unknown>[]) =>
    stackOf({
      aws_codebuild_project: {
        p: {
          name: 'p',
          environment: { image: 'aws/codebuild/standard:7.0', environment_variable: environmentVariable },
        },
      },
    });

  test.each([
    [
      'a GitHub token in a PLAINTEXT variable',
      variables({ name: 'GH', type: 'PLAINTEXT', value: GITHUB_TOKEN }),
      /\("GH", type PLAINTEXT\) holds a secret: GitHub Token/,
    ],
    [
      'a password under a secret name, type left out',
      variables({ name: 'DOCKERHUB_PASSWORD', value: 'hunter2hunter2' }),
      /\("DOCKERHUB_PASSWORD", type PLAINTEXT\) is a literal under the secret-looking name/,
    ],
    [
      'an AWS access key ID in any variable',
      variables({ name: 'AWS_ACCESS_KEY_ID', value: 'AKIAQ7XZ4M2KD9RTB6WN' }),
      /holds a secret: AWS Access Key ID/,
    ],
    [
      'a private key',
      stackOf({ aws_instance: { i: { user_data: '-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn...' } } }),
      /user_data holds a secret: private key/,
    ],
    [
      'a Slack token in a pipeline action',
      stackOf({
        aws_codepipeline: {
          p: { stage: [{ action: [{ configuration: { Webhook: 'xoxb-123456789012-abcdefABCDEF' } }] }] },
        },
      }),
      /stage\[0\].action\[0\].configuration.Webhook holds a secret: slack token/,
    ],
    [
      'a Docker Hub token in a provider',
      stackOf({}, {}, { provider: { docker: [{ registry_auth: { password: `dckr_pat_${'x'.repeat(27)}` } }] } }),
      /registry_auth.password holds a secret: Docker Personal Access Token/,
    ],
    [
      'a literal provider token',
      stackOf({}, {}, { provider: { github: [{ owner: 'o', token: 'not-a-real-token' }] } }),
      /^provider.github: token is a literal under the secret-looking name "token"/,
    ],
    [
      'backend access keys',
      stackOf({}, {}, { terraform: { backend: { s3: { bucket: 'b', key: 'state', secret_key: 'abc/def' } } } }),
      /backend.s3.secret_key is a literal/,
    ],
    [
      'a variable default',
      stackOf({}, {}, { variable: { github_token: { type: 'string', default: 'xyz-123' } } }),
      /^var.github_token: default is a literal under the secret-looking name "github_token"/,
    ],
    [
      'a sensitive variable default',
      stackOf({}, {}, { variable: { credentials_blob: { sensitive: true, default: 'anything' } } }),
      /default is a literal/,
    ],
    [
      'an output',
      stackOf({}, {}, { output: { admin_password: { value: 'p4ss' } } }),
      /^output.admin_password: value is a literal/,
    ],
    ['a local', stackOf({}, {}, { locals: { api_key: 'k-123' } }), /^local.api_key: api_key is a literal/],
    [
      'a personal access token named PAT',
      variables({ name: 'GITHUB_PAT', value: 'abc123' }),
      /\("GITHUB_PAT", type PLAINTEXT\) is a literal/,
    ],
    [
      'an Authorization header',
      stackOf({
        aws_cloudwatch_event_connection: {
          c: { auth_parameters: { api_key: { key: 'Authorization', value: 'Bearer abc' } } },
        },
      }),
      new RegExp(
        String.raw`auth_parameters.api_key \("Authorization", type PLAINTEXT\) ` +
          String.raw`is a literal under the secret-looking name "Authorization"`,
      ),
    ],
    [
      'a value in a block named like a secret',
      stackOf({
        aws_cloudwatch_event_connection: {
          c: {
            auth_parameters: {
              basic: { username: 'u', password: 'pw' },
              oauth: { client_parameters: { client_id: 'i', client_secret: 'cs' } },
            },
          },
        },
      }),
      /client_parameters.client_secret is a literal/,
    ],
    [
      'OAuthToken in camel case',
      stackOf({ aws_codepipeline: { p: { stage: [{ action: [{ configuration: { OAuthToken: 'abc' } }] }] } } }),
      /OAuthToken is a literal/,
    ],
    [
      'a URL with a password',
      stackOf({
        aws_codebuild_source_credential: {
          c: {
            server_type: 'GITHUB',
            auth_type: 'PERSONAL_ACCESS_TOKEN',
            token: '${var.t}',
            user_name: 'https://u:p4ss@git.example.com',
          },
        },
      }),
      /holds a secret: URL with a password/,
    ],
    [
      'container definitions JSON',
      stackOf({
        aws_ecs_task_definition: {
          t: {
            container_definitions: JSON.stringify([
              { name: 'app', environment: [{ name: 'DB_PASSWORD', value: 'secret!' }] },
            ]),
          },
        },
      }),
      /container_definitions\[0\].environment\[0\] \("DB_PASSWORD", type PLAINTEXT\) is a literal/,
    ],
    [
      'a GitHub Actions secret',
      stackOf({ github_actions_secret: { s: { secret_name: 'X', plaintext_value: 'abc' } } }),
      /plaintext_value is a literal/,
    ],
    [
      'a SecureString parameter',
      stackOf({ aws_ssm_parameter: { p: { name: '/x', type: 'SecureString', value: 'abc' } } }),
      /value of a SecureString parameter is a literal/,
    ],
    [
      'a parameter named like a password',
      stackOf({ aws_ssm_parameter: { p: { name: '/app/db_password', type: 'String', value: 'abc' } } }),
      /^aws_ssm_parameter.p: value \("\/app\/db_password", type STRING\) is a literal/,
    ],
    [
      'an API Gateway key',
      stackOf({ aws_api_gateway_api_key: { k: { name: 'ci', value: 'abcdefghijklmnopqrstuvwxyz' } } }),
      /value of an API key is a literal/,
    ],
  ])('fails: %s, naming the attribute, never the value', (_name, json, message) => {
    const found = problems(json, 'CIP_SEC_1');
    expect(found).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
    for (const secret of [
      GITHUB_TOKEN,
      'hunter2hunter2',
      'AKIAIOSFODNN7EXAMPLE',
      'not-a-real-token',
      'xyz-123',
      'p4ss',
      'k-123',
      'abc/def',
    ]) {
      expect(found.join('\n')).not.toContain(secret);
    }
  });

  test.each([
    [
      'a SECRETS_MANAGER variable with a JSON key',
      variables({
        name: 'DOCKERHUB_PASSWORD',
        type: 'SECRETS_MANAGER',
        value: '${aws_secretsmanager_secret.s.arn}:password',
      }),
    ],
    ['a PARAMETER_STORE variable', variables({ name: 'NPM_TOKEN', type: 'PARAMETER_STORE', value: '/ci/npm-token' })],
    [
      'plain variables',
      variables({ name: 'APP_DIR', type: 'PLAINTEXT', value: '.' }, { name: 'PUSH_LATEST_TAG', value: 'true' }),
    ],
    [
      'a write-only secret from ephemeral variables',
      stackOf({
        aws_secretsmanager_secret_version: {
          v: { secret_id: 'x', secret_string_wo: '${jsonencode({"password" = var.p})}', secret_string_wo_version: 1 },
        },
      }),
    ],
    [
      'a secret ID and KMS alias',
      stackOf(
        { aws_kms_alias: { a: { name: 'alias/ci/app-token' } } },
        { aws_secretsmanager_secret_version: { t: { secret_id: 'github/codepipeline-oauth-token' } } },
      ),
    ],
    [
      'a token from a reference',
      stackOf({
        aws_codepipeline_webhook: {
          w: { authentication_configuration: { secret_token: '${random_password.p.result}' } },
        },
      }),
    ],
    [
      'a variable with no default',
      stackOf({}, {}, { variable: { dockerhub_password: { type: 'string', sensitive: true, ephemeral: true } } }),
    ],
    ['idempotency tokens', stackOf({ aws_efs_file_system: { f: { creation_token: 'my-fs' } } })],
    [
      'a registry credential named by its secret',
      stackOf({
        aws_codebuild_project: {
          p: {
            environment: {
              registry_credential: { credential: 'dockerhub-creds', credential_provider: 'SECRETS_MANAGER' },
            },
          },
        },
      }),
    ],
  ])('passes: %s', (_name, json) => {
    expect(problems(json, 'CIP_SEC_1')).toEqual([]);
  });
});

describe("CIP_GIT_2: branch protection below the product's defaults", () => {
  const PRODUCT = {
    pattern: 'main',
    repository_id: 'R',
    enforce_admins: true,
    allows_force_pushes: false,
    allows_deletions: false,
    required_pull_request_reviews: [
      {
        required_approving_review_count: 1,
        dismiss_stale_reviews: true,
        require_last_push_approval: true,
        require_code_owner_reviews: true,
      },
    ],
  };
  const protection = (body: Record<string, unknown>, type = 'github_branch_protection') =>
    stackOf({ [type]: { p: body } });

  test.each([
    [
      'reviews removed',
      { ...PRODUCT, required_pull_request_reviews: undefined },
      /required_pull_request_reviews is missing/,
    ],
    [
      'no approval needed',
      {
        ...PRODUCT,
        required_pull_request_reviews: [
          { required_approving_review_count: 0, dismiss_stale_reviews: true, require_last_push_approval: true },
        ],
      },
      /required_approving_review_count is 0/,
    ],
    [
      'last push approval off',
      {
        ...PRODUCT,
        required_pull_request_reviews: [
          { required_approving_review_count: 1, dismiss_stale_reviews: true, require_last_push_approval: false },
        ],
      },
      /require_last_push_approval is not true, so whoever pushes to a pull request can approve it/,
    ],
    ['force pushes', { ...PRODUCT, allows_force_pushes: true }, /allows_force_pushes is true/],
    ['force push bypassers', { ...PRODUCT, force_push_bypassers: ['/octocat'] }, /force_push_bypassers/],
    ['deletions', { ...PRODUCT, allows_deletions: 'true' }, /allows_deletions is true/],
    ['admins exempt', { ...PRODUCT, enforce_admins: false }, /enforce_admins is false/],
    ['admins not set', { ...PRODUCT, enforce_admins: undefined }, /enforce_admins is not set/],
    [
      'review bypassers',
      {
        ...PRODUCT,
        required_pull_request_reviews: [
          { dismiss_stale_reviews: true, require_last_push_approval: true, pull_request_bypassers: ['/octocat'] },
        ],
      },
      /pull_request_bypassers/,
    ],
  ])('github_branch_protection fails: %s', (_name, body, message) => {
    expect(problems(protection(body), 'CIP_GIT_2')).toEqual([expect.stringMatching(message)]);
  });

  test.each([
    [
      'no reviews',
      { repository: 'r', branch: 'main', enforce_admins: true },
      /required_pull_request_reviews is missing/,
    ],
    [
      'admins exempt',
      {
        repository: 'r',
        branch: 'main',
        required_pull_request_reviews: { dismiss_stale_reviews: true, require_last_push_approval: true },
      },
      /enforce_admins is not set/,
    ],
    [
      'bypass allowances',
      {
        repository: 'r',
        branch: 'main',
        enforce_admins: true,
        required_pull_request_reviews: {
          dismiss_stale_reviews: true,
          require_last_push_approval: true,
          bypass_pull_request_allowances: { users: ['u'] },
        },
      },
      /bypass_pull_request_allowances/,
    ],
  ])('github_branch_protection_v3 fails: %s', (_name, body, message) => {
    expect(problems(protection(body, 'github_branch_protection_v3'), 'CIP_GIT_2')).toEqual([
      expect.stringMatching(message),
    ]);
  });

  test('github_repository_ruleset fails with bypass actors or no approvals', () => {
    const ruleset = stackOf({
      github_repository_ruleset: {
        r: {
          target: 'branch',
          enforcement: 'active',
          bypass_actors: [{ actor_id: 5, actor_type: 'RepositoryRole', bypass_mode: 'always' }],
          rules: { pull_request: { required_approving_review_count: 0 } },
        },
      },
    });
    expect(problems(ruleset, 'CIP_GIT_2')).toEqual([
      expect.stringMatching(/bypass_actors lets RepositoryRole 5 bypass/),
      expect.stringMatching(/rules.pull_request.required_approving_review_count is 0/),
    ]);
  });

  test("the product's settings pass, in both resources, and a tag ruleset is not held to it", () => {
    expect(problems(protection(PRODUCT), 'CIP_GIT_2')).toEqual([]);
    expect(
      problems(
        protection(
          {
            repository: 'r',
            branch: 'main',
            enforce_admins: true,
            required_pull_request_reviews: { dismiss_stale_reviews: true, require_last_push_approval: true },
          },
          'github_branch_protection_v3',
        ),
        'CIP_GIT_2',
      ),
    ).toEqual([]);
    expect(
      problems(
        stackOf({
          github_repository_ruleset: { r: { target: 'tag', bypass_actors: [{ actor_id: 1, actor_type: 'Team' }] } },
        }),
        'CIP_GIT_2',
      ),
    ).toEqual([]);
  });
});

describe('CIP_GIT_3: stale approvals kept', () => {
  const protection = (reviews: unknown, type = 'github_branch_protection') =>
    stackOf({ [type]: { p: { pattern: 'main', enforce_admins: true, required_pull_request_reviews: reviews } } });

  test.each([
    [
      'dismissal off, with code owners, whose earlier approval keeps counting',
      [
        {
          required_approving_review_count: 1,
          dismiss_stale_reviews: false,
          require_last_push_approval: true,
          require_code_owner_reviews: true,
        },
      ],
    ],
    ['dismissal and last-push approval not set', { required_approving_review_count: 2 }],
  ])('fails: %s, and only this rule', (_name, reviews) => {
    expect(problems(protection(reviews), 'CIP_GIT_3')).toEqual([
      'github_branch_protection.p: required_pull_request_reviews.dismiss_stale_reviews is not true, so an approval ' +
        'survives later pushes',
    ]);
    expect(problems(protection(reviews, 'github_branch_protection_v3'), 'CIP_GIT_3')).toHaveLength(1);
  });

  test('passes with dismissal off where the last push needs an approval of its own and no code owner reviews', () => {
    const reviews = [
      { required_approving_review_count: 1, dismiss_stale_reviews: false, require_last_push_approval: true },
    ];
    expect(problems(protection(reviews), 'CIP_GIT_3')).toEqual([]);
    expect(problems(protection(reviews), 'CIP_GIT_2')).toEqual([]);
  });

  test('passes with dismissal on', () => {
    expect(
      problems(
        protection([
          { required_approving_review_count: 1, dismiss_stale_reviews: true, require_last_push_approval: true },
        ]),
        'CIP_GIT_3',
      ),
    ).toEqual([]);
  });
});

describe('CIP_CB_1: privileged builds on images nobody pinned', () => {
  const DIGEST = `@sha256:${'a'.repeat(64)}`;
  const project = (environment: Record<string, unknown>, extra: Record<string, Record<string, any>> = {}) =>
    stackOf({
      ...extra,
      aws_codebuild_project: { p: { name: 'p', environment: { privileged_mode: true, ...environment } } },
    });

  test.each([
    ['a Docker Hub image by tag', { image: 'docker:27-dind' }],
    ['a public image by latest', { image: 'public.ecr.aws/docker/library/docker:latest' }],
    [
      'an ECR image by tag, mutable repository',
      { image: '${aws_ecr_repository.r.repository_url}:v1', image_pull_credentials_type: 'SERVICE_ROLE' },
    ],
    [
      'a curated-looking name pulled with the service role',
      { image: 'aws/codebuild/standard:7.0', image_pull_credentials_type: 'SERVICE_ROLE' },
    ],
    ['privileged_mode as a string', { image: 'ubuntu:22.04', privileged_mode: 'true' }],
    ['a short digest', { image: 'docker@sha256:abc' }],
  ])('fails: %s', (_name, environment) => {
    expect(
      problems(
        project(environment, { aws_ecr_repository: { r: { name: 'r', image_tag_mutability: 'MUTABLE' } } }),
        'CIP_CB_1',
      ),
    ).toEqual([expect.stringMatching(/privileged_mode is true on the image/)]);
  });

  test.each([
    ['a CodeBuild image', { image: 'aws/codebuild/amazonlinux-x86_64-standard:5.0' }],
    ['an image pinned by digest', { image: `docker${DIGEST}` }],
    [
      'an ECR image by tag of an IMMUTABLE repository',
      { image: '${aws_ecr_repository.r.repository_url}:v1', image_pull_credentials_type: 'SERVICE_ROLE' },
    ],
    ['any image without privileged mode', { image: 'docker:latest', privileged_mode: false }],
  ])('passes: %s', (_name, environment) => {
    expect(
      problems(
        project(environment, { aws_ecr_repository: { r: { name: 'r', image_tag_mutability: 'IMMUTABLE' } } }),
        'CIP_CB_1',
      ),
    ).toEqual([]);
  });
});

describe('CIP_PR_1: a pull-request build cannot publish, however the grant is written', () => {
  const trust = policyJson({
    Effect: 'Allow',
    Principal: { Service: 'codebuild.amazonaws.com' },
    Action: 'sts:AssumeRole',
  });
  /** A pipeline whose main build reads registry credentials, and a pull-request build, with `extra` added. */
  const pipelineWith = (
    extra: Record<string, Record<string, any>> = {},
    pullRequestVariables: Record<string, string>[] = [],
  ): TerraformJson => {
    const resource: Record<string, Record<string, any>> = {
      aws_iam_role: {
        main: { name: 'app-build', assume_role_policy: trust },
        pr: { name: 'app-pull-requests', assume_role_policy: trust },
      },
      aws_secretsmanager_secret: { registry: { name: 'registry' } },
      aws_s3_bucket: { artifacts: { bucket: 'app-artifacts' } },
      aws_codebuild_project: {
        main: {
          name: 'app',
          service_role: '${aws_iam_role.main.arn}',
          environment: {
            environment_variable: [
              {
                name: 'PASSWORD',
                type: 'SECRETS_MANAGER',
                value: '${aws_secretsmanager_secret.registry.arn}:password',
              },
            ],
          },
        },
        pr: {
          name: 'app-pull-requests',
          service_role: '${aws_iam_role.pr.arn}',
          environment: { environment_variable: pullRequestVariables },
        },
      },
      aws_codebuild_webhook: {
        pr: {
          project_name: '${aws_codebuild_project.pr.name}',
          filter_group: [{ filter: [{ type: 'EVENT', pattern: 'PULL_REQUEST_CREATED, PULL_REQUEST_UPDATED' }] }],
        },
      },
      aws_codepipeline: {
        p: { name: 'app', artifact_store: [{ location: '${aws_s3_bucket.artifacts.bucket}', type: 'S3' }] },
      },
    };
    for (const [type, elements] of Object.entries(extra)) resource[type] = { ...resource[type], ...elements };
    return stackOf(resource);
  };
  const onPullRequestRole = (policy: string, role = '${aws_iam_role.pr.name}') =>
    pipelineWith({ aws_iam_role_policy: { extra: { role, policy } } });
  const allow = (Action: unknown, Resource: unknown = '*') => policyJson({ Effect: 'Allow', Action, Resource });
  const pr1 = (json: TerraformJson) => problems(json, 'CIP_PR_1');

  test.each([
    ['ecr:* on everything', onPullRequestRole(allow('ecr:*')), /may push images: ecr:CompleteLayerUpload/],
    ['a prefix wildcard, ecr:Put*', onPullRequestRole(allow('ecr:Put*')), /may push images: ecr:PutImage$/],
    ['*:*', onPullRequestRole(allow('*:*')), /may start builds .*codebuild:StartBuild/],
    [
      'a NotAction Allow',
      onPullRequestRole(policyJson({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })),
      /may act as another role: sts:AssumeRole$/,
    ],
    [
      'StartBuild on the main project',
      onPullRequestRole(allow('codebuild:StartBuild', 'arn:aws:codebuild:eu-west-1:111122223333:project/app')),
      /may start builds/,
    ],
    [
      'AssumeRole on the main role',
      onPullRequestRole(allow('sts:AssumeRole', '${aws_iam_role.main.arn}')),
      /may act as another role: sts:AssumeRole$/,
    ],
    ['PassRole in lowercase', onPullRequestRole(allow('IAM:passrole')), /may act as another role: iam:PassRole$/],
    [
      'the registry secret by reference',
      onPullRequestRole(allow('secretsmanager:GetSecretValue', '${aws_secretsmanager_secret.registry.arn}')),
      /registry with: secretsmanager:GetSecretValue$/,
    ],
    [
      'every secret by a literal wildcard ARN',
      onPullRequestRole(allow('secretsmanager:GetSecretValue', 'arn:aws:secretsmanager:*:*:secret:*')),
      /registry with/,
    ],
    [
      'writes to the artifacts by a literal wildcard ARN',
      onPullRequestRole(allow('s3:PutObject', 'arn:aws:s3:::*/*')),
      /may write the pipelines' artifacts: s3:PutObject$/,
    ],
    [
      'writes to the artifacts by reference',
      onPullRequestRole(allow(['s3:PutObject', 's3:DeleteObject'], '${aws_s3_bucket.artifacts.arn}/*')),
      /artifacts: s3:PutObject, s3:DeleteObject$/,
    ],
    [
      "a policy attached by the role's literal name",
      onPullRequestRole(allow('ecr:PutImage'), 'app-pull-requests'),
      /may push images: ecr:PutImage$/,
    ],
    [
      'a managed policy of AWS, which the rule cannot read',
      pipelineWith({
        aws_iam_role_policy_attachment: {
          admin: { role: '${aws_iam_role.pr.name}', policy_arn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
        },
      }),
      /the managed policy arn:aws:iam::aws:policy\/AdministratorAccess, which cannot be read/,
    ],
    [
      'a policy written as an expression',
      onPullRequestRole('${jsonencode(local.anything)}'),
      /cannot be read, so nothing proves it cannot publish/,
    ],
    [
      'a role outside the stack',
      stackOf({
        ...pipelineWith().resource,
        aws_codebuild_project: {
          ...pipelineWith().resource!.aws_codebuild_project,
          pr: { name: 'x', service_role: 'arn:aws:iam::111122223333:role/admin', environment: {} },
        },
      }),
      /not in the stack, so nothing proves it cannot publish/,
    ],
    [
      'the registry secret as a variable',
      pipelineWith({}, [
        { name: 'PASSWORD', type: 'SECRETS_MANAGER', value: '${aws_secretsmanager_secret.registry.arn}:password' },
      ]),
      /it reads \$\{aws_secretsmanager_secret.registry.arn\}/,
    ],
    [
      "another role's trust policy that names it",
      pipelineWith({
        aws_iam_role: {
          main: {
            name: 'app-build',
            assume_role_policy: policyJson({
              Effect: 'Allow',
              Principal: { AWS: '${aws_iam_role.pr.arn}' },
              Action: 'sts:AssumeRole',
            }),
          },
        },
      }),
      /may act as the role aws_iam_role\.main, whose trust policy lets it$/,
    ],
    [
      "another role's trust policy that names it by an ARN with a path",
      pipelineWith({
        aws_iam_role: {
          main: {
            name: 'app-build',
            assume_role_policy: policyJson({
              Effect: 'Allow',
              Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/service-role/app-pull-requests` },
              Action: 'sts:AssumeRole',
            }),
          },
        },
      }),
      /may act as the role aws_iam_role\.main, whose trust policy lets it$/,
    ],
    [
      'writes under one prefix of the artifact bucket',
      onPullRequestRole(allow('s3:PutObject', '${aws_s3_bucket.artifacts.arn}/app/*')),
      /artifacts: s3:PutObject$/,
    ],
    [
      'deletes in an existing artifact bucket, known by name, through a literal wildcard',
      (() => {
        const json = onPullRequestRole(
          allow(['s3:DeleteObject', 's3:PutObjectAcl'], ['arn:aws:s3:::*', 'arn:aws:s3:::*/*']),
        );
        json.resource!.aws_codepipeline.p.artifact_store = [{ location: 'shared-ci-artifacts', type: 'S3' }];
        return json;
      })(),
      /artifacts: s3:DeleteObject, s3:PutObjectAcl$/,
    ],
    [
      'a push variable',
      pipelineWith({}, [{ name: 'PUSH_IMAGE', type: 'PLAINTEXT', value: 'TRUE' }]),
      /PUSH_IMAGE is "true"/,
    ],
  ])('%s', (_name, json, message) => {
    const found = pr1(json);
    expect(found).toContainEqual(expect.stringMatching(new RegExp(`^aws_codebuild_project\\.pr: .*${message.source}`)));
    expect(found.every((problem) => problem.startsWith('aws_codebuild_project.pr: '))).toBe(true);
  });

  test.each([
    ['the product shape', pipelineWith()],
    [
      'its own logs and the source token',
      onPullRequestRole(
        allow(
          ['logs:PutLogEvents', 'secretsmanager:GetSecretValue'],
          'arn:aws:secretsmanager:eu-west-1:111122223333:secret:github/token-AbCdEf',
        ),
      ),
    ],
    [
      'ECR pulls',
      onPullRequestRole(
        allow([
          'ecr:GetAuthorizationToken',
          'ecr:BatchGetImage',
          'ecr:GetDownloadUrlForLayer',
          'ecr:BatchCheckLayerAvailability',
        ]),
      ),
    ],
    ['a Deny of everything', onPullRequestRole(policyJson({ Effect: 'Deny', Action: '*', Resource: '*' }))],
    [
      'ecr:* taken back by an unconditional Deny',
      onPullRequestRole(
        policyJson(
          { Effect: 'Allow', Action: 'ecr:Put*', Resource: '*' },
          { Effect: 'Deny', Action: 'ecr:*', Resource: '*' },
        ),
      ),
    ],
    ['a harmless variable', pipelineWith({}, [{ name: 'PUSH_IMAGE', type: 'PLAINTEXT', value: 'false' }])],
    [
      'the main build may push',
      pipelineWith({ aws_iam_role_policy: { main: { role: '${aws_iam_role.main.name}', policy: allow('ecr:*') } } }),
    ],
  ])('%s passes', (_name, json) => {
    expect(pr1(json)).toEqual([]);
  });
});

describe('CIP_SEC_1: secrets hidden in base64', () => {
  const dockerConfig = (auth: string) =>
    stackOf({
      aws_codebuild_project: {
        p: {
          name: 'p',
          environment: {
            image: 'aws/codebuild/standard:7.0',
            environment_variable: [
              {
                name: 'DOCKER_CONFIG_JSON',
                type: 'PLAINTEXT',
                value: JSON.stringify({ auths: { 'ghcr.io': { auth } } }),
              },
            ],
          },
        },
      },
    });
  const base64 = (text: string) => Buffer.from(text).toString('base64');

  test.each([
    [
      'a Docker config.json written from base64 in a buildspec, its login base64 again',
      stackOf({
        aws_codebuild_project: {
          p: {
            name: 'p',
            source: {
              type: 'CODEPIPELINE',
              buildspec: `version: 0.2\nphases:\n  pre_build:\n    commands:\n      - echo ${base64(
                JSON.stringify({ auths: { 'ghcr.io': { auth: base64(`builder:dckr_pat_${'x1Y'.repeat(9)}`) } } }),
              )} | base64 -d > ~/.docker/config.json\n`,
            },
          },
        },
      }),
      /commands\[0\]\.auths\.ghcr\.io\.auth holds a secret: Docker Personal .+, base64-encoded, base64-encoded$/,
    ],
    [
      'a Docker config login (user:password)',
      dockerConfig(base64('builder:s3cret-Passw0rd')),
      /\.auth holds a registry login \(user:password\), base64-encoded$/,
    ],
    [
      'a token inside the login',
      dockerConfig(base64(`builder:dckr_pat_${'x1Y'.repeat(9)}`)),
      /holds a secret: Docker Personal Access Token \(secretlint docker\), base64-encoded$/,
    ],
    [
      'an AWS key in a base64 blob of any name',
      stackOf({
        aws_ssm_parameter: {
          p: { name: 'p', type: 'String', value: base64('export AWS_ACCESS_KEY_ID=AKIAQ7XZ4M2KD9RTB6WN') },
        },
      }),
      /holds a secret: AWS Access Key ID \(secretlint aws\), base64-encoded$/,
    ],
  ])('%s', (_name, json, message) => {
    expect(problems(json, 'CIP_SEC_1')).toEqual([expect.stringMatching(message)]);
  });

  test('base64 that hides nothing, and a user:password shape outside a login, are no finding', () => {
    expect(problems(dockerConfig(base64('no colon here, just a long note')), 'CIP_SEC_1')).toEqual([]);
    const json = stackOf({
      aws_s3_object: { o: { bucket: 'b', key: 'k', content_base64: base64('id:42, name:app, version:3') } },
    });
    expect(problems(json, 'CIP_SEC_1')).toEqual([]);
  });
});

describe('CIP_TF_3: how providers and backends reach their services', () => {
  const withSettings = (provider: Record<string, unknown>, backend?: Record<string, unknown>) =>
    ({
      provider: { aws: [provider] },
      variable: { key_with_default: { type: 'string', default: 'AKIAIOSFODNN7EXAMPLE' }, key: { type: 'string' } },
      ...(backend === undefined ? {} : { terraform: { backend } }),
    }) as TerraformJson;
  const all = (json: TerraformJson) => problems(json, 'CIP_TF_3').map((problem) => problem.replace(/^[^:]+: /, ''));

  test.each([
    [
      { region: 'eu-west-1', skip_credentials_validation: true },
      'provider provider.aws sets skip_credentials_validation = true',
    ],
    [
      { region: 'eu-west-1', endpoints: [{ s3: 'HTTP://s3.local' }] },
      'provider provider.aws sends endpoints.s3 over plain HTTP (HTTP://s3.local)',
    ],
    [
      { region: 'eu-west-1', access_key: '${var.key_with_default}' },
      "provider provider.aws sets access_key: credentials written in the configuration, not the deployer's own",
    ],
    [
      { region: 'eu-west-1', assume_role: [{ role_arn: 'arn:aws:iam::999988887777:role/deploy' }] },
      'provider provider.aws assumes arn:aws:iam::999988887777:role/deploy, in account 999988887777, which no ' +
        'allowed_account_ids of the configuration names',
    ],
  ])('%j', (provider, problem) => {
    expect(all(withSettings(provider))).toEqual([problem]);
  });

  test('backends: TLS off and plain HTTP in the s3 and http backends', () => {
    expect(
      all(
        withSettings(
          { region: 'eu-west-1' },
          {
            s3: { bucket: 'b', key: 'k', region: 'eu-west-1', insecure: true },
            http: { address: 'http://state.internal/app', skip_cert_verification: 'true' },
          },
        ),
      ),
    ).toEqual([
      "the s3 backend sets insecure = true, which turns off verification of the server's TLS certificate",
      'the http backend sends address over plain HTTP (http://state.internal/app)',
      "the http backend sets skip_cert_verification = true, which turns off verification of the server's TLS " +
        'certificate',
    ]);
  });

  test('no finding: a role in an account allowed_account_ids names, the metadata service over HTTP, https', () => {
    const json = withSettings({
      region: 'eu-west-1',
      allowed_account_ids: ['999988887777'],
      assume_role: [{ role_arn: 'arn:aws:iam::999988887777:role/deploy' }],
      ec2_metadata_service_endpoint: 'http://169.254.169.254',
      endpoints: [{ sts: 'https://sts.eu-west-1.amazonaws.com' }],
      skip_metadata_api_check: true,
      // A variable without a default: the deployer sets it at plan.
      access_key: '${var.key}',
    });
    expect(all(json)).toEqual([]);
  });
});

describe('CIP_TF_5: the state bucket keeps its history', () => {
  const stateStack = (bucket: Record<string, unknown>, rule?: Record<string, unknown>) =>
    ({
      terraform: { backend: { s3: { bucket: 'org-state', key: 'k', region: 'eu-west-1' } } },
      resource: {
        aws_s3_bucket: { state: { bucket: 'org-state', lifecycle: { prevent_destroy: true }, ...bucket } },
        ...(rule === undefined
          ? {}
          : { aws_s3_bucket_lifecycle_configuration: { l: { bucket: '${aws_s3_bucket.state.id}', rule: [rule] } } }),
      },
    }) as TerraformJson;

  test.each([
    [{ lifecycle: {} }, undefined, /does not set lifecycle\.prevent_destroy/],
    [
      {},
      { id: 'tidy', status: 'Enabled', expiration: [{ days: 90 }] },
      /lifecycle rule tidy expires the current state objects/,
    ],
    [
      {},
      { id: 'tidy', status: 'Enabled', noncurrent_version_expiration: [{ noncurrent_days: 7 }] },
      /keeps earlier state versions 7 days, fewer than 30/,
    ],
  ])('%j %j', (bucket, rule, message) => {
    expect(problems(stateStack(bucket, rule), 'CIP_TF_5')).toEqual([expect.stringMatching(message)]);
  });

  test('a disabled rule, 90 days of history, and a bucket that holds no state are no finding', () => {
    expect(problems(stateStack({}, { id: 'off', status: 'Disabled', expiration: [{ days: 1 }] }), 'CIP_TF_5')).toEqual(
      [],
    );
    expect(
      problems(
        stateStack({}, { id: 'keep', status: 'Enabled', noncurrent_version_expiration: [{ noncurrent_days: 90 }] }),
        'CIP_TF_5',
      ),
    ).toEqual([]);
    const other = stateStack({ bucket: 'artifacts', force_destroy: true, lifecycle: {} });
    expect(problems(other, 'CIP_TF_5')).toEqual([]);
  });
});

describe('CIP_IAM_16: sharing with other accounts that no policy shows', () => {
  test.each([
    [
      'replication to a bucket outside the stack, account not written',
      {
        aws_s3_bucket_replication_configuration: {
          r: {
            role: 'x',
            bucket: 'b',
            rule: [{ status: 'Enabled', destination: [{ bucket: 'arn:aws:s3:::partner-bucket' }] }],
          },
        },
      },
      /replicates every object to "arn:aws:s3:::partner-bucket", a bucket this stack does not own/,
    ],
    [
      'ECR replication to another registry',
      {
        aws_ecr_replication_configuration: {
          r: {
            replication_configuration: [
              { rule: [{ destination: [{ region: 'us-east-1', registry_id: '999988887777' }] }] },
            ],
          },
        },
      },
      /replicates every image to registry "999988887777"/,
    ],
    [
      "an account-wide subscription of every log group to another account's destination",
      {
        aws_cloudwatch_log_account_policy: {
          p: {
            policy_name: 'archive',
            policy_type: 'SUBSCRIPTION_FILTER_POLICY',
            scope: 'ALL',
            policy_document: JSON.stringify({
              DestinationArn: 'arn:aws:logs:eu-central-1:999988887777:destination:org-log-archive',
              FilterPattern: '',
            }),
          },
        },
      },
      /streams the log events of the account's log groups to "arn:aws:logs:eu-central-1:999988887777:destination:/,
    ],
    [
      'an account-wide subscription whose destination is only known at apply',
      {
        aws_cloudwatch_log_account_policy: {
          p: {
            policy_name: 'archive',
            policy_type: 'SUBSCRIPTION_FILTER_POLICY',
            policy_document: '${jsonencode(var.policy)}',
          },
        },
      },
      /to a destination that cannot be read before apply/,
    ],
    [
      'a log delivery to a bucket of another account',
      {
        aws_cloudwatch_log_delivery_destination: {
          d: {
            name: 'd',
            delivery_destination_configuration: [{ destination_resource_arn: 'arn:aws:s3:::partner-log-bucket' }],
          },
        },
      },
      /delivers logs to "arn:aws:s3:::partner-log-bucket", outside this stack's account/,
    ],
  ])('%s', (_name, resource, message) => {
    expect(problems(stackOf(resource), 'CIP_IAM_16')).toEqual([expect.stringMatching(message)]);
  });

  test("to this account, or to the stack's own destination, is no finding", () => {
    const json = stackOf({
      aws_s3_bucket: { dr: { bucket: 'dr' } },
      aws_s3_bucket_replication_configuration: {
        r: {
          role: 'x',
          bucket: 'b',
          rule: [{ status: 'Enabled', destination: [{ bucket: '${aws_s3_bucket.dr.arn}' }] }],
        },
      },
      aws_ecr_replication_configuration: {
        e: {
          replication_configuration: [{ rule: [{ destination: [{ region: 'us-east-1', registry_id: ACCOUNT }] }] }],
        },
      },
      aws_cloudwatch_log_subscription_filter: {
        f: {
          name: 'f',
          log_group_name: 'g',
          filter_pattern: '',
          destination_arn: `arn:${PARTITION}:logs:${REGION}:${ACCOUNT}:destination:central`,
        },
      },
      aws_cloudwatch_log_account_policy: {
        p: {
          policy_name: 'archive',
          policy_type: 'SUBSCRIPTION_FILTER_POLICY',
          policy_document: JSON.stringify({
            DestinationArn: `arn:${PARTITION}:logs:${REGION}:${ACCOUNT}:destination:central`,
          }),
        },
        protection: { policy_name: 'p', policy_type: 'DATA_PROTECTION_POLICY', policy_document: '{}' },
      },
    });
    expect(problems(json, 'CIP_IAM_16')).toEqual([]);
  });
});

describe('CIP_GIT_4: write access granted in the configuration', () => {
  test('collaborators who can push, teams that can administer, whatever the resource', () => {
    const json = stackOf({
      github_repository_collaborator: { c: { repository: 'app', username: 'contractor' } },
      github_repository_collaborators: {
        cs: {
          repository: 'app',
          user: [
            { username: 'auditor', permission: 'pull' },
            { username: 'dev', permission: 'maintain' },
          ],
          team: [
            { team_id: 'platform', permission: 'push' },
            { team_id: 'ops', permission: 'admin' },
          ],
        },
      },
      github_team_repository: { t: { team_id: 'platform', repository: 'app', permission: 'push' } },
    });
    expect(problems(json, 'CIP_GIT_4')).toEqual([
      'github_repository_collaborator.c: gives user "contractor" push access to the repository',
      'github_repository_collaborators.cs: gives user "dev" maintain access to the repository',
      'github_repository_collaborators.cs: gives team "ops" admin access to the repository',
    ]);
  });
});

describe('CIP_IAM_15: service principals in resource policies', () => {
  const keyPolicy = (statement: Record<string, unknown>) =>
    stackOf({ aws_kms_key: { k: { description: 'k', enable_key_rotation: true, policy: policyJson(statement) } } });
  const logs = { Service: `logs.${REGION}.amazonaws.com` };

  test("CloudWatch Logs is pinned by the log group's ARN in the encryption context, as its guide documents", () => {
    const pinned = keyPolicy({
      Effect: 'Allow',
      Principal: logs,
      Action: 'kms:Encrypt*',
      Resource: '*',
      Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${PARTITION}:logs:${REGION}:${ACCOUNT}:*` } },
    });
    expect(problems(pinned, 'CIP_IAM_15')).toEqual([]);
    const anyAccount = keyPolicy({
      Effect: 'Allow',
      Principal: logs,
      Action: 'kms:Encrypt*',
      Resource: '*',
      Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:eu-west-1:*:*' } },
    });
    expect(problems(anyAccount, 'CIP_IAM_15')).toEqual([expect.stringMatching(/grants logs\.\$\{data\.aws_region/)]);
  });
});

describe("CIP_SEC_2: sensitive arguments, from the provider's schema", () => {
  test('a database password names its write-only form; a nested token is found through its block', () => {
    const json = stackOf({
      aws_db_instance: { db: { identifier: 'db', instance_class: 'db.t4g.micro', password: '${var.db_password}' } },
      aws_codepipeline_webhook: {
        w: { name: 'w', authentication: 'GITHUB_HMAC', authentication_configuration: [{ secret_token: '${var.s}' }] },
      },
    });
    expect(problems(json, 'CIP_SEC_2')).toEqual([
      "aws_db_instance.db: password is sensitive in the provider's schema and not write-only, so Terraform keeps its " +
        'value in the state and the plan; set password_wo instead',
      "aws_codepipeline_webhook.w: authentication_configuration.secret_token is sensitive in the provider's schema " +
        'and not write-only, so Terraform keeps its value in the state and the plan',
    ]);
  });

  test('the write-only form, or an argument left out, is no finding', () => {
    const json = stackOf({
      aws_db_instance: { db: { identifier: 'db', instance_class: 'db.t4g.micro', password_wo: '${var.db_password}' } },
      aws_codepipeline_webhook: { w: { name: 'w', authentication: 'UNAUTHENTICATED' } },
    });
    expect(problems(json, 'CIP_SEC_2')).toEqual([]);
  });
});

describe('CIP_SEC_3: where secret values flow', () => {
  const SECRET = '${data.aws_secretsmanager_secret_version.token.secret_string}';
  const flows = (resource: Record<string, Record<string, any>>, extra: Partial<TerraformJson> = {}) =>
    problems(
      stackOf(resource, { aws_secretsmanager_secret_version: { token: { secret_id: 'github/token' } } }, extra),
      'CIP_SEC_3',
    );

  test('into a tag, a description, an output without sensitive, from a sensitive variable: each found', () => {
    expect(
      flows(
        { aws_s3_bucket: { b: { bucket: 'b', tags: { Token: SECRET } } } },
        {
          output: { token: { value: SECRET }, hidden: { value: SECRET, sensitive: true } },
          variable: { db_password: { type: 'string', sensitive: true } },
        },
      ),
    ).toEqual([
      expect.stringMatching(
        /^aws_s3_bucket\.b: tags\.Token carries data\.aws_secretsmanager_secret_version\.token\.secret_string/,
      ),
      expect.stringMatching(
        /^output\.token: outputs data\.aws_secretsmanager_secret_version\.token\.secret_string without sensitive/,
      ),
    ]);
    expect(
      problems(
        stackOf(
          { aws_sns_topic: { t: { name: 't', display_name: '${var.db_password}' } } },
          {},
          {
            variable: { db_password: { type: 'string', sensitive: true } },
          },
        ),
        'CIP_SEC_3',
      ),
    ).toEqual([expect.stringMatching(/^aws_sns_topic\.t: display_name carries var\.db_password/)]);
    // An SSM parameter's value is sensitive in the provider's schema: made for it.
    const parameter = stackOf(
      { aws_ssm_parameter: { p: { name: 'p', type: 'SecureString', value: '${var.db_password}' } } },
      {},
      { variable: { db_password: { type: 'string', sensitive: true } } },
    );
    expect(problems(parameter, 'CIP_SEC_3')).toEqual([]);
  });

  test('into arguments made for secrets: sensitive in the schema, write-only, or the GitHub webhook secret', () => {
    expect(
      flows({
        aws_codepipeline_webhook: {
          w: { name: 'w', authentication: 'GITHUB_HMAC', authentication_configuration: [{ secret_token: SECRET }] },
        },
        aws_secretsmanager_secret_version: {
          v: { secret_id: 's', secret_string_wo: SECRET, secret_string_wo_version: 1 },
        },
        github_repository_webhook: {
          g: { repository: 'app', events: ['push'], configuration: [{ url: 'https://x', secret: SECRET }] },
        },
      }),
    ).toEqual([]);
  });
});

describe('values inside strings, read as Terraform reads them', () => {
  test('a provider endpoint held in a local is judged by its value', () => {
    const json = {
      locals: { sts: 'http://sts.internal' },
      provider: { aws: [{ region: 'eu-west-1', endpoints: [{ sts: '${local.sts}' }] }] },
    } as TerraformJson;
    expect(problems(json, 'CIP_TF_3')).toEqual([
      'provider.aws: provider provider.aws sends endpoints.sts over plain HTTP (http://sts.internal)',
    ]);
  });

  test('locals and variable defaults inside a string are replaced by what they stand for, further followed', () => {
    const stack = new SynthesizedStack({
      locals: { partition: PARTITION, name: '${var.name}' },
      variable: { name: { type: 'string', default: 'app' }, unset: { type: 'string' } },
    } as TerraformJson);
    expect(interpolateLocals('arn:${local.partition}:s3:::b/${local.name}/${var.unset}/*', stack)).toBe(
      `arn:${PARTITION}:s3:::b/app/\${var.unset}/*`,
    );
    expect(interpolateLocals('${local.partition}', stack)).toBe(PARTITION);
  });
});

describe('CIP_SEC_1: secrets in YAML', () => {
  const buildspec = (text: string) =>
    stackOf({ aws_codebuild_project: { p: { name: 'p', source: [{ type: 'NO_SOURCE', buildspec: text }] } } });

  test('a password under a secret-looking key of an inline buildspec is found by its key', () => {
    const json = buildspec(
      'version: 0.2\nenv:\n  variables:\n    DB_PASSWORD: hunter2hunter2\n' +
        'phases:\n  build:\n    commands:\n      - make\n',
    );
    expect(problems(json, 'CIP_SEC_1')).toEqual([
      'aws_codebuild_project.p: source[0].buildspec.env.variables.DB_PASSWORD is a literal under the secret-looking ' +
        'name "DB_PASSWORD"',
    ]);
  });

  test("the buildspec's references to Secrets Manager and Parameter Store, and ordinary YAML, are no finding", () => {
    const json = buildspec(
      'version: 0.2\nenv:\n  secrets-manager:\n    DOCKERHUB_PASSWORD: ci/app/dockerhub:password\n' +
        '  parameter-store:\n    API_TOKEN: /ci/app/api-token\n  variables:\n    IMAGE_TAG: latest\n' +
        'phases:\n  build:\n    commands:\n      - docker build -t app .\n',
    );
    expect(problems(json, 'CIP_SEC_1')).toEqual([]);
  });
});

test('CIP_SEC_3: a secret that arrives through a local is followed; a provider credential may take one', () => {
  const json = stackOf(
    { aws_s3_bucket: { b: { bucket: 'b', tags: { Token: '${local.token}' } } } },
    { aws_secretsmanager_secret_version: { token: { secret_id: 'github/token' } } },
    {
      locals: { token: '${data.aws_secretsmanager_secret_version.token.secret_string}' },
      provider: { github: [{ owner: 'org', token: '${data.aws_secretsmanager_secret_version.token.secret_string}' }] },
    },
  );
  expect(problems(json, 'CIP_SEC_3')).toEqual([
    expect.stringMatching(
      /^aws_s3_bucket\.b: tags\.Token carries data\.aws_secretsmanager_secret_version\.token\.secret_string/,
    ),
  ]);
});

describe("CIP_CP_1: artifacts outlive the pipeline's executions", () => {
  const pipelineWith = (expiration: Record<string, unknown>, approvalMinutes?: number) =>
    stackOf({
      aws_s3_bucket: { artifacts: { bucket: 'artifacts' } },
      aws_s3_bucket_lifecycle_configuration: {
        artifacts: {
          bucket: '${aws_s3_bucket.artifacts.id}',
          rule: [{ id: 'expire', status: 'Enabled', filter: [{}], expiration: [expiration] }],
        },
      },
      aws_codepipeline: {
        p: {
          name: 'p',
          artifact_store: [{ location: '${aws_s3_bucket.artifacts.bucket}', type: 'S3' }],
          stage: [
            { name: 'Source', action: [{ name: 'Source', category: 'Source' }] },
            {
              name: 'Approve',
              action: [
                {
                  name: 'Approve',
                  category: 'Approval',
                  ...(approvalMinutes === undefined ? {} : { timeout_in_minutes: approvalMinutes }),
                },
              ],
            },
          ],
        },
      },
    });

  test.each([
    [{ days: 6 }, undefined, /expires artifacts after 6 days, while an execution may run 7 days$/],
    [{ days: 14 }, 30 * 24 * 60, /expires artifacts after 14 days, while an execution may run 30 days$/],
    [{ date: '2027-01-01T00:00:00Z' }, undefined, /expires every artifact on 2027-01-01T00:00:00Z$/],
  ])('fails: expiration %j with an approval of %s minutes', (expiration, minutes, message) => {
    expect(problems(pipelineWith(expiration, minutes), 'CIP_CP_1')).toEqual([
      expect.stringMatching(new RegExp(`^aws_codepipeline\\.p: lifecycle rule "expire" of aws_s3_bucket\\.artifacts `)),
    ]);
    expect(problems(pipelineWith(expiration, minutes), 'CIP_CP_1')[0]).toMatch(message);
  });

  test.each([
    [{ days: 7 }, undefined],
    [{ days: 30 }, 30 * 24 * 60],
  ])('passes: expiration %j with an approval of %s minutes', (expiration, minutes) => {
    expect(problems(pipelineWith(expiration, minutes), 'CIP_CP_1')).toEqual([]);
  });
});
