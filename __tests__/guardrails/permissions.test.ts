import { TerraformStack } from 'cdktf';
import { EncryptionKey, IEncryptionKey } from '../../constructs/aws/encryption-key';
import { buildFailures, FailureNotifications, pipelineFailures } from '../../constructs/aws/failure-notifications';
import { CiPipelineProps } from '../../constructs/ci-pipeline/ci-pipeline-props';
import { CiPipelineStack } from '../../stacks/ci-pipeline-stack';
import { checkStack, TerraformJson } from '../../guardrails';
import { SynthesizedStack } from '../../guardrails/core/terraform-json';
import {
  codeBuildNeeds,
  isAllowed,
  isAllowedOnAny,
  PERMISSION_RULES,
  pipelineNeeds,
  secretOfVariable,
} from '../../guardrails/rules/permissions';
import { NormalizedStatement } from '../../guardrails/core/policy-document';
import { pipelineProps, testApp } from '../helpers';

function synthesize(pipeline: CiPipelineProps): TerraformJson {
  const stack = new CiPipelineStack(testApp(), 'ci-app', {
    pipeline,
    region: 'eu-west-1',
    state: {
      bucket: 'my-state-bucket',
      region: 'eu-west-1',
      key: 'ci/app/terraform.tfstate',
      kmsKeyId: 'alias/terraform-state/my-state-bucket',
    },
  });
  return JSON.parse(JSON.stringify(stack.toTerraform()));
}

/** The permission findings of a stack's JSON. */
const permissionProblems = (json: TerraformJson) =>
  checkStack(json, { rules: PERMISSION_RULES }).findings.map((finding) => finding.problem);

/** The body of the data source whose construct path ends with `suffix`. */
function documentAt(json: any, suffix: string): any {
  // Whole path segments: "build/role/permissions" is not "pull-request-build/role/permissions".
  const found = Object.values(json.data.aws_iam_policy_document).find((body: any) =>
    `/${body['//'].metadata.path}`.endsWith(`/${suffix}`),
  );
  if (found === undefined) throw new Error(`no policy document at ${suffix}`);
  return found;
}

const copy = (json: TerraformJson): any => JSON.parse(JSON.stringify(json));

const EXISTING_KEY = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/**
 * The five shapes the product takes, and the statements each role needs. A
 * statement not listed is granted but not needed by the service for this shape
 * (the bucket-level reads CodePipeline uses to inspect the artifact store).
 */
const SHAPES = [
  {
    name: 'webhook + Docker Hub',
    props: pipelineProps(),
    build: ['WriteBuildLogs', 'PublishTestReports', 'BucketObjectsReadWrite', 'UseEncryptionKey', 'ReadBuildSecrets'],
    pullRequest: ['WriteBuildLogs', 'PublishTestReports', 'UseEncryptionKey', 'ReadSourceToken'],
    pipeline: ['BucketObjectsReadWrite', 'UseEncryptionKey', 'RunBuildProject'],
  },
  {
    name: 'webhook + ECR',
    props: pipelineProps({ registry: { type: 'ecr', image: 'app' } }),
    build: [
      'WriteBuildLogs',
      'PublishTestReports',
      'BucketObjectsReadWrite',
      'UseEncryptionKey',
      'EcrLogin',
      'EcrPushImages',
    ],
    pullRequest: ['WriteBuildLogs', 'PublishTestReports', 'UseEncryptionKey', 'ReadSourceToken'],
    pipeline: ['BucketObjectsReadWrite', 'UseEncryptionKey', 'RunBuildProject'],
  },
  {
    name: 'connection + Docker Hub',
    props: pipelineProps({ trigger: 'connection' }),
    build: ['WriteBuildLogs', 'PublishTestReports', 'BucketObjectsReadWrite', 'UseEncryptionKey', 'ReadBuildSecrets'],
    pullRequest: ['WriteBuildLogs', 'PublishTestReports', 'UseEncryptionKey', 'ReadSourceThroughConnection'],
    pipeline: ['BucketObjectsReadWrite', 'UseEncryptionKey', 'RunBuildProject', 'UseGitHubConnection'],
  },
  {
    name: 'connection + ECR with Docker Hub credentials',
    props: pipelineProps({
      trigger: 'connection',
      registry: { type: 'ecr', image: 'app', dockerHubCredentials: true },
    }),
    build: [
      'WriteBuildLogs',
      'PublishTestReports',
      'BucketObjectsReadWrite',
      'UseEncryptionKey',
      'ReadBuildSecrets',
      'EcrLogin',
      'EcrPushImages',
    ],
    pullRequest: ['WriteBuildLogs', 'PublishTestReports', 'UseEncryptionKey', 'ReadSourceThroughConnection'],
    pipeline: ['BucketObjectsReadWrite', 'UseEncryptionKey', 'RunBuildProject', 'UseGitHubConnection'],
  },
  {
    name: 'existing KMS key and artifact bucket, ECR with Docker Hub credentials',
    props: pipelineProps({
      registry: { type: 'ecr', image: 'app', dockerHubCredentials: true },
      encryptionKeyArn: EXISTING_KEY,
      artifactBucketName: 'shared-ci-artifacts',
    }),
    build: [
      'WriteBuildLogs',
      'PublishTestReports',
      'BucketObjectsReadWrite',
      'UseEncryptionKey',
      'ReadBuildSecrets',
      'EcrLogin',
      'EcrPushImages',
    ],
    pullRequest: ['WriteBuildLogs', 'PublishTestReports', 'UseEncryptionKey', 'ReadSourceToken'],
    pipeline: ['BucketObjectsReadWrite', 'UseEncryptionKey', 'RunBuildProject'],
  },
] as const;

