/**
 * The generated references match their sources of truth (`npm run docs` rewrites them): the configuration's JSON
 * Schema and reference from the schema and the props' TSDoc, the rules from the rule list, the outputs from the
 * synthesized stacks, the commands from their usage text. A source changed without its docs fails here.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatedDocs } from '../scripts/docs';
import { ALL_RULES } from '../guardrails';

const ROOT = join(__dirname, '..');

describe('the generated docs', () => {
  let generated: Map<string, string>;
  beforeAll(() => {
    generated = generatedDocs();
  });

  test('every file is as `npm run docs` writes it', () => {
    for (const [path, content] of generated) {
      const written = existsSync(join(ROOT, path)) ? readFileSync(join(ROOT, path), 'utf8') : undefined;
      expect({ path, upToDate: written === content }).toEqual({ path, upToDate: true });
    }
  });

  test('every configuration field is described, a pipelines[] field by its prop', () => {
    const reference = generated.get('docs/reference/configuration.md')!;
    const rows = reference.split('\n').filter((line) => line.startsWith('| `'));
    expect(rows.length).toBeGreaterThan(50);
    for (const row of rows) expect({ row, described: !/\|\s*\|$/.test(row) }).toEqual({ row, described: true });
    expect(reference).toContain('| `pipelines[].github.branch` | string | `"main"` | The branch that is built');
  });

  test('every rule has its section, with why, fix and how to suppress', () => {
    const reference = generated.get('docs/reference/rules.md')!;
    for (const rule of ALL_RULES) {
      expect(reference).toContain(`## ${rule.id}\n`);
      expect(reference).toContain(`ruleId: '${rule.id}'`);
    }
  });

  test('every output a golden stack writes is in the outputs reference', () => {
    const reference = generated.get('docs/reference/outputs.md')!;
    const golden = join(ROOT, '__tests__', 'golden');
    const outputs = readdirSync(golden, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .flatMap((shape) =>
        readdirSync(join(golden, shape.name)).flatMap((file) =>
          Object.keys(JSON.parse(readFileSync(join(golden, shape.name, file), 'utf8')).output ?? {}),
        ),
      );
    expect(new Set(outputs).size).toBeGreaterThan(20);
    for (const output of new Set(outputs))
      expect({ output, listed: reference.includes(`| \`${output}\` |`) }).toEqual({ output, listed: true });
  });

  test('the outputs of the default pipeline stack are listed with when they exist', () => {
    const reference = generated.get('docs/reference/outputs.md')!;
    expect(reference).toContain('| `pipeline_name` | The CodePipeline | always |');
    expect(reference).toMatch(/\| `webhook_url` \| .* \| trigger "webhook" \|/);
  });
});
