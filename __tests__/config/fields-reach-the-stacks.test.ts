/**
 * Every field the configuration accepts must change what Terraform sees.
 * The parsed configuration is passed to the stacks as a whole, so TypeScript
 * cannot see a field that is validated and then dropped on the way; this test
 * can: for each field of the schema it sets a value other than the default and
 * expects different stacks. A new field without a case here fails too.
 */
import { parseConfig } from '../../config/load';
import { configFieldPaths } from '../../config/json-schema';
import { buildStacks } from '../../main';
import { validConfigDocument, testApp } from '../helpers';

type Document = ReturnType<typeof validConfigDocument> & Record<string, any>;
type Pipeline = Record<string, any>;

/** Every field of a schema, as a path (`pipelines[].github.branch`). */
/** Fields that are deliberately not for the stacks, and why. */
const NOT_FOR_THE_STACKS: Readonly<Record<string, string>> = {
  $schema: 'the JSON Schema an editor validates the file with; it describes the file, not the pipelines',
};

const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const CONNECTION = 'arn:aws:codeconnections:eu-west-1:123456789012:connection/0d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6';

/** How to set a field to a value other than its default, in a document where it applies (`context`). */
interface FieldCase {
  readonly context?: (document: Document, pipeline: Pipeline) => void;
  readonly set: (document: Document, pipeline: Pipeline) => void;
}
const toConnection = (_: Document, p: Pipeline) => (p.trigger = 'connection');
const INFRASTRUCTURE_PIPELINE = {
  owner: 'example-org',
  repository: 'platform-pipelines',
  connectionArn: CONNECTION,
  commentTokenSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:infrastructure/comments-AbCdEf',
  providerTokenSecretArns: {
    plan: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:infrastructure/provider-read-AbCdEf',
    apply: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:infrastructure/provider-write-AbCdEf',
  },
  terraform: { version: '1.11.4', sha256: '0'.repeat(64) },
};
// Beside an infrastructure pipeline, pipelines use a connection (webhook mode keeps secrets in the state it reads).
const withInfrastructurePipeline = (d: Document, p: Pipeline) => {
  d.infrastructurePipeline = { ...INFRASTRUCTURE_PIPELINE };
  p.trigger = 'connection';
};
/** A field of the infrastructure pipeline section, set to `value` in a document that has the section. */
const infrastructure = (field: string, value: unknown): FieldCase => ({
  context: withInfrastructurePipeline,
  set: (d) => (d.infrastructurePipeline[field] = value),
});
const toEcr = (_: Document, p: Pipeline) => (p.registry = { type: 'ecr', image: 'app' });

