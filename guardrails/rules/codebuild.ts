import { Rule, simpleRule } from '../core/rule';
import { isTrustedPrivilegedImage } from '../../shared/privileged-images';
import { block, blocks, isTrue, SynthesizedStack } from '../core/terraform-json';

const PROJECT = ['aws_codebuild_project'];

/**
 * Whether an image reference names a tag of an ECR repository of the stack whose tags are IMMUTABLE, so the tag cannot
 * be moved.
 */
function immutableEcrTag(image: string, stack: SynthesizedStack): boolean {
  const match = /^\$\{(aws_ecr_repository\.[A-Za-z0-9_-]+)\.repository_url\}:[A-Za-z0-9._-]+$/.exec(image);
  return match !== null && stack.get(match[1])?.body.image_tag_mutability === 'IMMUTABLE';
}

/** What is wrong with a privileged environment's image: neither curated by CodeBuild nor pinned to a digest. */
export function untrustedPrivilegedImage(
  environment: Record<string, any>,
  stack: SynthesizedStack,
): string | undefined {
  if (!isTrue(environment.privileged_mode)) return undefined;
  const image = String(environment.image ?? '');
  const credentials = environment.image_pull_credentials_type ?? 'CODEBUILD';
  if (isTrustedPrivilegedImage(image, credentials) || immutableEcrTag(image, stack)) return undefined;
  return (
    `environment.privileged_mode is true on the image ${JSON.stringify(image)} (pulled with ${credentials} ` +
    `credentials), which is neither a CodeBuild-managed aws/codebuild/ image nor pinned by @sha256 digest, so ` +
    `whoever can move its tag gets root on the build host`
  );
}

/**
 * Repository roles that cannot push, in each source provider (CodeBuild API
 * Reference, "PullRequestBuildPolicy": approverRoles). Letting them approve
 * builds lets anyone who can read the repository run code with the build's role.
 */
const READ_ONLY_APPROVER_ROLES = [
  'GITHUB_READ',
  'GITHUB_TRIAGE',
  'GITLAB_GUEST',
  'GITLAB_PLANNER',
  'GITLAB_REPORTER',
  'BITBUCKET_READ',
];

/**
 * What is wrong with a webhook's pull-request build policy: builds without
 * approval, or approvals by read-only roles. A webhook that writes no policy is
 * not flagged: CodeBuild gives new projects ALL_PULL_REQUESTS with write,
 * maintain and admin approvers ("Pull request comment approval", CodeBuild User Guide).
 */
export function unreviewedPullRequestBuilds(webhook: Record<string, any>): string[] {
  const policy = block(webhook.pull_request_build_policy);
  if (blocks(webhook.pull_request_build_policy).length === 0) return [];
  const problems: string[] = [];
  if (policy.requires_comment_approval === 'DISABLED') {
    problems.push(
      "pull_request_build_policy.requires_comment_approval is DISABLED, so anyone's pull request is built, its code " +
        "run with the project's role, before anyone reviewed it",
    );
  }
  const readOnly = (Array.isArray(policy.approver_roles) ? policy.approver_roles : []).filter((role: unknown) =>
    READ_ONLY_APPROVER_ROLES.includes(String(role)),
  );
  if (readOnly.length > 0)
    problems.push(
      `pull_request_build_policy.approver_roles lets ${readOnly.join(', ')} approve builds, roles that cannot push`,
    );
  return problems;
}

