/**
 * Every rule about a single value, by name. Constructs validate their props
 * with them and the configuration schema reaches them through the constructs'
 * validation, so the two can never disagree about what is allowed.
 *
 * Each check returns `undefined` when the value is allowed, or a sentence that
 * says what is allowed. Limits come from the owning service's documentation,
 * cited next to each rule; where a rule is stricter than the service, it says why.
 */
import { isTrustedPrivilegedImage } from '../../guardrails/rules/codebuild';
import { Check } from './validation';

const matches =
  (pattern: RegExp, allowed: string): Check<string> =>
  (value) =>
    typeof value === 'string' && pattern.test(value) ? undefined : allowed;

/** One of a fixed list of values. */
export const checkOneOf =
  <T extends string>(values: readonly T[]): Check<string> =>
  (value) =>
    (values as readonly string[]).includes(value) ? undefined : `must be one of ${values.join(', ')}`;

/** `true` or `false`. */
export const checkBoolean: Check<boolean> = (value) =>
  typeof value === 'boolean' ? undefined : 'must be true or false';

/** An integer within [min, max]. */
export const checkIntegerBetween =
  (min: number, max: number): Check<number> =>
  (value) =>
    Number.isInteger(value) && value >= min && value <= max
      ? undefined
      : max === Number.MAX_SAFE_INTEGER
        ? `must be an integer >= ${min}`
        : `must be an integer from ${min} to ${max}`;

// --- This project's names ---------------------------------------------------

/**
 * A pipeline's short name. It becomes part of the stack name, the state key, the
 * CodeBuild project, the CodePipeline, IAM role names (64 characters at most) and
 * S3 bucket names (lowercase only), so it is held to the strictest of those rules.
 */
export const checkPipelineName = matches(
  /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/,
  'must be 2-32 characters of lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen',
);

/** A path inside the source repository, relative to its root (`.` for the root itself). */
export const checkRelativePath: Check<string> = (value) =>
  typeof value === 'string' &&
  value.length > 0 &&
  !value.startsWith('/') &&
  !value.split('/').includes('..') &&
  /^[A-Za-z0-9._/-]+$/.test(value)
    ? undefined
    : 'must be a path relative to the repository root ("." for the root), made of letters, digits, ".", "_", "-" and "/", without ".." or a leading "/"';

/** The prefix of the Terraform variables that carry registry credentials (Terraform identifiers, kept lowercase). */
export const checkVariablePrefix = matches(
  /^[a-z][a-z0-9_]{0,40}$/,
  'must be 1-41 lowercase letters, digits and "_", starting with a letter',
);

// --- GitHub -----------------------------------------------------------------

/** GitHub user or organization login (GitHub's sign-up form: alphanumerics and single hyphens, at most 39). */
export const checkGitHubOwner = matches(
  /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/,
  'must be a GitHub login: 1-39 letters, digits or single hyphens, not starting or ending with a hyphen',
);

/** GitHub repository name (GitHub's "Create a new repository" form: at most 100 of letters, digits, ".", "-", "_"). */
export const checkGitHubRepository: Check<string> = (value) => {
  const allowed =
    'must be a GitHub repository name: 1-100 letters, digits, ".", "-" or "_", not "." or "..", not ending in ".git"';
  if (typeof value !== 'string' || !/^[A-Za-z0-9._-]{1,100}$/.test(value)) return allowed;
  if (value === '.' || value === '..' || value.toLowerCase().endsWith('.git')) return allowed;
  return undefined;
};

/**
 * A branch name git and GitHub accept: git-check-ref-format(1) with `--branch`
 * (which also refuses a leading "-" and the name "HEAD"), and GitHub's refusal
 * of names of 40 hexadecimal characters, which look like commit IDs (its
 * "GH002" push error). At most 255 bytes, the length of a file name, since git
 * stores a branch as a file.
 */
