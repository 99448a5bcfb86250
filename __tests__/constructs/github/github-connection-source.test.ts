import { spawnSync } from 'node:child_process';
import { CodestarconnectionsConnection } from '@cdktf/provider-aws/lib/codestarconnections-connection';
import { CodepipelineWebhook } from '@cdktf/provider-aws/lib/codepipeline-webhook';
import { DataAwsCodestarconnectionsConnection } from '@cdktf/provider-aws/lib/data-aws-codestarconnections-connection';
import { RepositoryWebhook } from '@cdktf/provider-github/lib/repository-webhook';
import { CiPipeline } from '../../../constructs/ci-pipeline/ci-pipeline';
import { checkTagPattern, GitHubConnectionSource } from '../../../constructs/github/github-connection-source';
import { SourceRepository } from '../../../constructs/github/source-repository';
import { USE_CONNECTION_ACTIONS } from '../../../shared/iam-actions';
import { statement, synth, synthPipeline, Synthesized } from '../../helpers';

const EXISTING = 'arn:aws:codeconnections:eu-west-1:123456789012:connection/0a1b2c3d-1111-2222-3333-444455556666';

describe('GitHubConnectionSource', () => {
  let stack: Synthesized & { pipeline: CiPipeline };
  let pipeline: any;
  beforeAll(() => {
    stack = synthPipeline({ trigger: 'connection', github: { owner: 'my-org', repository: 'app', branch: 'release' } });
    pipeline = stack.at('ci/pipeline/pipeline');
  });

  test('creates a GitHub connection and uses it in a V2 pipeline triggered by pushes to the branch', () => {
    const action = pipeline.stage[0].action[0];
    expect(stack.text).toHaveResourceWithProperties(CodestarconnectionsConnection, {
      name: 'app',
      provider_type: 'GitHub',
    });
    expect(action).toMatchObject({ name: 'GitHub', owner: 'AWS', provider: 'CodeStarSourceConnection', version: '1' });
    expect(action.configuration).toMatchObject({
      ConnectionArn: stack.ref('ci/connection/connection', 'arn'),
      BranchName: 'release',
      OutputArtifactFormat: 'CODE_ZIP',
      DetectChanges: 'true',
    });
    expect(action.configuration.FullRepositoryId).toBe(`my-org/${stack.ref('ci/repository/repository', 'name')}`);
    expect(pipeline.pipeline_type).toBe('V2');
    expect(pipeline.trigger).toEqual([
      {
        provider_type: 'CodeStarSourceConnection',
        // Only pushes that change the app: its appPath is "service".
        git_configuration: {
          source_action_name: 'GitHub',
          push: [{ branches: { includes: ['release'] }, file_paths: { includes: ['service/**'] } }],
        },
      },
    ]);
    expect(pipeline.lifecycle).toBeUndefined();
  });

  test('has no webhooks, and the pipeline role may use exactly this connection', () => {
    expect(stack.text).not.toHaveResource(CodepipelineWebhook);
    expect(stack.text).not.toHaveResource(RepositoryWebhook);
    const use = statement(stack.statements('ci/pipeline/role/permissions'), 'UseGitHubConnection');
    expect(use.actions).toEqual(USE_CONNECTION_ACTIONS);
    expect(use.resources).toEqual([stack.ref('ci/connection/connection', 'arn')]);
  });

  test('provides the connection, its status and the approval step as outputs', () => {
    expect(stack.pipeline.source.outputs.map((output) => output.name)).toEqual([
      'connection_arn',
      'connection_status',
      'connection_next_step',
    ]);
  });
});