const CASES: Readonly<Record<string, FieldCase>> = {
  region: { set: (d) => (d.region = 'us-east-1') },
  'pipelines[].id': { set: (_, p) => ((p as any).id = 'old-name') },
  'pipelines[].retired': { set: (_, p) => ((p as any).retired = true) },
  'state.bucket': { set: (d) => (d.state.bucket = 'other-state-bucket') },
  'state.region': { set: (d) => (d.state.region = 'us-east-2') },
  'state.keyPrefix': { set: (d) => (d.state.keyPrefix = 'other/prefix') },
  // Another key only for an existing bucket: the bucket created here refuses state under any key but its own.
  'state.kmsKeyArn': {
    context: (d) => Object.assign(d.state, { create: false, kmsKeyArn: KEY }),
    set: (d) => ((d.state as any).kmsKeyArn = KEY.replace('1234abcd', '5678abcd')),
  },
  'state.s3ManagedEncryption': { set: (d) => Object.assign(d.state, { create: false, s3ManagedEncryption: true }) },
  'connection.name': { context: toConnection, set: (d) => ((d as any).connection = { name: 'fleet-github' }) },
  'connection.create': { context: toConnection, set: (d) => ((d as any).connection = { create: false }) },
  'pipelines[].github.connectionName': {
    context: toConnection,
    set: (_, p) => ((p.github as any).connectionName = 'team-github'),
  },
  'state.create': { set: (d) => Object.assign(d.state, { create: false, kmsKeyArn: KEY }) },
  'pipelines[].name': { set: (_, p) => (p.name = 'other') },
  'pipelines[].github.owner': { set: (_, p) => (p.github.owner = 'other-org') },
  'pipelines[].github.repository': { set: (_, p) => (p.github.repository = 'other') },
  'pipelines[].github.branch': { set: (_, p) => (p.github.branch = 'develop') },
  'pipelines[].github.visibility': { set: (_, p) => (p.github.visibility = 'internal') },
  'pipelines[].github.create': { set: (_, p) => (p.github.create = false) },
  'pipelines[].github.oauthTokenSecret': { set: (_, p) => (p.github.oauthTokenSecret = 'ci/other-token') },
  'pipelines[].github.webhookSecret': { set: (_, p) => (p.github.webhookSecret = 'ci/other-webhook') },
  'pipelines[].github.connectionArn': { context: toConnection, set: (_, p) => (p.github.connectionArn = CONNECTION) },
  'pipelines[].github.requiredApprovingReviewCount': {
    set: (_, p) => ((p.github as any).requiredApprovingReviewCount = 2),
  },
  'pipelines[].github.dismissStaleReviews': { set: (_, p) => ((p.github as any).dismissStaleReviews = false) },
  'pipelines[].github.codeOwners[]': { set: (_, p) => ((p.github as any).codeOwners = ['@my-org/platform']) },
  'pipelines[].github.requiredStatusChecks[]': {
    set: (_, p) => ((p.github as any).requiredStatusChecks = ['ci/tests']),
  },
  'pipelines[].github.dependabotSecurityUpdates': {
    set: (_, p) => ((p.github as any).dependabotSecurityUpdates = false),
  },
  'pipelines[].trigger': { set: toConnection },
  'pipelines[].registry.type': { set: toEcr },
  'pipelines[].registry.image': { set: (_, p) => (p.registry.image = 'myorg/other') },
  'pipelines[].registry.dockerHubCredentials': {
    context: toEcr,
    set: (_, p) => (p.registry.dockerHubCredentials = true),
  },
  'pipelines[].build.computeType': { set: (_, p) => (p.build = { computeType: 'BUILD_GENERAL1_LARGE' }) },
  'pipelines[].build.image': { set: (_, p) => (p.build = { image: 'aws/codebuild/standard:6.0' }) },
  'pipelines[].build.concurrentBuildLimit': { set: (_, p) => (p.build = { concurrentBuildLimit: 3 }) },
  'pipelines[].build.timeoutMinutes': { set: (_, p) => (p.build = { timeoutMinutes: 45 }) },
  'pipelines[].build.queuedTimeoutMinutes': { set: (_, p) => (p.build = { queuedTimeoutMinutes: 20 }) },
  'pipelines[].build.logRetentionDays': { set: (_, p) => (p.build = { logRetentionDays: 90 }) },
  'pipelines[].github.buildTokenSecret': {
    set: (_, p) => ((p.github as any).buildTokenSecret = 'ci/other-build-token'),
  },
  'pipelines[].executionMode': { context: toConnection, set: (_, p) => (p.executionMode = 'PARALLEL') },
  'pipelines[].releaseTags[]': { context: toConnection, set: (_, p) => (p.releaseTags = ['v*']) },
  'pipelines[].pullRequestBuilds.enabled': { set: (_, p) => (p.pullRequestBuilds = { enabled: false }) },
  'pipelines[].pullRequestBuilds.requiredStatusCheck': {
    set: (_, p) => (p.pullRequestBuilds = { requiredStatusCheck: false }),
  },
  'pipelines[].pullRequestBuilds.commentApproval': {
    set: (_, p) => (p.pullRequestBuilds = { commentApproval: 'FORK_PULL_REQUESTS' }),
  },
  'pipelines[].pullRequestBuilds.approverRoles[]': {
    set: (_, p) => (p.pullRequestBuilds = { approverRoles: ['GITHUB_ADMIN'] }),
  },
  'pipelines[].notifications.enabled': { set: (_, p) => (p.notifications = { enabled: false }) },
  'pipelines[].notifications.emails[]': { set: (_, p) => (p.notifications = { emails: ['ci-alerts@example.com'] }) },
  'pipelines[].notifications.slackChannelConfigurationArn': {
    set: (_, p) =>
      (p.notifications = {
        slackChannelConfigurationArn: 'arn:aws:chatbot::123456789012:chat-configuration/slack-channel/ci-alerts',
      }),
  },
  'pipelines[].appPath': { set: (_, p) => (p.appPath = 'services/app') },
  'pipelines[].artifactRetentionDays': { set: (_, p) => (p.artifactRetentionDays = 7) },
  'pipelines[].encryptionKeyArn': { set: (_, p) => (p.encryptionKeyArn = KEY) },
  'pipelines[].artifactBucketName': { set: (_, p) => (p.artifactBucketName = 'shared-ci-artifacts') },
  'infrastructurePipeline.owner': infrastructure('owner', 'other-org'),
  'infrastructurePipeline.repository': infrastructure('repository', 'other-repository'),
  'infrastructurePipeline.branch': infrastructure('branch', 'trunk'),
  'infrastructurePipeline.connectionArn': infrastructure('connectionArn', CONNECTION.replace('0d1e2f3a', '9d1e2f3a')),
  'infrastructurePipeline.commentTokenSecretArn': infrastructure(
    'commentTokenSecretArn',
    INFRASTRUCTURE_PIPELINE.commentTokenSecretArn.replace('comments', 'notes'),
  ),
  'infrastructurePipeline.terraform.version': infrastructure('terraform', {
    version: '1.12.0',
    sha256: '0'.repeat(64),
  }),
  'infrastructurePipeline.terraform.sha256': infrastructure('terraform', { version: '1.11.4', sha256: '1'.repeat(64) }),
  'infrastructurePipeline.providerTokenSecretArns.plan': infrastructure('providerTokenSecretArns', {
    ...INFRASTRUCTURE_PIPELINE.providerTokenSecretArns,
    plan: INFRASTRUCTURE_PIPELINE.providerTokenSecretArns.plan.replace('read', 'plan'),
  }),
  'infrastructurePipeline.providerTokenSecretArns.apply': infrastructure('providerTokenSecretArns', {
    ...INFRASTRUCTURE_PIPELINE.providerTokenSecretArns,
    apply: INFRASTRUCTURE_PIPELINE.providerTokenSecretArns.apply.replace('write', 'apply'),
  }),
  'infrastructurePipeline.statusContext': infrastructure('statusContext', 'platform/plan'),
  'infrastructurePipeline.command': infrastructure('command', 'npx --no-install cdktf-ci-infrastructure'),
  'infrastructurePipeline.alwaysApprove': infrastructure('alwaysApprove', true),
};