export const checkBranchName: Check<string> = (value) => {
  const allowed =
    'must be a branch name git and GitHub accept: no spaces, "..", "~", "^", ":", "?", "*", "[", "\\", "@{" or control characters, ' +
    'not starting with "-" or "/", not ending with "/", "." or ".lock", no path component starting with ".", not "HEAD" or "@", ' +
    'not 40 hexadecimal characters, and at most 255 bytes';
  if (typeof value !== 'string' || value.length === 0 || Buffer.byteLength(value) > 255) return allowed;
  if (value === 'HEAD' || /^[0-9a-f]{40}$/i.test(value)) return allowed;
  // eslint-disable-next-line no-control-regex -- git refuses control characters in a ref name.
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(value)) return allowed;
  if (value.includes('..') || value.includes('@{') || value.includes('//') || value === '@') return allowed;
  if (value.startsWith('-') || value.startsWith('/') || value.endsWith('/') || value.endsWith('.')) return allowed;
  if (value.split('/').some((part) => part.startsWith('.') || part.endsWith('.lock'))) return allowed;
  return undefined;
};

/**
 * A code owner (GitHub Docs, "About code owners"): a user (`@octocat`), a team
 * of an organization (`@octo-org/octo-team`) or an e-mail address.
 */
export const checkCodeOwner = matches(
  /^(?:@[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}(?:\/[A-Za-z0-9][A-Za-z0-9_.-]*)?|[^@\s]+@[^@\s]+\.[^@\s]+)$/,
  'must be a GitHub user ("@name"), a team ("@org/team") or an e-mail address',
);

/**
 * A CODEOWNERS path pattern (GitHub Docs, "About code owners": gitignore-like
 * patterns, except that "!" negation and "[ ]" ranges do not work, and a line
 * starting with "#" is a comment). Spaces are refused too: they separate owners.
 */
