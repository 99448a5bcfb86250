/** `npm run schema`: regenerates config/pipelines.schema.json from the zod schema (a test fails while it is stale). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configJsonSchemaText, JSON_SCHEMA_FILE } from '../config/json-schema';

const file = join(__dirname, '..', 'config', JSON_SCHEMA_FILE);
writeFileSync(file, configJsonSchemaText());
process.stdout.write(`${file}\n`);
