import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { configJsonSchema, JSON_SCHEMA_FILE } from '../../config/json-schema';
import { DEFAULT_CONFIG_PATH } from '../../config/load';
import { validConfigDocument } from '../helpers';

const ROOT = join(__dirname, '..', '..');
const validate = new Ajv2020({ strict: true, allErrors: true }).compile(configJsonSchema());
const goldenConfigs = readdirSync(join(ROOT, '__tests__', 'golden')).filter((file) => file.endsWith('.json'));

describe('the JSON Schema for editors', () => {
  test('the file kept next to the default configuration has the shape of the zod schema, and is described', () => {
    const { properties, required, description } = JSON.parse(
      readFileSync(join(ROOT, 'config', JSON_SCHEMA_FILE), 'utf8'),
    );
    const shape: any = configJsonSchema();
    expect(Object.keys(properties)).toEqual(Object.keys(shape.properties));
    expect(required).toEqual(shape.required);
    expect(description).toEqual(expect.any(String));
    expect(properties.pipelines.items.properties.github.properties.branch.default).toBe('main');
  });

  test('the default configuration names it, so editors validate and complete it', () => {
    expect(JSON.parse(readFileSync(DEFAULT_CONFIG_PATH, 'utf8')).$schema).toBe(`./${JSON_SCHEMA_FILE}`);
  });

  test.each(['config/pipelines.json', ...goldenConfigs.map((file) => `__tests__/golden/${file}`)])(
    'accepts %s',
    (file) => {
      const valid = validate(JSON.parse(readFileSync(join(ROOT, file), 'utf8')));
      expect(validate.errors ?? []).toEqual([]);
      expect(valid).toBe(true);
    },
  );

  test.each([
    ['a typo in a field', (d: any) => (d.pipelines[0].github.brnach = 'main'), 'additionalProperties'],
    ['a value outside a fixed list', (d: any) => (d.pipelines[0].trigger = 'push'), 'enum'],
    ['a number as a string', (d: any) => (d.pipelines[0].build = { timeoutMinutes: '30' }), 'type'],
    ['no pipelines', (d: any) => (d.pipelines = []), 'minItems'],
    ['a missing required field', (d: any) => delete d.pipelines[0].registry, 'required'],
  ])('refuses %s', (_case, change, keyword) => {
    const document: any = validConfigDocument();
    expect(validate(document)).toBe(true);
    change(document);
    expect(validate(document)).toBe(false);
    expect(validate.errors?.map((error) => error.keyword)).toContain(keyword);
  });

  test('offers the allowed values of every fixed list', () => {
    const pipeline = (configJsonSchema() as any).properties.pipelines.items.properties;
    expect(pipeline.trigger.enum).toEqual(['webhook', 'connection']);
    expect(pipeline.executionMode.enum).toEqual(['SUPERSEDED', 'QUEUED', 'PARALLEL']);
    expect(pipeline.registry.properties.type.enum).toEqual(['dockerhub', 'ecr']);
    expect(pipeline.pullRequestBuilds.properties.approverRoles.items.enum).toEqual([
      'GITHUB_WRITE',
      'GITHUB_MAINTAIN',
      'GITHUB_ADMIN',
    ]);
  });
});
