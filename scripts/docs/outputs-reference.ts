/**
 * docs/reference/outputs.md, written from the stacks themselves: each kind of stack is synthesized in the variants
 * of a pipeline that change its outputs, and each output is listed with its description and the condition under
 * which it exists (the variants it appears in). An output no condition below describes fails the generation.
 */
import { Testing } from 'cdktf';
import { CiPipelineProps } from '../../constructs/ci-pipeline/ci-pipeline-props';
import { CiPipelineStack } from '../../stacks/ci-pipeline-stack';
import { GitHubConnectionStack } from '../../stacks/github-connection-stack';
import { InfrastructurePipelineStack } from '../../stacks/infrastructure-pipeline-stack';
import { PermissionsBoundaryStack } from '../../stacks/permissions-boundary-stack';
import { RepositoryStack } from '../../stacks/repository-stack';
import { StateBootstrapStack } from '../../stacks/state-bootstrap-stack';
import { cell } from './markdown';

const STATE = { bucket: 'state-bucket', region: 'eu-west-1', key: 'ci/app.tfstate', kmsKeyId: 'alias/state' };
const CONNECTION_ARN = 'arn:aws:codeconnections:eu-west-1:123456789012:connection/0d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6';
const BASE: CiPipelineProps = {
  name: 'app',
  github: { owner: 'acme', repository: 'app' },
  registry: { type: 'dockerhub', image: 'acme/app' },
};

/** The pipeline variants that change a pipeline stack's outputs. */
const VARIANTS: readonly CiPipelineProps[] = [
  BASE,
  { ...BASE, registry: { type: 'ecr', image: 'app' } },
  { ...BASE, trigger: 'connection', registry: { type: 'ecr', image: 'app' } },
  { ...BASE, trigger: 'connection', github: { ...BASE.github, connectionName: 'shared' } },
  { ...BASE, trigger: 'connection', github: { ...BASE.github, connectionArn: CONNECTION_ARN } },
  { ...BASE, notifications: { emails: ['team@example.com'] } },
  { ...BASE, pullRequestBuilds: { enabled: false } },
  { ...BASE, notifications: { enabled: false } },
];

/** The conditions an output can exist under, each a test of a variant; the first that matches names it. */
const CONDITIONS: readonly (readonly [string, (props: CiPipelineProps) => boolean])[] = [
  ['always', () => true],
  ['trigger "webhook"', (props) => (props.trigger ?? 'webhook') === 'webhook'],
  ['trigger "connection"', (props) => props.trigger === 'connection'],
  [
    'trigger "connection", with a connection the pipeline creates (no `connectionArn` or `connectionName`)',
    (props) =>
      props.trigger === 'connection' && !props.github.connectionArn && props.github.connectionName === undefined,
  ],
  ['trigger "connection" with `github.connectionName`', (props) => props.github.connectionName !== undefined],
  [
    'trigger "connection", without `github.connectionArn`',
    (props) => props.trigger === 'connection' && props.github.connectionArn === undefined,
  ],
  [
    'Docker Hub credentials (registry "dockerhub", or `registry.dockerHubCredentials`)',
    (props) => props.registry.type === 'dockerhub' || props.registry.dockerHubCredentials === true,
  ],
  [
    'pull-request builds (`pullRequestBuilds.enabled`, the default)',
    (props) => props.pullRequestBuilds?.enabled !== false,
  ],
  ['failure notifications (`notifications.enabled`, the default)', (props) => props.notifications?.enabled !== false],
  ['`notifications.emails` set', (props) => (props.notifications?.emails?.length ?? 0) > 0],
];

/** An output as synthesized: its name and description. */
type Outputs = Map<string, string>;

const outputsOf = (stack: Parameters<typeof Testing.synth>[0]): Outputs => {
  const json = JSON.parse(Testing.synth(stack));
  return new Map(Object.entries<any>(json.output ?? {}).map(([name, output]) => [name, String(output.description)]));
};