describe.each(SHAPES.map((shape) => [shape.name, shape] as const))('permission completeness: %s', (_name, shape) => {
  // Synthesized while the tests are collected, not in beforeAll: there is one test per statement the stack grants.
  const json = synthesize(shape.props);

  test('both roles have every permission their service needs', () => {
    expect(permissionProblems(json)).toEqual([]);
  });

  test('the needs follow the configuration', () => {
    const stack = new SynthesizedStack(json);
    const purposes = [
      ...codeBuildNeeds(stack.ofType('aws_codebuild_project')[0], stack)!.needs,
      ...pipelineNeeds(stack.ofType('aws_codepipeline')[0], stack)!.needs,
    ].map((need) => need.purpose);
    const ecr = shape.props.registry.type === 'ecr';
    const secrets = shape.props.registry.type === 'dockerhub' || shape.props.registry.dockerHubCredentials === true;
    expect(purposes.includes('push images')).toBe(ecr);
    expect(purposes.includes('log in to ECR')).toBe(ecr);
    expect(purposes.includes('read a SECRETS_MANAGER environment variable')).toBe(secrets);
    expect(purposes.includes('decrypt a secret it reads')).toBe(secrets);
    expect(purposes.includes('fetch source in the GitHub action')).toBe(shape.props.trigger === 'connection');
    expect(purposes).toEqual(
      expect.arrayContaining([
        'write build logs',
        'publish test reports to app-unit-tests',
        'run the TestAndBuildImage action',
      ]),
    );
  });

  describe.each([
    ['build', 'build/role/permissions', shape.build],
    ['pull-request-build', 'pull-request-build/role/permissions', shape.pullRequest],
    ['pipeline', 'pipeline/role/permissions', shape.pipeline],
  ] as const)('the %s role', (role, documentPath, needed) => {
    const sids: string[] = documentAt(json, documentPath).statement.map((statement: any) => statement.sid);

    test('grants every needed statement', () => {
      expect(sids).toEqual(expect.arrayContaining([...needed]));
    });

    test.each(sids)('without statement %s, the check fails exactly when it is needed', (sid) => {
      const broken = copy(json);
      const document = documentAt(broken, documentPath);
      document.statement = document.statement.filter((statement: any) => statement.sid !== sid);
      const problems = permissionProblems(broken);
      if ((needed as readonly string[]).includes(sid)) {
        expect(problems).toEqual(
          expect.arrayContaining([expect.stringMatching(new RegExp(`^role ci-app/ci/${role}/role/role may not `))]),
        );
      } else {
        expect(problems).toEqual([]);
      }
    });

    test('without its trust in the service, the check fails', () => {
      const broken = copy(json);
      const trust = documentAt(broken, `${role}/role/trust`);
      trust.statement[0].principals[0].identifiers = ['ec2.amazonaws.com'];
      const service = role === 'pipeline' ? 'codepipeline.amazonaws.com' : 'codebuild.amazonaws.com';
      expect(permissionProblems(broken)).toEqual([`role ci-app/ci/${role}/role/role does not trust ${service}`]);
    });
  });

  test('one missing action is named', () => {
    const broken = copy(json);
    const statement = documentAt(broken, 'build/role/permissions').statement.find(
      (candidate: any) => candidate.sid === 'UseEncryptionKey',
    );
    statement.actions = statement.actions.filter((action: string) => action !== 'kms:GenerateDataKey*');
    const key = 'encryptionKeyArn' in shape.props ? shape.props.encryptionKeyArn : '${aws_kms_key.';
    expect(permissionProblems(broken)).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          `role ci-app/ci/build/role/role may not encrypt build output: kms:GenerateDataKey* on ${key}`,
        ),
      ]),
    );
  });
});