/**
 * What Terraform would see for a document: the stacks' IDs in order, and each stack's JSON, made when first asked for.
 */
interface Stacks {
  readonly ids: readonly string[];
  readonly json: (id: string) => string;
}
function stacksOf(document: Document): Stacks {
  const stacks = buildStacks(testApp(), parseConfig(document)).all;
  const made = new Map<string, string>();
  const json = (id: string) => {
    if (!made.has(id)) made.set(id, JSON.stringify(stacks.find((stack) => stack.node.id === id)!.toTerraform()));
    return made.get(id)!;
  };
  return { ids: stacks.map((stack) => stack.node.id), json };
}

/**
 * The first stack whose JSON differs between `changed` and `baseline` (`[stack IDs]` when the stacks themselves
 * differ), or undefined when Terraform would see the same. The pipeline stacks are compared first: most fields are
 * theirs, and a difference found spares making the other stacks' JSON.
 */
function firstDifference(changed: Stacks, baseline: Stacks): string | undefined {
  if (changed.ids.join('\n') !== baseline.ids.join('\n')) return `[${changed.ids.join(', ')}]`;
  return [...changed.ids].reverse().find((id) => changed.json(id) !== baseline.json(id));
}

function documentWith(
  ...changes: readonly (((document: Document, pipeline: Pipeline) => void) | undefined)[]
): Document {
  const document = validConfigDocument() as Document;
  for (const change of changes) change?.(document, document.pipelines[0]);
  return document;
}

describe('every configuration field reaches the stacks', () => {
  const fields = configFieldPaths();
  const baselines = new Map<FieldCase['context'], Stacks>();
  const baseline = (context: FieldCase['context']) => {
    if (!baselines.has(context)) baselines.set(context, stacksOf(documentWith(context)));
    return baselines.get(context)!;
  };

  test('each field of the schema has a case here, or a reason it is not for the stacks', () => {
    expect(fields.length).toBeGreaterThan(25);
    expect(fields.filter((field) => CASES[field] === undefined && NOT_FOR_THE_STACKS[field] === undefined)).toEqual([]);
    expect(Object.keys(CASES).filter((field) => !fields.includes(field))).toEqual([]);
  });

  test.each(Object.keys(CASES))('%s changes what Terraform sees', (field) => {
    const { context, set } = CASES[field];
    expect({ field, differs: firstDifference(stacksOf(documentWith(context, set)), baseline(context)) }).not.toEqual({
      field,
      differs: undefined,
    });
  });
});
