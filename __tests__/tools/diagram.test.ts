import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONFIG_PATH, loadConfigFile, parseConfig } from '../../config/load';
import { PipelinesConfig } from '../../config/schema';
import { synthesizeChecked } from '../../app/synthesize';
import { pipelineStackId } from '../../config/stack-props';
import { buildStacks } from '../../main';
import { pipelineFlowchart, README_DIAGRAM, synthFlowchart, updateReadme, writeDiagrams } from '../../tools/diagram';
import { RUN_TYPESCRIPT } from '../../scripts/app-command';

const ROOT = join(__dirname, '..', '..');

/** Synthesizes `config` as `npm run synth` does; returns the output directory. */
function synthesize(config: PipelinesConfig): string {
  const outdir = join(mkdtempSync(join(tmpdir(), 'ci-diagram-')), 'cdktf.out');
  synthesizeChecked(outdir, (app) => buildStacks(app, config).all);
  return outdir;
}

/** The chart's nodes (ID → label) and edges (`from -label-> to`, labels by node). */
/** A chart's parts, as the tests read them. */
type Chart = ReturnType<typeof parse>;

function parse(chart: string) {
  const nodes = new Map<string, string>();
  for (const match of chart.matchAll(/^\s+([A-Za-z0-9_]+)(?:\[\(|\(\[|\[)"([^"]*)"/gm)) nodes.set(match[1], match[2]);
  const groups = new Set([...chart.matchAll(/^\s+subgraph ([A-Za-z0-9_]+) /gm)].map((match) => match[1]));
  const edges = [
    ...chart.matchAll(/^\s+([A-Za-z0-9_]+) (?:-->|-\.->|-- "([^"]*)" -->|-\. "([^"]*)" \.->) ([A-Za-z0-9_]+)$/gm),
  ].map((match) => ({
    from: match[1],
    label: match[2] ?? match[3],
    to: match[4],
  }));
  const name = (id: string) => (nodes.get(id) ?? id).split('<br/>')[0];
  return {
    nodes,
    groups,
    edges,
    described: edges.map(
      (edge) => `${name(edge.from)} ${edge.label === undefined ? '' : `-${edge.label}`}-> ${name(edge.to)}`,
    ),
  };
}

describe('the default configuration (webhook, Docker Hub)', () => {
  const config = loadConfigFile(DEFAULT_CONFIG_PATH);
  const stack = pipelineStackId(config.pipelines[0].name);
  let outdir: string;
  let chart: string;
  let nodes: Chart['nodes'], groups: Chart['groups'], edges: Chart['edges'], described: Chart['described'];
  beforeAll(() => {
    outdir = synthesize(config);
    chart = synthFlowchart(outdir, stack)!;
    ({ nodes, groups, edges, described } = parse(chart));
  });

  test('draws push → repository → both webhooks → the stages → CodeBuild → Docker Hub', () => {
    expect(described).toEqual(
      expect.arrayContaining([
        'git push to main -> GitHub example-org/sample-flask-app',
        'GitHub example-org/sample-flask-app -> GitHub webhook',
        'GitHub webhook -> CodePipeline webhook',
        'CodePipeline webhook -> Source: GitHub',
        'Source: GitHub -> Build: TestAndBuildImage',
        'Build: TestAndBuildImage -runs-> CodeBuild sample-flask-app',
        'CodeBuild sample-flask-app -docker push-> Docker Hub',
      ]),
    );
  });

  test('attaches the secret, the log group, the artifact bucket, the key and the state', () => {
    expect(described).toEqual(
      expect.arrayContaining([
        'Secrets Manager -DOCKERHUB_USERNAME, DOCKERHUB_PASSWORD-> CodeBuild sample-flask-app',
        'CodeBuild sample-flask-app -logs-> CloudWatch Logs',
        'KMS key alias/ci/sample-flask-app -encrypts-> CodeBuild sample-flask-app',
        'KMS key alias/ci/sample-flask-app -encrypts-> Secrets Manager',
        'KMS key alias/ci/sample-flask-app -encrypts-> CloudWatch Logs',
        'KMS key alias/ci/sample-flask-app -encrypts-> S3 artifact bucket',
        'aws_codepipeline_ci_pipeline_E3513F99 -artifacts-> S3 artifact bucket',
        'Terraform state -S3 backend-> aws_codepipeline_ci_pipeline_E3513F99',
      ]),
    );
    expect([...nodes.values()]).toEqual(
      expect.arrayContaining([
        'Secrets Manager<br/>ci/sample-flask-app/dockerhub',
        'CloudWatch Logs<br/>/aws/codebuild/sample-flask-app, 365 days',
      ]),
    );
  });

  test(
    "draws a pull request through CodeBuild's webhook to the status the branch protection requires, whose merge " +
      'is the push',
    () => {
      expect(described).toEqual(
        expect.arrayContaining([
          'pull request into main -> GitHub example-org/sample-flask-app',
          'GitHub example-org/sample-flask-app -> CodeBuild webhook',
          'CodeBuild webhook -> CodeBuild sample-flask-app-pull-requests',
          'Secrets Manager -GitHub token-> CodeBuild sample-flask-app-pull-requests',
          'CodeBuild sample-flask-app-pull-requests -status codebuild/sample-flask-app-> Branch protection',
          'Branch protection -merge-> git push to main',
          'CodeBuild sample-flask-app-pull-requests -logs-> CloudWatch Logs',
          'KMS key alias/ci/sample-flask-app -encrypts-> CodeBuild sample-flask-app-pull-requests',
        ]),
      );
      expect([...nodes.values()]).toEqual(
        expect.arrayContaining([
          'CodeBuild webhook<br/>pull request created, updated, reopened',
          'Secrets Manager<br/>github/codebuild-token',
          'Branch protection<br/>merge needs codebuild/sample-flask-app, branch up to date, 1 approval',
          'CodeBuild sample-flask-app-pull-requests<br/>BUILD_GENERAL1_SMALL, aws/codebuild/standard:7.0, ' +
            'privileged, ' +
            'no push',
        ]),
      );
      // It builds the image but pushes nothing, and reads no registry credentials.
      expect(
        described.filter(
          (edge) => edge.includes('sample-flask-app-pull-requests') && /docker push|DOCKERHUB/.test(edge),
        ),
      ).toEqual([]);
    },
  );

  test('draws each failure notification rule from what it watches to the encrypted topic', () => {
    expect(described).toEqual(
      expect.arrayContaining([
        'aws_codepipeline_ci_pipeline_E3513F99 -pipeline execution failed-> Notification rule ' +
          'sample-flask-app-pipeline-failed',
        'CodeBuild sample-flask-app -build state failed-> Notification rule sample-flask-app-build-failed',
        'CodeBuild sample-flask-app-pull-requests -build state failed-> Notification rule ' +
          'sample-flask-app-pull-request-build-failed',
        'Notification rule sample-flask-app-pipeline-failed -> SNS topic sample-flask-app-ci-failures',
        'Notification rule sample-flask-app-build-failed -> SNS topic sample-flask-app-ci-failures',
        'Notification rule sample-flask-app-pull-request-build-failed -> SNS topic sample-flask-app-ci-failures',
        'KMS key alias/ci/sample-flask-app -encrypts-> SNS topic sample-flask-app-ci-failures',
      ]),
    );
    expect(chart).not.toMatch(/subscriptions|Slack/);
  });

  test('is well formed: every edge joins declared nodes or subgraphs', () => {
    expect(chart.split('\n')[0]).toBe('flowchart LR');
    expect(edges.length).toBe(chart.split('\n').filter((line) => / (-->|\.->) /.test(line)).length);
    for (const edge of edges) {
      expect(nodes.has(edge.from) || groups.has(edge.from)).toBe(true);
      expect(nodes.has(edge.to) || groups.has(edge.to)).toBe(true);
    }
  });

  test("is the README's diagram", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(README_DIAGRAM.exec(readme)?.[1]).toBe(stack);
    // If this fails, run `npm run synth && npm run diagram -- --update-readme`.
    expect(updateReadme(readme, (name) => (name === stack ? chart : undefined))).toBe(readme);
  });

  test('writes one Markdown file per pipeline stack, none for the bootstrap stack', () => {
    const written = writeDiagrams(outdir);
    expect([...written.keys()]).toEqual([stack]);
    expect(readdirSync(join(outdir, 'diagrams'))).toEqual([`${stack}.md`]);
    expect(readFileSync(written.get(stack)!, 'utf8')).toContain(`\`\`\`mermaid\n${chart}\n\`\`\``);
  });
});

describe('a connection-mode, ECR configuration with an existing repository', () => {
  const base = loadConfigFile(DEFAULT_CONFIG_PATH);
  const config = parseConfig({
    ...base,
    pipelines: [
      {
        name: 'api',
        github: { owner: 'example-org', repository: 'api', branch: 'release', create: false },
        trigger: 'connection',
        registry: { type: 'ecr', image: 'api' },
        appPath: 'services/api',
        notifications: {
          emails: ['ci@example.org', 'oncall@example.org'],
          slackChannelConfigurationArn: 'arn:aws:chatbot::123456789012:chat-configuration/slack-channel/ci-alerts',
        },
      },
    ],
  });
  let chart: string;
  let nodes: Chart['nodes'], described: Chart['described'];
  beforeAll(() => {
    chart = synthFlowchart(synthesize(config), 'ci-api')!;
    ({ described, nodes } = parse(chart));
  });

  test('draws the connection instead of webhooks, and ECR instead of Docker Hub', () => {
    expect(described).toEqual(
      expect.arrayContaining([
        'git push to release -> GitHub example-org/api',
        'GitHub example-org/api -GitHub app-> shared CodeConnections connection',
        'shared CodeConnections connection -> Source: GitHub',
        'CodeBuild api -docker push-> ECR api',
        'KMS key alias/ci/api -encrypts-> ECR api',
      ]),
    );
    expect(chart).not.toMatch(/GitHub webhook|CodePipeline webhook|Docker Hub|Secrets Manager/);
    expect([...nodes.values()]).toContain('GitHub example-org/api<br/>existing, read only');
  });

  test(
    'draws pull-request builds through the connection, of every pull request, reporting to the pull request: no ' +
      'protection is created',
    () => {
      expect(described).toEqual(
        expect.arrayContaining([
          'pull request into release -> GitHub example-org/api',
          'GitHub example-org/api -> CodeBuild webhook',
          'CodeBuild webhook -> CodeBuild api-pull-requests',
          'shared CodeConnections connection -GitHub access-> CodeBuild api-pull-requests',
          'CodeBuild api-pull-requests -status codebuild/api-> GitHub example-org/api',
        ]),
      );
      // An existing repository's protection may require the status unseen, so no pull request is left out by path.
      expect([...nodes.values()]).toContain('CodeBuild webhook<br/>pull request created, updated, reopened');
      expect(chart).not.toContain('Branch protection');
    },
  );

  test('labels a webhook filtered by path with the directory, when the status is declared not required', () => {
    const filtered = parseConfig({
      ...base,
      pipelines: [
        { ...config.pipelines[0], notifications: undefined, pullRequestBuilds: { requiredStatusCheck: false } },
      ],
    });
    const filteredNodes = parse(synthFlowchart(synthesize(filtered), 'ci-api')!).nodes;
    expect([...filteredNodes.values()]).toContain(
      'CodeBuild webhook<br/>pull request created, updated, reopened<br/>files under services/api/',
    );
  });

  test('draws the e-mail subscriptions by count, not address, and the Slack channel of every rule', () => {
    expect(described).toEqual(
      expect.arrayContaining([
        'SNS topic api-ci-failures -> email subscriptions',
        'Notification rule api-pipeline-failed -> Slack, through AWS Chatbot',
        'Notification rule api-build-failed -> Slack, through AWS Chatbot',
        'Notification rule api-pull-request-build-failed -> Slack, through AWS Chatbot',
      ]),
    );
    expect([...nodes.values()]).toEqual(
      expect.arrayContaining([
        'email subscriptions<br/>2, each confirmed by its recipient',
        'Slack, through AWS Chatbot<br/>ci-alerts',
      ]),
    );
    expect(chart).not.toContain('@example.org');
  });
});

describe('an existing KMS key and artifact bucket', () => {
  const base = loadConfigFile(DEFAULT_CONFIG_PATH);
  const keyArn = `arn:aws:kms:${base.region}:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
  const config = parseConfig({
    ...base,
    pipelines: [{ ...base.pipelines[0], encryptionKeyArn: keyArn, artifactBucketName: 'acme-shared-ci-artifacts' }],
  });
  const stack = pipelineStackId(base.pipelines[0].name);
  let chart: string;
  let nodes: Chart['nodes'], described: Chart['described'];
  beforeAll(() => {
    chart = synthFlowchart(synthesize(config), stack)!;
    ({ described, nodes } = parse(chart));
  });

  test('draws them by name and ARN, marked existing, where the created ones were', () => {
    const existingKey = `existing KMS key<br/>${base.region}:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    expect([...nodes.values()]).toEqual(
      expect.arrayContaining([existingKey, 'existing S3 artifact bucket<br/>acme-shared-ci-artifacts']),
    );
    expect(described).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^aws_codepipeline_\w+ -artifacts-> existing S3 artifact bucket$/),
        'existing KMS key -encrypts-> existing S3 artifact bucket',
        `existing KMS key -encrypts-> CodeBuild ${base.pipelines[0].name}`,
        'existing KMS key -encrypts-> CloudWatch Logs',
        'existing KMS key -encrypts-> Secrets Manager',
      ]),
    );
    expect(chart).not.toMatch(/"KMS key alias|"S3 artifact bucket/);
  });
});

describe('problems', () => {
  test('the bootstrap stack alone has no pipeline to draw', () => {
    expect(pipelineFlowchart({ resource: { aws_s3_bucket: { b: { bucket: 'x' } } } })).toBeUndefined();
  });

  test('a README without the block, or naming a stack without a pipeline, is refused', () => {
    expect(() => updateReadme('# readme\n', () => 'flowchart LR')).toThrow(
      'README.md has no `<!-- diagram:<stack> -->`',
    );
    expect(() => updateReadme('<!-- diagram:gone -->\n<!-- /diagram -->', () => undefined)).toThrow(
      'names stack "gone"',
    );
  });

  test('without synthesized output the command says to synthesize first, without a stack trace', () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'ci-diagram-')), 'cdktf.out');
    const result = spawnSync(
      process.execPath,
      [...RUN_TYPESCRIPT, join(ROOT, 'tools', 'diagram.ts'), '--outdir', missing],
      { encoding: 'utf8' },
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${join(missing, 'manifest.json')} does not exist: run \`npm run synth\` first`);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});
