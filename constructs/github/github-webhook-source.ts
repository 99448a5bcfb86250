import { requireAwsProvider, requireRandomProvider } from '../private/provider-versions';
import { CodepipelineWebhook } from '@cdktf/provider-aws/lib/codepipeline-webhook';
import { DataAwsSecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version';
import { RepositoryWebhook } from '@cdktf/provider-github/lib/repository-webhook';
import { Password } from '@cdktf/provider-random/lib/password';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { Suppressions } from '../../shared/suppressions';
import { ActionBinding, ActionConfig } from '../aws/pipeline-action';
import { checkSecretId } from '../aws/registry-credentials';
import { StackOutput } from '../core/stack-output';
import { checkOptionalProp, crossPropProblem, throwIfInvalid } from '../private/validation';
import { stackNameOf, stepTargetOf, storedSecretLifecycle, tokenStep } from '../private/first-deployment';
import { DEFAULT_SOURCE_ACTION_NAME, DEFAULT_SOURCE_ARTIFACT, IPipelineSource } from './pipeline-source';
import { SourceRepository } from './source-repository';

/** Length of a generated webhook secret (CodePipeline accepts at most 100 characters). */
export const WEBHOOK_SECRET_LENGTH = 40;

/** The secret that holds CodePipeline's GitHub token when none is named. */
export const DEFAULT_OAUTH_TOKEN_SECRET = 'github/codepipeline-oauth-token';

/** The name of the CodePipeline webhook of a pipeline. */
export const pipelineWebhookName = (pipelineName: string) => `${pipelineName}-github`;

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
  /**
   * The source action's name in its stage.
   * @default "GitHub"
   */
  readonly actionName?: string;
  /**
   * The artifact the action writes the code to.
   * @default "source_output"
   */
  readonly outputArtifact?: string;
}

/**
 * Reads a secret for an argument that is neither write-only nor able to take an
 * ephemeral value, so the value is in the state anyway (the README's secrets
 * table); the guardrail against reading secrets into state is suppressed here,
 * with that reason, and nowhere else.
 */
function readSecret(
  scope: Construct,
  id: string,
  secretId: string,
  usedBy: string,
  whatNext: string,
): DataAwsSecretsmanagerSecretVersion {
  const lifecycle = storedSecretLifecycle(scope, `${id}-stored`, secretId, whatNext);
  const secret = new DataAwsSecretsmanagerSecretVersion(scope, id, { secretId, lifecycle });
  Suppressions.add(secret, {
    ruleId: 'CIP_SM_2',
    reason:
      `Webhook mode needs the value in ${usedBy}, an argument that is neither write-only nor ephemeral, so ` +
      `the state holds it whatever reads it; connection mode needs no token`,
  });
  return secret;
}

/** The provider resources of a {@link GitHubWebhookSource}. */
export interface GitHubWebhookSourceResources {
  /** The GitHub token CodePipeline uses, read from Secrets Manager. */
  readonly oauthToken: DataAwsSecretsmanagerSecretVersion;
  /** The webhooks' HMAC secret: read from Secrets Manager, or generated once. */
  readonly webhookSecret: DataAwsSecretsmanagerSecretVersion | Password;
  /**
   * The CodePipeline webhook GitHub calls.
   * @default - none until the source is bound to a pipeline
   */
  readonly pipelineWebhook?: CodepipelineWebhook;
  /**
   * The repository's webhook on GitHub.
   * @default - none until the source is bound to a pipeline
   */
  readonly repositoryWebhook?: RepositoryWebhook;
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
  public readonly actionName: string;
  public readonly outputArtifact: string;

  private readonly repository: SourceRepository;
  private readonly oauthToken: DataAwsSecretsmanagerSecretVersion;
  private readonly webhookSecret: DataAwsSecretsmanagerSecretVersion | Password;
  private webhooks?: { readonly pipelineWebhook: CodepipelineWebhook; readonly repositoryWebhook: RepositoryWebhook };

  constructor(scope: Construct, id: string, props: GitHubWebhookSourceProps) {
    super(scope, id);
    throwIfInvalid('GitHubWebhookSource', this, [
      ...checkOptionalProp('oauthTokenSecretId', props.oauthTokenSecretId, checkSecretId),
      ...checkOptionalProp('webhookSecretId', props.webhookSecretId, checkSecretId),
    ]);
    requireAwsProvider(this);
    this.repository = props.repository;
    this.actionName = props.actionName ?? DEFAULT_SOURCE_ACTION_NAME;
    this.outputArtifact = props.outputArtifact ?? DEFAULT_SOURCE_ARTIFACT;
    const oauthTokenSecretId = props.oauthTokenSecretId ?? DEFAULT_OAUTH_TOKEN_SECRET;
    const target = stepTargetOf(this, this.repository);
    this.oauthToken = readSecret(
      this,
      'oauth-token',
      oauthTokenSecretId,
      "the pipeline action's OAuthToken",
      tokenStep(target, { pipeline: oauthTokenSecretId }),
    );
    this.webhookSecret =
      props.webhookSecretId !== undefined
        ? this.readWebhookSecret(props.webhookSecretId)
        : this.generateWebhookSecret();
  }

