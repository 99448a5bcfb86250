/**
 * The infrastructure pipeline's buildspecs: each installs the Terraform release after checking its SHA-256, installs
 * the app's dependencies, and runs one step of `cdktf-ci-infrastructure`. They are the projects' own, not the
 * repository's, so that a change to the repository cannot change what a build runs with its role.
 */

/** The Terraform release the builds install, checked against its published SHA-256 before it runs. */
export interface TerraformRelease {
  /** The version, e.g. "1.11.4". */
  readonly version: string;
  /**
   * The SHA-256 of `terraform_<version>_linux_amd64.zip`, as HashiCorp's `terraform_<version>_SHA256SUMS` lists it
   * (https://releases.hashicorp.com/terraform/<version>/): 64 hexadecimal digits.
   */
  readonly sha256: string;
}

/** The merge plan's work directory, which travels to the apply as the `plans` artifact. */
export const MERGE_WORK_DIR = '.infrastructure-pipeline';
/** The artifact the merge plan writes and the apply reads (`$CODEBUILD_SRC_DIR_plans` in the apply's build). */
export const PLANS_ARTIFACT = 'plans';
/** The variable the merge plan exports: `true` when a person must approve before the apply. */
export const NEEDS_APPROVAL_VARIABLE = 'NEEDS_APPROVAL';

/** A YAML scalar that stays one string: JSON's double-quoted strings are YAML's, so ": " or " #" stay part of it. */
const quoted = (value: string) => JSON.stringify(value);

interface BuildspecParts {
  readonly terraform: TerraformRelease;
  readonly commands: readonly string[];
  readonly exportedVariables?: readonly string[];
  readonly artifactLines?: readonly string[];
}

function buildspec(parts: BuildspecParts): string {
  const zip = `terraform_${parts.terraform.version}_linux_amd64.zip`;
  return [
    'version: 0.2',
    'env:',
    '  variables:',
    '    TF_IN_AUTOMATION: "1"',
    '    CHECKPOINT_DISABLE: "1"',
    ...(parts.exportedVariables === undefined
      ? []
      : ['  exported-variables:', ...parts.exportedVariables.map((name) => `    - ${name}`)]),
    'phases:',
    '  install:',
    '    runtime-versions:',
    '      nodejs: 22',
    '    commands:',
    `      - curl -fsSL -o /tmp/${zip} https://releases.hashicorp.com/terraform/${parts.terraform.version}/${zip}`,
    `      - echo "${parts.terraform.sha256}  /tmp/${zip}" | sha256sum -c -`,
    `      - unzip -o -d /usr/local/bin /tmp/${zip}`,
    '      - npm ci',
    '  build:',
    '    commands:',
    ...parts.commands.map((command) => `      - ${quoted(command)}`),
    ...(parts.artifactLines ?? []),
    '',
  ].join('\n');
}

/** The pull-request build: plan the change, comment, and exit with the verdict, which CodeBuild reports. */
export function pullRequestBuildspec(terraform: TerraformRelease, command: string): string {
  return buildspec({ terraform, commands: [`${command} pull-request --no-commit-status`] });
}

/** What the merge plan is told. */
export interface MergePlanSettings {
  /** The infrastructure pipeline's own stack, planned and applied first. */
  readonly selfStack: string;
  /** Stacks planned but never applied (the permissions boundary's). */
  readonly adminStacks: readonly string[];
  /** Wait for an approval before every apply. */
  readonly alwaysApprove: boolean;
}

/**
 * The merge plan: plan every stack of the merged commit, export whether a person must approve, and hand the work
 * directory (saved plans, synth output, the manifest) to the apply, without the provider binaries its `terraform init`
 * fetches again.
 */
export function mergePlanBuildspec(terraform: TerraformRelease, command: string, settings: MergePlanSettings): string {
  const options = [
    `--self-stack ${settings.selfStack}`,
    ...settings.adminStacks.map((stack) => `--admin-stack ${stack}`),
    ...(settings.alwaysApprove ? ['--always-approve'] : []),
  ];
  return buildspec({
    terraform,
    commands: [
      `${command} plan ${options.join(' ')} --work-dir ${MERGE_WORK_DIR}`,
      // Fails the build unless the plan step wrote exactly true or false (an `export` of a failed substitution would
      // succeed, empty); the pipeline's condition then enters the approval for anything but false.
      `${NEEDS_APPROVAL_VARIABLE}="$(cat ${MERGE_WORK_DIR}/needs-approval)" && ` +
        `case "$${NEEDS_APPROVAL_VARIABLE}" in true|false) export ${NEEDS_APPROVAL_VARIABLE};; *) exit 1;; esac`,
    ],
    exportedVariables: [NEEDS_APPROVAL_VARIABLE],
    artifactLines: [
      'artifacts:',
      `  base-directory: ${MERGE_WORK_DIR}`,
      '  files:',
      `    - ${quoted('**/*')}`,
      '  exclude-paths:',
      `    - ${quoted('**/.terraform/providers/**')}`,
    ],
  });
}

/** The apply: the saved plans of the `plans` artifact, in their order. */
export function applyBuildspec(terraform: TerraformRelease, command: string): string {
  return buildspec({ terraform, commands: [`${command} apply --work-dir "$CODEBUILD_SRC_DIR_${PLANS_ARTIFACT}"`] });
}
