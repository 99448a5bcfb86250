import { CodepipelineStageAction, CodepipelineTrigger } from '@cdktf/provider-aws/lib/codepipeline';
import { CodepipelineWebhook } from '@cdktf/provider-aws/lib/codepipeline-webhook';
import { DataAwsSecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version';
import { RepositoryWebhook } from '@cdktf/provider-github/lib/repository-webhook';
import { Password } from '@cdktf/provider-random/lib/password';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { IPipelineSource, PipelineBinding } from './pipeline-source';
import { SourceRepository } from './source-repository';
import { checkSecretId, validateProp } from './validation';

/** Length of a generated webhook secret (CodePipeline accepts at most 100 characters). */
export const WEBHOOK_SECRET_LENGTH = 40;

export interface GitHubWebhookSourceProps {
  /** The repository and branch to build. */
  readonly repository: SourceRepository;
  /**
   * Name or ARN of the Secrets Manager secret whose plain-text value is the GitHub token
   * (scopes `repo` and `admin:repo_hook`) that CodePipeline uses to fetch the code.
   * @default "github/codepipeline-oauth-token"
   */
  readonly oauthTokenSecretId?: string;
  /**
   * Name or ARN of a Secrets Manager secret whose plain-text value is the webhook's HMAC secret
   * (letters and digits only, at most 100 characters).
   * @default - a 40-character alphanumeric secret is generated once and kept in state
   */
  readonly webhookSecretId?: string;
}

/**
 * Triggers the pipeline with a GitHub webhook (CodePipeline's GitHub version 1
 * source action).
 *
 * A push to the branch makes GitHub call an `aws_codepipeline_webhook`,
 * authenticated with an HMAC secret shared by both webhooks; the source action
 * does not poll. AWS has deprecated the version 1 action in favour of
 * connections ({@link GitHubConnectionSource}); it still works, needs no
 * console step, and runs only in V1 pipelines.
 */
export class GitHubWebhookSource extends Construct implements IPipelineSource {
  public readonly mode = 'webhook' as const;
  public readonly pipelineType = 'V1' as const;
  /**
   * CodePipeline returns the GitHub token masked, so every plan would show a change
   * to it. Ignoring it keeps plans clean; replacing the token therefore needs
   * `terraform apply -replace` on the pipeline (see the README).
   */
  public readonly ignoredPipelineChanges = ['stage[0].action[0].configuration["OAuthToken"]'];

  /** The URL GitHub calls, known after apply. */
  public webhookUrl?: string;

  private readonly repository: SourceRepository;
  private readonly oauthToken: string;
  private readonly webhookSecret: string;
  private bound = false;

  constructor(scope: Construct, id: string, props: GitHubWebhookSourceProps) {
    super(scope, id);
    const oauthTokenSecretId = props.oauthTokenSecretId ?? 'github/codepipeline-oauth-token';
    validateProp('GitHubWebhookSource', 'oauthTokenSecretId', oauthTokenSecretId, checkSecretId);
    if (props.webhookSecretId !== undefined) {
      validateProp('GitHubWebhookSource', 'webhookSecretId', props.webhookSecretId, checkSecretId);
    }
    this.repository = props.repository;

    this.oauthToken = new DataAwsSecretsmanagerSecretVersion(this, 'oauth-token', {
      secretId: oauthTokenSecretId,
    }).secretString;

    if (props.webhookSecretId !== undefined) {
      this.webhookSecret = new DataAwsSecretsmanagerSecretVersion(this, 'webhook-secret', {
        secretId: props.webhookSecretId,
      }).secretString;
    } else {
      useRandomProvider(this);
      // Alphanumeric only: CodePipeline silently ignores deliveries signed with a secret
      // that contains special characters. Generated once, then stable in state.
      this.webhookSecret = new Password(this, 'webhook-secret', {
        length: WEBHOOK_SECRET_LENGTH,
        special: false,
        upper: true,
        lower: true,
        numeric: true,
      }).result;
    }
  }

  public sourceAction(actionName: string, outputArtifact: string): CodepipelineStageAction {
    return {
      name: actionName,
      category: 'Source',
      owner: 'ThirdParty',
      provider: 'GitHub',
      version: '1',
      outputArtifacts: [outputArtifact],
      configuration: {
        Owner: this.repository.owner,
        Repo: this.repository.repositoryName,
        Branch: this.repository.branch,
        OAuthToken: this.oauthToken,
        // The webhook starts the pipeline; polling would start it twice.
        PollForSourceChanges: 'false',
      },
    };
  }

  public triggers(): CodepipelineTrigger[] {
    return [];
  }

  /** The token lives in the action's configuration; the pipeline role needs nothing more. */
  public grantRead(): void {}

  public bind(pipeline: PipelineBinding): void {
    if (this.bound) {
      throw new Error(`GitHubWebhookSource ${this.node.path} is already bound to a pipeline`);
    }
    this.bound = true;
    const awsWebhook = new CodepipelineWebhook(this, 'pipeline-webhook', {
      name: `${pipeline.pipelineName}-github`,
      targetPipeline: pipeline.pipelineName,
      targetAction: pipeline.sourceActionName,
      authentication: 'GITHUB_HMAC',
      authenticationConfiguration: { secretToken: this.webhookSecret },
      // Only pushes to the configured branch; {Branch} is the action's Branch setting.
      filter: [{ jsonPath: '$.ref', matchEquals: 'refs/heads/{Branch}' }],
    });
    new RepositoryWebhook(this, 'github-webhook', {
      repository: this.repository.repositoryName,
      events: ['push'],
      active: true,
      configuration: {
        url: awsWebhook.url,
        contentType: 'json',
        insecureSsl: false,
        secret: this.webhookSecret,
      },
    });
    this.webhookUrl = awsWebhook.url;
  }
}

/** Configures the `random` provider once per stack, only in stacks that generate a secret. */
function useRandomProvider(scope: Construct): void {
  const stack = TerraformStack.of(scope);
  if (!stack.node.tryFindChild('random')) {
    new RandomProvider(stack, 'random');
  }
}