describe('GitHubConnectionSource, existing connection', () => {
  test('reuses an existing connection when its ARN is given, and has only its ARN as output', () => {
    const existing = synthPipeline({
      trigger: 'connection',
      github: { owner: 'my-org', repository: 'app', connectionArn: EXISTING },
    });
    expect(existing.text).not.toHaveResource(CodestarconnectionsConnection);
    expect(existing.at('ci/pipeline/pipeline').stage[0].action[0].configuration.ConnectionArn).toBe(EXISTING);
    expect(existing.pipeline.source.outputs).toEqual([
      { name: 'connection_arn', value: EXISTING, description: 'The GitHub connection used by the source action' },
    ]);
  });

  test('uses a shared connection by name: looked up when Terraform plans, created nowhere in the stack', () => {
    const shared = synthPipeline({
      trigger: 'connection',
      github: { owner: 'my-org', repository: 'app', connectionName: 'fleet-github' },
    });
    expect(shared.text).not.toHaveResource(CodestarconnectionsConnection);
    expect(shared.text).toHaveDataSourceWithProperties(DataAwsCodestarconnectionsConnection, { name: 'fleet-github' });
    const lookup = shared.ref('ci/connection/shared-connection', 'arn');
    expect(shared.at('ci/pipeline/pipeline').stage[0].action[0].configuration.ConnectionArn).toBe(lookup);
    expect(statement(shared.statements('ci/pipeline/role/permissions'), 'UseGitHubConnection').resources).toEqual([
      lookup,
    ]);
    expect(shared.pipeline.source.outputs.map((output) => output.name)).toEqual([
      'connection_arn',
      'connection_status',
    ]);
  });

  test('runs for every push of a root app, and for release tags when configured, building the tagged commit', () => {
    const root = synthPipeline({ trigger: 'connection', appPath: '.', releaseTags: ['v*', 'release-*'] });
    expect(root.at('ci/pipeline/pipeline').trigger[0].git_configuration.push).toEqual([
      { branches: { includes: ['main'] } },
      { tags: { includes: ['v*', 'release-*'] } },
    ]);
  });

  test('refuses trigger patterns CodePipeline refuses: 1-8 patterns of 1-255 characters', () => {
    const make = (props: object) => () =>
      synth(
        (scope) =>
          new GitHubConnectionSource(scope, 'c', {
            repository: new SourceRepository(scope, 'r', { owner: 'o', repositoryName: 'r' }),
            connectionName: 'c',
            ...props,
          }),
      );
    expect(make({ releaseTags: [] })).toThrow(
      'GitHubConnectionSource at stack/c: invalid prop "releaseTags" = []: must list 1-8 glob patterns, or be left out',
    );
    expect(make({ releaseTags: Array.from({ length: 9 }, (_, index) => `v${index}*`) })).toThrow(
      /invalid prop "releaseTags" = \[.*\]: must list 1-8 glob patterns/,
    );
    expect(make({ filePaths: ['x'.repeat(256)] })).toThrow(
      /invalid prop "filePaths\[0\]" = "x+\.\.\.: must be 1-255 characters long/,
    );
    expect(make({ filePaths: ['app/**'], releaseTags: ['v*'] })).not.toThrow();
  });

  test('on its own, needs a connection name unless an ARN is given, and an ARN of the documented shape', () => {
    const make = (props: object) => () =>
      synth(
        (scope) =>
          new GitHubConnectionSource(scope, 'c', {
            repository: new SourceRepository(scope, 'r', { owner: 'o', repositoryName: 'r' }),
            ...props,
          }),
      );
    expect(make({})).toThrow(
      'GitHubConnectionSource at stack/c: invalid prop "connectionName" = undefined: must be 1-32 letters, ' +
        'digits and .@_- (required unless connectionArn or sharedConnectionName is set)',
    );
    expect(make({ connectionName: 'x'.repeat(33) })).toThrow(/invalid prop "connectionName"/);
    expect(make({ connectionArn: 'arn:aws:s3:::bucket' })).toThrow(
      /invalid prop "connectionArn" = "arn:aws:s3:::bucket": must be a connection ARN/,
    );
    expect(make({ sharedConnectionName: 'has space' })).toThrow(
      /invalid prop "sharedConnectionName" = "has space": must be 1-32 letters/,
    );
    expect(make({ connectionArn: EXISTING, sharedConnectionName: 'fleet' })).toThrow(
      /invalid prop "sharedConnectionName" = "fleet": must not be set with connectionArn/,
    );
  });

  test('matches a branch with "{" or "}" literally: the trigger filter is a glob pattern', () => {
    const braces = synthPipeline({
      trigger: 'connection',
      github: { owner: 'o', repository: 'r', branch: 'release-{1,2}' },
    });
    const pipeline = braces.at('ci/pipeline/pipeline');
    expect(pipeline.trigger[0].git_configuration.push[0].branches).toEqual({ includes: ['release-\\{1,2\\}'] });
    expect(pipeline.stage[0].action[0].configuration.BranchName).toBe('release-{1,2}');
  });

  test('rejects a branch whose escaped pattern is longer than a trigger filter allows (255)', () => {
    const branch = `${'a'.repeat(245)}{}{}{}`;
    expect(() => synthPipeline({ trigger: 'connection', github: { owner: 'o', repository: 'r', branch } })).toThrow(
      new RegExp(
        String.raw`invalid prop "github.branch" = "a{76}\.\.\.: ` +
          String.raw`gives the trigger branch pattern "a{245}\\\{\\\}.*", which must be 1-255 characters long`,
      ),
    );
    expect(() => synthPipeline({ trigger: 'webhook', github: { owner: 'o', repository: 'r', branch } })).not.toThrow();
  });

  test('rejects a bad connection ARN', () => {
    expect(() =>
      synthPipeline({ trigger: 'connection', github: { owner: 'o', repository: 'r', connectionArn: 'arn:nope' } }),
    ).toThrow(/CiPipeline at stack\/ci: invalid prop "github.connectionArn" = "arn:nope"/);
  });
});