export const checkCodeOwnersPattern = matches(
  /^[^\s!#[\]][^\s[\]]*$/,
  'must be a CODEOWNERS path pattern such as "/app/Dockerfile": no spaces, "[" or "]", not starting with "!" or "#"',
);

/** A required status check's context (GitHub REST API, "Create a commit status": `context`, a label); leading or trailing spaces would never match. */
export const checkStatusCheckContext = matches(
  // eslint-disable-next-line no-control-regex -- control characters are what the pattern refuses.
  /^\S(?:[^\x00-\x1f\x7f]{0,253}\S)?$/,
  'must be a status check context: 1-255 printable characters, not starting or ending with a space',
);

// --- AWS: accounts, regions, ARNs -------------------------------------------

/**
 * An AWS region code such as `eu-west-1`, `us-gov-west-1` or `eusc-de-east-1`
 * (AWS General Reference, "AWS service endpoints"; the European Sovereign Cloud's
 * regions start with `eusc-`).
 */
export const checkAwsRegion = matches(
  /^(?:[a-z]{2}(?:-gov|-iso[a-z]?)?|eusc-[a-z]{2})-[a-z]+-\d{1,2}$/,
  'must be an AWS region code such as "us-east-1" or "eu-central-1"',
);

/**
 * The partition a region belongs to, as ARNs in it are written (AWS General
 * Reference, "Amazon Resource Names": `aws`, `aws-cn`, `aws-us-gov`, and the
 * isolated and sovereign partitions).
 */
export function partitionOf(region: string): string {
  const partitions: readonly (readonly [string, string])[] = [
    ['cn-', 'aws-cn'],
    ['us-gov-', 'aws-us-gov'],
    ['us-isob-', 'aws-iso-b'],
    ['us-iso-', 'aws-iso'],
    ['eusc-', 'aws-eusc'],
  ];
  return partitions.find(([prefix]) => region.startsWith(prefix))?.[1] ?? 'aws';
}

/** An ARN (`arn:partition:service:region:account:resource`) in the partition of `region`: no ARN is usable across partitions. */
export const checkArnInPartitionOf =
  (region: string): Check<string> =>
  (arn) => {
    const partition = typeof arn === 'string' ? arn.split(':')[1] : undefined;
    return partition === partitionOf(region)
      ? undefined
      : `must be in the partition "${partitionOf(region)}" of the region "${region}", not "${partition ?? ''}"`;
  };

/**
 * A regional ARN usable where `region` is: in that region and its partition.
 * KMS keys and secrets serve only their own region.
 */
export const checkArnUsableIn =
  (region: string, where: string): Check<string> =>
  (arn) => {
    const arnRegion = typeof arn === 'string' ? arn.split(':')[3] : undefined;
    if (arnRegion !== region)
      return `must be in the region "${region}" of ${where} (keys and secrets serve only their own region), not "${arnRegion ?? ''}"`;
    return checkArnInPartitionOf(region)(arn);
  };

/** A service principal such as `codebuild.amazonaws.com` (IAM User Guide, "AWS JSON policy elements: Principal"). */
export const checkServicePrincipal = matches(
  /^[a-z0-9.-]+\.amazonaws\.com$/,
  'must be a service principal such as "codebuild.amazonaws.com"',
);

// --- IAM ----------------------------------------------------------------------

/** An IAM role name (IAM API Reference, CreateRole: RoleName, 1-64 of `[\w+=,.@-]`). */
export const checkIamRoleName = matches(/^[\w+=,.@-]{1,64}$/, 'must be 1-64 letters, digits and +=,.@_-');

/** An inline policy's name (IAM API Reference, PutRolePolicy: PolicyName, 1-128 of `[\w+=,.@-]`). */
export const checkIamPolicyName = matches(/^[\w+=,.@-]{1,128}$/, 'must be 1-128 letters, digits and +=,.@_-');

/** An IAM policy statement ID (IAM User Guide, "IAM JSON policy elements: Sid": ASCII letters and digits). */
export const checkStatementId = matches(/^[A-Za-z0-9]{1,100}$/, 'must be 1-100 ASCII letters and digits');

// --- S3 -----------------------------------------------------------------------

// S3 User Guide, "General purpose bucket naming rules".
const S3_RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'] as const;
const S3_RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'] as const;
const quoted = (values: readonly string[]) => values.map((value) => `"${value}"`).join(', ');

/**
 * The name of a general purpose bucket (S3 User Guide, "General purpose bucket
 * naming rules"): 3-63 lowercase letters, digits, "." and "-", beginning and
 * ending with a letter or digit, no "..", not an IP address, none of the
 * reserved prefixes and suffixes; a name ending in `-an` must be in an account
 * regional namespace (`<prefix>-<account id>-<region>-an`).
 */
export const checkS3BucketName: Check<string> = (value) => {
  const allowed =
    'must be a valid S3 bucket name: 3-63 lowercase letters, digits, "." or "-", starting and ending with a letter or digit, ' +
    `no "..", not an IP address, no reserved prefix (${quoted(S3_RESERVED_PREFIXES)}) or suffix (${quoted(S3_RESERVED_SUFFIXES)}), ` +
    'and ending in "-an" only as "<prefix>-<account id>-<region>-an" (an account regional namespace)';
  if (typeof value !== 'string' || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(value)) return allowed;
  if (value.includes('..') || /^\d{1,3}(\.\d{1,3}){3}$/.test(value)) return allowed;
  if (S3_RESERVED_PREFIXES.some((prefix) => value.startsWith(prefix))) return allowed;
  if (S3_RESERVED_SUFFIXES.some((suffix) => value.endsWith(suffix))) return allowed;
  if (value.endsWith('-an') && !/-\d{12}-[a-z0-9-]+-an$/.test(value)) return allowed;
  return undefined;
};

/**
 * The name of a bucket to create in the shared global namespace, as the state
 * bootstrap stack does: also not ending in `-an`, which only account regional
 * namespaces may use.
 */
export const checkNewS3BucketName: Check<string> = (value) =>
  checkS3BucketName(value) ??
  (value.endsWith('-an')
    ? 'must not end in "-an", which only buckets in an account regional namespace may (a bucket created here is in the global namespace)'
    : undefined);

/**
 * A prefix from which Terraform generates a bucket name: the AWS provider's
 * `aws_s3_bucket.bucket_prefix` is at most 37 characters, leaving 26 digits for
 * its suffix; the name it makes must follow the bucket naming rules, so the
 * prefix starts with none of the reserved prefixes and has no "..".
 */
export const checkS3BucketPrefix: Check<string> = (value) =>
  typeof value === 'string' &&
  /^[a-z0-9][a-z0-9.-]{0,36}$/.test(value) &&
  !value.includes('..') &&
  !S3_RESERVED_PREFIXES.some((prefix) => value.startsWith(prefix))
    ? undefined
    : `must be 1-37 lowercase letters, digits, "." or "-", starting with a letter or digit, without ".." or a reserved prefix (${quoted(S3_RESERVED_PREFIXES)})`;

/**
 * An S3 object key or key prefix made of path segments (the state key). S3 allows
 * almost any key; this keeps to its "safe characters" (S3 User Guide, "Naming
 * Amazon S3 objects") so the key needs no escaping in a backend block or a URL.
 */
export const checkS3KeyPrefix = matches(
  /^[A-Za-z0-9!_.*'()-]+(?:\/[A-Za-z0-9!_.*'()-]+)*$/,
  'must be path segments of letters, digits and !_.*\'()- separated by single "/", without a leading or trailing "/"',
);

