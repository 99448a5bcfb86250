import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { synthesizeChecked } from '../app/synthesize';
import { DEFAULT_CONFIG_PATH, loadConfigFile, parseConfig } from '../config/load';
import { PipelineConfig } from '../config/schema';
import {
  GITHUB_CONNECTION_STACK_ID,
  pipelineStackId,
  repositoryStackId,
  STATE_BOOTSTRAP_STACK_ID,
} from '../config/stack-props';
import { stateKeyAlias } from '../stacks/state-bootstrap-stack';
import { buildStacks } from '../main';
import { PLANTED_SECRETS, testApp, withEnvironment } from './helpers';

function synthesizeDefault() {
  const app = testApp();
  const stacks = buildStacks(app, loadConfigFile(DEFAULT_CONFIG_PATH));
  const read = (stackId: string, outdir: string) =>
    readFileSync(join(outdir, 'stacks', stackId, 'cdk.tf.json'), 'utf8');
  const bootstrapText = read(STATE_BOOTSTRAP_STACK_ID, Testing.fullSynth(stacks.bootstrap!));
  const pipelineTexts = stacks.pipelines.map((stack) => read(stack.node.id, Testing.fullSynth(stack)));
  const repositoryTexts = stacks.repositories.map((stack) => read(stack.node.id, Testing.fullSynth(stack)));
  return { bootstrapText, pipelineTexts, repositoryTexts };
}

