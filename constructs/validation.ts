/**
 * Naming and range rules shared by the constructs (which throw on a bad prop)
 * and the configuration schema (which reports every bad field at once), so the
 * two can never disagree about what is allowed.
 *
 * Each check returns `undefined` when the value is allowed, or a sentence that
 * says what is allowed.
 */

export type Check<T> = (value: T) => string | undefined;

/** Thrown by a construct for a prop that breaks one of its rules. */
export class PropValidationError extends Error {
  constructor(construct: string, prop: string, value: unknown, allowed: string) {
    super(`${construct}: invalid prop "${prop}" = ${describeValue(value)}: ${allowed}`);
    this.name = 'PropValidationError';
  }
}

/** Throws {@link PropValidationError} when `check` rejects `value`. */
export function validateProp<T>(construct: string, prop: string, value: T, check: Check<T>): void {
  const problem = check(value);
  if (problem !== undefined) {
    throw new PropValidationError(construct, prop, value, problem);
  }
}

/** Renders a user's value for an error message, quoting strings and bounding length. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

const matches =
  (pattern: RegExp, allowed: string): Check<string> =>
  (value) =>
    typeof value === 'string' && pattern.test(value) ? undefined : allowed;

/**
 * A pipeline's short name. It becomes part of the stack name, the state key, the
 * CodeBuild project, the CodePipeline, IAM role names (64 characters at most) and
 * S3 bucket names (lowercase only), so it is held to the strictest of those rules.
 */
export const checkPipelineName = matches(
  /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/,
  'must be 2-32 characters of lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen',
);

/** GitHub user or organization login. */
export const checkGitHubOwner = matches(
  /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/,
  'must be a GitHub login: 1-39 letters, digits or single hyphens, not starting or ending with a hyphen',
);

/** GitHub repository name. */
export const checkGitHubRepository: Check<string> = (value) => {
  const allowed =
    'must be a GitHub repository name: 1-100 letters, digits, ".", "-" or "_", not "." or "..", not ending in ".git"';
  if (typeof value !== 'string' || !/^[A-Za-z0-9._-]{1,100}$/.test(value)) return allowed;
  if (value === '.' || value === '..' || value.toLowerCase().endsWith('.git')) return allowed;
  return undefined;
};

/** A branch name git accepts (the rules of `git check-ref-format --branch`). */
export const checkBranchName: Check<string> = (value) => {
  const allowed =
    'must be a branch name git accepts: no spaces, "..", "~", "^", ":", "?", "*", "[", "\\", "@{" or control characters, ' +
    'not starting with "-" or "/", not ending with "/", "." or ".lock", and no path component starting with "."';
  if (typeof value !== 'string' || value.length === 0 || value.length > 255) return allowed;
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(value)) return allowed;
  if (value.includes('..') || value.includes('@{') || value.includes('//') || value === '@') return allowed;
  if (value.startsWith('-') || value.startsWith('/') || value.endsWith('/') || value.endsWith('.')) return allowed;
  if (value.split('/').some((part) => part.startsWith('.') || part.endsWith('.lock'))) return allowed;
  return undefined;
};

/** An AWS region code such as `eu-west-1` or `us-gov-west-1`. */
export const checkAwsRegion = matches(
  /^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/,
  'must be an AWS region code such as "us-east-1" or "eu-central-1"',
);

/** An S3 general-purpose bucket name (S3's naming rules). */
export const checkS3BucketName: Check<string> = (value) => {
  const allowed =
    'must be a valid S3 bucket name: 3-63 lowercase letters, digits, "." or "-", starting and ending with a letter or digit, ' +
    'no "..", not an IP address, no reserved prefix ("xn--", "sthree-", "amzn-s3-demo-") or suffix ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")';
  if (typeof value !== 'string' || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(value)) return allowed;
  if (value.includes('..') || /^\d{1,3}(\.\d{1,3}){3}$/.test(value)) return allowed;
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(value)) return allowed;
  if (/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(value)) return allowed;
  return undefined;
};

/** A prefix for S3 object keys (the state key prefix): path segments without leading or trailing slash. */
export const checkS3KeyPrefix = matches(
  /^[A-Za-z0-9!_.*'()-]+(?:\/[A-Za-z0-9!_.*'()-]+)*$/,
  'must be path segments of letters, digits and !_.*\'()- separated by single "/", without a leading or trailing "/"',
);

/**
 * A container image repository name as Docker Hub and ECR accept it: lowercase
 * path components separated by "/", each made of letters and digits joined by
 * ".", "_", "__" or "-".
 */
export const checkImageRepositoryName: Check<string> = (value) => {
  const component = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
  return typeof value === 'string' &&
    value.length >= 2 &&
    value.length <= 256 &&
    new RegExp(`^${component}(?:/${component})*$`).test(value)
    ? undefined
    : 'must be an image repository name: 2-256 lowercase letters and digits in "/"-separated parts, joined by ".", "_" or "-" (e.g. "my-org/my-app"), without a tag';
};

