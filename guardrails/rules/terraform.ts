import { ANY_ELEMENT, Rule } from '../core/rule';
import { TERRAFORM_BLOCK_ADDRESS } from '../../shared/suppressions';
import {
  block,
  blocks,
  Element,
  interpolateLocals,
  isExpression,
  isTrue,
  SynthesizedStack,
} from '../core/terraform-json';

const BACKEND_RULES: readonly Rule[] = [
  {
    id: 'CIP_TF_1',
    name: 'Pipeline stacks keep their state in S3, encrypted and locked',
    explanation:
      'Local state leaves the state, with every secret and ARN in it, on whichever machine ran ' +
      'apply, and without a lock two applies (a pipeline run and a person) can write it at once and ' +
      'corrupt it. The S3 backend encrypts the state object with `encrypt` and locks with ' +
      '`use_lockfile` or a DynamoDB table (Terraform documentation, ' +
      'developer.hashicorp.com/terraform/language/backend/s3).',
    targets: [TERRAFORM_BLOCK_ADDRESS],
    fix: 'use an S3Backend with `encrypt: true` and `use_lockfile` (or a DynamoDB lock table); CiPipelineStack does',
    check: (terraform, stack) => {
      // Only stacks that deploy a pipeline are held to it; the bootstrap stack must start on local state.
      if (stack.ofType('aws_codepipeline').length === 0) return [];
      const backends = Object.keys(terraform.body.backend ?? {});
      const s3 = terraform.body.backend?.s3;
      if (s3 === undefined)
        return [
          `the backend is ${backends.length === 0 ? 'local (none configured)' : `"${backends.join('", "')}"`}, not s3`,
        ];
      const problems: string[] = [];
      if (!isTrue(s3.encrypt)) problems.push('the s3 backend does not set encrypt = true');
      if (!isTrue(s3.use_lockfile) && (typeof s3.dynamodb_table !== 'string' || s3.dynamodb_table === '')) {
        problems.push('the s3 backend has no locking (use_lockfile = true or a dynamodb_table)');
      }
      return problems;
    },
  },
  {
    id: 'CIP_TF_2',
    name: 'Terraform state in S3 is encrypted with a customer-managed key',
    explanation:
      'With `encrypt` but no `kms_key_id`, the S3 backend writes state and lock objects with ' +
      "S3-managed keys (AES256), overriding the bucket's default KMS key, so anyone allowed " +
      's3:GetObject on the bucket reads the state and its secrets without any KMS permission. A ' +
      '`kms_key_id` makes reading the state also require kms:Decrypt on that key (Terraform ' +
      'documentation, developer.hashicorp.com/terraform/language/backend/s3).',
    targets: [TERRAFORM_BLOCK_ADDRESS],
    fix:
      "set the s3 backend's `kms_key_id` to the state bucket's key (CiPipelineStack: `state.kmsKeyId`); the " +
      "state bootstrap stack's key is `stateKeyAlias(bucket)`",
    check: (terraform) => {
      const s3 = terraform.body.backend?.s3;
      if (s3 === undefined) return [];
      const named = (value: unknown) => typeof value === 'string' && value !== '';
      if (isTrue(s3.encrypt) && (named(s3.kms_key_id) || named(s3.sse_customer_key))) return [];
      // Without a key, the backend asks for SSE-S3 (AES256) on every object, which overrides the bucket's default
      // SSE-KMS:
      // anyone allowed s3:GetObject on the bucket reads the state, secrets included, with no kms:Decrypt needed.
      return isTrue(s3.encrypt)
        ? [
            'the s3 backend sets encrypt = true without kms_key_id, so state and lock objects are written with ' +
              'S3-managed keys (AES256), readable by anyone allowed s3:GetObject',
          ]
        : [
            'the s3 backend does not set encrypt = true with a kms_key_id, so it names no key for the state and ' +
              'lock objects',
          ];
    },
  },
];

// --- Providers and backends (CIP_TF_3) -----------------------------------------------------------------------------

/** Settings that turn off verification of the server's TLS certificate (aws provider, s3 and http backends). */
const TLS_OFF = ['insecure', 'skip_cert_verification'];

/**
 * Settings that skip a check the aws provider or the s3 backend makes before acting ("AWS Provider" and "Backend
 * Type: s3" documentation): the credentials against STS, the region against the known ones, the account ID, the
 * checksum of what S3 stores.
 */
const SKIPPED_CHECKS = [
  'skip_credentials_validation',
  'skip_region_validation',
  'skip_requesting_account_id',
  'skip_s3_checksum',
];

/** URL settings that are allowed plain HTTP: the instance metadata service is HTTP by design, proxies tunnel TLS. */
const PLAIN_HTTP_ALLOWED = /metadata|proxy/;

/**
 * A provider's or backend's credential settings (`access_key`, `token`, `password`, `app_auth.pem_file`): made for a
 * secret, never for one written in the configuration; the deployer's own (environment, profile, SSO, a variable set at
 * plan) are meant.
 */