  /** The URL GitHub calls, known after apply; empty until the source is bound to a pipeline. */
  public get outputs(): readonly StackOutput[] {
    return this.webhooks === undefined
      ? []
      : [
          {
            name: 'webhook_url',
            value: this.webhooks.pipelineWebhook.url,
            description: 'The CodePipeline webhook that GitHub calls on push',
          },
        ];
  }

  /** The provider resources it created, to reach any argument it does not model (escape hatch). */
  public get resources(): GitHubWebhookSourceResources {
    return { oauthToken: this.oauthToken, webhookSecret: this.webhookSecret, ...this.webhooks };
  }

  /** Creates the webhook pair that starts the pipeline on a push to the branch. */
  public bind(binding: ActionBinding): ActionConfig {
    const allowed = 'must be the only pipeline of this source, which is bound already: create one source per pipeline';
    throwIfInvalid(
      'GitHubWebhookSource.bind',
      this,
      crossPropProblem(this.webhooks !== undefined, 'pipelineName', binding.pipelineName, allowed),
    );
    const secretToken = this.webhookSecretValue;
    const pipelineWebhook = new CodepipelineWebhook(this, 'pipeline-webhook', {
      name: pipelineWebhookName(binding.pipelineName),
      targetPipeline: binding.pipelineName,
      targetAction: this.actionName,
      authentication: 'GITHUB_HMAC',
      authenticationConfiguration: { secretToken },
      // Only pushes to the configured branch; {Branch} is the action's Branch setting.
      filter: [{ jsonPath: '$.ref', matchEquals: 'refs/heads/{Branch}' }],
    });
    Suppressions.add(pipelineWebhook, {
      ruleId: 'CIP_SEC_2',
      reason:
        'The HMAC secret must be set on both webhooks, and secret_token has no write-only form, so the state holds ' +
        "it (docs/secrets.md's table); connection mode has no webhook secret",
    });
    const repositoryWebhook = new RepositoryWebhook(this, 'github-webhook', {
      repository: this.repository.repositoryName,
      events: ['push'],
      active: true,
      configuration: { url: pipelineWebhook.url, contentType: 'json', insecureSsl: false, secret: secretToken },
    });
    this.webhooks = { pipelineWebhook, repositoryWebhook };
    return {
      declaration: {
        name: this.actionName,
        category: 'Source',
        owner: 'ThirdParty',
        provider: 'GitHub',
        version: '1',
        outputArtifacts: [this.outputArtifact],
        configuration: {
          Owner: this.repository.owner,
          Repo: this.repository.repositoryName,
          Branch: this.repository.branch,
          OAuthToken: this.oauthToken.secretString,
          // The webhook starts the pipeline; polling would start it twice.
          PollForSourceChanges: 'false',
        },
      },
      // CodePipeline returns the GitHub token masked, so every plan would show a change
      // to it. Ignoring it keeps plans clean; replacing the token therefore needs
      // `terraform apply -replace` on the pipeline (see the README).
      ignoredChanges: ['configuration["OAuthToken"]'],
      pipelineType: 'V1',
    };
  }

  /** The webhooks' shared secret: read from Secrets Manager, or generated. */
  private get webhookSecretValue(): string {
    return this.webhookSecret instanceof Password ? this.webhookSecret.result : this.webhookSecret.secretString;
  }

  private readWebhookSecret(secretId: string): DataAwsSecretsmanagerSecretVersion {
    return readSecret(
      this,
      'webhook-secret',
      secretId,
      "the webhooks' secret_token and configuration.secret",
      `Next: store the webhooks' secret (letters and digits, at most 100) as ${secretId}, or leave ` +
        `github.webhookSecret out to have one generated. Then deploy ${stackNameOf(this)}.`,
    );
  }

  /**
   * Alphanumeric only: CodePipeline silently ignores deliveries signed with a secret that contains special characters.
   * Generated once, then stable in state.
   */
  private generateWebhookSecret(): Password {
    const stack = TerraformStack.of(this);
    // The random provider, once per stack, only in stacks that generate a secret.
    if (!stack.node.tryFindChild('random')) new RandomProvider(stack, 'random');
    requireRandomProvider(stack);
    return new Password(this, 'webhook-secret', {
      length: WEBHOOK_SECRET_LENGTH,
      special: false,
      upper: true,
      lower: true,
      numeric: true,
    });
  }
}
