import { checkStack, TerraformJson } from '../../guardrails';
import { parseReference, SynthesizedStack } from '../../guardrails/core/terraform-json';
import { parsePolicyJson, policiesAt } from '../../guardrails/core/policy-document';

/** A stack JSON with one KMS key whose policy is `keyPolicy`, a role with `rolePolicy`, and a loose document. */
function stackJson(keyPolicy: string, rolePolicy: string): TerraformJson {
  return {
    resource: {
      aws_kms_key: { key: { enable_key_rotation: true, policy: keyPolicy } },
      aws_iam_role: { role: { name: 'r', assume_role_policy: '${data.aws_iam_policy_document.trust.json}' } },
      aws_iam_role_policy: { policy: { role: '${aws_iam_role.role.name}', policy: rolePolicy } },
    },
    data: {
      aws_iam_policy_document: {
        trust: {
          statement: [
            {
              actions: ['sts:AssumeRole'],
              principals: [{ type: 'Service', identifiers: ['codebuild.amazonaws.com'] }],
            },
          ],
        },
        base: { statement: [{ sid: 'Base', actions: ['logs:PutLogEvents'], resources: ['*'] }] },
        merged: {
          source_policy_documents: ['${data.aws_iam_policy_document.base.json}'],
          statement: [{ sid: 'Own', actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] }],
        },
        loose: { statement: [{ sid: 'Loose', actions: ['iam:*'], resources: ['arn:aws:iam::1:role/x'] }] },
      },
    },
  };
}

const ROOT_KEY_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Root',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::123456789012:root' },
      Action: 'kms:*',
      Resource: '*',
    },
  ],
});

describe('policies', () => {
  const json = stackJson(ROOT_KEY_POLICY, '${data.aws_iam_policy_document.merged.json}');
  const stack = new SynthesizedStack(json);

  test(
    'are classified by use, so a key policy\'s "*" resource is not an identity-policy finding; merged documents ' +
      'are checked where they are merged',
    () => {
      const uses = stack.elements.flatMap((element) =>
        policiesAt(element, stack).map((policy) => `${element.address}:${policy.use}`),
      );
      expect(uses.sort()).toEqual([
        'aws_iam_role.role:trust',
        'aws_iam_role_policy.policy:identity',
        'aws_kms_key.key:resource',
        'data.aws_iam_policy_document.loose:identity',
      ]);
      const findings = checkStack(json).findings.map((finding) => `${finding.ruleId} ${finding.address}`);
      expect(findings).not.toContain('CIP_IAM_4 aws_kms_key.key');
    },
  );

  test('merge the documents a document names in source_policy_documents', () => {
    const [policy] = policiesAt(stack.get('aws_iam_role_policy.policy')!, stack);
    expect(policy.statements!.map((statement) => statement.sid)).toEqual(['Base', 'Own']);
    // The merged document's "*" grant is reported at the role policy that attaches it.
    expect(checkStack(json).findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          ruleId: 'CIP_IAM_4',
          address: 'aws_iam_role_policy.policy',
          problem: expect.stringMatching(/^statement "Base" of .*merged allows logs:PutLogEvents on "\*"$/),
        }),
      ]),
    );
  });

  test('check a document that nothing attaches as an identity policy of its own', () => {
    expect(checkStack(json).findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ ruleId: 'CKV2_AWS_40', address: 'data.aws_iam_policy_document.loose' }),
      ]),
    );
  });

  test('read JSON text with principals, conditions and single values', () => {
    const statements = parsePolicyJson(
      JSON.stringify({
        Statement: {
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      }),
    );
    expect(statements).toEqual([
      {
        sid: undefined,
        effect: 'Deny',
        actions: ['s3:*'],
        notActions: [],
        resources: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'],
        notResources: [],
        principals: [{ type: '*', identifiers: ['*'] }],
        notPrincipals: [],
        conditions: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
      },
    ]);
    expect(parsePolicyJson('not json')).toBeUndefined();
    expect(parsePolicyJson('{"Version": "2012-10-17"}')).toBeUndefined();
  });

  test('read element names and the effect in any case, and NotPrincipal', () => {
    const [statement] = parsePolicyJson(
      JSON.stringify({
        statement: [
          {
            effect: 'DENY',
            notprincipal: { AWS: 'arn:aws:iam::111122223333:root' },
            NOTACTION: 'iam:*',
            Resource: '*',
          },
        ],
      }),
    )!;
    expect(statement).toMatchObject({
      effect: 'Deny',
      notActions: ['iam:*'],
      notPrincipals: [{ type: 'AWS', identifiers: ['arn:aws:iam::111122223333:root'] }],
    });
    expect(parsePolicyJson(JSON.stringify({ Statement: [{ Effect: 'allow', Action: '*' }] }))![0].effect).toBe('Allow');
  });

  test('an expression the checks cannot read is a finding, not a pass', () => {
    const unreadable = stackJson('${jsonencode(local.key_policy)}', '${file("policy.json")}');
    const findings = checkStack(unreadable)
      .findings.filter((finding) => finding.ruleId === 'CIP_IAM_1')
      .map((finding) => finding.address);
    expect(findings.sort()).toEqual(['aws_iam_role_policy.policy', 'aws_kms_key.key']);
  });
});

describe('references', () => {
  test('parse only whole references to resources and data sources', () => {
    expect(parseReference('${aws_kms_key.ci_key_3C3C3511.arn}')).toEqual({
      address: 'aws_kms_key.ci_key_3C3C3511',
      attribute: 'arn',
    });
    expect(parseReference('${data.aws_iam_policy_document.x-y.json}')).toEqual({
      address: 'data.aws_iam_policy_document.x-y',
      attribute: 'json',
    });
    expect(parseReference('${aws_s3_bucket.b.arn}/*')).toBeUndefined();
    expect(parseReference('arn:aws:s3:::b')).toBeUndefined();
  });

  test('find the configuration resources attached to a resource', () => {
    const stack = new SynthesizedStack({
      resource: {
        aws_s3_bucket: { a: {}, b: {} },
        aws_s3_bucket_versioning: {
          va: { bucket: '${aws_s3_bucket.a.id}' },
          vb: { bucket: '${aws_s3_bucket.b.bucket}' },
        },
      },
    });
    expect(
      stack
        .attachedTo(stack.get('aws_s3_bucket.a')!, 'aws_s3_bucket_versioning', 'bucket')
        .map((element) => element.address),
    ).toEqual(['aws_s3_bucket_versioning.va']);
    expect(stack.referencing(stack.get('aws_s3_bucket.b')!).map((element) => element.address)).toEqual([
      'aws_s3_bucket_versioning.vb',
    ]);
  });
});
