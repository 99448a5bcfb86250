/**
 * The README's "Stack outputs" table names every output the stacks write, and
 * no other: read from the golden shapes' stacks and from configurations that
 * add the outputs those shapes lack (e-mail notifications; a connection the
 * pipeline creates, which only a library user's CiPipelineStack does: the app
 * gives connection-mode pipelines the shared one).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../config/load';
import { buildStacks } from '../main';
import { CiPipelineStack } from '../stacks/ci-pipeline-stack';
import { pipelineProps, validConfigDocument, testApp } from './helpers';

const ROOT = join(__dirname, '..');
const GOLDEN = join(__dirname, 'golden');

/** `state-bootstrap`, `github-connection`, or `ci-<name>` for a pipeline's stack. */
const kindOf = (stack: string) => (stack === 'state-bootstrap' || stack === 'github-connection' ? stack : 'ci-<name>');

/** `kind output` for every output of the stacks. */
function outputsOf(stacks: readonly { readonly name: string; readonly json: any }[]): string[] {
  return stacks.flatMap(({ name, json }) =>
    Object.keys(json.output ?? {}).map((output) => `${kindOf(name)} ${output}`),
  );
}

const goldenStacks = readdirSync(GOLDEN, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((shape) =>
    readdirSync(join(GOLDEN, shape.name))
      .filter((file) => file.endsWith('.tf.json'))
      .map((file) => ({
        name: file.replace(/\.tf\.json$/, ''),
        json: JSON.parse(readFileSync(join(GOLDEN, shape.name, file), 'utf8')),
      })),
  );

/** A configuration's stacks, as Terraform reads them. */
function synthesized(change: (pipeline: any) => void) {
  const document: any = validConfigDocument();
  change(document.pipelines[0]);
  return buildStacks(testApp(), parseConfig(document)).all.map((stack) => ({
    name: stack.node.id,
    json: JSON.parse(JSON.stringify(stack.toTerraform())),
  }));
}

/** A library user's pipeline stack whose pipeline creates its own connection. */
const ownConnectionStack = () =>
  new CiPipelineStack(testApp(), 'ci-app', {
    pipeline: pipelineProps({ trigger: 'connection' }),
    region: 'eu-west-1',
    state: {
      bucket: 'my-state-bucket',
      region: 'eu-west-1',
      key: 'ci/app/terraform.tfstate',
      kmsKeyId: 'alias/terraform-state/my-state-bucket',
    },
  });

describe("the README's stack outputs", () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(
    readme.indexOf('## Stack outputs'),
    readme.indexOf('\n## ', readme.indexOf('## Stack outputs') + 1),
  );
  const documented = [...section.matchAll(/^\| `([^`]+)` \| `([a-z_]+)` \|/gm)].map(
    (match) => `${match[1]} ${match[2]}`,
  );
  const written = new Set([
    ...outputsOf(goldenStacks),
    ...outputsOf(
      synthesized((pipeline) =>
        Object.assign(pipeline, {
          trigger: 'connection',
          github: { ...pipeline.github, connectionArn: undefined },
          notifications: { emails: ['ci@example.com'] },
        }),
      ),
    ),
    ...outputsOf(
      synthesized((pipeline) => ((pipeline.trigger = 'connection'), (pipeline.github.connectionName = 'team-github'))),
    ),
    ...outputsOf([{ name: 'ci-app', json: JSON.parse(JSON.stringify(ownConnectionStack().toTerraform())) }]),
  ]);

  test('are each in the table, once', () => {
    expect(documented.length).toBeGreaterThan(20);
    expect(new Set(documented).size).toBe(documented.length);
    expect([...written].filter((output) => !documented.includes(output)).sort()).toEqual([]);
  });

  test('the table names no output the stacks do not write', () => {
    expect(documented.filter((output) => !written.has(output))).toEqual([]);
  });
});
