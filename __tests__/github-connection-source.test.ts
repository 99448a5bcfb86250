import { CodestarconnectionsConnection } from '@cdktf/provider-aws/lib/codestarconnections-connection';
import { CodepipelineWebhook } from '@cdktf/provider-aws/lib/codepipeline-webhook';
import { RepositoryWebhook } from '@cdktf/provider-github/lib/repository-webhook';
import { USE_CONNECTION_ACTIONS } from '../constructs/github-connection-source';
import { only, policyStatements, statement, synthPipeline } from './helpers';

describe('GitHubConnectionSource', () => {
  const { text, json } = synthPipeline({ trigger: 'connection', github: { owner: 'my-org', repository: 'app', branch: 'release' } });
  const pipeline = only(json, 'aws_codepipeline');
  const action = pipeline.stage[0].action[0];

  test('creates a GitHub connection and uses it in a V2 pipeline triggered by pushes to the branch', () => {
    expect(text).toHaveResourceWithProperties(CodestarconnectionsConnection, { name: 'app', provider_type: 'GitHub' });
    expect(action).toMatchObject({ owner: 'AWS', provider: 'CodeStarSourceConnection', version: '1' });
    expect(action.configuration).toMatchObject({ BranchName: 'release', OutputArtifactFormat: 'CODE_ZIP', DetectChanges: 'true' });
    expect(action.configuration.FullRepositoryId).toMatch(/^my-org\/\$\{github_repository\..*\.name\}$/);
    expect(pipeline.pipeline_type).toBe('V2');
    expect(pipeline.trigger).toEqual([
      {
        provider_type: 'CodeStarSourceConnection',
        git_configuration: { source_action_name: 'GitHub', push: [{ branches: { includes: ['release'] } }] },
      },
    ]);
    expect(pipeline.lifecycle).toBeUndefined();
  });

  test('has no webhooks, and the pipeline role may use exactly this connection', () => {
    expect(text).not.toHaveResource(CodepipelineWebhook);
    expect(text).not.toHaveResource(RepositoryWebhook);
    const use = statement(policyStatements(json, 'ci_pipeline_role_permissions'), 'UseGitHubConnection');
    expect(use.actions).toEqual(USE_CONNECTION_ACTIONS);
    expect(use.resources).toEqual([expect.stringMatching(/^\$\{aws_codestarconnections_connection\..*\.arn\}$/)]);
  });


  test('reuses an existing connection when its ARN is given', () => {
    const arn = 'arn:aws:codeconnections:eu-west-1:123456789012:connection/0a1b2c3d-1111-2222-3333-444455556666';
    const existing = synthPipeline({ trigger: 'connection', github: { owner: 'my-org', repository: 'app', connectionArn: arn } });
    expect(existing.text).not.toHaveResource(CodestarconnectionsConnection);
    expect(only(existing.json, 'aws_codepipeline').stage[0].action[0].configuration.ConnectionArn).toBe(arn);
    expect(() => synthPipeline({ trigger: 'connection', github: { owner: 'o', repository: 'r', connectionArn: 'arn:nope' } })).toThrow(
      /invalid prop "connectionArn" = "arn:nope"/,
    );
  });
});