describe('release tag patterns some git tag can match (checkTagPattern)', () => {
  // Names built from the characters and sequences git's rules are about, judged by git itself.
  const pieces = [
    'v1',
    '.',
    '..',
    '/',
    '//',
    '-',
    '_',
    ' ',
    '\t',
    '~',
    '^',
    ':',
    '@',
    '@{',
    '{',
    '}',
    '\\',
    '.lock',
    'x',
  ];
  const names = [
    ...pieces.flatMap((a) => pieces.map((b) => `${a}${b}`)),
    ...pieces.flatMap((a) => [`v${a}1`, `release/${a}`, `${a}/v1`]),
  ];
  /** A glob pattern that matches exactly `name`: each glob character escaped. */
  const literalPattern = (name: string) => name.replace(/[*?[\]{}!,\\]/g, (character) => `\\${character}`);
  /** Git's verdict on each name as a tag, from one shell that runs `git check-ref-format` for each (it reads one). */
  const gitAccepts = (candidates: readonly string[]): boolean[] => {
    const loop = 'for name; do git check-ref-format "refs/tags/$name" && echo 1 || echo 0; done';
    const result = spawnSync('sh', ['-c', loop, 'sh', ...candidates], { encoding: 'utf8' });
    const verdicts = result.stdout.split('\n').filter((line) => line !== '');
    expect(verdicts).toHaveLength(candidates.length);
    return verdicts.map((verdict) => verdict === '1');
  };

  test('agree with `git check-ref-format` on every name, written as a literal pattern', () => {
    const candidates = names.filter((name) => name.length > 0);
    const git = gitAccepts(candidates);
    const disagreements = candidates.filter(
      (name, index) => (checkTagPattern(literalPattern(name)) === undefined) !== git[index],
    );
    expect(disagreements).toEqual([]);
    expect(candidates.length).toBeGreaterThan(300);
    // Both verdicts occur: the comparison is not one-sided.
    expect(new Set(git).size).toBe(2);
  });

  test("a pattern of the tag's ref (refs/tags/v*) is refused, naming the one it means: it matches no release", () => {
    expect(checkTagPattern('refs/tags/v*')).toBe(
      'must be a pattern of the tag\'s own name, such as "v*", not of its ref',
    );
    expect(checkTagPattern('refs/v*')).toBe('must be a pattern of the tag\'s own name, such as "v*", not of its ref');
    expect(checkTagPattern('release/refs/v*')).toBeUndefined();
  });

  test("glob characters are the glob's, and a pattern that ends where git refuses is refused", () => {
    for (const pattern of ['v*', 'release/*', 'v[0-9]*', 'v{1,2}.*', '*'])
      expect(checkTagPattern(pattern)).toBeUndefined();
    expect(checkTagPattern('v*.lock')).toMatch(/git refuses "\.lock"/);
    expect(checkTagPattern('v\\*')).toMatch(/git refuses "\*"/);
  });
});