describe('the app on the default configuration', () => {
  let bootstrapText: string;
  let pipelineTexts: string[];
  let repositoryTexts: string[];
  let pipeline: any;
  beforeAll(() => {
    ({ bootstrapText, pipelineTexts, repositoryTexts } = withEnvironment(PLANTED_SECRETS, synthesizeDefault));
    pipeline = JSON.parse(pipelineTexts[0]);
  });

  test(
    "the repository is created in a stack of its own, with its state beside the pipeline stack's, which looks it " +
      'up by name and is deployed after it',
    () => {
      expect(repositoryTexts).toHaveLength(1);
      const repository = JSON.parse(repositoryTexts[0]);
      expect(Object.keys(repository.resource).sort()).toEqual([
        'github_branch_default',
        'github_branch_protection',
        'github_repository',
        'github_repository_dependabot_security_updates',
        'github_repository_file',
      ]);
      expect(repository.terraform.backend.s3.key).toBe('ci-pipelines/eu-west-1/sample-flask-app/repo.tfstate');
      expect(Object.keys(repository.provider)).toEqual(['github']);
      expect(pipeline.resource.github_repository).toBeUndefined();
      expect(Object.values<any>(pipeline.data.github_repository).map((lookup) => lookup.full_name)).toEqual([
        'example-org/sample-flask-app',
      ]);
      const { pipelines } = buildStacks(testApp(), loadConfigFile(DEFAULT_CONFIG_PATH));
      expect(pipelines[0].dependencies.map((dependency) => dependency.node.id)).toEqual(['repo-sample-flask-app']);
    },
  );

  test("the repository stack's next_step names the tokens, their permissions and the stack to deploy next", () => {
    const step = JSON.parse(repositoryTexts[0]).output.next_step.value;
    expect(step).toContain('example-org/sample-flask-app');
    expect(step).toContain('github/codepipeline-oauth-token (Contents: read-only)');
    expect(step).toContain('github/codebuild-token (Contents and Pull requests: read-only');
    expect(step).toMatch(/Then deploy ci-sample-flask-app\.$/);
  });

  test('builds the bootstrap stack and one pipeline stack for the sample app', () => {
    expect(pipelineTexts).toHaveLength(1);
    expect(JSON.parse(bootstrapText).terraform.backend.local).toBeDefined();
    expect(pipeline.resource.aws_codebuild_project).toBeDefined();
  });

  test('the pipeline stack has every resource the pipeline needs', () => {
    for (const type of [
      'github_repository_webhook',
      'aws_codepipeline_webhook',
      'aws_secretsmanager_secret',
      'aws_kms_key',
      'aws_codebuild_project',
      'aws_codebuild_report_group',
      'aws_cloudwatch_log_group',
      'aws_codepipeline',
      'aws_s3_bucket',
      'aws_s3_bucket_public_access_block',
      'aws_s3_bucket_server_side_encryption_configuration',
      'aws_s3_bucket_versioning',
      'aws_s3_bucket_policy',
      'aws_s3_bucket_lifecycle_configuration',
      'aws_s3_bucket_ownership_controls',
      'aws_iam_role',
      'aws_iam_role_policy',
    ]) {
      expect([type, Object.keys(pipeline.resource[type] ?? {}).length > 0]).toEqual([type, true]);
    }
  });

  test(
    'the pipeline stack keeps state in S3 under its own object key, encrypted with the bootstrap key (by its ' +
      'alias), and locked',
    () => {
      expect(pipeline.terraform.backend.s3).toEqual({
        bucket: 'example-org-terraform-state-eu-west-1',
        key: 'ci-pipelines/eu-west-1/sample-flask-app/terraform.tfstate',
        region: 'eu-west-1',
        encrypt: true,
        kms_key_id: 'alias/terraform-state/example-org-terraform-state-eu-west-1',
        use_lockfile: true,
      });
      // The alias is the bootstrap stack's, and its bucket policy admits writes that name the key by it.
      const bootstrapJson = JSON.parse(bootstrapText);
      expect(Object.values<any>(bootstrapJson.resource.aws_kms_alias).map((alias) => alias.name)).toEqual([
        pipeline.terraform.backend.s3.kms_key_id,
      ]);
      const statements = Object.values<any>(bootstrapJson.data.aws_iam_policy_document).flatMap(
        (document) => document.statement,
      );
      const denyWrites = statements.find((statement) => statement.sid === 'DenyObjectWritesNotUnderTheBucketKey');
      expect(denyWrites.condition[0].values).toContain(pipeline.terraform.backend.s3.kms_key_id);
    },
  );

  test('no planted secret value appears anywhere in the output, and no secret is a literal', () => {
    for (const text of [bootstrapText, ...pipelineTexts, ...repositoryTexts]) {
      for (const value of Object.values(PLANTED_SECRETS)) expect(text).not.toContain(value);
    }
    const version = Object.values<any>(pipeline.resource.aws_secretsmanager_secret_version)[0];
    expect(version.secret_string).toBeUndefined();
    expect(version.secret_string_wo).toMatch(/^\$\{jsonencode\(.*var\.dockerhub_password.*\)\}$/);
    const webhook = Object.values<any>(pipeline.resource.aws_codepipeline_webhook)[0];
    expect(webhook.authentication_configuration.secret_token).toMatch(/^\$\{[a-z_]+\..*\}$/);
    const action = Object.values<any>(pipeline.resource.aws_codepipeline)[0].stage[0].action[0];
    expect(action.configuration.OAuthToken).toMatch(/^\$\{data\.aws_secretsmanager_secret_version\./);
  });

  test('each pipeline of a fleet gets its own stack and state key', () => {
    const config = loadConfigFile(DEFAULT_CONFIG_PATH);
    const second = {
      ...config.pipelines[0],
      name: 'second-app',
      github: { ...config.pipelines[0].github, repository: 'second-app' },
    };
    const app = testApp();
    const { pipelines } = buildStacks(app, parseConfig({ ...config, pipelines: [config.pipelines[0], second] }));
    expect(pipelines.map((stack) => stack.node.id)).toEqual([
      pipelineStackId('sample-flask-app'),
      pipelineStackId('second-app'),
    ]);
    const keys = pipelines.map((stack) => JSON.parse(Testing.synth(stack)).terraform.backend.s3.key);
    expect(new Set(keys).size).toBe(2);
  });
});

describe('stable addresses', () => {
  const base = loadConfigFile(DEFAULT_CONFIG_PATH);
  const first = base.pipelines[0];
  const second = {
    ...first,
    name: 'second-app',
    github: { ...first.github, repository: 'second-app' },
    trigger: 'connection' as const,
    registry: { type: 'ecr' as const, image: 'second-app' },
  };
  /** Every stack's file, as synth writes it, for a configuration. */
  function stackFiles(config: typeof base): Map<string, string> {
    const outdir = join(mkdtempSync(join(tmpdir(), 'ci-stable-')), 'cdktf.out');
    const reports = synthesizeChecked(outdir, (app) => buildStacks(app, config).all);
    return new Map(
      reports.map((report) => [
        report.stack,
        readFileSync(join(outdir, 'stacks', report.stack, 'cdk.tf.json'), 'utf8'),
      ]),
    );
  }
  let alone: Map<string, string>;
  let withSecond: Map<string, string>;
  let secondChanged: Map<string, string>;
  beforeAll(() => {
    alone = stackFiles(base);
    withSecond = stackFiles(parseConfig({ ...base, pipelines: [first, second] }));
    secondChanged = stackFiles(
      parseConfig({ ...base, pipelines: [first, { ...second, build: { computeType: 'BUILD_GENERAL1_MEDIUM' } }] }),
    );
  });

  test('adding a pipeline changes no byte of the existing stacks', () => {
    // The second pipeline, in connection mode, brings the connection that pipelines share.
    expect([...withSecond.keys()]).toEqual([
      STATE_BOOTSTRAP_STACK_ID,
      GITHUB_CONNECTION_STACK_ID,
      repositoryStackId(first.name),
      pipelineStackId(first.name),
      repositoryStackId('second-app'),
      pipelineStackId('second-app'),
    ]);
    expect(withSecond.get(repositoryStackId(first.name))).toBe(alone.get(repositoryStackId(first.name)));
    expect(withSecond.get(pipelineStackId(first.name))).toBe(alone.get(pipelineStackId(first.name)));
    expect(withSecond.get(STATE_BOOTSTRAP_STACK_ID)).toBe(alone.get(STATE_BOOTSTRAP_STACK_ID));
  });

  test("changing one pipeline's settings changes only its own stack", () => {
    expect(secondChanged.get(pipelineStackId('second-app'))).not.toBe(withSecond.get(pipelineStackId('second-app')));
    expect(secondChanged.get(pipelineStackId(first.name))).toBe(withSecond.get(pipelineStackId(first.name)));
    expect(secondChanged.get(STATE_BOOTSTRAP_STACK_ID)).toBe(withSecond.get(STATE_BOOTSTRAP_STACK_ID));
  });

  test('using an existing state bucket drops the bootstrap stack and changes no pipeline stack', () => {
    // The bucket the bootstrap stack made, now managed elsewhere: its key is named as the pipeline stacks named it.
    const existingState = stackFiles(
      parseConfig({ ...base, state: { ...base.state, create: false, kmsKeyArn: stateKeyAlias(base.state.bucket) } }),
    );
    expect([...existingState.keys()]).toEqual([repositoryStackId(first.name), pipelineStackId(first.name)]);
    expect(existingState.get(pipelineStackId(first.name))).toBe(alone.get(pipelineStackId(first.name)));
  });

  test("a change inside a stack keeps the other resources' addresses", () => {
    const addresses = (text: string) =>
      Object.entries<Record<string, unknown>>(JSON.parse(text).resource).flatMap(([type, byName]) =>
        Object.keys(byName).map((name) => `${type}.${name}`),
      );
    expect(addresses(secondChanged.get(pipelineStackId('second-app'))!)).toEqual(
      addresses(withSecond.get(pipelineStackId('second-app'))!),
    );
  });
});

describe('appPath spellings', () => {
  const base = loadConfigFile(DEFAULT_CONFIG_PATH);
  const pipelineStackWith = (appPath: string) => {
    const { pipelines } = buildStacks(
      testApp(),
      parseConfig({ ...base, pipelines: [{ ...base.pipelines[0], appPath }] }),
    );
    return Testing.synth(pipelines[0]);
  };

  test('"./app", "app/" and "./app//" are "app": the same filters, globs and CODEOWNERS paths', () => {
    const canonical = pipelineStackWith('sample-flask-app');
    for (const spelling of ['./sample-flask-app', 'sample-flask-app/', './sample-flask-app//'])
      expect({ spelling, same: pipelineStackWith(spelling) === canonical }).toEqual({ spelling, same: true });
    expect(pipelineStackWith('./')).toBe(pipelineStackWith('.'));
  });
});

describe('renaming and retiring a pipeline', () => {
  const base = loadConfigFile(DEFAULT_CONFIG_PATH);
  const first = base.pipelines[0];
  /** The pipeline's stack, as synth writes it for `config`. */
  const stackOf = (config: unknown) => {
    const outdir = join(mkdtempSync(join(tmpdir(), 'ci-lifecycle-')), 'cdktf.out');
    synthesizeChecked(outdir, (app) => buildStacks(app, parseConfig(config)).all);
    return JSON.parse(readFileSync(join(outdir, 'stacks', pipelineStackId(first.name), 'cdk.tf.json'), 'utf8'));
  };

  test('a renamed pipeline with its old name as id keeps its stack, its state key and every address', () => {
    const before = stackOf(base);
    const renamed = stackOf({ ...base, pipelines: [{ ...first, name: 'flask-app', id: first.name }] });
    expect(renamed['//'].metadata.stackName).toBe(pipelineStackId(first.name));
    expect(renamed.terraform.backend).toEqual(before.terraform.backend);
    const addresses = (stack: any) =>
      Object.entries<Record<string, unknown>>(stack.resource)
        .flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`))
        .filter((address) => !address.startsWith('aws_codestarnotifications_notification_rule.'));
    expect(addresses(renamed)).toEqual(addresses(before));
    expect(renamed.resource.aws_codepipeline[Object.keys(renamed.resource.aws_codepipeline)[0]].name).toBe('flask-app');
  });

  test('a retired pipeline keeps its backend and providers, and no resources, so that a deploy destroys them', () => {
    const before = stackOf(base);
    const retired = stackOf({ ...base, pipelines: [{ ...first, retired: true }] });
    expect(retired.terraform.backend).toEqual(before.terraform.backend);
    expect(Object.keys(retired.terraform.required_providers).sort()).toEqual(['aws', 'github', 'random']);
    // Configured as the pipeline stack configures them, so that each resource is destroyed as it was created.
    expect(retired.provider.aws).toEqual(before.provider.aws);
    expect(retired.provider.github).toEqual(before.provider.github);
    expect(retired.resource).toBeUndefined();
    expect(retired.data).toBeUndefined();
  });

  test.each([
    [
      'an id that is not a pipeline name',
      { ...first, id: 'Flask App' },
      'pipelines[0].id: got "Flask App"; must be 2-32 characters of lowercase letters',
    ],
    [
      "an id that is another pipeline's identity",
      { ...first, name: 'other', id: first.name, github: { ...first.github, repository: 'other' } },
      `pipelines[1].id: got "${first.name}"; must be unique among the pipelines' stack identities (an id, else the ` +
        'name): pipelines[0] has it, and the two would share a stack and a state key',
    ],
  ])('refuses %s, naming the field', (_name, pipeline, message) => {
    const pipelines = pipeline.name === first.name ? [pipeline] : [first, pipeline];
    expect(() => parseConfig({ ...base, pipelines })).toThrow(message);
  });
});

