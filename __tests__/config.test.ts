import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CONFIG_ENV_VAR,
  ConfigError,
  configPathFromEnvironment,
  DEFAULT_CONFIG_PATH,
  loadConfigFile,
  parseConfig,
} from '../config/load';

const valid = () => ({
  region: 'eu-west-1',
  state: { bucket: 'my-state-bucket', region: 'eu-west-1', keyPrefix: 'ci' },
  pipelines: [
    {
      name: 'app',
      github: { owner: 'my-org', repository: 'app' },
      registry: { type: 'dockerhub', image: 'my-org/app' },
    },
  ],
});

/** The problems reported for `document`, or [] when it is valid. */
function problemsOf(document: unknown): readonly string[] {
  try {
    parseConfig(document);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

/** A valid document with `mutate` applied to its first pipeline. */
function withPipeline(mutate: (pipeline: any) => void): unknown {
  const document: any = valid();
  mutate(document.pipelines[0]);
  return document;
}

describe('configuration', () => {
  test('the checked-in default configuration is valid', () => {
    const config = loadConfigFile(DEFAULT_CONFIG_PATH);
    expect(config.pipelines.map((pipeline) => pipeline.name)).toEqual(['sample-flask-app']);
  });

  test('a minimal document is valid', () => {
    expect(problemsOf(valid())).toEqual([]);
  });

  test.each([
    ['unknown key (typo)', withPipeline((p) => { p.github.brnach = 'main'; }), 'pipelines[0].github.brnach: unknown field (a typo?); allowed fields here: owner, repository, branch, visibility, create, oauthTokenSecret, webhookSecret, connectionArn'],
    ['unknown top-level key', { ...valid(), regoin: 'x' }, 'regoin: unknown field (a typo?)'],
    ['missing region', { ...valid(), region: undefined }, 'region: is required (type string)'],
    ['wrong type', withPipeline((p) => { p.build = { concurrentBuildLimit: '2' }; }), 'pipelines[0].build.concurrentBuildLimit: got "2"; expected type number'],
    ['zero build limit', withPipeline((p) => { p.build = { concurrentBuildLimit: 0 }; }), 'pipelines[0].build.concurrentBuildLimit: got 0; must be an integer >= 1'],
    ['negative build limit', withPipeline((p) => { p.build = { concurrentBuildLimit: -3 }; }), 'got -3; must be an integer >= 1'],
    ['fractional build limit', withPipeline((p) => { p.build = { concurrentBuildLimit: 1.5 }; }), 'got 1.5; must be an integer >= 1'],
    ['bad region', { ...valid(), region: 'europe' }, 'region: got "europe"; must be an AWS region code'],
    ['bad bucket', { ...valid(), state: { ...valid().state, bucket: 'My_Bucket' } }, 'state.bucket: got "My_Bucket"; must be a valid S3 bucket name'],
    ['bad owner', withPipeline((p) => { p.github.owner = 'bad owner'; }), 'pipelines[0].github.owner: got "bad owner"; must be a GitHub login'],
    ['bad repository', withPipeline((p) => { p.github.repository = 'x.git'; }), 'pipelines[0].github.repository: got "x.git"'],
    ['bad branch', withPipeline((p) => { p.github.branch = 'feature..x'; }), 'pipelines[0].github.branch: got "feature..x"; must be a branch name git accepts'],
    ['public repository', withPipeline((p) => { p.github.visibility = 'public'; }), 'pipelines[0].github.visibility: got "public"; must be one of private, internal'],
    ['empty name', withPipeline((p) => { p.name = ''; }), 'pipelines[0].name: got ""; must be 2-32 characters'],
    ['unknown trigger', withPipeline((p) => { p.trigger = 'poll'; }), 'pipelines[0].trigger: got "poll"; must be one of webhook, connection'],
    ['unknown registry', withPipeline((p) => { p.registry.type = 'quay'; }), 'pipelines[0].registry.type: got "quay"; must be one of dockerhub, ecr'],
    ['docker hub image without namespace', withPipeline((p) => { p.registry.image = 'app'; }), 'pipelines[0].registry.image: got "app"; must be a Docker Hub repository'],
    ['unknown compute type', withPipeline((p) => { p.build = { computeType: 'BUILD_GENERAL1_HUGE' }; }), 'pipelines[0].build.computeType: got "BUILD_GENERAL1_HUGE"; must be one of BUILD_GENERAL1_SMALL'],
    ['bad log retention', withPipeline((p) => { p.build = { logRetentionDays: 10 }; }), 'pipelines[0].build.logRetentionDays: got 10; must be one of'],
    ['connection-only field with webhook', withPipeline((p) => { p.github.connectionArn = 'arn:aws:codeconnections:eu-west-1:123456789012:connection/abc'; }), 'pipelines[0].github.connectionArn: got "arn:aws:codeconnections:eu-west-1:123456789012:connection/abc"; applies only to trigger "connection"'],
    ['no pipelines', { ...valid(), pipelines: [] }, 'pipelines: got []; must list at least one pipeline'],
    ['not an object', [], '(document): got []; expected type object'],
  ])('%s', (_, document, message) => {
    expect(problemsOf(document).join('\n')).toContain(message);
  });

  test('duplicate pipeline names are refused, naming the first', () => {
    const document: any = valid();
    document.pipelines.push({ ...document.pipelines[0], github: { ...document.pipelines[0].github, create: false } });
    expect(problemsOf(document)).toEqual([
      'pipelines[1].name: got "app"; must be unique: pipelines[0] has the same name, and the two would share a stack and a state key',
    ]);
  });

  test('two pipelines may build one repository, but only one may create it', () => {
    const document: any = valid();
    document.pipelines.push({ ...document.pipelines[0], name: 'worker', appPath: 'worker' });
    expect(problemsOf(document)).toEqual([
      'pipelines[1].github.create: got true; must be false: pipelines[0] already creates my-org/app, and two stacks cannot both manage it',
    ]);
    document.pipelines[1].github = { ...document.pipelines[1].github, create: false };
    expect(problemsOf(document)).toEqual([]);
  });

  test('every problem is reported at once', () => {
    const document: any = withPipeline((p) => {
      p.github.brnach = 'x';
      p.build = { concurrentBuildLimit: 0, timeoutMinutes: 1 };
    });
    document.region = 'nowhere';
    expect(problemsOf(document)).toHaveLength(4);
  });

  describe('files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ci-config-'));
    const file = (name: string, content: string) => {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    };

    test.each([
      ['missing', join(dir, 'nope.json'), /cannot read the file: the file does not exist \(set CI_PIPELINES_CONFIG/],
      ['empty', file('empty.json', '  \n'), /the file is empty/],
      ['not JSON', file('bad.json', '{ region: '), /the file is not valid JSON/],
    ])('%s file', (_, path, message) => {
      expect(() => loadConfigFile(path)).toThrow(message);
      expect(() => loadConfigFile(path)).toThrow(ConfigError);
    });

    test(`${CONFIG_ENV_VAR} selects the file; unset or blank means the default`, () => {
      expect(configPathFromEnvironment({ [CONFIG_ENV_VAR]: 'x.json' })).toBe(join(process.cwd(), 'x.json'));
      expect(configPathFromEnvironment({})).toBe(DEFAULT_CONFIG_PATH);
      expect(configPathFromEnvironment({ [CONFIG_ENV_VAR]: ' ' })).toBe(DEFAULT_CONFIG_PATH);
    });
  });
});
