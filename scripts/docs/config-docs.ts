/**
 * The configuration's documentation, from the one place each field is declared: a `pipelines[]` field's description
 * and default are the TSDoc of the construct prop it is (CiPipelineProps and the settings it nests, read with the
 * TypeScript compiler); the configuration's own fields (region, state, connection) carry theirs in the zod schema.
 * Both go into the JSON Schema that editors read, and the reference page is written from that schema.
 */
import { join } from 'node:path';
import * as ts from 'typescript';
import { configJsonSchema, SchemaNode } from '../../config/json-schema';
import { PROJECT_ROOT } from '../app-command';

/** The documentation of one prop: its summary and its `@default`. */
interface PropDoc {
  readonly description: string;
  readonly defaultText?: string;
}

const PROPS_FILE = join(PROJECT_ROOT, 'constructs', 'ci-pipeline', 'ci-pipeline-props.ts');

/** Every prop of CiPipelineProps, nested ones by dotted path (`github.branch`), with its TSDoc. */
export function pipelinePropDocs(): Map<string, PropDoc> {
  const program = ts.createProgram([PROPS_FILE], { strict: true, target: ts.ScriptTarget.ES2022, noEmit: true });
  const checker = program.getTypeChecker();
  const declaration = program
    .getSourceFile(PROPS_FILE)!
    .statements.find(
      (node): node is ts.InterfaceDeclaration =>
        ts.isInterfaceDeclaration(node) && node.name.text === 'CiPipelineProps',
    );
  if (declaration === undefined) throw new Error(`no CiPipelineProps in ${PROPS_FILE}`);
  const docs = new Map<string, PropDoc>();
  const walk = (type: ts.Type, prefix: string) => {
    for (const prop of checker.getPropertiesOfType(type)) {
      const path = prefix === '' ? prop.name : `${prefix}.${prop.name}`;
      const defaultTag = prop.getJsDocTags(checker).find((tag) => tag.name === 'default');
      docs.set(path, {
        description: plainText(ts.displayPartsToString(prop.getDocumentationComment(checker))),
        defaultText: defaultTag === undefined ? undefined : plainText(ts.displayPartsToString(defaultTag.text)),
      });
      let propType = checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(prop, declaration));
      if (checker.isArrayType(propType)) propType = checker.getTypeArguments(propType as ts.TypeReference)[0];
      // The settings a prop nests (`github`, `build`, ...) are interfaces; every other prop is a value.
      if (propType.isClassOrInterface()) walk(propType, path);
    }
  };
  walk(checker.getTypeAtLocation(declaration), '');
  return docs;
}

/** TSDoc as one line of Markdown: `{@link X}` becomes `X` in code. */
const plainText = (text: string) =>
  text
    .replace(/\{@link\s+([^}\s]+)\s*\}/g, '`$1`')
    .replace(/\s+/g, ' ')
    .trim();

/** A `@default` that is a JSON literal (`"main"`, `30`, `true`), as JSON Schema's `default`; undefined for prose. */
function jsonDefault(text: string | undefined): unknown {
  if (text === undefined || text.startsWith('-')) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The JSON Schema with every field described: what editors show on hover, and what the reference is written from. */
export function documentedConfigJsonSchema(): Record<string, unknown> {
  const schema = configJsonSchema() as SchemaNode & Record<string, unknown>;
  const docs = pipelinePropDocs();
  const describe = (node: SchemaNode, prefix: string): SchemaNode => ({
    ...node,
    properties: Object.fromEntries(
      Object.entries(node.properties ?? {}).map(([name, child]) => {
        const path = prefix === '' ? name : `${prefix}.${name}`;
        return [name, describeField(child, path, docs.get(path), describe)];
      }),
    ),
  });
  const pipelines = schema.properties!.pipelines;
  return {
    ...schema,
    properties: { ...schema.properties, pipelines: { ...pipelines, items: describe(pipelines.items!, '') } },
  };
}

/** One `pipelines[]` field with its prop's description and default, and its own fields described in turn. */
function describeField(
  field: SchemaNode,
  path: string,
  doc: PropDoc | undefined,
  describe: (node: SchemaNode, prefix: string) => SchemaNode,
): SchemaNode {
  // A field of the configuration's own (a pipeline's stack identity, its retirement) is described in the schema.
  if (doc === undefined && field.description !== undefined) return field;
  if (doc === undefined) throw new Error(`pipelines[].${path} has no doc comment on its CiPipelineProps prop`);
  const value = jsonDefault(doc.defaultText);
  const prose =
    value === undefined && doc.defaultText !== undefined ? ` Default: ${doc.defaultText.replace(/^- /, '')}.` : '';
  const described: SchemaNode = {
    ...field,
    description: `${doc.description}${prose}`,
    ...(value === undefined ? {} : { default: value }),
  };
  if (described.type === 'object') return describe(described, path);
  if (described.type === 'array' && described.items?.type === 'object')
    return { ...described, items: describe(described.items, path) };
  return described;
}
