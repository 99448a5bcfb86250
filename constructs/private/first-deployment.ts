/**
 * What a first deployment into an empty account needs from a person, said where it is needed: the one manual step of
 * each trigger mode, as the repository's stack prints it when it is deployed, and as the pipeline's stack refuses to
 * go on without it. A created repository does not exist until its stack is applied, so a fine-grained token cannot
 * be scoped to it, nor the AWS Connector app given it, any earlier (docs/first-deployment.md).
 */
import { DataAwsSecretsmanagerSecrets } from '@cdktf/provider-aws/lib/data-aws-secretsmanager-secrets';
import { Fn, TerraformResourceLifecycle, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';

/** The repository a step is about, and the stack to deploy once the step is done. */
export interface StepTarget {
  /** `owner/name`. */
  readonly repository: string;
  /** The stack that deploys the pipeline. */
  readonly pipelineStack: string;
}

/** The GitHub tokens webhook mode reads from Secrets Manager, by secret name or ARN. */
export interface WebhookTokenSecrets {
  /** CodePipeline's token. */
  readonly pipeline: string;
  /** CodeBuild's token for pull-request builds; undefined when the pipeline builds no pull requests. */
  readonly pullRequestBuilds?: string;
}

/**
 * Webhook mode's step: the fine-grained tokens, scoped to the one repository, with the permissions each needs
 * (GitHub Docs, "Permissions required for fine-grained personal access tokens"; CodeBuild User Guide, "GitHub and
 * GitHub Enterprise Server access token"), stored where the pipeline's stack reads them.
 */
export function tokenStep(target: StepTarget, secrets: WebhookTokenSecrets): string {
  const tokens = [
    `${secrets.pipeline} (Contents: read-only)`,
    ...(secrets.pullRequestBuilds === undefined
      ? []
      : [
          `${secrets.pullRequestBuilds} (Contents and Pull requests: read-only; Commit statuses and Webhooks: read ` +
            `and write; in CodeBuild's JSON format)`,
        ]),
  ];
  const count = tokens.length === 1 ? 'a fine-grained GitHub token' : 'two fine-grained GitHub tokens';
  return (
    `Next: make ${count} with access to only ${target.repository}, and store ${tokens.length === 1 ? 'it' : 'them'} ` +
    `in Secrets Manager as ${tokens.join(' and ')}: docs/secrets.md shows how. Then deploy ${target.pipelineStack}.`
  );
}

/**
 * Connection mode's step: the connection approved, and its AWS Connector for GitHub app given the repository
 * (CodePipeline User Guide, "Update a pending connection"; GitHub Docs, "Reviewing and modifying installed GitHub
 * Apps").
 */
export function connectionStep(target: StepTarget, connection: string): string {
  return (
    `Next: approve the connection ${connection} if it is PENDING (AWS console: Developer Tools > Settings > ` +
    `Connections > Update pending connection), and let its AWS Connector for GitHub app reach ${target.repository} ` +
    `(on GitHub, the owner's installed GitHub Apps: AWS Connector for GitHub > Configure > Repository access: All ` +
    `repositories, or Only select repositories with it added). Then deploy ${target.pipelineStack}.`
  );
}

/** The stack `scope` deploys with, by the name `cdktf deploy` takes. */
export const stackNameOf = (scope: Construct): string => TerraformStack.of(scope).node.id;

/** The target of the steps of a construct in a pipeline's stack that builds `repository`. */
export const stepTargetOf = (scope: Construct, repository: { readonly fullName: string }): StepTarget => ({
  repository: repository.fullName,
  pipelineStack: stackNameOf(scope),
});

/**
 * A precondition for reading the secret `name`: that Secrets Manager holds it. Without it Terraform's own error is
 * AWS's `ResourceNotFoundException`, which does not say what to do; with it, the plan stops before the read with
 * `whatNext`. A secret given by ARN is one the user stored already, and is read as it is.
 */
export function storedSecretLifecycle(
  scope: Construct,
  id: string,
  name: string,
  whatNext: string,
): TerraformResourceLifecycle | undefined {
  if (name.startsWith('arn:')) return undefined;
  // ListSecrets filters by name prefix (Secrets Manager API Reference, "Filter"); the condition wants the name itself.
  const listed = new DataAwsSecretsmanagerSecrets(scope, id, { filter: [{ name: 'name', values: [name] }] });
  return {
    precondition: [
      {
        condition: Fn.contains(listed.names, name),
        errorMessage: `Secrets Manager holds no secret named ${name} in this region yet. ${whatNext}`,
      },
    ],
  };
}