/**
 * The repository of `github`, read instead of created: the settings of a created repository are left out, as the
 * configuration requires.
 */
function existingRepository(github: PipelineConfig['github']): PipelineConfig['github'] {
  const { owner, repository, branch, oauthTokenSecret, webhookSecret, connectionArn } = github;
  return { owner, repository, branch, oauthTokenSecret, webhookSecret, connectionArn, create: false };
}

describe('a configuration of existing resources', () => {
  const base = loadConfigFile(DEFAULT_CONFIG_PATH);
  const existingKey = `arn:aws:kms:${base.region}:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
  const config = parseConfig({
    ...base,
    state: { ...base.state, create: false, kmsKeyArn: existingKey },
    pipelines: [
      {
        ...base.pipelines[0],
        github: existingRepository(base.pipelines[0].github),
        encryptionKeyArn: existingKey,
        artifactBucketName: 'acme-shared-ci-artifacts',
      },
    ],
  });
  const outdir = join(mkdtempSync(join(tmpdir(), 'ci-existing-')), 'cdktf.out');
  let reports: ReturnType<typeof synthesizeChecked>;
  let stack: any;
  beforeAll(() => {
    reports = synthesizeChecked(outdir, (app) => buildStacks(app, config).all);
    stack = JSON.parse(
      readFileSync(join(outdir, 'stacks', pipelineStackId(base.pipelines[0].name), 'cdk.tf.json'), 'utf8'),
    );
  });

  test('synthesizes only the pipeline stack, and every guardrail passes', () => {
    expect(reports.map((report) => report.stack)).toEqual([pipelineStackId(base.pipelines[0].name)]);
    expect(reports[0].findings).toEqual([]);
    expect(Object.keys(JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')).stacks)).toEqual([
      pipelineStackId(base.pipelines[0].name),
    ]);
  });

  test('keeps state in the existing bucket', () => {
    expect(stack.terraform.backend.s3).toMatchObject({ bucket: base.state.bucket, use_lockfile: true });
  });

  test('creates no repository, key or bucket, and uses the existing ones', () => {
    for (const type of ['github_repository', 'aws_kms_key', 'aws_kms_alias', 'aws_s3_bucket'])
      expect(stack.resource[type]).toBeUndefined();
    expect(Object.keys(stack.data.github_repository)).toHaveLength(1);
    const pipeline = Object.values<any>(stack.resource.aws_codepipeline)[0];
    expect(pipeline.artifact_store).toEqual([
      { type: 'S3', location: 'acme-shared-ci-artifacts', encryption_key: { type: 'KMS', id: existingKey } },
    ]);
    expect(Object.values<any>(stack.resource.aws_codebuild_project)[0].encryption_key).toBe(existingKey);
  });
});

describe('a fleet in connection mode', () => {
  const base = loadConfigFile(DEFAULT_CONFIG_PATH);
  const inConnectionMode = (name: string) => ({
    ...base.pipelines[0],
    name,
    trigger: 'connection' as const,
    github: { owner: 'example-org', repository: name },
  });
  let stacks: ReturnType<typeof buildStacks>;
  beforeAll(() => {
    stacks = buildStacks(
      testApp(),
      parseConfig({
        ...base,
        connection: { name: 'example-org-github' },
        pipelines: [inConnectionMode('web'), inConnectionMode('api'), base.pipelines[0]],
      }),
    );
  });

  test(
    'shares one connection, in a stack of its own with state under the state key, instead of one per ' + 'pipeline',
    () => {
      expect(stacks.all.map((stack) => stack.node.id)).toEqual([
        STATE_BOOTSTRAP_STACK_ID,
        GITHUB_CONNECTION_STACK_ID,
        'repo-web',
        'ci-web',
        'repo-api',
        'ci-api',
        'repo-sample-flask-app',
        'ci-sample-flask-app',
      ]);
      const connection = JSON.parse(Testing.synth(stacks.connection!));
      expect(
        Object.values<any>(connection.resource.aws_codestarconnections_connection).map((resource) => resource.name),
      ).toEqual(['example-org-github']);
      expect(connection.terraform.backend.s3).toMatchObject({
        key: 'ci-pipelines/eu-west-1/_github-connection/terraform.tfstate',
        kms_key_id: 'alias/terraform-state/example-org-terraform-state-eu-west-1',
        encrypt: true,
      });
      for (const pipeline of stacks.pipelines.slice(0, 2)) {
        const json = JSON.parse(Testing.synth(pipeline));
        expect(json.resource.aws_codestarconnections_connection).toBeUndefined();
        expect(Object.values<any>(json.data.aws_codestarconnections_connection).map((lookup) => lookup.name)).toEqual([
          'example-org-github',
        ]);
      }
    },
  );

  test(
    'the pipelines that look the connection up are deployed after it; the webhook pipeline does not ' + 'wait for it',
    () => {
      expect(stacks.pipelines.map((stack) => stack.dependencies.map((dependency) => dependency.node.id))).toEqual([
        ['repo-web', GITHUB_CONNECTION_STACK_ID],
        ['repo-api', GITHUB_CONNECTION_STACK_ID],
        ['repo-sample-flask-app'],
      ]);
    },
  );

  test(
    'with connection.create false, the connection exists already: no stack creates it, and the pipelines still ' +
      'look it up by name',
    () => {
      const existing = buildStacks(
        testApp(),
        parseConfig({
          ...base,
          connection: { name: 'org-github', create: false },
          pipelines: [inConnectionMode('web')],
        }),
      );
      expect(existing.connection).toBeUndefined();
      expect(existing.pipelines[0].dependencies.map((dependency) => dependency.node.id)).toEqual(['repo-web']);
      expect(
        Object.values<any>(JSON.parse(Testing.synth(existing.pipelines[0])).data.aws_codestarconnections_connection)[0]
          .name,
      ).toBe('org-github');
    },
  );
});