/** A Docker Hub repository is always `namespace/name`. */
export const checkDockerHubRepository: Check<string> = (value) =>
  checkImageRepositoryName(value) ??
  (value.split('/').length === 2 ? undefined : 'must be a Docker Hub repository "namespace/name", e.g. "my-org/my-app"');

/** One of a fixed list of values. */
export const checkOneOf =
  <T extends string>(values: readonly T[]): Check<string> =>
  (value) =>
    (values as readonly string[]).includes(value) ? undefined : `must be one of ${values.join(', ')}`;

/** CodeBuild's compute types for on-demand Linux containers. */
export const COMPUTE_TYPES = [
  'BUILD_GENERAL1_SMALL',
  'BUILD_GENERAL1_MEDIUM',
  'BUILD_GENERAL1_LARGE',
  'BUILD_GENERAL1_XLARGE',
  'BUILD_GENERAL1_2XLARGE',
] as const;
export type ComputeType = (typeof COMPUTE_TYPES)[number];
export const checkComputeType = checkOneOf(COMPUTE_TYPES);


/** A CodeBuild curated or custom image: `aws/codebuild/...` or a registry image reference. */
export const checkBuildImage = matches(
  /^[a-z0-9][a-z0-9._\/:@-]{1,254}$/,
  'must be a CodeBuild image such as "aws/codebuild/standard:7.0" or an image reference such as "public.ecr.aws/org/image:tag"',
);

/** The retention periods CloudWatch Logs accepts (0, "never expire", is deliberately not offered). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export const checkLogRetentionDays: Check<number> = (value) =>
  (LOG_RETENTION_DAYS as readonly number[]).includes(value)
    ? undefined
    : `must be one of CloudWatch Logs' retention periods: ${LOG_RETENTION_DAYS.join(', ')}`;

/** An integer within [min, max]. */
export const checkIntegerBetween =
  (min: number, max: number): Check<number> =>
  (value) =>
    Number.isInteger(value) && value >= min && value <= max
      ? undefined
      : max === Number.MAX_SAFE_INTEGER
        ? `must be an integer >= ${min}`
        : `must be an integer from ${min} to ${max}`;

/** CodeBuild's limits, in minutes, on build and queue time. */
export const checkBuildTimeoutMinutes = checkIntegerBetween(5, 2160);
export const checkQueuedTimeoutMinutes = checkIntegerBetween(5, 480);
export const checkConcurrentBuildLimit = checkIntegerBetween(1, Number.MAX_SAFE_INTEGER);

/** A path inside the source repository, relative to its root (`.` for the root itself). */
export const checkRelativePath: Check<string> = (value) =>
  typeof value === 'string' &&
  value.length > 0 &&
  !value.startsWith('/') &&
  !value.split('/').includes('..') &&
  /^[A-Za-z0-9._\/-]+$/.test(value)
    ? undefined
    : 'must be a path relative to the repository root ("." for the root), made of letters, digits, ".", "_", "-" and "/", without ".." or a leading "/"';

/** An AWS CodeConnections (formerly CodeStar Connections) connection ARN. */
export const checkConnectionArn = matches(
  /^arn:aws[a-z-]*:(codestar-connections|codeconnections):[a-z0-9-]+:\d{12}:connection\/[0-9a-f-]+$/,
  'must be a connection ARN such as "arn:aws:codeconnections:eu-west-1:123456789012:connection/<uuid>"',
);

/** A KMS key or alias ARN, where AWS accepts either (the S3 backend's `kms_key_id`). */
export const checkKmsKeyOrAliasArn = matches(
  /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/[A-Za-z0-9/_-]+$/,
  'must be a KMS key or alias ARN such as "arn:aws:kms:eu-west-1:123456789012:key/<id>"',
);

/**
 * A KMS key ARN, single- or multi-Region. Not an alias: CloudWatch Logs and ECR
 * accept only a key's ARN, and an alias can be repointed under a running pipeline.
 */
export const checkKmsKeyArn = matches(
  /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/,
  'must be a KMS key ARN such as "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab" (not an alias ARN)',
);

/** A regional ARN (`arn:partition:service:region:account:resource`) in `region`: KMS keys serve only their own region. */
export const checkArnInRegion =
  (region: string): Check<string> =>
  (arn) =>
    arn.split(':')[3] === region ? undefined : `must be in the pipelines' region "${region}" (KMS keys are regional)`;

/** A Secrets Manager secret name (or ARN) to read an existing secret from. */
export const checkSecretId = matches(
  /^(?:arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:)?[A-Za-z0-9/_+=.@-]{1,512}$/,
  'must be a Secrets Manager secret name or ARN: 1-512 letters, digits and /_+=.@-',
);