// --- KMS ----------------------------------------------------------------------

/** A KMS key or alias ARN, where AWS accepts either (the S3 backend's `kms_key_id`). */
export const checkKmsKeyOrAliasArn = matches(
  /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/[A-Za-z0-9/_-]+$/,
  'must be a KMS key or alias ARN such as "arn:aws:kms:eu-west-1:123456789012:key/<id>"',
);

/**
 * How a client may name a KMS key that is in its own account and region: a key
 * or alias ARN, an alias name, or a key ID (KMS Developer Guide, "Key
 * identifiers (KeyId)"); the forms Terraform's S3 backend accepts for `kms_key_id`.
 */
export const checkKmsKeyIdentifier: Check<string> = (value) =>
  checkKmsKeyOrAliasArn(value) === undefined ||
  (typeof value === 'string' &&
    (/^alias\/[a-zA-Z0-9/_-]{1,250}$/.test(value) ||
      /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/.test(value)))
    ? undefined
    : 'must be a KMS key ARN, alias ARN, alias name ("alias/<name>") or key ID';

/**
 * A KMS key ARN, single- or multi-Region. Not an alias: CloudWatch Logs and ECR
 * accept only a key's ARN, and an alias can be repointed under a running pipeline.
 */
export const checkKmsKeyArn = matches(
  /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/,
  'must be a KMS key ARN such as "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab" (not an alias ARN)',
);

/**
 * A KMS alias without its `alias/` prefix (KMS API Reference, CreateAlias:
 * AliasName, 1-256 characters of `[a-zA-Z0-9:/_-]` including the prefix, and
 * never `alias/aws/`, which AWS reserves). ":" is refused too: it would be
 * ambiguous in the alias's ARN.
 */
export const checkKmsAliasName: Check<string> = (value) =>
  typeof value === 'string' && /^[a-zA-Z0-9/_-]{1,250}$/.test(value) && !value.startsWith('aws/')
    ? undefined
    : 'must be 1-250 letters, digits and /_- without the "alias/" prefix, and not start with "aws/"';

// --- Secrets Manager ----------------------------------------------------------

/** A secret's name (Secrets Manager API Reference, CreateSecret: Name, 1-512 of letters, digits and `/_+=.@-`). */
export const checkSecretName = matches(/^[A-Za-z0-9/_+=.@-]{1,512}$/, 'must be 1-512 letters, digits and /_+=.@-');

/** A secret's name or ARN, to read an existing secret by (GetSecretValue: SecretId). */
export const checkSecretId = matches(
  /^(?:arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:)?[A-Za-z0-9/_+=.@-]{1,512}$/,
  'must be a Secrets Manager secret name or ARN: 1-512 letters, digits and /_+=.@-',
);

/** A secret's full ARN, which Terraform imports a secret by. */
export const checkSecretArn = matches(
  /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/,
  'must be a Secrets Manager secret ARN such as "arn:aws:secretsmanager:eu-west-1:123456789012:secret:ci/app/dockerhub-AbCdEf"',
);

// --- Container images ---------------------------------------------------------

/**
 * An ECR repository name (ECR API Reference, CreateRepository: repositoryName,
 * 2-256 characters matching `(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*`:
 * lowercase parts joined by single ".", "_" or "-", in "/"-separated namespaces).
 */