describe('permission completeness with an existing artifact bucket', () => {
  let json: ReturnType<typeof synthesize>;
  beforeAll(() => {
    json = synthesize(pipelineProps({ artifactBucketName: 'shared-ci-artifacts' }));
  });
  const objectsStatement = (document: any) =>
    document.statement.find((statement: any) => statement.sid === 'BucketObjectsReadWrite');

  test('the need is on the named bucket, in the partition the stack reads', () => {
    const stack = new SynthesizedStack(json);
    const need = pipelineNeeds(stack.ofType('aws_codepipeline')[0], stack)!.needs.find(
      (candidate) => candidate.purpose === 'read and write pipeline artifacts',
    );
    expect(need?.resource).toMatch(
      /^arn:\$\{data\.aws_partition\.[^}]+\.partition\}:s3:::shared-ci-artifacts\/app\/\*$/,
    );
  });

  test('a grant written with a literal partition meets it too, and so does one on the whole bucket', () => {
    for (const resource of ['arn:aws:s3:::shared-ci-artifacts/app/*', 'arn:aws:s3:::shared-ci-artifacts/*']) {
      const handWritten = copy(json);
      objectsStatement(documentAt(handWritten, 'pipeline/role/permissions')).resources = [resource];
      expect(permissionProblems(handWritten)).toEqual([]);
    }
  });

  test("a grant on another pipeline's folder does not, for the pipeline nor for the build it runs", () => {
    const otherFolder = copy(json);
    for (const role of ['pipeline', 'build'])
      objectsStatement(documentAt(otherFolder, `${role}/role/permissions`)).resources = [
        'arn:aws:s3:::shared-ci-artifacts/other-app/*',
      ];
    expect(permissionProblems(otherFolder)).toEqual([
      expect.stringMatching(
        new RegExp(
          String.raw`^role ci-app\/ci\/build\/role\/role may not read and write pipeline artifacts: ` +
            String.raw`s3:GetObject, s3:GetObjectVersion, s3:PutObject on .*shared-ci-artifacts\/app\/\*$`,
        ),
      ),
      expect.stringMatching(
        new RegExp(
          String.raw`^role ci-app\/ci\/pipeline\/role\/role may not read and write pipeline artifacts: ` +
            String.raw`s3:GetObject, s3:GetObjectVersion, s3:PutObject on .*shared-ci-artifacts\/app\/\*$`,
        ),
      ),
    ]);
  });

  test('the folder is the first 20 characters of the pipeline name, as CodePipeline truncates it', () => {
    const long = synthesize(
      pipelineProps({ name: 'a-pipeline-name-of-thirty-chars', artifactBucketName: 'shared-ci-artifacts' }),
    );
    const stack = new SynthesizedStack(long);
    const need = pipelineNeeds(stack.ofType('aws_codepipeline')[0], stack)!.needs.find(
      (candidate) => candidate.purpose === 'read and write pipeline artifacts',
    );
    expect(need?.resource).toMatch(/:s3:::shared-ci-artifacts\/a-pipeline-name-of-t\/\*$/);
    expect(objectsStatement(documentAt(long, 'pipeline/role/permissions')).resources).toEqual([
      expect.stringMatching(/:s3:::shared-ci-artifacts\/a-pipeline-name-of-t\/\*$/),
    ]);
    expect(permissionProblems(long)).toEqual([]);
  });

  test('a grant on another bucket does not', () => {
    const otherBucket = copy(json);
    objectsStatement(documentAt(otherBucket, 'pipeline/role/permissions')).resources = ['arn:aws:s3:::other-bucket/*'];
    expect(permissionProblems(otherBucket)).toEqual([
      expect.stringMatching(
        new RegExp(
          String.raw`^role ci-app\/ci\/pipeline\/role\/role may not read and write pipeline artifacts: ` +
            String.raw`s3:GetObject, s3:GetObjectVersion, s3:PutObject on arn:\$\{data\.aws_partition`,
        ),
      ),
    ]);
  });
});

