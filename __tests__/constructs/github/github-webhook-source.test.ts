import { CodepipelineWebhook } from '@cdktf/provider-aws/lib/codepipeline-webhook';
import { DataAwsSecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version';
import { RepositoryWebhook } from '@cdktf/provider-github/lib/repository-webhook';
import { Password } from '@cdktf/provider-random/lib/password';
import { GitHubWebhookSource } from '../../../constructs/github/github-webhook-source';
import { SourceRepository } from '../../../constructs/github/source-repository';
import { synth, synthPipeline, Synthesized } from '../../helpers';
import { CiPipeline } from '../../../constructs/ci-pipeline/ci-pipeline';

describe('GitHubWebhookSource', () => {
  let stack: Synthesized & { pipeline: CiPipeline };
  let action: any;
  beforeAll(() => {
    stack = synthPipeline({ trigger: 'webhook', github: { owner: 'my-org', repository: 'app', branch: 'main' } });
    action = stack.at('ci/pipeline/pipeline').stage[0].action[0];
  });

  test('uses the GitHub version 1 action without polling, in a V1 pipeline', () => {
    expect(action).toMatchObject({
      name: 'GitHub',
      owner: 'ThirdParty',
      provider: 'GitHub',
      version: '1',
      output_artifacts: ['source_output'],
    });
    expect(action.configuration).toMatchObject({
      Owner: 'my-org',
      Repo: stack.ref('ci/repository/repository', 'name'),
      Branch: 'main',
      PollForSourceChanges: 'false',
    });
    expect(stack.at('ci/pipeline/pipeline').pipeline_type).toBe('V1');
  });

  test('reads the OAuth token from Secrets Manager and ignores its masked read-back', () => {
    expect(stack.text).toHaveDataSourceWithProperties(DataAwsSecretsmanagerSecretVersion, {
      secret_id: 'github/codepipeline-oauth-token',
    });
    expect(action.configuration.OAuthToken).toBe(stack.ref('ci/webhook/oauth-token', 'secret_string'));
    expect(stack.at('ci/pipeline/pipeline').lifecycle.ignore_changes).toEqual([
      'stage[0].action[0].configuration["OAuthToken"]',
    ]);
  });

  test('the AWS webhook filters on the branch and shares a generated alphanumeric secret with GitHub', () => {
    const awsWebhook = stack.at('ci/webhook/pipeline-webhook');
    expect(stack.text).toHaveResourceWithProperties(CodepipelineWebhook, {
      authentication: 'GITHUB_HMAC',
      target_action: 'GitHub',
      filter: [{ json_path: '$.ref', match_equals: 'refs/heads/{Branch}' }],
    });
    expect(awsWebhook.target_pipeline).toBe(stack.ref('ci/pipeline/pipeline', 'name'));
    expect(stack.text).toHaveResourceWithProperties(Password, { length: 40, special: false });
    expect(awsWebhook.authentication_configuration.secret_token).toBe(stack.ref('ci/webhook/webhook-secret', 'result'));

    const githubWebhook = stack.at('ci/webhook/github-webhook');
    expect(stack.text).toHaveResourceWithProperties(RepositoryWebhook, { events: ['push'], active: true });
    expect(githubWebhook.configuration).toMatchObject({ content_type: 'json', insecure_ssl: false });
    expect(githubWebhook.configuration.secret).toBe(awsWebhook.authentication_configuration.secret_token);
    expect(githubWebhook.configuration.url).toBe(stack.ref('ci/webhook/pipeline-webhook', 'url'));
    expect(githubWebhook.repository).toBe(stack.ref('ci/repository/repository', 'name'));
  });

  test('provides the webhook URL as its output', () => {
    expect(stack.pipeline.source.outputs.map((output) => output.name)).toEqual(['webhook_url']);
  });
});

describe('GitHubWebhookSource variants', () => {
  test('reads the HMAC secret from Secrets Manager when one is named, and then needs no random provider', () => {
    const named = synthPipeline({ github: { owner: 'my-org', repository: 'app', webhookSecret: 'ci/app/webhook' } });
    expect(named.text).not.toHaveResource(Password);
    expect(named.json.provider?.random).toBeUndefined();
    expect(named.at('ci/webhook/webhook-secret').secret_id).toBe('ci/app/webhook');
    expect(named.at('ci/webhook/pipeline-webhook').authentication_configuration.secret_token).toBe(
      named.ref('ci/webhook/webhook-secret', 'secret_string'),
    );
  });

  test('rejects bad secret IDs, and a second pipeline', () => {
    const make = (props: object) => () =>
      synth((scope) => {
        const repository = new SourceRepository(scope, 'r', { owner: 'o', repositoryName: 'r' });
        const source = new GitHubWebhookSource(scope, 'w', { repository, ...props });
        const binding = {
          scope: source,
          pipelineName: 'p',
          stageName: 'Source',
          role: { addToPolicy: () => undefined },
          artifactBucket: {} as never,
          artifactKeyPrefix: 'p',
        };
        source.bind(binding);
        source.bind(binding);
      });
    expect(make({ oauthTokenSecretId: 'has space' })).toThrow(
      /GitHubWebhookSource at stack\/w: invalid prop "oauthTokenSecretId" = "has space"/,
    );
    expect(make({ webhookSecretId: '' })).toThrow(/invalid prop "webhookSecretId" = ""/);
    expect(make({})).toThrow(
      'GitHubWebhookSource.bind at stack/w: invalid prop "pipelineName" = "p": ' +
        'must be the only pipeline of this source',
    );
  });
});