export const CREDENTIAL_SETTING = /(^|_)(token|secret_key|access_key|password|private_key|pem_file)$/;

/** Every string setting of a provider or backend body with the path that leads to it, blocks flattened. */
function settings(body: Record<string, any>, prefix = ''): [string, unknown][] {
  return Object.entries(body)
    .filter(([key]) => key !== '//')
    .flatMap(([key, value]): [string, unknown][] => {
      const path = `${prefix}${key}`;
      if (Array.isArray(value) && value.every((item) => typeof item === 'object' && item !== null))
        return value.flatMap((item) => settings(item, `${path}.`));
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) return settings(value, `${path}.`);
      return [[path, value]];
    });
}

/** The account a role ARN names, when it is written literally. */
const literalAccountOf = (roleArn: unknown) =>
  typeof roleArn === 'string' ? /^arn:[^:]+:iam::(\d{12}):role\//.exec(roleArn)?.[1] : undefined;

/**
 * What is wrong with how a provider or backend reaches its service: TLS off, plain HTTP, skipped checks, credentials
 * in the configuration, a role assumed in an account that `allowed_account_ids` does not name.
 */
export function connectionProblems(kind: string, body: Record<string, any>, stack: SynthesizedStack) {
  const problems: string[] = [];
  for (const [path, written] of settings(body)) {
    const value = interpolateLocals(written, stack);
    const name = path.split('.').pop()!;
    if (TLS_OFF.includes(name) && isTrue(value))
      problems.push(`${kind} sets ${path} = true, which turns off verification of the server's TLS certificate`);
    if (SKIPPED_CHECKS.includes(name) && isTrue(value)) problems.push(`${kind} sets ${path} = true`);
    if (typeof value === 'string' && /^http:\/\//i.test(value) && !PLAIN_HTTP_ALLOWED.test(path))
      problems.push(`${kind} sends ${path} over plain HTTP (${value})`);
    // Written literally, or through a local or a variable's default; a variable without one is the deployer's to set.
    if (CREDENTIAL_SETTING.test(name) && typeof value === 'string' && value !== '' && !isExpression(value))
      problems.push(`${kind} sets ${path}: credentials written in the configuration, not the deployer's own`);
  }
  for (const assume of [...blocks(body.assume_role), ...blocks(body.assume_role_with_web_identity)]) {
    const roleArn = interpolateLocals(assume.role_arn, stack);
    const account = literalAccountOf(roleArn);
    if (account !== undefined && !allowedAccounts(stack).includes(account))
      problems.push(
        `${kind} assumes ${roleArn}, in account ${account}, which no allowed_account_ids of the ` +
          `configuration names`,
      );
  }
  return problems;
}

/** The accounts the stack's aws providers are limited to (`allowed_account_ids`). */
const allowedAccounts = (stack: SynthesizedStack) =>
  stack
    .ofType('provider')
    .filter((provider) => provider.address === 'provider.aws' || provider.address.startsWith('provider.aws.'))
    .flatMap((provider) => (Array.isArray(provider.body.allowed_account_ids) ? provider.body.allowed_account_ids : []))
    .map(String);

const CONNECTION_RULE: Rule = {
  id: 'CIP_TF_3',
  name: "Providers and backends reach their services over verified TLS, with the deployer's credentials",
  explanation:
    'Whoever deploys hands the providers and the backend their credentials and the whole state. With TLS ' +
    'verification off or a plain-HTTP endpoint, anyone on the path reads and changes both; skipped checks hide a ' +
    'wrong account or region until apply; keys written in the configuration are in Git and the state; and a role ' +
    'assumed in an account the configuration does not name moves the deploy there ("AWS Provider": ' +
    'authentication, endpoints, allowed_account_ids; "Backend Type: s3", Terraform documentation).',
  targets: ['provider', TERRAFORM_BLOCK_ADDRESS],
  fix:
    'remove the setting: use https endpoints, keep verification and checks on, let credentials come from the ' +
    "deployer's environment or profile, and name every account a role is assumed in under allowed_account_ids",
  check: (element, stack) => {
    if (element.type === 'provider') return connectionProblems(`provider ${element.address}`, element.body, stack);
    return Object.entries(element.body.backend ?? {}).flatMap(([type, body]) =>
      connectionProblems(`the ${type} backend`, block(body), stack),
    );
  },
};

// --- Code on the deployer's machine (CIP_TF_4) ----------------------------------------------------------------------

/**
 * What runs on, or reaches out from, the machine that plans and applies: provisioners, the `external` data source's
 * program, and the `http` data source's request, whose answer feeds the configuration.
 */
export function deployerMachineProblems(element: Element): string[] {
  const problems = blocks(element.body.provisioner).flatMap((provisioner) =>
    Object.keys(provisioner).map(
      (type) =>
        `runs a ${type} provisioner${type === 'local-exec' ? " on the deployer's machine" : ' from it'}, with ` +
        "the deployer's credentials, when it is created",
    ),
  );
  if (element.type === 'data.external') {
    const program = Array.isArray(element.body.program) ? String(element.body.program[0]) : 'a program';
    problems.push(`runs ${program} on the deployer's machine at every plan, and feeds the configuration its output`);
  }
  if (element.type === 'data.http')
    problems.push(
      `fetches ${String(element.body.url)} from the deployer's machine at every plan, and feeds the configuration ` +
        'the answer',
    );
  return problems;
}

const DEPLOYER_MACHINE_RULE: Rule = {
  id: 'CIP_TF_4',
  name: "Nothing runs on the deployer's machine, and nothing from outside feeds the configuration",
  explanation:
    'A provisioner or an `external` data source runs whatever its command says, on the laptop or runner that ' +
    "deploys, with the deployer's AWS and GitHub credentials in its environment; an `http` data source lets " +
    'whoever controls the URL change what is planned. A change to the infrastructure code can hide either in a ' +
    'pull request. Terraform calls provisioners "a last resort" ("Provisioners", Terraform documentation).',
  targets: [ANY_ELEMENT],
  fix:
    'remove the provisioner or data source: build in CodeBuild, keep inputs in the configuration, and read AWS ' +
    'through its data sources; where one is truly needed, suppress CIP_TF_4 on it with the reason',
  check: deployerMachineProblems,
};

// --- Durability of state (CIP_TF_5) ---------------------------------------------------------------------------------

/** Days of noncurrent state versions kept at least: a bad apply noticed within a month can still be rolled back. */
export const MIN_STATE_HISTORY_DAYS = 30;

/** The buckets the stacks checked together keep their state in (their s3 backends' `bucket`). */
const stateBuckets = (stacks: readonly SynthesizedStack[]) =>
  new Set(
    stacks.flatMap((stack) => {
      const bucket = stack.get(TERRAFORM_BLOCK_ADDRESS)?.body.backend?.s3?.bucket;
      return typeof bucket === 'string' ? [bucket] : [];
    }),
  );

/** What lets state versions go: force_destroy, no prevent_destroy, and lifecycle rules that expire them. */
export function stateDurabilityProblems(bucket: Element, stack: SynthesizedStack, app?: readonly SynthesizedStack[]) {
  const name = bucket.body.bucket;
  if (typeof name !== 'string' || !stateBuckets(app ?? [stack]).has(name)) return [];
  const problems: string[] = [];
  if (isTrue(bucket.body.force_destroy))
    problems.push(`state bucket ${name} sets force_destroy = true: a destroy deletes every state version with it`);
  if (!isTrue(block(bucket.body.lifecycle).prevent_destroy))
    problems.push(`state bucket ${name} does not set lifecycle.prevent_destroy: a plan may replace or destroy it`);
  for (const configuration of stack.attachedTo(bucket, 'aws_s3_bucket_lifecycle_configuration', 'bucket')) {
    for (const rule of blocks(configuration.body.rule).filter((candidate) => candidate.status !== 'Disabled')) {
      const expiration = block(rule.expiration);
      if (expiration.days !== undefined || expiration.date !== undefined)
        problems.push(`state bucket ${name}: lifecycle rule ${String(rule.id)} expires the current state objects`);
      const days = Number(block(rule.noncurrent_version_expiration).noncurrent_days);
      if (Number.isFinite(days) && days < MIN_STATE_HISTORY_DAYS)
        problems.push(
          `state bucket ${name}: lifecycle rule ${String(rule.id)} keeps earlier state versions ${days} days, ` +
            `fewer than ${MIN_STATE_HISTORY_DAYS}`,
        );
    }
  }
  return problems;
}

const STATE_DURABILITY_RULE: Rule = {
  id: 'CIP_TF_5',
  name: 'The state bucket keeps every state and its history',
  explanation:
    "The state bucket holds every stack's state; its versions are the only way back from a bad apply or a " +
    'deleted state ("Backend Type: s3" recommends versioning for state recovery, Terraform documentation). ' +
    'force_destroy lets a destroy delete them all, a missing prevent_destroy lets a plan replace the bucket, and ' +
    'a lifecycle rule that expires current objects or keeps too little history deletes them over time.',
  targets: ['aws_s3_bucket'],
  fix:
    "keep StateBootstrapStack's bucket as it writes it: force_destroy false, prevent_destroy true, noncurrent " +
    `versions kept at least ${MIN_STATE_HISTORY_DAYS} days and current objects never expired`,
  check: stateDurabilityProblems,
};

export const TERRAFORM_RULES: readonly Rule[] = [
  ...BACKEND_RULES,
  CONNECTION_RULE,
  DEPLOYER_MACHINE_RULE,
  STATE_DURABILITY_RULE,
];
