import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CONFIG_ENV_VAR,
  ConfigError,
  configPathFromEnvironment,
  DEFAULT_CONFIG_PATH,
  duplicateKeys,
  excessNesting,
  loadConfigFile,
  parseConfig,
} from '../../config/load';
import { connectionStackProps, pipelineStackProps } from '../../config/stack-props';
import { invisibleCharacter } from '../../constructs/private/checks';
import { fleetConfig } from '../../scripts/fleet';
import { validConfigDocument as valid } from '../helpers';

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

  test('configurations for two regions sharing a state bucket and prefix keep every state apart', () => {
    const keysIn = (region: string) => {
      const config = parseConfig({ ...(valid() as any), region });
      return [
        ...config.pipelines.map((pipeline) => pipelineStackProps(config, pipeline).state.key),
        connectionStackProps(config, [{ ...config.pipelines[0], trigger: 'connection' }])!.state.key,
      ];
    };
    const [ireland, virginia] = [keysIn('eu-west-1'), keysIn('us-east-1')];
    expect(ireland).toEqual([
      'ci/eu-west-1/app/terraform.tfstate',
      'ci/eu-west-1/_github-connection/terraform.tfstate',
    ]);
    expect(virginia.filter((key) => ireland.includes(key))).toEqual([]);
  });

  test('a character nobody can see is found and placed; a plain space is not one', () => {
    expect(invisibleCharacter('ci/lint check')).toBeUndefined();
    expect(invisibleCharacter('\ufeffmain')).toBe('U+FEFF at character 1');
    expect(invisibleCharacter('a\u{1F600}\u2060b')).toBe('U+2060 at character 3');
    expect(invisibleCharacter('tab\there')).toBe('U+0009 at character 4');
  });

  test('nesting is bounded outside strings only, at 32 levels', () => {
    expect(excessNesting(`${'['.repeat(32)}${']'.repeat(32)}`)).toBeUndefined();
    expect(excessNesting(`${'['.repeat(33)}${']'.repeat(33)}`)).toMatch(/^line 1, column 33: /);
    expect(excessNesting(`{"a": "${'[{'.repeat(100)}\\"[[", "b": [\n[{}]]}`)).toBeUndefined();
    expect(excessNesting(`{\n  "a":\n    ${'['.repeat(40)}`)).toMatch(/^line 3, column 36: /);
  });

  test("requiring the pipeline's own pull-request status is valid while every pull request is built", () => {
    expect(problemsOf(withPipeline((p) => (p.github.requiredStatusChecks = ['codebuild/app', 'ci/lint'])))).toEqual([]);
  });

  test('a minimal document is valid', () => {
    expect(problemsOf(valid())).toEqual([]);
  });

  test('two pipelines may build one repository, but only one may create it', () => {
    const document: any = valid();
    document.pipelines.push({ ...document.pipelines[0], name: 'worker', appPath: 'worker' });
    expect(problemsOf(document)).toEqual([
      'pipelines[1].github.create: got true; must be false: pipelines[0] already creates my-org/app, and two stacks ' +
        'cannot both manage it',
    ]);
    const { visibility: _created, ...read } = document.pipelines[1].github;
    document.pipelines[1].github = { ...read, create: false };
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

  test('problems come in the order their fields appear in the document', () => {
    const document: any = withPipeline((p) => {
      p.build = { timeoutMinutes: 1 };
      p.name = 'Bad_Name';
    });
    document.pipelines.push({ ...document.pipelines[0], name: 'second', github: { owner: '-x', repository: 'r' } });
    document.region = 'nowhere';
    expect(problemsOf(document).map((problem) => problem.split(':')[0])).toEqual([
      'region',
      'pipelines[0].name',
      'pipelines[0].build.timeoutMinutes',
      'pipelines[1].github.owner',
      'pipelines[1].build.timeoutMinutes',
    ]);
  });

  test('a file with a UTF-8 byte-order mark loads like one without', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ci-config-')), 'bom.json');
    writeFileSync(path, `\uFEFF${readFileSync(DEFAULT_CONFIG_PATH, 'utf8')}`);
    expect(loadConfigFile(path)).toEqual(loadConfigFile(DEFAULT_CONFIG_PATH));
  });

  test('a key written twice in one object is reported at its path, however deep', () => {
    expect(duplicateKeys('{"a": 1, "b": {"c": 1}, "d": [{"e": 1}]}')).toEqual([]);
    expect(duplicateKeys('{"a": 1, "a": 2, "p": [{"g": {"b": "x", "b": "y", "b": "z"}}]}')).toEqual([
      'a: the key "a" is written 2 times in one object; JSON keeps only the last, so write it once',
      'p[0].g.b: the key "b" is written 3 times in one object; JSON keeps only the last, so write it once',
    ]);
    // The same key in different objects is no duplicate.
    expect(duplicateKeys('{"x": {"name": 1}, "y": {"name": 2}}')).toEqual([]);
  });

  test('no two pipelines create a resource of the same name in one account and region', () => {
    const document: any = valid();
    document.pipelines[0].registry = { type: 'ecr', image: 'team/app' };
    document.pipelines.push({
      ...document.pipelines[0],
      name: 'worker',
      github: { owner: 'my-org', repository: 'worker' },
    });
    expect(problemsOf(document)).toEqual([
      'pipelines[1].registry.image: got "team/app"; must be unique in the account and region: pipelines[0] creates ' +
        'the ECR repository "team/app" too',
    ]);
    document.pipelines[1].registry = { type: 'ecr', image: 'team/worker' };
    expect(problemsOf(document)).toEqual([]);
    // A Docker Hub image is not created by the stack, so two pipelines may push to one.
    document.pipelines[0].registry = { type: 'dockerhub', image: 'myorg/app' };
    document.pipelines[1].registry = { type: 'dockerhub', image: 'myorg/app' };
    expect(problemsOf(document)).toEqual([]);
  });

  test(`${CONFIG_ENV_VAR} selects the file; unset means the default, set but empty is a mistake`, () => {
    expect(configPathFromEnvironment({ [CONFIG_ENV_VAR]: 'x.json' })).toBe(join(process.cwd(), 'x.json'));
    expect(configPathFromEnvironment({})).toBe(DEFAULT_CONFIG_PATH);
    for (const blank of ['', ' ']) {
      expect(() => configPathFromEnvironment({ [CONFIG_ENV_VAR]: blank })).toThrow(
        `${CONFIG_ENV_VAR} is set but empty: name a configuration file, or unset it to use`,
      );
    }
  });
});

