/**
 * The bad-input battery: configurations a user can get wrong, each run through
 * the same entry point as `npm run synth` (`run` in main.ts, with the config
 * file and output directory taken from the environment). Every case must exit
 * 1, name the field path, the bad value and what is allowed, print no stack
 * trace, and write nothing. app/process.slow.test.ts runs one as a real process.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../main';
import { validConfigDocument as valid } from '../helpers';

type Document = ReturnType<typeof valid> & Record<string, any>;

/** A valid document changed by `mutate`. */
function document(mutate: (document: Document, pipeline: any) => void): Document {
  const result: Document = valid();
  mutate(result, result.pipelines[0]);
  return result;
}

const dir = mkdtempSync(join(tmpdir(), 'ci-bad-input-'));
let counter = 0;

/**
 * Runs the app on `content` (a document, or raw file text; `undefined` for a
 * file that does not exist), with `env` over the config file and output directory.
 */
function synthesize(content: unknown, env: NodeJS.ProcessEnv = {}) {
  counter += 1;
  const configPath = join(dir, `config-${counter}.json`);
  const outdir = join(dir, `out-${counter}`);
  if (content !== undefined)
    writeFileSync(
      configPath,
      typeof content === 'string' || Buffer.isBuffer(content) ? content : JSON.stringify(content),
    );
  let stdout = '';
  let stderr = '';
  const status = run({
    env: { CI_PIPELINES_CONFIG: configPath, CDKTF_OUTDIR: outdir, ...env },
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  });
  return { status, stdout, stderr, outdir };
}

const INFRASTRUCTURE_PIPELINE = {
  owner: 'example-org',
  repository: 'platform-pipelines',
  connectionArn: 'arn:aws:codeconnections:eu-west-1:123456789012:connection/0a1b2c3d-aaaa-bbbb-cccc-0123456789ab',
  commentTokenSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:infrastructure/comments-AbCdEf',
  providerTokenSecretArns: {
    plan: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:infrastructure/provider-read-AbCdEf',
    apply: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:infrastructure/provider-write-AbCdEf',
  },
  terraform: { version: '1.11.4', sha256: '0'.repeat(64) },
};

const GIT_BRANCH_RULE = 'must be a branch name git and GitHub accept';
const DOCKER_HUB_RULE =
  'must be a Docker Hub repository "namespace/name": a namespace of 4-30 lowercase letters and digits';
const ECR_RULE = 'must be an ECR repository name: 2-256 lowercase letters and digits, joined by single ".", "_" or "-"';
const KEY = 'key/1234abcd-12ab-34cd-56ef-1234567890ab';
const BUCKET_RULE = 'must be a valid S3 bucket name: 3-63 lowercase letters, digits, "." or "-"';

