/**
 * The configuration's documentation, from the one place each field is declared: a `pipelines[]` field's description
 * and default are the TSDoc of the construct prop it is (CiPipelineProps and the settings it nests, read with the
 * TypeScript compiler); the configuration's own fields (region, state, connection) carry theirs in the zod schema.
 * Both go into the JSON Schema that editors read, and the reference page is written from that schema.
 */
import { join } from 'node:path';
import * as ts from 'typescript';
import { configJsonSchema } from '../../config/json-schema';
import { PROJECT_ROOT } from '../app-command';

/** A JSON Schema node, as far as this file reads and writes it. */
interface SchemaNode {
  type?: string;
  description?: string;
  default?: unknown;
  enum?: readonly unknown[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  required?: readonly string[];
  minItems?: number;
}

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
      if (
        propType.isClassOrInterface() ||
        (propType.flags & ts.TypeFlags.Object &&
          propType.getProperties().length > 0 &&
          !checker.isArrayType(propType) &&
          !(propType.getCallSignatures().length > 0))
      )
        if (!isPrimitiveLike(propType)) walk(propType, path);
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

/** Strings and their methods are object-like to the checker; only declared interfaces are walked into. */
const isPrimitiveLike = (type: ts.Type) =>
  (type.flags & (ts.TypeFlags.StringLike | ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike)) !== 0 ||
  type.getSymbol()?.getName() === 'String';

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
  const pipeline = schema.properties!.pipelines.items!;
  const describe = (node: SchemaNode, prefix: string) => {
    for (const [name, child] of Object.entries(node.properties ?? {})) {
      const path = prefix === '' ? name : `${prefix}.${name}`;
      const doc = docs.get(path);
      if (doc === undefined) throw new Error(`pipelines[].${path} has no doc comment on its CiPipelineProps prop`);
      child.description = doc.description;
      const value = jsonDefault(doc.defaultText);
      if (value !== undefined) child.default = value;
      else if (doc.defaultText !== undefined) child.description += ` Default: ${doc.defaultText.replace(/^- /, '')}.`;
      const inner = child.type === 'array' ? child.items : child;
      if (inner?.type === 'object') describe(inner, path);
    }
  };
  describe(pipeline, '');
  return schema;
}
