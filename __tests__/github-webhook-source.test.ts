import { CodepipelineWebhook } from '@cdktf/provider-aws/lib/codepipeline-webhook';
import { DataAwsSecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version';
import { RepositoryWebhook } from '@cdktf/provider-github/lib/repository-webhook';
import { Password } from '@cdktf/provider-random/lib/password';
import { GitHubWebhookSource } from '../constructs/github-webhook-source';
import { SourceRepository } from '../constructs/source-repository';
import { byId, only, synthPipeline, synthScope } from './helpers';

describe('GitHubWebhookSource', () => {
  const { text, json } = synthPipeline({ trigger: 'webhook', github: { owner: 'my-org', repository: 'app', branch: 'main' } });
  const action = only(json, 'aws_codepipeline').stage[0].action[0];

  test('uses the GitHub version 1 action without polling, in a V1 pipeline', () => {
    expect(action).toMatchObject({ owner: 'ThirdParty', provider: 'GitHub', version: '1' });
    expect(action.configuration).toMatchObject({ Owner: 'my-org', Branch: 'main', PollForSourceChanges: 'false' });
    expect(only(json, 'aws_codepipeline').pipeline_type).toBe('V1');
  });

  test('reads the OAuth token from Secrets Manager and ignores its masked read-back', () => {
    expect(text).toHaveDataSourceWithProperties(DataAwsSecretsmanagerSecretVersion, { secret_id: 'github/codepipeline-oauth-token' });
    expect(action.configuration.OAuthToken).toMatch(/^\$\{data\.aws_secretsmanager_secret_version\.ci_webhook_oauth-token_[0-9A-F]{8}\.secret_string\}$/);
    expect(only(json, 'aws_codepipeline').lifecycle.ignore_changes).toEqual(['stage[0].action[0].configuration["OAuthToken"]']);
  });

  test('the AWS webhook filters on the branch and shares a generated alphanumeric secret with GitHub', () => {
    const awsWebhook = only(json, 'aws_codepipeline_webhook');
    expect(text).toHaveResourceWithProperties(CodepipelineWebhook, {
      authentication: 'GITHUB_HMAC',
      target_action: 'GitHub',
      filter: [{ json_path: '$.ref', match_equals: 'refs/heads/{Branch}' }],
    });
    expect(text).toHaveResourceWithProperties(Password, { length: 40, special: false });
    const secretRef = '${random_password.ci_webhook_webhook-secret_' ;
    expect(awsWebhook.authentication_configuration.secret_token.startsWith(secretRef)).toBe(true);

    const githubWebhook = only(json, 'github_repository_webhook');
    expect(text).toHaveResourceWithProperties(RepositoryWebhook, { events: ['push'], active: true });
    expect(githubWebhook.configuration).toMatchObject({ content_type: 'json', insecure_ssl: false });
    expect(githubWebhook.configuration.secret).toBe(awsWebhook.authentication_configuration.secret_token);
    expect(githubWebhook.configuration.url).toMatch(/^\$\{aws_codepipeline_webhook\..*\.url\}$/);
    expect(githubWebhook.repository).toMatch(/^\$\{github_repository\..*\.name\}$/);
  });

  test('reads the HMAC secret from Secrets Manager when one is named, and then needs no random provider', () => {
    const named = synthPipeline({ github: { owner: 'my-org', repository: 'app', webhookSecret: 'ci/app/webhook' } });
    expect(named.text).not.toHaveResource(Password);
    expect(named.json.provider?.random).toBeUndefined();
    const secret = byId(named.json, 'aws_secretsmanager_secret_version', 'ci_webhook_webhook-secret', 'data');
    expect(secret.secret_id).toBe('ci/app/webhook');
    expect(only(named.json, 'aws_codepipeline_webhook').authentication_configuration.secret_token).toContain('data.aws_secretsmanager_secret_version.ci_webhook_webhook-secret');
  });

  test('rejects bad secret IDs and binding twice', () => {
    const make = (props: object) => () =>
      synthScope((scope) => {
        const repository = new SourceRepository(scope, 'r', { owner: 'o', repositoryName: 'r' });
        const source = new GitHubWebhookSource(scope, 'w', { repository, ...props });
        source.bind({ pipelineName: 'p', sourceActionName: 'GitHub' });
        source.bind({ pipelineName: 'p', sourceActionName: 'GitHub' });
      });
    expect(make({ oauthTokenSecretId: 'has space' })).toThrow(/invalid prop "oauthTokenSecretId" = "has space"/);
    expect(make({ webhookSecretId: '' })).toThrow(/invalid prop "webhookSecretId" = ""/);
    expect(make({})).toThrow(/already bound to a pipeline/);
  });
});
