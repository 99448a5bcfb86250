/**
 * The configuration's JSON Schema, generated from the zod schema, so that editors validate and complete
 * `pipelines.json` as it is typed (the document's `$schema` names the file). It describes the document's shape:
 * fields, types, allowed values, unknown fields refused. The rules about values that need the constructs (names,
 * ARNs, limits, rules across fields) run at synth. `npm run docs` adds each field's description and default
 * (scripts/docs/config-docs.ts) and writes the file.
 */
import { z } from 'zod';
import { configSchema } from './schema';

/** Where the generated schema is kept, next to the default configuration. */
export const JSON_SCHEMA_FILE = 'pipelines.schema.json';

/** The JSON Schema of the configuration document. */
export function configJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' });
  const { $schema, ...shape } = generated;
  return {
    $schema,
    $id: `https://github.com/example-org/cdktf-github-codepipeline-ci/config/${JSON_SCHEMA_FILE}`,
    title: 'CI pipelines configuration',
    description:
      'The configuration that `npm run synth` builds the CI pipeline stacks from (docs/configuration.md). ' +
      'Generated from config/schema.ts and the construct props by `npm run docs`.',
    ...shape,
  };
}

/** A JSON Schema node, as far as this project reads and writes one. */
export interface SchemaNode {
  readonly type?: string;
  readonly description?: string;
  readonly default?: unknown;
  readonly enum?: readonly unknown[];
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly items?: SchemaNode;
  readonly required?: readonly string[];
}

/**
 * Every field path of the document (`pipelines[].github.branch`), in the schema's order: one list for the tests that
 * follow each field to the stacks and for the generated reference.
 */
export function configFieldPaths(node: SchemaNode = configJsonSchema() as SchemaNode, prefix = ''): string[] {
  if (node.type === 'array' && node.items !== undefined) return configFieldPaths(node.items, `${prefix}[]`);
  if (node.type === 'object' && node.properties !== undefined)
    return Object.entries(node.properties).flatMap(([key, child]) =>
      configFieldPaths(child, prefix === '' ? key : `${prefix}.${key}`),
    );
  return [prefix];
}