export const CODEBUILD_RULES: readonly Rule[] = [
  {
    id: 'CKV_AWS_78',
    name: 'CodeBuild artifacts are encrypted',
    explanation:
      "With `encryption_disabled`, CodeBuild uploads the build output without the project's KMS " +
      'key, so reading the artifacts no longer also takes permission to decrypt with that key. ' +
      'Checkov\'s CKV_AWS_78 checks the same: "Ensure that CodeBuild Project encryption is not ' +
      'disabled".',
    targets: PROJECT,
    fix: 'remove `encryption_disabled` from the artifacts blocks',
    check: ({ body }) =>
      [...blocks(body.artifacts), ...blocks(body.secondary_artifacts)]
        .filter((artifacts) => isTrue(artifacts.encryption_disabled))
        .map(
          (artifacts) =>
            `artifacts "${artifacts.artifact_identifier ?? artifacts.type}" have encryption_disabled = true`,
        ),
  },
  simpleRule({
    id: 'CKV_AWS_147',
    name: 'CodeBuild encrypts with a customer-managed KMS key',
    explanation:
      'Without `encryption_key`, CodeBuild encrypts build output with the AWS managed key for ' +
      'Amazon S3 (aws/s3), whose key policy cannot be changed and lets every principal of the ' +
      'account that may use S3 decrypt through it; a customer-managed key lets its key policy ' +
      'decide who reads the output. Checkov\'s CKV_AWS_147 checks the same: "Ensure that CodeBuild ' +
      'projects are encrypted using CMK".',
    targets: PROJECT,
    fix: 'set `encryption_key` to the ARN of a customer-managed KMS key',
    passes: ({ body }) => typeof body.encryption_key === 'string' && body.encryption_key !== '',
    problem: 'encryption_key is not set, so the AWS-managed key is used',
  }),
  simpleRule({
    id: 'CKV_AWS_314',
    name: 'CodeBuild projects keep build logs',
    explanation:
      "Build logs are the record of what each build ran with the project's role: with every " +
      'destination DISABLED a build that leaked a secret or pushed a tampered image leaves no ' +
      'trail, and without `logs_config` the logs go to a default group the stack does not manage, ' +
      'with neither retention nor its key. Checkov\'s CKV_AWS_314 checks the same: "Ensure CodeBuild ' +
      'project environments have a logging configuration".',
    targets: PROJECT,
    fix: 'set `logs_config.cloudwatch_logs` (status ENABLED, a log group) or enable `logs_config.s3_logs`',
    passes: ({ body }) => {
      if (blocks(body.logs_config).length === 0) return false;
      const logs = block(body.logs_config);
      const cloudwatch = block(logs.cloudwatch_logs);
      const s3 = block(logs.s3_logs);
      return (blocks(logs.cloudwatch_logs).length > 0 && cloudwatch.status !== 'DISABLED') || s3.status === 'ENABLED';
    },
    problem: 'logs_config is missing or every log destination is DISABLED',
  }),
  simpleRule({
    id: 'CKV_AWS_316',
    name: 'CodeBuild runs privileged only to build container images',
    explanation:
      "Privileged mode runs the build container with access to all of the host's devices, so any " +
      "code the build runs, a dependency's install script included, can break out of the container; " +
      'CodeBuild needs it only to run a Docker daemon that builds images (CodeBuild API Reference, ' +
      '"ProjectEnvironment": privilegedMode). Checkov\'s CKV_AWS_316 checks the same: "Ensure ' +
      'CodeBuild project environments do not have privileged mode enabled".',
    targets: PROJECT,
    fix:
      'set `environment.privileged_mode = false`, or suppress this rule with the reason when the project builds ' +
      'Docker images',
    passes: ({ body }) => !blocks(body.environment).some((environment) => isTrue(environment.privileged_mode)),
    problem: 'environment.privileged_mode is true, which gives the build root on its host',
  }),
  {
    id: 'CIP_CB_1',
    name: 'Privileged builds run only on CodeBuild-managed images or images pinned by digest',
    explanation:
      "A privileged build's container can reach the build host's devices, so whoever can push a new " +
      'image under a movable tag (a Docker Hub account, a registry writer) chooses code that runs ' +
      'there with the project\'s role. Images CodeBuild maintains ("Docker images provided by ' +
      'CodeBuild", AWS CodeBuild User Guide), images pinned by @sha256 digest and tags of an ' +
      'IMMUTABLE ECR repository cannot be swapped under the project.',
    targets: PROJECT,
    fix:
      'use an aws/codebuild/ image, pin the image by digest (image@sha256:...), or take it from an IMMUTABLE ECR ' +
      'repository of the stack; or turn privileged_mode off',
    check: ({ body }, stack) =>
      blocks(body.environment).flatMap((environment) => untrustedPrivilegedImage(environment, stack) ?? []),
  },
  {
    id: 'CIP_CB_2',
    name: 'Pull requests are built only once someone who can push trusts them',
    explanation:
      "A pull request build runs the pull request's code with the project's service role and the " +
      'secrets it can read, so building pull requests nobody reviewed lets anyone who can open one ' +
      'act as that role. CodeBuild\'s pull request build policy ("Pull request comment approval", ' +
      'AWS CodeBuild User Guide) holds such builds until a user with an approver role comments, and ' +
      'approver roles that cannot push (GITHUB_READ, GITHUB_TRIAGE and the like) would let ' +
      'read-only users approve.',
    targets: ['aws_codebuild_webhook'],
    fix:
      'set `pull_request_build_policy.requires_comment_approval` to ALL_PULL_REQUESTS or FORK_PULL_REQUESTS, ' +
      'with approver roles that can push (write, maintain, admin)',
    check: ({ body }) => unreviewedPullRequestBuilds(body),
  },
];