describe('isAllowed', () => {
  const allow = (actions: string[], resources: string[]): NormalizedStatement => ({
    effect: 'Allow',
    actions,
    notActions: [],
    resources,
    notResources: [],
    principals: [],
    notPrincipals: [],
    conditions: [],
  });

  test('matches action wildcards case-insensitively and resource wildcards exactly', () => {
    expect(
      isAllowed(
        [allow(['KMS:GenerateDataKey*'], ['arn:aws:kms:*'])],
        'kms:GenerateDataKeyWithoutPlaintext',
        'arn:aws:kms:eu-west-1:1:key/a',
      ),
    ).toBe(true);
    expect(isAllowed([allow(['s3:Get*'], ['arn:aws:s3:::bucket/*'])], 's3:PutObject', 'arn:aws:s3:::bucket/key')).toBe(
      false,
    );
    expect(
      isAllowed([allow(['s3:GetObject'], ['arn:aws:s3:::bucket'])], 's3:GetObject', 'arn:aws:s3:::bucket/key'),
    ).toBe(false);
  });

  test('an unconditional Deny wins', () => {
    const deny: NormalizedStatement = { ...allow(['s3:*'], ['*']), effect: 'Deny' };
    expect(isAllowed([allow(['s3:GetObject'], ['*']), deny], 's3:GetObject', 'arn:aws:s3:::bucket/key')).toBe(false);
  });

  test('isAllowedOnAny: allowed on at least one spelling, each judged with its Deny', () => {
    const statements = [
      allow(['logs:PutLogEvents'], ['arn:aws:logs:eu-west-1:1:log-group:app:*']),
      allow(['logs:*'], ['${aws_cloudwatch_log_group.logs.arn}:*']),
    ];
    const spellings = ['${aws_cloudwatch_log_group.logs.arn}:*', 'arn:aws:logs:eu-west-1:1:log-group:app:*'];
    expect(isAllowedOnAny(statements, 'logs:PutLogEvents', spellings)).toBe(true);
    expect(isAllowedOnAny(statements, 'logs:CreateLogStream', spellings)).toBe(true);
    expect(isAllowedOnAny(statements, 'logs:CreateLogStream', spellings.slice(1))).toBe(false);
    expect(isAllowedOnAny(statements, 's3:GetObject', spellings)).toBe(false);
    expect(isAllowedOnAny(statements, 'logs:PutLogEvents', [])).toBe(false);
    // A Deny of one spelling leaves another spelling that only an Allow covers.
    const denyFirst: NormalizedStatement = { ...allow(['logs:*'], [spellings[0]]), effect: 'Deny' };
    expect(isAllowedOnAny([...statements, denyFirst], 'logs:PutLogEvents', spellings)).toBe(true);
    expect(isAllowedOnAny([...statements, denyFirst], 'logs:CreateLogStream', spellings)).toBe(false);
    // A conditional Deny is not judged here.
    expect(
      isAllowedOnAny(
        [
          ...statements,
          { ...denyFirst, conditions: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }] },
        ],
        'logs:CreateLogStream',
        spellings,
      ),
    ).toBe(true);
  });
});