export const checkEcrRepositoryName: Check<string> = (value) =>
  typeof value === 'string' &&
  value.length >= 2 &&
  value.length <= 256 &&
  /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(value)
    ? undefined
    : 'must be an ECR repository name: 2-256 lowercase letters and digits, joined by single ".", "_" or "-", in "/"-separated parts (e.g. "team/app"), without a tag';

/**
 * A Docker Hub repository, `namespace/name`: the namespace is a Docker ID or
 * organization, 4-30 lowercase letters and digits (Docker Docs, "Create an
 * account"); the name 2-255 lowercase letters, digits, "-" and "_" (Docker Docs,
 * "Create a repository"), beginning and ending with a letter or digit as image
 * references require (OCI distribution, repository name components).
 */
export const checkDockerHubRepository: Check<string> = (value) => {
  const [namespace, name, ...rest] = typeof value === 'string' ? value.split('/') : [];
  return rest.length === 0 &&
    /^[a-z0-9]{4,30}$/.test(namespace ?? '') &&
    /^[a-z0-9][a-z0-9_-]{0,253}[a-z0-9]$/.test(name ?? '')
    ? undefined
    : 'must be a Docker Hub repository "namespace/name": a namespace of 4-30 lowercase letters and digits, and a name of 2-255 lowercase letters, digits, "-" and "_" that begins and ends with a letter or digit (e.g. "myorg/my-app")';
};

// --- CodeBuild ----------------------------------------------------------------

/** A CodeBuild project name (CodeBuild API Reference, CreateProject: name, `[A-Za-z0-9][A-Za-z0-9\-_]{1,149}`). */
export const checkCodeBuildProjectName = matches(
  /^[A-Za-z0-9][A-Za-z0-9_-]{1,149}$/,
  'must be 2-150 letters, digits, "-" and "_", starting with a letter or digit',
);

/** A report group name (CodeBuild API Reference, CreateReportGroup: name, 2-128 characters). */
export const checkReportGroupName = matches(
  /^[A-Za-z0-9][A-Za-z0-9_-]{1,127}$/,
  'must be 2-128 letters, digits, "-" and "_", starting with a letter or digit',
);

/** CodeBuild's compute types for on-demand Linux containers (CodeBuild User Guide, "Build environment compute types"). */
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
  /^[a-z0-9][a-z0-9._/:@-]{1,254}$/,
  'must be a CodeBuild image such as "aws/codebuild/standard:7.0" or an image reference such as "public.ecr.aws/org/image@sha256:<digest>"',
);

/** CodeBuild's limits, in minutes, on build and queue time (CodeBuild API Reference, CreateProject: timeoutInMinutes, queuedTimeoutInMinutes). */
export const checkBuildTimeoutMinutes = checkIntegerBetween(5, 2160);
export const checkQueuedTimeoutMinutes = checkIntegerBetween(5, 480);
/** CreateProject: concurrentBuildLimit, at least 1 (its maximum is the account's quota, unknown here). */
export const checkConcurrentBuildLimit = checkIntegerBetween(1, Number.MAX_SAFE_INTEGER);

/**
 * A build environment variable's name: a shell identifier that does not start
 * with `CODEBUILD_`, which CodeBuild reserves for its own (CodeBuild User Guide,
 * "Environment variables in build environments").
 */
export const checkEnvironmentVariableName: Check<string> = (value) =>
  typeof value === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(value) && !value.startsWith('CODEBUILD_')
    ? undefined
    : 'must be letters, digits and "_", not starting with a digit or with CODEBUILD_';

// --- CloudWatch Logs ----------------------------------------------------------

/**
 * A log group's name (CloudWatch Logs API Reference, CreateLogGroup: logGroupName,
 * 1-512 of `[.\-_/#A-Za-z0-9]`, and not starting with `aws/`, which AWS reserves).
 */