/** [case, file content, what the message must say: the path, the value and what is allowed]. */
const BATTERY: readonly (readonly [string, unknown, string])[] = [
  // Files
  [
    'a config file that does not exist',
    undefined,
    'cannot read the file: the file does not exist (set CI_PIPELINES_CONFIG to a JSON configuration file)',
  ],
  ['an empty config file', '  \n', 'the file is empty'],
  [
    'a config file that is not JSON: the line and column, and what JSON expected there',
    '{ region: ',
    'the file is not valid JSON: line 1, column 3: this is not JSON (names and strings are written in double quotes',
  ],
  [
    'a missing comma between two properties, on the line where the next one starts',
    '{\n  "region": "eu-west-1"\n  "pipelines": []\n}',
    'the file is not valid JSON: line 3, column 3: a "," is expected before the next property or item',
  ],
  [
    'a trailing comma',
    '{\n  "pipelines": [1, 2,]\n}',
    'the file is not valid JSON: line 2, column 22: a value is expected (is there a comma after the last item?)',
  ],
  ['a comment', '{\n  // the region\n  "region": "eu-west-1"\n}', 'line 2, column 3: JSON has no comments'],
  ['a document that is not an object', '[]', '(document): got []; expected type object'],
  // Wrong types and missing fields
  [
    'a number given as a string',
    document((_, p) => (p.build = { concurrentBuildLimit: '2' })),
    'pipelines[0].build.concurrentBuildLimit: got "2"; expected type number',
  ],
  ['a name that is a number', document((_, p) => (p.name = 42)), 'pipelines[0].name: got 42; expected type string'],
  [
    'a boolean given as a string',
    document((_, p) => (p.github.create = 'yes')),
    'pipelines[0].github.create: got "yes"; expected type boolean',
  ],
  [
    'pipelines that are not a list',
    document((d) => (d.pipelines = {} as any)),
    'pipelines: got {}; expected type array',
  ],
  ['a null region', document((d) => (d.region = null as any)), 'region: got null; expected type string'],
  ['a missing region', document((d) => delete (d as any).region), 'region: is required (type string)'],
  ['a missing state section', document((d) => delete (d as any).state), 'state: is required (type object)'],
  [
    'a missing GitHub owner',
    document((_, p) => delete p.github.owner),
    'pipelines[0].github.owner: is required (type string)',
  ],
  ['a missing registry', document((_, p) => delete p.registry), 'pipelines[0].registry: is required (type object)'],
  ['no pipelines', document((d) => (d.pipelines = [])), 'pipelines: got []; must list at least one pipeline'],
  // Unknown keys
  [
    'a typo in a pipeline field (brnach)',
    document((_, p) => (p.github.brnach = 'main')),
    'pipelines[0].github.brnach: unknown field (a typo?); allowed fields here: owner, repository, branch, ' +
      'visibility, create, oauthTokenSecret, webhookSecret, buildTokenSecret, connectionArn',
  ],
  [
    'a typo at the top level (regoin)',
    document((d) => (d.regoin = 'eu-west-1')),
    'regoin: unknown field (a typo?); allowed fields here: $schema, region, state, connection, ' +
      'infrastructurePipeline, pipelines',
  ],
  // Empty strings
  [
    'an empty pipeline name',
    document((_, p) => (p.name = '')),
    'pipelines[0].name: got ""; must be 2-32 characters of lowercase letters, digits and hyphens',
  ],
  [
    'an empty GitHub owner',
    document((_, p) => (p.github.owner = '')),
    'pipelines[0].github.owner: got ""; must be a GitHub login',
  ],
  [
    'an empty image',
    document((_, p) => (p.registry.image = '')),
    `pipelines[0].registry.image: got ""; ${DOCKER_HUB_RULE}`,
  ],
  [
    'an empty build image',
    document((_, p) => (p.build = { image: '' })),
    'pipelines[0].build.image: got ""; must be a CodeBuild image such as "aws/codebuild/standard:7.0"',
  ],
  // Names GitHub, git, AWS and S3 reject
  [
    'a GitHub owner with a space',
    document((_, p) => (p.github.owner = 'bad owner')),
    'pipelines[0].github.owner: got "bad owner"; must be a GitHub login: 1-39 letters, digits or single hyphens',
  ],
  [
    'a repository named like a clone URL',
    document((_, p) => (p.github.repository = 'x.git')),
    'pipelines[0].github.repository: got "x.git"',
  ],
  [
    'a branch with ".."',
    document((_, p) => (p.github.branch = 'feature..x')),
    `pipelines[0].github.branch: got "feature..x"; ${GIT_BRANCH_RULE}`,
  ],
  [
    'a branch ending with "/"',
    document((_, p) => (p.github.branch = 'feature/')),
    `pipelines[0].github.branch: got "feature/"; ${GIT_BRANCH_RULE}`,
  ],
  [
    'a branch ending with ".lock"',
    document((_, p) => (p.github.branch = 'main.lock')),
    `pipelines[0].github.branch: got "main.lock"; ${GIT_BRANCH_RULE}`,
  ],
  [
    'a branch with a space',
    document((_, p) => (p.github.branch = 'my branch')),
    `pipelines[0].github.branch: got "my branch"; ${GIT_BRANCH_RULE}`,
  ],
  [
    'a branch named HEAD',
    document((_, p) => (p.github.branch = 'HEAD')),
    `pipelines[0].github.branch: got "HEAD"; ${GIT_BRANCH_RULE}`,
  ],
  [
    'a branch named like a commit ID',
    document((_, p) => (p.github.branch = 'a'.repeat(40))),
    `pipelines[0].github.branch: got "${'a'.repeat(40)}"; ${GIT_BRANCH_RULE}`,
  ],
  // The value is shown cut to 80 characters.
  [
    'a branch longer than 255 bytes',
    document((_, p) => (p.github.branch = 'é'.repeat(128))),
    `pipelines[0].github.branch: got "${'é'.repeat(76)}...; ${GIT_BRANCH_RULE}`,
  ],
  [
    'a branch too long for a trigger filter once its braces are escaped',
    document((_, p) => ((p.trigger = 'connection'), (p.github.branch = `${'a'.repeat(250)}{}{}`))),
    `pipelines[0].github.branch: got "${'a'.repeat(76)}...; gives the trigger branch pattern ` +
      `"${'a'.repeat(250)}\\{\\}\\{\\}", which must be 1-255 characters long`,
  ],
  [
    'an invalid AWS region',
    document((d) => (d.region = 'europe')),
    'region: got "europe"; must be the code of a region AWS has launched, such as "us-east-1" or "eu-central-1"',
  ],
  [
    'a region code of the right shape that AWS never launched',
    document((d) => (d.region = 'eu-west-9')),
    'region: got "eu-west-9"; must be the code of a region AWS has launched',
  ],
  [
    'a region where AWS offers no CodePipeline, reported once (not again for its notifications)',
    document((d) => ((d.region = 'ca-west-1'), (d.state.region = 'ca-west-1'))),
    'region: got "ca-west-1"; must be a region where AWS offers what every pipeline uses: AWS does not offer ' +
      'CodePipeline and CodeBuild in ca-west-1 (no endpoint in the data AWS publishes for its SDKs, botocore',
  ],
  [
    'failure notifications (on by default) in a China region, which has no CodeStar Notifications',
    document((d) => ((d.region = 'cn-north-1'), (d.state.region = 'cn-north-1'))),
    'pipelines[0].notifications.enabled: got true; must be false: AWS does not offer CodeStar Notifications in ' +
      'cn-north-1',
  ],
  [
    'a connection trigger in a region where AWS offers no connections',
    document(
      (d) => (
        (d.region = 'eu-central-2'),
        (d.state.region = 'eu-central-2'),
        ((d.pipelines[0] as any).trigger = 'connection')
      ),
    ),
    'pipelines[0].trigger: got "connection"; must be "webhook": AWS does not offer CodeConnections in eu-central-2',
  ],
  [
    'an invalid state region',
    document((d) => (d.state.region = 'us-east')),
    'state.region: got "us-east"; must be the code of a region AWS has launched',
  ],
  [
    'a bucket name with capitals and "_"',
    document((d) => (d.state.bucket = 'My_Bucket')),
    `state.bucket: got "My_Bucket"; ${BUCKET_RULE}`,
  ],
  [
    'a bucket name that is too short',
    document((d) => (d.state.bucket = 'ab')),
    `state.bucket: got "ab"; ${BUCKET_RULE}`,
  ],
  [
    'a bucket name that is an IP address',
    document((d) => (d.state.bucket = '192.168.1.1')),
    `state.bucket: got "192.168.1.1"; ${BUCKET_RULE}`,
  ],
  [
    'a bucket name with a reserved prefix',
    document((d) => (d.state.bucket = 'xn--state')),
    `state.bucket: got "xn--state"; ${BUCKET_RULE}`,
  ],
  [
    'a bucket name with a reserved suffix',
    document((d) => (d.state.bucket = 'state--ol-s3')),
    `state.bucket: got "state--ol-s3"; ${BUCKET_RULE}`,
  ],
  [
    'a bucket name with the documentation prefix',
    document((d) => (d.state.bucket = 'amzn-s3-demo-state')),
    `state.bucket: got "amzn-s3-demo-state"; ${BUCKET_RULE}`,
  ],
  [
    'a bucket name ending in "-an" outside an account namespace',
    document((d) => (d.state.bucket = 'state-an')),
    `state.bucket: got "state-an"; ${BUCKET_RULE}`,
  ],
  [
    'a state bucket to create in an account namespace',
    document((d) => (d.state.bucket = 'state-123456789012-eu-west-1-an')),
    'state.bucket: got "state-123456789012-eu-west-1-an"; must not end in "-an", which only buckets in an account ' +
      'regional namespace may',
  ],
  [
    'a bucket name with ".."',
    document((d) => (d.state.bucket = 'my..bucket')),
    `state.bucket: got "my..bucket"; ${BUCKET_RULE}`,
  ],
  [
    'a pipeline name that gives a reserved bucket prefix',
    document((_, p) => (p.name = 'xn--app')),
    'pipelines[0].name: got "xn--app"; gives the artifact bucket name prefix "xn--app-artifacts-", which must be ' +
      '1-37 lowercase letters',
  ],
  [
    'a pipeline name that gives the S3 Express prefix',
    document((_, p) => (p.name = 'sthree-app')),
    'pipelines[0].name: got "sthree-app"; gives the artifact bucket name prefix "sthree-app-artifacts-"',
  ],
  [
    'a pipeline name with capitals',
    document((_, p) => (p.name = 'MyApp')),
    'pipelines[0].name: got "MyApp"; must be 2-32 characters of lowercase letters',
  ],
  // Numbers out of range
  [
    'concurrentBuildLimit 0',
    document((_, p) => (p.build = { concurrentBuildLimit: 0 })),
    'pipelines[0].build.concurrentBuildLimit: got 0; must be an integer >= 1',
  ],
  [
    'a negative concurrentBuildLimit',
    document((_, p) => (p.build = { concurrentBuildLimit: -3 })),
    'pipelines[0].build.concurrentBuildLimit: got -3; must be an integer >= 1',
  ],
  [
    'a fractional concurrentBuildLimit',
    document((_, p) => (p.build = { concurrentBuildLimit: 1.5 })),
    'pipelines[0].build.concurrentBuildLimit: got 1.5; must be an integer >= 1',
  ],
  [
    'a log retention CloudWatch does not offer',
    document((_, p) => (p.build = { logRetentionDays: 10 })),
    "pipelines[0].build.logRetentionDays: got 10; must be one of CloudWatch Logs' retention periods: 1, 3, 5, 7, " +
      '14, 30',
  ],
  [
    'a build timeout below 5 minutes',
    document((_, p) => (p.build = { timeoutMinutes: 1 })),
    'pipelines[0].build.timeoutMinutes: got 1; must be an integer from 5 to 2160',
  ],
  [
    'artifacts kept 0 days',
    document((_, p) => (p.artifactRetentionDays = 0)),
    'pipelines[0].artifactRetentionDays: got 0; must be an integer from 1 to 3650',
  ],
  // Unknown choices
  [
    'an unknown compute type',
    document((_, p) => (p.build = { computeType: 'BUILD_GENERAL1_HUGE' })),
    'pipelines[0].build.computeType: got "BUILD_GENERAL1_HUGE"; must be one of BUILD_GENERAL1_SMALL',
  ],
  [
    'an unknown registry type',
    document((_, p) => (p.registry.type = 'quay')),
    'pipelines[0].registry.type: got "quay"; must be one of dockerhub, ecr',
  ],
  [
    'an unknown trigger',
    document((_, p) => (p.trigger = 'poll')),
    'pipelines[0].trigger: got "poll"; must be one of webhook, connection',
  ],
  [
    'a public repository',
    document((_, p) => (p.github.visibility = 'public')),
    'pipelines[0].github.visibility: got "public"; must be one of private, internal',
  ],
  // Paths, ARNs and combinations
  [
    'an absolute appPath',
    document((_, p) => (p.appPath = '/etc')),
    'pipelines[0].appPath: got "/etc"; must be a path relative to the repository root',
  ],
  [
    'an appPath leaving the repository',
    document((_, p) => (p.appPath = '../x')),
    'pipelines[0].appPath: got "../x"; must be a path relative to the repository root',
  ],
  [
    'a state key prefix with a leading "/"',
    document((d) => (d.state.keyPrefix = '/abs/')),
    'state.keyPrefix: got "/abs/"; must be path segments',
  ],
  [
    'a state KMS key that is not an ARN',
    document((d) => ((d.state as any).kmsKeyArn = 'not-an-arn')),
    'state.kmsKeyArn: got "not-an-arn"; must be a KMS key ARN, alias ARN, alias name ("alias/<name>") or key ID',
  ],
  [
    'an existing state bucket without its key',
    document((d) => ((d.state as any).create = false)),
    'state.kmsKeyArn: not set; is required: name the customer-managed KMS key that encrypts the state, or set ' +
      's3ManagedEncryption to true',
  ],
  [
    'a state key and S3-managed keys at once',
    document((d) =>
      Object.assign(d.state, {
        create: false,
        kmsKeyArn: `arn:aws:kms:eu-west-1:123456789012:${KEY}`,
        s3ManagedEncryption: true,
      }),
    ),
    `state.kmsKeyArn: got "arn:aws:kms:eu-west-1:123456789012:${KEY}"; must not be set with s3ManagedEncryption`,
  ],
  [
    'S3-managed state keys for the bucket the bootstrap stack creates, which refuses state written without its key',
    document((d) => Object.assign(d.state, { s3ManagedEncryption: true })),
    'state.s3ManagedEncryption: got true; applies only to an existing state bucket (create: false): the bucket the ' +
      'state-bootstrap stack creates refuses state written without its key; remove it',
  ],
  [
    // Found by two held-out batteries: a golden configuration did it, and every state write would have been refused.
    'another key for the state bucket the bootstrap stack creates, whose policy refuses state under any other key',
    document((d) => Object.assign(d.state, { kmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:alias/terraform-state' })),
    'state.kmsKeyArn: got "arn:aws:kms:eu-west-1:123456789012:alias/terraform-state"; with the state bucket created ' +
      'here (create: true, the default), its key, alias/terraform-state/',
  ],
  [
    'S3-managed state keys as a string',
    document((d) => ((d.state as any).s3ManagedEncryption = 'yes')),
    'state.s3ManagedEncryption: got "yes"; expected type boolean',
  ],
  [
    'a state bucket create flag that is not a boolean',
    document((d) => ((d.state as any).create = 'no')),
    'state.create: got "no"; expected type boolean',
  ],
  [
    'a pipeline key given by alias',
    document((_, p) => (p.encryptionKeyArn = 'arn:aws:kms:eu-west-1:123456789012:alias/ci')),
    'pipelines[0].encryptionKeyArn: got "arn:aws:kms:eu-west-1:123456789012:alias/ci"; must be a KMS key ARN',
  ],
  [
    'a pipeline key in another region',
    document(
      (_, p) => (p.encryptionKeyArn = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'),
    ),
    `pipelines[0].encryptionKeyArn: got "arn:aws:kms:us-east-1:123456789012:${KEY}"; must be in the region ` +
      `"eu-west-1" of the pipelines (keys and secrets serve only their own region), not "us-east-1"`,
  ],
  [
    'JSON nested 100,000 levels deep (which exhausts a recursive parser)',
    `{"region": "eu-west-1", "pipelines": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
    'line 1, column 69: the document nests objects and lists more than 32 levels deep, where a configuration needs 5',
  ],
  [
    "an infrastructure pipeline whose Terraform release is not checkable: the SHA-256 and the version's form",
    document((d: any) => {
      d.infrastructurePipeline = { ...INFRASTRUCTURE_PIPELINE, terraform: { version: 'latest', sha256: 'abc' } };
    }),
    'infrastructurePipeline.terraform.version: got "latest"; must be a Terraform release such as "1.11.4"',
  ],
  [
    "a webhook-mode pipeline beside an infrastructure pipeline, whose plans would read the pipeline's secrets",
    document((d: any) => {
      d.pipelines[0].trigger = 'webhook';
      d.infrastructurePipeline = INFRASTRUCTURE_PIPELINE;
    }),
    'pipelines[0].trigger: got "webhook"; must be "connection" with an infrastructurePipeline: webhook mode keeps ' +
      "the GitHub token and the webhook secret in the pipeline's state",
  ],
  [
    'an infrastructure pipeline whose comment token is named, not an ARN',
    document((d: any) => {
      d.infrastructurePipeline = { ...INFRASTRUCTURE_PIPELINE, commentTokenSecretArn: 'github-comments' };
    }),
    'infrastructurePipeline.commentTokenSecretArn: got "github-comments"',
  ],
  [
    "the merge's GitHub token is one a pull request's build reads",
    document((d: any) => {
      const plan = INFRASTRUCTURE_PIPELINE.providerTokenSecretArns.plan;
      d.pipelines[0].trigger = 'connection';
      d.infrastructurePipeline = { ...INFRASTRUCTURE_PIPELINE, providerTokenSecretArns: { plan, apply: plan } };
    }),
    'infrastructurePipeline.providerTokenSecretArns.apply: got "arn:aws:secretsmanager:eu-west-1:123456789012:secret:' +
      "infrastructure/provider...; must differ from providerTokenSecretArns.plan: a pull request's code can read",
  ],
  [
    'an infrastructure pipeline in GovCloud given ARNs of the commercial partition',
    document((d: any) => {
      d.region = 'us-gov-east-1';
      d.state = { ...d.state, region: 'us-gov-east-1' };
      d.pipelines = d.pipelines.map((pipeline: any) => ({ ...pipeline, trigger: 'connection' }));
      d.infrastructurePipeline = INFRASTRUCTURE_PIPELINE;
    }),
    'infrastructurePipeline.commentTokenSecretArn: got "arn:aws:secretsmanager:eu-west-1:123456789012:secret:' +
      'infrastructure/comments...; must be in the partition "aws-us-gov" of the region "us-gov-east-1"',
  ],
  [
    "a key prefix that fits every stack's state key but the permissions boundary's, the longest",
    document((d: any) => {
      d.pipelines[0].trigger = 'connection';
      d.infrastructurePipeline = INFRASTRUCTURE_PIPELINE;
      d.state.keyPrefix = 'p'.repeat(1018 - `/${d.region}/_infrastructure-pipeline-boundary/terraform.tfstate`.length);
    }),
    `state.keyPrefix: got "${'p'.repeat(76)}...; makes the state key`,
  ],
  [
    'an infrastructure pipeline in a region without CodeConnections, which it reads its repository through',
    document((d: any) => {
      d.region = 'cn-north-1';
      d.state = { ...d.state, region: 'cn-north-1' };
      d.infrastructurePipeline = INFRASTRUCTURE_PIPELINE;
    }),
    'region: got "cn-north-1"; must be a region where AWS offers the services of the infrastructure pipeline: AWS ' +
      'does not offer CodeConnections in cn-north-1',
  ],
  [
    'a pipeline that leaves trigger to its default beside an infrastructure pipeline',
    document((d: any) => {
      delete d.pipelines[0].trigger;
      d.infrastructurePipeline = INFRASTRUCTURE_PIPELINE;
    }),
    'pipelines[0].trigger: not set; defaults to "webhook", and must be "connection" with an infrastructurePipeline',
  ],
  [
    'a file saved as UTF-16, as Windows tools save "Unicode" text',
    Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(JSON.stringify(valid()), 'utf16le')]),
    'the file is UTF-16 (little-endian, with a byte-order mark): save it as UTF-8',
  ],
  [
    'an invisible character at the end of a value, shown escaped so that the value does not read as valid',
    document((_, p) => (p.github.branch = 'main\u007f')),
    'pipelines[0].github.branch: got "main\\u007f"; must not hold a character nobody can see (U+007F',
  ],
  [
    'a number too large for a double, which JSON parsing turns into Infinity',
    JSON.stringify(document((_, p) => (p.build = { timeoutMinutes: 12345 }))).replace('12345', '1e400'),
    'pipelines[0].build.timeoutMinutes: got Infinity (a number too large to hold)',
  ],
  [
    "an id that makes the state key too long: reported at the id, which makes the key, with the key's length",
    document((_, p) => (p.id = 'a'.repeat(1000))),
    'pipelines[0].id: got "aaaa',
  ],
  [
    'a key prefix that makes a state key longer than S3 and the lock file allow',
    document((d) => (d.state.keyPrefix = Array(25).fill('a-forty-character-long-path-segment-xxxxx').join('/'))),
    'pipelines[0].name: got "app"; makes the state key "a-forty-character-long-path-segment-xxxxx/',
  ],
  [
    "a required status that nothing reports: the pipeline's own, with pull-request builds off",
    document((_, p) => {
      p.github.requiredStatusChecks = ['codebuild/app'];
      p.pullRequestBuilds = { enabled: false };
    }),
    'pipelines[0].github.requiredStatusChecks: got ["codebuild/app"]; must not require "codebuild/app": ' +
      'pullRequestBuilds.enabled is false, so nothing reports it, and no pull request could ever merge',
  ],
  [
    "a required status that only some pull requests get: the pipeline's own, with builds filtered by appPath",
    document((_, p) => {
      p.github.requiredStatusChecks = ['codebuild/app', 'ci/lint'];
      p.pullRequestBuilds = { requiredStatusCheck: false };
    }),
    'pullRequestBuilds.requiredStatusCheck is false, so only pull requests that change appPath are built, and the ' +
      'others could never merge; remove it, or build every pull request',
  ],
  [
    'an Arm image in a region without Arm containers',
    document((d, p) => {
      d.region = 'eu-west-3';
      d.state.region = 'eu-west-3';
      p.build = { ...p.build, image: 'aws/codebuild/amazonlinux-aarch64-standard:3.0' };
    }),
    'pipelines[0].build.image: got "aws/codebuild/amazonlinux-aarch64-standard:3.0"; must be offered by CodeBuild in ' +
      "eu-west-3: ARM_CONTAINER (the image's environment type) is offered only in us-east-1",
  ],
  [
    'a Windows image, which a Linux container cannot run',
    document((_, p) => (p.build = { ...p.build, image: 'aws/codebuild/windows-base:2019-3.0' })),
    'pipelines[0].build.image: got "aws/codebuild/windows-base:2019-3.0"; must be an image for a Linux or Arm ' +
      'container, which the projects run: aws/codebuild/windows-base:2019-3.0 runs only in ' +
      'WINDOWS_SERVER_2019_CONTAINER',
  ],
  [
    'a Lambda image',
    document(
      (_, p) => (p.build = { ...p.build, image: 'aws/codebuild/amazonlinux-x86_64-lambda-standard:python3.12' }),
    ),
    'runs only in LINUX_LAMBDA_CONTAINER or ARM_LAMBDA_CONTAINER',
  ],
  [
    'a Docker Hub image in the namespace of Docker Official Images',
    document((_, p) => (p.registry = { type: 'dockerhub', image: 'library/app' })),
    'pipelines[0].registry.image: got "library/app"; must be in a namespace of your own: "library" is Docker\'s',
  ],
  [
    'a branch with a zero-width space, which looks right and never matches',
    document((_, p) => (p.github.branch = 'main\u200b')),
    'pipelines[0].github.branch: got "main\\u200b"; must not hold a character nobody can see (U+200B at character 5)',
  ],
  [
    'a required status context with a no-break space',
    document((_, p) => (p.github.requiredStatusChecks = ['ci/\u00a0lint'])),
    'pipelines[0].github.requiredStatusChecks[0]: got "ci/\u00a0lint"; must not hold a character nobody can see ' +
      '(U+00A0 at character 4)',
  ],
  [
    'an e-mail address with a right-to-left override',
    document((_, p) => (p.notifications = { emails: ['ops@exam\u202eple.org'] })),
    'must not hold a character nobody can see (U+202E at character 9)',
  ],
  [
    'a compute type CodeBuild does not offer in the region',
    document((d, p) => ((d.region = 'sa-east-1'), (p.build = { ...p.build, computeType: 'BUILD_GENERAL1_2XLARGE' }))),
    'pipelines[0].build.computeType: got "BUILD_GENERAL1_2XLARGE"; must be offered by CodeBuild in sa-east-1: ' +
      'BUILD_GENERAL1_2XLARGE on LINUX_CONTAINER is offered only in us-east-1, us-east-2, us-west-2, ca-central-1',
  ],
  [
    'an artifact bucket name with capitals',
    document((_, p) => (p.artifactBucketName = 'Shared')),
    'pipelines[0].artifactBucketName: got "Shared"; must be a valid S3 bucket name',
  ],
  [
    'artifact retention with an existing artifact bucket',
    document((_, p) => ((p.artifactBucketName = 'shared-ci-artifacts'), (p.artifactRetentionDays = 7))),
    'pipelines[0].artifactRetentionDays: got 7; applies only to a created artifact bucket; remove it or remove ' +
      'artifactBucketName',
  ],
  [
    'a connection ARN of another service',
    document((_, p) => ((p.trigger = 'connection'), (p.github.connectionArn = 'arn:aws:s3:::x'))),
    'pipelines[0].github.connectionArn: got "arn:aws:s3:::x"; must be a connection ARN',
  ],
  [
    'a webhook-only field with a connection',
    document((_, p) => ((p.trigger = 'connection'), (p.github.webhookSecret = 'x'))),
    'pipelines[0].github.webhookSecret: got "x"; applies only to trigger "webhook"',
  ],
  [
    'a Docker Hub image without a namespace',
    document((_, p) => (p.registry.image = 'app')),
    `pipelines[0].registry.image: got "app"; ${DOCKER_HUB_RULE}`,
  ],
  [
    'a Docker Hub namespace with a hyphen',
    document((_, p) => (p.registry.image = 'my-org/app')),
    `pipelines[0].registry.image: got "my-org/app"; ${DOCKER_HUB_RULE}`,
  ],
  [
    'a Docker Hub namespace too short',
    document((_, p) => (p.registry.image = 'abc/app')),
    `pipelines[0].registry.image: got "abc/app"; ${DOCKER_HUB_RULE}`,
  ],
  [
    'a Docker Hub name with a tag',
    document((_, p) => (p.registry.image = 'myorg/app:1.0')),
    `pipelines[0].registry.image: got "myorg/app:1.0"; ${DOCKER_HUB_RULE}`,
  ],
  [
    'an ECR name with "__"',
    document((_, p) => (p.registry = { type: 'ecr', image: 'team__app' })),
    `pipelines[0].registry.image: got "team__app"; ${ECR_RULE}`,
  ],
  [
    'an ECR name with capitals',
    document((_, p) => (p.registry = { type: 'ecr', image: 'Team/app' })),
    `pipelines[0].registry.image: got "Team/app"; ${ECR_RULE}`,
  ],
  [
    'a pipeline key in another partition',
    document((_, p) => (p.encryptionKeyArn = `arn:aws-cn:kms:eu-west-1:123456789012:${KEY}`)),
    `pipelines[0].encryptionKeyArn: got "arn:aws-cn:kms:eu-west-1:123456789012:${KEY}"; must be in the partition ` +
      `"aws" of the region "eu-west-1", not "aws-cn"`,
  ],
  [
    'a state key in another region than the state bucket',
    document((d) => ((d.state as any).kmsKeyArn = `arn:aws:kms:us-east-1:123456789012:${KEY}`)),
    `state.kmsKeyArn: got "arn:aws:kms:us-east-1:123456789012:${KEY}"; must be in the region "eu-west-1" of the ` +
      `state bucket`,
  ],
  [
    'a state bucket in another partition than the pipelines (one deploy, one set of credentials)',
    document((d) => ((d.state as any).region = 'cn-north-1')),
    'state.region: got "cn-north-1"; must be in the partition "aws" of the region "eu-west-1" the stack deploys to',
  ],
  [
    'a GitHub token secret in another region',
    document(
      (_, p) => (p.github.oauthTokenSecret = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:ci/github-AbCdEf'),
    ),
    'pipelines[0].github.oauthTokenSecret: got ' +
      '"arn:aws:secretsmanager:us-east-1:123456789012:secret:ci/github-AbCdEf"; must be in the region "eu-west-1" ' +
      'of the pipelines',
  ],
  [
    "the pull-request builds' token secret in another partition",
    document(
      (_, p) =>
        (p.github.buildTokenSecret = 'arn:aws-us-gov:secretsmanager:eu-west-1:123456789012:secret:ci/build-AbCdEf'),
    ),
    'pipelines[0].github.buildTokenSecret: got ' +
      '"arn:aws-us-gov:secretsmanager:eu-west-1:123456789012:secret:ci/build-AbCdEf"; must be in the partition "aws" ' +
      'of the region "eu-west-1", not "aws-us-gov"',
  ],
  [
    'a Slack channel configuration in another partition',
    document(
      (_, p) =>
        (p.notifications = {
          slackChannelConfigurationArn: 'arn:aws-cn:chatbot::123456789012:chat-configuration/slack-channel/ci',
        }),
    ),
    'pipelines[0].notifications.slackChannelConfigurationArn: got ' +
      '"arn:aws-cn:chatbot::123456789012:chat-configuration/slack-channel/ci"; must be in the partition "aws" of ' +
      'the region "eu-west-1", not "aws-cn"',
  ],
  [
    'a webhook secret in another region',
    document(
      (_, p) => (p.github.webhookSecret = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:ci/hook-AbCdEf'),
    ),
    'pipelines[0].github.webhookSecret: got ' +
      '"arn:aws:secretsmanager:eu-central-1:123456789012:secret:ci/hook-AbCdEf"; must be in the region "eu-west-1" ' +
      'of the pipelines',
  ],
  [
    'a connection in another partition',
    document(
      (_, p) => (
        (p.trigger = 'connection'),
        (p.github.connectionArn = 'arn:aws-us-gov:codeconnections:us-gov-west-1:123456789012:connection/0123abcd')
      ),
    ),
    'pipelines[0].github.connectionArn: got ' +
      '"arn:aws-us-gov:codeconnections:us-gov-west-1:123456789012:connection/0123abcd"; must be in the partition ' +
      '"aws" of the region "eu-west-1", not "aws-us-gov"',
  ],
  [
    'the state bucket as the artifact bucket',
    document((d, p) => (p.artifactBucketName = d.state.bucket)),
    'pipelines[0].artifactBucketName: got "my-state-bucket"; must not be the state bucket',
  ],
  [
    'duplicate pipeline names',
    document((d, p) => d.pipelines.push({ ...p, github: { ...p.github, create: false } })),
    'pipelines[1].name: got "app"; must be unique: pipelines[0] has the same name, which names the AWS resources of ' +
      'each',
  ],
  [
    'no approving review',
    document((_, p) => ((p.github as any).requiredApprovingReviewCount = 0)),
    'pipelines[0].github.requiredApprovingReviewCount: got 0; must be an integer from 1 to 6',
  ],
  [
    'seven approving reviews',
    document((_, p) => ((p.github as any).requiredApprovingReviewCount = 7)),
    'pipelines[0].github.requiredApprovingReviewCount: got 7; must be an integer from 1 to 6',
  ],
  [
    'a code owner without "@"',
    document((_, p) => ((p.github as any).codeOwners = ['platform-team'])),
    'pipelines[0].github.codeOwners[0]: got "platform-team"; must be a GitHub user ("@name"), a team ("@org/team") ' +
      'or an e-mail address',
  ],
  [
    'an empty list of code owners',
    document((_, p) => ((p.github as any).codeOwners = [])),
    'pipelines[0].github.codeOwners: got []; must name at least one owner, or be left out',
  ],
  [
    'a status check with a trailing space',
    document((_, p) => ((p.github as any).requiredStatusChecks = ['ci/tests '])),
    'pipelines[0].github.requiredStatusChecks[0]: got "ci/tests "; must be a status check context',
  ],
  [
    'branch protection settings for a repository that is only read',
    document((_, p) => Object.assign(p.github, { create: false, visibility: undefined, dismissStaleReviews: false })),
    'pipelines[0].github.dismissStaleReviews: got false; applies only to a repository that is created (create: ' +
      'true); set it on the existing repository instead',
  ],
  [
    'a shared connection no pipeline uses',
    document((d) => ((d as any).connection = { name: 'fleet-github' })),
    'connection: got {"name":"fleet-github"}; applies only when a pipeline has trigger "connection"',
  ],
  [
    'a shared connection name too long',
    document((d, p) => ((p.trigger = 'connection'), ((d as any).connection = { name: 'x'.repeat(33) }))),
    `connection.name: got "${'x'.repeat(33)}"; must be 1-32 letters, digits and .@_-`,
  ],
  [
    'an existing shared connection with a bad name',
    document((d, p) => ((p.trigger = 'connection'), ((d as any).connection = { name: 'has space', create: false }))),
    'connection.name: got "has space"; must be 1-32 letters, digits and .@_-',
  ],
  [
    'a connection name with a webhook',
    document((_, p) => ((p.github as any).connectionName = 'fleet')),
    'pipelines[0].github.connectionName: got "fleet"; applies only to trigger "connection"',
  ],
  [
    'a connection name and a connection ARN',
    document(
      (_, p) => (
        (p.trigger = 'connection'),
        Object.assign(p.github, {
          connectionName: 'fleet',
          connectionArn:
            'arn:aws:codeconnections:eu-west-1:123456789012:connection/0a1b2c3d-1111-2222-3333-444455556666',
        })
      ),
    ),
    'pipelines[0].github.connectionName: got "fleet"; must not be set with connectionArn',
  ],
  [
    'two pipelines creating one repository',
    document((d, p) => d.pipelines.push({ ...p, name: 'worker' })),
    'pipelines[1].github.create: got true; must be false: pipelines[0] already creates my-org/app',
  ],
  [
    'two pipelines creating one ECR repository',
    document((d, p) => {
      p.registry = { type: 'ecr', image: 'team/app' };
      d.pipelines.push({ ...p, name: 'worker', github: { ...p.github, repository: 'worker' } });
    }),
    'pipelines[1].registry.image: got "team/app"; must be unique in the account and region: pipelines[0] creates ' +
      'the ECR repository "team/app" too',
  ],
  [
    'two pipelines sharing an artifact bucket whose names start with the same 20 characters',
    document((d, p) => {
      Object.assign(p, { name: 'storefront-checkout-api', artifactBucketName: 'shared-ci-artifacts' });
      d.pipelines.push({ ...p, name: 'storefront-checkout-web', github: { ...p.github, repository: 'web' } });
    }),
    'pipelines[1].name: got "storefront-checkout-web"; must be unique in the account and region: pipelines[0] ' +
      'creates the artifact folder (the first 20 characters of the name) in s3://shared-ci-artifacts ' +
      '"storefront-checkout-" too',
  ],
  // Issue 14: execution modes, triggers, pull-request builds, notifications
  [
    'an unknown execution mode',
    document((_, p) => Object.assign(p, { trigger: 'connection', executionMode: 'queued' })),
    'pipelines[0].executionMode: got "queued"; must be one of SUPERSEDED, QUEUED, PARALLEL',
  ],
  [
    'QUEUED in webhook mode (a V1 pipeline)',
    document((_, p) => (p.executionMode = 'QUEUED')),
    'pipelines[0].executionMode: got "QUEUED"; must be SUPERSEDED with trigger "webhook", whose GitHub version 1 ' +
      'source runs only in V1 pipelines',
  ],
  [
    'PARALLEL with a concurrent build limit',
    document((_, p) =>
      Object.assign(p, { trigger: 'connection', executionMode: 'PARALLEL', build: { concurrentBuildLimit: 1 } }),
    ),
    'pipelines[0].build.concurrentBuildLimit: got 1; must be left out with executionMode "PARALLEL"',
  ],
  [
    'release tags in webhook mode',
    document((_, p) => (p.releaseTags = ['v*'])),
    'pipelines[0].releaseTags: got ["v*"]; applies only to trigger "connection"',
  ],
  [
    'nine release tags',
    document((_, p) =>
      Object.assign(p, { trigger: 'connection', releaseTags: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'] }),
    ),
    'pipelines[0].releaseTags: got ["a","b","c","d","e","f","g","h","i"]; must list 1-8 glob patterns',
  ],
  [
    'an empty release tag',
    document((_, p) => Object.assign(p, { trigger: 'connection', releaseTags: [''] })),
    'pipelines[0].releaseTags[0]: got ""; must be 1-255 characters long',
  ],
  [
    'a build token secret in connection mode',
    document((_, p) => Object.assign(p, { trigger: 'connection', github: { ...p.github, buildTokenSecret: 'x' } })),
    'pipelines[0].github.buildTokenSecret: got "x"; applies only to trigger "webhook"',
  ],
  [
    'a build token secret without pull-request builds',
    document((_, p) =>
      Object.assign(p, { pullRequestBuilds: { enabled: false }, github: { ...p.github, buildTokenSecret: 'x' } }),
    ),
    'pipelines[0].github.buildTokenSecret: got "x"; applies only with pull-request builds enabled',
  ],
  [
    'a bad build token secret',
    document((_, p) => (p.github.buildTokenSecret = 'has space')),
    'pipelines[0].github.buildTokenSecret: got "has space"; must be a Secrets Manager secret name or ARN',
  ],
  [
    'a required status check on an existing repository',
    document((_, p) =>
      Object.assign(p, { github: { ...p.github, create: false }, pullRequestBuilds: { requiredStatusCheck: true } }),
    ),
    'pipelines[0].pullRequestBuilds.requiredStatusCheck: got true; applies only to a repository created here ' +
      '(github.create: true)',
  ],
  [
    'pull-request builds given as a string',
    document((_, p) => (p.pullRequestBuilds = { enabled: 'yes' })),
    'pipelines[0].pullRequestBuilds.enabled: got "yes"; expected type boolean',
  ],
  [
    'a typo in pullRequestBuilds',
    document((_, p) => (p.pullRequestBuilds = { enable: true })),
    'pipelines[0].pullRequestBuilds.enable: unknown field (a typo?); allowed fields here: enabled, ' +
      'requiredStatusCheck, commentApproval, approverRoles',
  ],
  [
    'pull requests built without approval',
    document((_, p) => (p.pullRequestBuilds = { commentApproval: 'DISABLED' })),
    'pipelines[0].pullRequestBuilds.commentApproval: got "DISABLED"; must be one of ALL_PULL_REQUESTS, ' +
      "FORK_PULL_REQUESTS (DISABLED would build the code of anyone's pull request",
  ],
  [
    'a read-only approver role',
    document((_, p) => (p.pullRequestBuilds = { approverRoles: ['GITHUB_WRITE', 'GITHUB_TRIAGE'] })),
    'pipelines[0].pullRequestBuilds.approverRoles[1]: got "GITHUB_TRIAGE"; must be one of GITHUB_WRITE, ' +
      'GITHUB_MAINTAIN, GITHUB_ADMIN (a role that cannot push must not approve running its code)',
  ],
  [
    'no approver roles',
    document((_, p) => (p.pullRequestBuilds = { approverRoles: [] })),
    'pipelines[0].pullRequestBuilds.approverRoles: got []; must name at least one role, or be left out',
  ],
  [
    'a comment approval with pull-request builds off',
    document((_, p) => (p.pullRequestBuilds = { enabled: false, commentApproval: 'ALL_PULL_REQUESTS' })),
    'pipelines[0].pullRequestBuilds.commentApproval: got "ALL_PULL_REQUESTS"; applies only with pull-request builds ' +
      'enabled',
  ],
  [
    'a bad notification e-mail',
    document((_, p) => (p.notifications = { emails: ['not-an-address'] })),
    'pipelines[0].notifications.emails[0]: got "not-an-address"; must be an e-mail address',
  ],
  [
    'an e-mail listed twice',
    document((_, p) => (p.notifications = { emails: ['a@example.com', 'A@example.com'] })),
    'pipelines[0].notifications.emails: got ["a@example.com"]; must not list an address twice',
  ],
  [
    'e-mails with notifications disabled',
    document((_, p) => (p.notifications = { enabled: false, emails: ['a@example.com'] })),
    'pipelines[0].notifications.emails: got ["a@example.com"]; applies only with notifications enabled',
  ],
  [
    'a Slack channel that is not a Chatbot ARN',
    document((_, p) => (p.notifications = { slackChannelConfigurationArn: 'C0123456' })),
    'pipelines[0].notifications.slackChannelConfigurationArn: got "C0123456"; must be',
  ],
  [
    "two pipelines whose pull-request project collides with the other's name",
    document((d, p) =>
      d.pipelines.push({ ...p, name: `${p.name}-pull-requests`, github: { ...p.github, create: false } }),
    ),
    'must be unique in the account and region: pipelines[0] creates the CodeBuild project',
  ],
  [
    'a branch given as a ref',
    document((_, p) => (p.github.branch = 'refs/heads/main')),
    'pipelines[0].github.branch: got "refs/heads/main"; must be the branch\'s own name, such as "main", not a ref',
  ],
  [
    'a key written twice',
    '{"region": "eu-west-1", "state": {"bucket": "my-state-bucket", "region": "eu-west-1", "region": "us-east-1"}, ' +
      '"pipelines": []}',
    'state.region: the key "region" is written 2 times in one object; JSON keeps only the last, so write it once',
  ],
];

describe('bad input', () => {
  test('the battery has at least 25 cases', () => {
    expect(BATTERY.length).toBeGreaterThanOrEqual(25);
  });

  test.each(BATTERY)(
    '%s: exit 1, a message naming the field, value and rule, no stack trace, nothing written',
    (_name, content, message) => {
      const result = synthesize(content);
      expect(result.stderr).toContain(message);
      expect(result.status).toBe(1);
      expect(result.stderr).not.toMatch(/^\s+at /m);
      expect(result.stdout).toBe('');
      expect(existsSync(result.outdir)).toBe(false);
    },
  );

  test.each([
    [
      'CI_PIPELINES_CONFIG set but empty',
      { CI_PIPELINES_CONFIG: '' },
      'CI_PIPELINES_CONFIG is set but empty: name a configuration file, or unset it to use',
    ],
    [
      'CI_PIPELINES_CONFIG naming a directory',
      { CI_PIPELINES_CONFIG: dir },
      'cannot read the file: it is a directory (set CI_PIPELINES_CONFIG to a JSON configuration file)',
    ],
    [
      'CDKTF_OUTDIR set but empty',
      { CDKTF_OUTDIR: ' ' },
      'Cannot write the output directory " ": CDKTF_OUTDIR is set but empty',
    ],
    [
      'CDKTF_OUTDIR naming a file',
      { CDKTF_OUTDIR: join(dir, 'a-file') },
      `Cannot write the output directory ${join(dir, 'a-file')}: it is a file, not a directory`,
    ],
    [
      'CDKTF_OUTDIR under a file',
      { CDKTF_OUTDIR: join(dir, 'a-file', 'out') },
      `Cannot write the output directory ${join(dir, 'a-file', 'out')}: a file is where a directory is needed ` +
        `(EEXIST on ${join(dir, 'a-file')})`,
    ],
  ])('%s: exit 1, a message naming the variable, no stack trace, nothing written', (_name, env, message) => {
    writeFileSync(join(dir, 'a-file'), 'not a directory');
    const before = readdirSync(dir).sort();
    const result = synthesize(valid(), env);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(readFileSync(join(dir, 'a-file'), 'utf8')).toBe('not a directory');
    expect(readdirSync(dir).sort()).toEqual([...before, `config-${counter}.json`].sort());
  });

  test('a wrong key prefix is reported once, at itself, not again in every state key made from it', () => {
    const result = synthesize(document((d) => (d.state.keyPrefix = '/ci-pipelines')));
    const problems = result.stderr.split('\n').filter((line) => line.startsWith('  - '));
    expect(problems).toEqual([expect.stringMatching(/^ {2}- state\.keyPrefix: got "\/ci-pipelines"; must be/)]);
  });

  test('a state key too long for S3 is shown by its start, its end and its length, not whole', () => {
    const result = synthesize(document((_, p) => (p.id = `app-${'a'.repeat(996)}`)));
    const line = result.stderr.split('\n').find((text) => text.includes('makes the state key'))!;
    expect(line).toMatch(/makes the state key "ci\/eu-west-1\/app-a+…a+\/terraform\.tfstate" \(\d{4} bytes\)/);
    expect(line.length).toBeLessThan(400);
  });

  test('a file with a byte-order mark synthesizes', () => {
    const result = synthesize(`\uFEFF${JSON.stringify(valid(), null, 2)}`);
    expect([result.status, result.stderr]).toEqual([0, '']);
  });

  test('every error is reported at once', () => {
    const result = synthesize(
      document((d, p) => {
        d.region = 'nowhere';
        p.github.brnach = 'x';
        p.build = { concurrentBuildLimit: 0, timeoutMinutes: 1, logRetentionDays: 10 };
        p.registry.type = 'quay';
      }),
    );
    expect(result.status).toBe(1);
    const problems = result.stderr.split('\n').filter((line) => line.startsWith('  - '));
    expect(problems.map((line) => line.split(':')[0])).toEqual(
      expect.arrayContaining([
        '  - region',
        '  - pipelines[0].github.brnach',
        '  - pipelines[0].build.concurrentBuildLimit',
        '  - pipelines[0].build.timeoutMinutes',
        '  - pipelines[0].build.logRetentionDays',
        '  - pipelines[0].registry.type',
      ]),
    );
  });

  test('a valid document synthesizes, so the cases above fail for their mistake alone', () => {
    const result = synthesize(valid());
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Guardrails: 3 stacks, \d+ checks, no findings, 5 suppressed with reasons/);
  });

  test('a state bucket in another region of the same partition is accepted', () => {
    for (const [region, stateRegion] of [
      ['eu-west-1', 'us-east-1'],
      ['us-gov-west-1', 'us-gov-east-1'],
    ]) {
      const result = synthesize(
        document((d) => {
          d.region = region;
          (d.state as any).region = stateRegion;
          // GovCloud has no CodeStar Notifications (the endpoint data), which failure notifications need.
          if (region.startsWith('us-gov-')) (d.pipelines[0] as any).notifications = { enabled: false };
        }),
      );
      expect([region, stateRegion, result.stderr, result.status]).toEqual([region, stateRegion, '', 0]);
    }
  });
});