describe('secretOfVariable', () => {
  test('drops the JSON key (and version) from a SECRETS_MANAGER value', () => {
    expect(secretOfVariable('${aws_secretsmanager_secret.s.arn}:username')).toBe('${aws_secretsmanager_secret.s.arn}');
    expect(secretOfVariable('arn:aws:secretsmanager:eu-west-1:123456789012:secret:hub-AbCdEf:password::')).toBe(
      'arn:aws:secretsmanager:eu-west-1:123456789012:secret:hub-AbCdEf',
    );
    expect(secretOfVariable('plain-name')).toBe('plain-name');
  });
});

describe('CIP_PERM_3: notification topics let CodeStar Notifications publish', () => {
  const PIPELINE_ARN = 'arn:aws:codepipeline:eu-west-1:123456789012:app';
  const PROJECT_ARN = 'arn:aws:codebuild:eu-west-1:123456789012:project/app';

  /** A stack with failure notifications whose topic is encrypted with `key` (a key of the stack when undefined). */
  function notificationStack(key?: (stack: TerraformStack) => IEncryptionKey): TerraformJson {
    const stack = new TerraformStack(testApp(), 'notify');
    new FailureNotifications(stack, 'notifications', {
      topicName: 'ci-app-failures',
      encryptionKey:
        key?.(stack) ??
        new EncryptionKey(stack, 'key', { alias: 'ci/app', description: 'd', allowCodeStarNotifications: true }),
      rules: [pipelineFailures('app-pipeline-failed', PIPELINE_ARN), buildFailures('app-build-failed', PROJECT_ARN)],
      emailAddresses: ['team@example.com'],
    });
    return JSON.parse(JSON.stringify(stack.toTerraform()));
  }

  const problems = (json: TerraformJson) =>
    checkStack(json, { rules: PERMISSION_RULES })
      .findings.filter((finding) => finding.ruleId === 'CIP_PERM_3')
      .map((finding) => `${finding.path}: ${finding.problem}`)
      .sort();
  const withoutStatement = (json: TerraformJson, pathSuffix: string, sid: string) => {
    const broken = copy(json);
    const document = documentAt(broken, pathSuffix);
    expect(document.statement.map((statement: any) => statement.sid)).toContain(sid);
    document.statement = document.statement.filter((statement: any) => statement.sid !== sid);
    return broken;
  };

  let json: TerraformJson;
  beforeAll(() => {
    json = notificationStack();
  });

  test(
    'FailureNotifications with an EncryptionKey that allows CodeStar Notifications passes, and every ' +
      'other rule too',
    () => {
      const report = checkStack(json);
      expect(report.rulesApplied).toContain('CIP_PERM_3');
      expect(report.findings.map((finding) => `${finding.ruleId} ${finding.path}: ${finding.problem}`)).toEqual([]);
    },
  );

  test('without the topic policy statement, each rule fails', () => {
    expect(problems(withoutStatement(json, 'notifications/policy-document', 'CodeStarNotificationsPublish'))).toEqual([
      expect.stringMatching(
        new RegExp(
          String.raw`^notify\/notifications\/rule-app-build-failed: topic notify\/notifications\/topic ` +
            String.raw`does not let codestar-notifications\.amazonaws\.com sns:Publish to it`,
        ),
      ),
      expect.stringMatching(
        new RegExp(
          String.raw`^notify\/notifications\/rule-app-pipeline-failed: topic notify\/notifications\/topic ` +
            String.raw`does not let codestar-notifications\.amazonaws\.com sns:Publish to it`,
        ),
      ),
    ]);
  });

  test('a topic policy on another topic, or for another service, does not count', () => {
    const otherTopic = copy(json);
    documentAt(otherTopic, 'notifications/policy-document').statement[0].resources = [
      'arn:aws:sns:eu-west-1:123456789012:other',
    ];
    expect(problems(otherTopic)).toHaveLength(2);
    const otherService = copy(json);
    documentAt(otherService, 'notifications/policy-document').statement[0].principals[0].identifiers = [
      'events.amazonaws.com',
    ];
    expect(problems(otherService)).toHaveLength(2);
  });

  test('a statement written on the topic itself, as JSON with the ARN built from its name, counts', () => {
    const inline = withoutStatement(json, 'notifications/policy-document', 'CodeStarNotificationsPublish');
    const topic: any = Object.values(inline.resource!.aws_sns_topic)[0];
    const stack = new SynthesizedStack(inline);
    const [partition, region, account] = ['data.aws_partition', 'data.aws_region', 'data.aws_caller_identity'].map(
      (type) => stack.ofType(type)[0].address,
    );
    const arn = `arn:\${${partition}.partition}:sns:\${${region}.id}:\${${account}.account_id}:ci-app-failures`;
    topic.policy = JSON.stringify({
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: ['codestar-notifications.amazonaws.com'] },
          Action: 'SNS:Publish',
          Resource: arn,
        },
      ],
    });
    expect(problems(inline)).toEqual([]);
  });

  test('without the key policy statement, each rule fails', () => {
    expect(problems(withoutStatement(json, 'key/policy', 'CodeStarNotificationsPublishToEncryptedTopics'))).toEqual([
      expect.stringMatching(
        new RegExp(
          String.raw`^notify\/notifications\/rule-app-build-failed: key notify\/key\/key of topic ` +
            String.raw`notify\/notifications\/topic does not let codestar-notifications\.amazonaws\.com ` +
            String.raw`kms:GenerateDataKey\*, kms:Decrypt`,
        ),
      ),
      expect.stringMatching(
        new RegExp(
          String.raw`^notify\/notifications\/rule-app-pipeline-failed: key notify\/key\/key of topic ` +
            String.raw`notify\/notifications\/topic does not let codestar-notifications\.amazonaws\.com ` +
            String.raw`kms:GenerateDataKey\*, kms:Decrypt`,
        ),
      ),
    ]);
  });

  test('a key named by its alias is followed to the key', () => {
    const byAlias = withoutStatement(json, 'key/policy', 'CodeStarNotificationsPublishToEncryptedTopics');
    const topic: any = Object.values(byAlias.resource!.aws_sns_topic)[0];
    topic.kms_master_key_id = `\${${new SynthesizedStack(byAlias).ofType('aws_kms_alias')[0].address}.arn}`;
    expect(problems(byAlias)).toEqual([
      expect.stringMatching(/key notify\/key\/key of topic/),
      expect.stringMatching(/key notify\/key\/key of topic/),
    ]);
  });

  test.each(['alias/aws/sns', 'arn:aws:kms:eu-west-1:123456789012:alias/aws/sns'])(
    'a topic encrypted with the AWS managed key %s fails',
    (keyId) => {
      const managed = copy(json);
      (Object.values(managed.resource.aws_sns_topic)[0] as any).kms_master_key_id = keyId;
      expect(problems(managed)).toEqual([
        `notify/notifications/rule-app-build-failed: topic notify/notifications/topic is encrypted with the AWS ` +
          `managed key ${keyId}, whose key policy cannot be changed to let codestar-notifications.amazonaws.com use ` +
          `it, so no notification is delivered`,
        `notify/notifications/rule-app-pipeline-failed: topic notify/notifications/topic is encrypted with the AWS ` +
          `managed key ${keyId}, whose key policy cannot be changed to let codestar-notifications.amazonaws.com use ` +
          `it, so no notification is delivered`,
      ]);
    },
  );

  test('an existing key, known only by its ARN, cannot be read and passes without a finding', () => {
    const existing = notificationStack((stack) => EncryptionKey.fromKeyArn(stack, EXISTING_KEY));
    expect(existing.resource?.aws_kms_key).toBeUndefined();
    expect(problems(existing)).toEqual([]);
    expect(checkStack(existing).rulesApplied).toContain('CIP_PERM_3');
  });

  test('Slack targets and topics outside the stack are not checked', () => {
    const elsewhere = copy(json);
    for (const rule of Object.values(elsewhere.resource.aws_codestarnotifications_notification_rule) as any[]) {
      rule.target = [
        { type: 'SNS', address: 'arn:aws:sns:eu-west-1:123456789012:elsewhere' },
        { type: 'AWSChatbotSlack', address: 'arn:aws:chatbot::123456789012:chat-configuration/slack-channel/ci' },
      ];
    }
    expect(problems(elsewhere)).toEqual([]);
  });
});
