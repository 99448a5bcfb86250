/**
 * The plain environment variables of a CodeBuild project that plans Terraform (the infrastructure pipeline's): the
 * state its role may read and lock, and the secrets its plans read. The construct sets them, the guardrails derive the
 * role's needs from them (CIP_IAM_13 holds the role to exactly that), and the pull-request step checks each stack's
 * backend against them before planning it. A leaf module: the constructs, the guardrails and the tools import it.
 */
export const PLAN_BUILD_VARIABLES = {
  /** The S3 bucket of the stacks' state. */
  stateBucket: 'TF_STATE_BUCKET',
  /** The prefix every planned stack's state key is under (no leading or trailing "/"). */
  stateKeyPrefix: 'TF_STATE_KEY_PREFIX',
  /** The KMS key (its ARN) the state is encrypted with. */
  stateKmsKey: 'TF_STATE_KMS_KEY',
  /** `true` when the build takes the state lock (a plan that is applied); a pull request's preview takes none. */
  stateLock: 'TF_STATE_LOCK',
  /** `true` when the build writes the state (an apply); it then takes the lock too. */
  stateWrite: 'TF_STATE_WRITE',
  /**
   * The services (IAM prefixes) a build that applies may change, separated by commas: what `applyStatements`
   * (apply-permissions.ts) grants it beyond the state.
   */
  applyServices: 'TF_APPLY_SERVICES',
  /** The secrets the plans read, by ARN (a name's ARN ends in "-??????"), separated by commas. */
  planSecrets: 'TF_PLAN_SECRETS',
} as const;

/**
 * The build's secret variable with the GitHub provider's token, kept apart from `GITHUB_TOKEN`, which the pull-request
 * step comments with: the provider reads `GITHUB_TOKEN`, so the step gives Terraform this one under that name.
 */
export const GITHUB_PROVIDER_TOKEN_VARIABLE = 'GITHUB_PROVIDER_TOKEN';
