/**
 * `npm run docs`: writes every generated reference from its source of truth. `__tests__/docs.test.ts` fails while a
 * written file differs from what this would write, so a change to a source ships with its docs.
 *
 *   config/pipelines.schema.json     the configuration's JSON Schema, described (config-docs.ts)
 *   docs/reference/configuration.md  every configuration field (configuration-reference.ts)
 *   docs/reference/rules.md          every guardrail rule (rules-reference.ts)
 *   docs/reference/outputs.md        every stack output (outputs-reference.ts)
 *   docs/reference/commands.md       every command's --help (commands-reference.ts)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PROJECT_ROOT } from '../app-command';
import { commandsReference } from './commands-reference';
import { documentedConfigJsonSchema } from './config-docs';
import { configurationReference } from './configuration-reference';
import { outputsReference } from './outputs-reference';
import { rulesReference } from './rules-reference';

/** Each generated file, by its path from the project root, with the content it must have. */
export function generatedDocs(): Map<string, string> {
  const schema = documentedConfigJsonSchema();
  return new Map([
    ['config/pipelines.schema.json', `${JSON.stringify(schema, null, 2)}\n`],
    ['docs/reference/configuration.md', configurationReference(schema)],
    ['docs/reference/rules.md', rulesReference()],
    ['docs/reference/outputs.md', outputsReference()],
    ['docs/reference/commands.md', commandsReference()],
  ]);
}

if (require.main === module) {
  for (const [path, content] of generatedDocs()) {
    mkdirSync(dirname(join(PROJECT_ROOT, path)), { recursive: true });
    writeFileSync(join(PROJECT_ROOT, path), content);
    process.stdout.write(`${path}\n`);
  }
}