/** Each pipeline-stack output, its description and the condition it exists under. */
function pipelineOutputs(): { name: string; description: string; condition: string }[] {
  const seen = VARIANTS.map((pipeline) =>
    outputsOf(new CiPipelineStack(Testing.app(), 'ci-app', { pipeline, region: 'eu-west-1', state: STATE })),
  );
  const names = [...new Set(seen.flatMap((outputs) => [...outputs.keys()]))];
  return names.map((name) => {
    const presence = seen.map((outputs) => outputs.has(name));
    const condition = CONDITIONS.find(([, holds]) =>
      VARIANTS.every((props, index) => holds(props) === presence[index]),
    );
    if (condition === undefined)
      throw new Error(`the output ${name} exists in no condition scripts/docs/outputs-reference.ts knows: add one`);
    return { name, description: seen.find((outputs) => outputs.has(name))!.get(name)!, condition: condition[0] };
  });
}

/** The infrastructure pipeline stack's outputs. */
function infrastructurePipelineOutputs(): Outputs {
  return outputsOf(
    new InfrastructurePipelineStack(Testing.app(), 'infrastructure-pipeline', {
      region: 'eu-west-1',
      state: { ...STATE, kmsKeyId: 'alias/terraform-state/b-state' },
      stateKeyPrefix: 'ci',
      pipeline: {
        owner: 'acme',
        repositoryName: 'platform',
        connectionArn: 'arn:aws:codeconnections:eu-west-1:123456789012:connection/0a1b2c3d-aaaa-bbbb-cccc-0123456789ab',
        commentTokenSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:comments-AbCdEf',
        terraform: { version: '1.11.4', sha256: '0'.repeat(64) },
      },
    }),
  );
}

/** The shared connection stack's outputs. */
const connectionOutputs = (): Outputs =>
  outputsOf(
    new GitHubConnectionStack(Testing.app(), 'github-connection', {
      connectionName: 'shared',
      region: 'eu-west-1',
      state: STATE,
    }),
  );

/** The permissions boundary stack's outputs. */
const boundaryOutputs = (): Outputs =>
  outputsOf(
    new PermissionsBoundaryStack(Testing.app(), 'infrastructure-pipeline-boundary', {
      region: 'eu-west-1',
      state: STATE,
    }),
  );

/** The page: each stack's outputs, what they are and when they exist. */
export function outputsReference(): string {
  const bootstrap = outputsOf(
    new StateBootstrapStack(Testing.app(), 'state-bootstrap', { bucketName: 'b-state', region: 'eu-west-1' }),
  );
  const connection = connectionOutputs();
  const infrastructurePipeline = infrastructurePipelineOutputs();
  const repositoryApp = Testing.app();
  const repositoryStack = new RepositoryStack(repositoryApp, 'repo-app', { githubOwner: 'acme', state: STATE });
  new CiPipelineStack(repositoryApp, 'ci-app', { pipeline: BASE, region: 'eu-west-1', state: STATE, repositoryStack });
  const repository = outputsOf(repositoryStack);
  const table = (
    rows: readonly { name: string; description: string; condition?: string }[],
    withCondition: boolean,
  ) => [
    withCondition ? '| Output | Description | Exists |' : '| Output | Description |',
    withCondition ? '| --- | --- | --- |' : '| --- | --- |',
    ...rows.map(
      (row) =>
        `| \`${row.name}\` | ${cell(row.description)} |${withCondition ? ` ${cell(row.condition ?? '')} |` : ''}`,
    ),
  ];
  const plain = (outputs: Outputs) => [...outputs].map(([name, description]) => ({ name, description }));
  return [
    '# Stack outputs',
    '',
    '<!-- Generated by `npm run docs` by synthesizing the stacks; a test fails while it is stale. -->',
    '',
    'What `terraform output` shows in each stack after `cdktf deploy` (or `terraform -chdir=cdktf.out/stacks/<stack>',
    'output`). A `CiPipeline` in your own stack describes the same outputs in `pipeline.outputs`, each name under its',
    '`terraformNamePrefix`; write them with `writeStackOutputs(stack, pipeline.outputs)`.',
    '',
    '## `ci-<name>`: each pipeline',
    '',
    ...table(pipelineOutputs(), true),
    '',
    '## `repo-<name>`: the repository a pipeline creates',
    '',
    ...table(plain(repository), false),
    '',
    '## `state-bootstrap`',
    '',
    ...table(plain(bootstrap), false),
    '',
    '## `github-connection`',
    '',
    ...table(plain(connection), false),
    '',
    '## `infrastructure-pipeline`',
    '',
    ...table(plain(infrastructurePipeline), false),
    '',
    '## `infrastructure-pipeline-boundary`',
    '',
    ...table(plain(boundaryOutputs()), false),
    '',
  ].join('\n');
}
