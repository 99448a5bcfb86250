import { join } from 'node:path';
import {
  CONFIG_ENV_VAR,
  ConfigError,
  configPathFromEnvironment,
  DEFAULT_CONFIG_PATH,
  loadConfigFile,
  parseConfig,
} from '../config/load';
import { fleetConfig } from '../scripts/fleet';
import { validConfigDocument as valid } from './helpers';

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

  test(`${CONFIG_ENV_VAR} selects the file; unset or blank means the default`, () => {
    expect(configPathFromEnvironment({ [CONFIG_ENV_VAR]: 'x.json' })).toBe(join(process.cwd(), 'x.json'));
    expect(configPathFromEnvironment({})).toBe(DEFAULT_CONFIG_PATH);
    expect(configPathFromEnvironment({ [CONFIG_ENV_VAR]: ' ' })).toBe(DEFAULT_CONFIG_PATH);
  });
});

describe("the benchmark's fleet configurations", () => {
  test('are valid, with one pipeline per requested size, in all three shapes', () => {
    const config = parseConfig(fleetConfig(200));
    expect(config.pipelines).toHaveLength(200);
    expect(new Set(config.pipelines.map((pipeline) => `${pipeline.trigger}/${pipeline.registry.type}/${pipeline.registry.dockerHubCredentials ?? false}`))).toEqual(
      new Set(['webhook/dockerhub/false', 'connection/ecr/false', 'webhook/ecr/true']),
    );
    expect(config.pipelines[0].name).toBe('app-001');
  });

  test('refuse a size that is not a positive integer', () => {
    expect(() => fleetConfig(0)).toThrow('fleet size: got 0; expected an integer >= 1');
  });
});