export const checkLogGroupName: Check<string> = (value) =>
  typeof value === 'string' && /^[.\-_/#A-Za-z0-9]{1,512}$/.test(value) && !value.startsWith('aws/')
    ? undefined
    : 'must be 1-512 letters, digits and ._-/#, not starting with "aws/"';

/** The retention periods CloudWatch Logs accepts (PutRetentionPolicy: retentionInDays); 0, "never expire", is deliberately not offered. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export const checkLogRetentionDays: Check<number> = (value) =>
  (LOG_RETENTION_DAYS as readonly number[]).includes(value)
    ? undefined
    : `must be one of CloudWatch Logs' retention periods: ${LOG_RETENTION_DAYS.join(', ')}`;

// --- CodePipeline and CodeConnections -------------------------------------------

/** A CodePipeline name (CodePipeline API Reference, PipelineDeclaration: name, 1-100 of `[A-Za-z0-9.@\-_]`). */
export const checkCodePipelineName = matches(/^[A-Za-z0-9.@_-]{1,100}$/, 'must be 1-100 letters, digits and .@_-');

/** A stage or action name (CodePipeline API Reference, StageDeclaration and ActionDeclaration: name, 1-100 of `[A-Za-z0-9.@\-_]`). */
export const checkStageOrActionName = checkCodePipelineName;

/**
 * A connection's name (CodeConnections API Reference, CreateConnection:
 * ConnectionName, 1-32 characters); limited to the characters a pipeline name
 * may have, since ours are derived from pipeline names.
 */
export const checkConnectionName = matches(/^[A-Za-z0-9.@_-]{1,32}$/, 'must be 1-32 letters, digits and .@_-');

/** A glob pattern of a trigger's filter (CodePipeline API Reference, GitBranchFilterCriteria, GitFilePathFilterCriteria and GitTagFilterCriteria: includes, 1-255 characters). */
export const checkTriggerFilterPattern: Check<string> = (value) =>
  typeof value === 'string' && value.length >= 1 && value.length <= 255 ? undefined : 'must be 1-255 characters long';

/** An AWS CodeConnections (formerly CodeStar Connections) connection ARN. */
export const checkConnectionArn = matches(
  /^arn:aws[a-z-]*:(codestar-connections|codeconnections):[a-z0-9-]+:\d{12}:connection\/[0-9a-f-]+$/,
  'must be a connection ARN such as "arn:aws:codeconnections:eu-west-1:123456789012:connection/<uuid>"',
);

/** Whether a value is computed by Terraform (a reference or other expression), so only Terraform can check it. */
const isTerraformExpression = (value: string) => value.includes('${');

// --- SNS, CodeStar Notifications and AWS Chatbot ------------------------------

/**
 * A standard SNS topic's name (SNS API Reference, CreateTopic: Name, "1 to 256
 * characters long" of "uppercase and lowercase ASCII letters, numbers,
 * underscores, and hyphens"). FIFO topic names, which end in `.fifo`, are not
 * accepted: notification rules publish to standard topics.
 */
export const checkSnsTopicName = matches(
  /^[A-Za-z0-9_-]{1,256}$/,
  'must be 1-256 letters, digits, "-" and "_" (a standard topic, not ".fifo")',
);

/**
 * An e-mail address for an SNS `email` subscription: one "@" with a local part
 * and a domain that has a dot, no spaces, at most 254 characters (RFC 5321's
 * limit on a forward path, less its angle brackets). A shape check, not RFC 5322:
 * SNS is the judge, and its confirmation mail is the proof.
 */
export const checkEmailAddress: Check<string> = (value) =>
  typeof value === 'string' && value.length <= 254 && /^[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+$/.test(value)
    ? undefined
    : 'must be an e-mail address such as "team@example.com" (at most 254 characters, no spaces)';

/**
 * A notification rule's name (CodeStar Notifications API Reference,
 * CreateNotificationRule: Name, 1-64 characters of `[A-Za-z0-9\-_ ]`), unique
 * in the account.
 */
export const checkNotificationRuleName = matches(
  /^[A-Za-z0-9_ -]{1,64}$/,
  'must be 1-64 letters, digits, spaces, "-" and "_"',
);

/**
 * A notification event type ID such as `codebuild-project-build-state-failed`
 * ("Events for notification rules", Developer Tools console User Guide,
 * https://docs.aws.amazon.com/dtconsole/latest/userguide/concepts.html):
 * lowercase words joined by hyphens, at most 200 characters (CreateNotificationRule: EventTypeId).
 */
export const checkNotificationEventTypeId = matches(
  /^(?=.{1,200}$)[a-z0-9]+(?:-[a-z0-9]+)+$/,
  'must be a notification event type ID such as "codepipeline-pipeline-pipeline-execution-failed": lowercase words joined by "-"',
);

/**
 * The resource a notification rule watches (CreateNotificationRule: Resource,
 * `arn:aws[^:\s]*:[^:\s]*:[^:\s]*:[0-9]{12}:[^\s]+`), or a Terraform reference
 * to one such as a pipeline's `arn`, which only Terraform can check.
 */
export const checkNotificationRuleResource: Check<string> = (value) =>
  typeof value === 'string' &&
  (isTerraformExpression(value) || /^arn:aws[^:\s]*:[^:\s]*:[^:\s]*:\d{12}:\S+$/.test(value))
    ? undefined
    : 'must be the ARN of a pipeline or build project, such as "arn:aws:codepipeline:eu-west-1:123456789012:my-pipeline", or a reference to one';

/**
 * An AWS Chatbot Slack channel configuration's ARN,
 * `arn:<partition>:chatbot::<account>:chat-configuration/slack-channel/<name>`
 * (AWS Chatbot Administrator Guide, "IAM resource-level permissions for AWS Chatbot": the
 * `chat-configuration` resource, global, so without a region; a configuration name is
 * 1-128 letters, digits, "-" and "_", Chatbot API Reference, CreateSlackChannelConfiguration).
 */
export const checkChatbotSlackChannelArn = matches(
  /^arn:aws[a-z-]*:chatbot::\d{12}:chat-configuration\/slack-channel\/[A-Za-z0-9_-]{1,128}$/,
  'must be an AWS Chatbot Slack channel configuration ARN such as "arn:aws:chatbot::123456789012:chat-configuration/slack-channel/ci-alerts"',
);

// --- Confused-deputy conditions (ServiceRole) -------------------------------

/**
 * An AWS account ID for `aws:SourceAccount`: 12 digits ("Your AWS account
 * identifiers", AWS Account Management Reference Guide), or a Terraform
 * expression such as `AwsContext.accountId`.
 */
export const checkSourceAccount: Check<string> = (value) =>
  typeof value === 'string' && (/^\d{12}$/.test(value) || isTerraformExpression(value))
    ? undefined
    : 'must be a 12-digit AWS account ID or a Terraform reference to one';

/**
 * An ARN pattern for `aws:SourceArn` with an account in it: `arn:partition:service:region:account:resource`,
 * the account being 12 digits or an expression, never a wildcard ("Amazon Resource Names (ARNs)", IAM User Guide).
 */
export const checkSourceArn: Check<string> = (value) => {
  if (typeof value !== 'string') return 'must be an ARN';
  const fields = value.split(':');
  const account = fields[4] ?? '';
  if (!value.startsWith('arn:') || fields.length < 6)
    return 'must be an ARN such as "arn:aws:codebuild:eu-west-1:123456789012:project/name"';
  return /^\d{12}$/.test(account) || isTerraformExpression(account)
    ? undefined
    : 'must name one account (12 digits or a reference) in its account field, not a wildcard or nothing';
};

// --- Privileged builds (BuildProject) ---------------------------------------

/**
 * The image of a build that runs Docker, which needs privileged mode (root on
 * the build host): one CodeBuild provides and maintains ("Docker images
 * provided by CodeBuild", AWS CodeBuild User Guide) or one pinned by digest, so
 * that nobody who can move a tag can take the host. The guardrail CIP_CB_1
 * holds the synthesized project to the same rule; an image the stack computes
 * (a reference) is left to it.
 */
export const checkPrivilegedBuildImage: Check<string> = (value) =>
  typeof value === 'string' && (value.includes('${') || isTrustedPrivilegedImage(value))
    ? undefined
    : 'must be a CodeBuild image ("aws/codebuild/...") or pinned by digest ("name@sha256:<64 hex digits>"): a build that runs Docker runs privileged, as root on its host';