describe("the benchmark's fleet configurations", () => {
  test('are valid, with one pipeline per requested size, in all three shapes', () => {
    const config = parseConfig(fleetConfig(200));
    expect(config.pipelines).toHaveLength(200);
    expect(
      new Set(
        config.pipelines.map(
          (pipeline) =>
            `${pipeline.trigger}/${pipeline.registry.type}/${pipeline.registry.dockerHubCredentials ?? false}`,
        ),
      ),
    ).toEqual(new Set(['webhook/dockerhub/false', 'connection/ecr/false', 'webhook/ecr/true']));
    expect(config.pipelines[0].name).toBe('app-001');
  });

  test('refuse a size that is not a positive integer', () => {
    expect(() => fleetConfig(0)).toThrow('fleet size: got 0; expected an integer >= 1');
  });
});

describe('configuration of any shape', () => {
  /** A small deterministic generator (mulberry32), so a failure can be replayed. */
  function random(seed: number): () => number {
    let state = seed;
    return () => {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const ODD_VALUES: readonly unknown[] = [
    null,
    0,
    -1,
    1.5,
    '',
    'x',
    'Bad Value',
    true,
    false,
    [],
    [null],
    {},
    { a: 1 },
    'arn:aws:kms:eu-west-1:123456789012:key/x',
  ];

  /** Every path to a value in `document`. */
  function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
    if (typeof value !== 'object' || value === null) return [prefix];
    const entries = Array.isArray(value) ? value.map((item, index) => [index, item] as const) : Object.entries(value);
    return [prefix, ...entries.flatMap(([key, item]) => paths(item, [...prefix, key]))];
  }

  test('a mistake anywhere, of any type, is a ConfigError: never a crash of the validation itself', () => {
    const next = random(20261201);
    const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)];
    const base = valid() as any;
    base.pipelines.push({
      name: 'two',
      github: { owner: 'o', repository: 'two', create: false },
      trigger: 'connection',
      registry: { type: 'ecr', image: 'two' },
      build: { timeoutMinutes: 60 },
    });
    for (let round = 0; round < 400; round += 1) {
      const document = JSON.parse(JSON.stringify(base));
      for (let change = 0; change < 1 + Math.floor(next() * 3); change += 1) {
        const path = pick(paths(document).filter((candidate) => candidate.length > 0));
        const parent = path.slice(0, -1).reduce((value: any, key) => value?.[key], document);
        if (typeof parent === 'object' && parent !== null)
          parent[path[path.length - 1]] = structuredClone(pick(ODD_VALUES));
      }
      try {
        parseConfig(document);
      } catch (error) {
        if (!(error instanceof ConfigError))
          throw new Error(
            `round ${round}: ${JSON.stringify(document)} crashed the validation: ${(error as Error).stack}`,
            { cause: error },
          );
        expect(error.problems.length).toBeGreaterThan(0);
      }
    }
  });
});
