/**
 * Which images a CodeBuild project may run privileged (with root on the build host): one rule, read by the
 * constructs' prop check and the guardrails' rule alike. A leaf module: it imports nothing.
 */

/**
 * The images CodeBuild provides and maintains ("Docker images provided by
 * CodeBuild", AWS CodeBuild User Guide): named `aws/codebuild/<name>:<version>`
 * and pulled with CodeBuild's own credentials.
 */
const CURATED_IMAGE = /^aws\/codebuild\/[a-z0-9._/-]+(:[A-Za-z0-9._-]+)?$/;
/** An image pinned by content: `<name>@sha256:<64 hex digits>` (Docker image digests). */
const PINNED_IMAGE = /@sha256:[0-9a-f]{64}$/;

/**
 * Whether a build may run `image` privileged without help from the stack: a
 * CodeBuild-managed image pulled with CodeBuild's credentials, or any image
 * pinned by digest.
 */
export function isTrustedPrivilegedImage(image: string, pullCredentials = 'CODEBUILD'): boolean {
  return (CURATED_IMAGE.test(image) && pullCredentials === 'CODEBUILD') || PINNED_IMAGE.test(image);
}
