/** The README's configuration reference has a row for every field the schema accepts. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { configSchema } from '../config/schema';

/** Every field of a schema, as the README writes it: `pipelines[].github.codeOwners` (no trailing `[]`). */
function fieldsOf(schema: z.ZodType, prefix = ''): string[] {
  const def = (schema as any)._zod.def;
  if (def.type === 'optional') return fieldsOf(def.innerType, prefix);
  if (def.type === 'pipe') return fieldsOf(def.in, prefix);
  if (def.type === 'array')
    return def.element._zod.def.type === 'object' ? fieldsOf(def.element, `${prefix}[]`) : [prefix];
  if (def.type === 'object')
    return Object.entries(def.shape).flatMap(([key, field]) =>
      fieldsOf(field as z.ZodType, prefix === '' ? key : `${prefix}.${key}`),
    );
  return [prefix];
}

test("the README's configuration table has a row for every field of the schema", () => {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  const section = readme.slice(
    readme.indexOf('## Configuration'),
    readme.indexOf('\n## ', readme.indexOf('## Configuration') + 1),
  );
  const rows = new Set([...section.matchAll(/^\| `([^`]+)` \|/gm)].map((match) => match[1]));
  const fields = fieldsOf(configSchema).filter((field) => field !== '$schema');
  expect(fields.length).toBeGreaterThan(40);
  expect(fields.filter((field) => !rows.has(field))).toEqual([]);
});
