/**
 * Values of the right shape for attributes that Terraform knows only after
 * apply. The checks replace references with them: to resources of providers
 * that cannot be installed (placeholders), and, in a second copy of each stack,
 * to every resource, so that the provider's own validators see a value of the
 * right shape everywhere we set one (they skip values unknown at plan time).
 *
 * A reference with no entry here is an error, never skipped.
 */
import { ValidateError } from './stacks';

/** The account the AWS stub answers as; literal ARNs use it too. */
export const STUB_ACCOUNT_ID = '123456789012';

/** What a literal is built from: the referenced element's configuration, and where it lives. */
export interface LiteralContext {
  /** The referenced element's type (`aws_kms_key`, `data.github_repository`). */
  readonly type: string;
  /** Its configuration as synthesized. */
  readonly body: Record<string, any>;
  /** The region of the stack's AWS provider. */
  readonly region: string;
}

const UUID = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
/** Terraform's unique suffix for `bucket_prefix` is 26 characters. */
const UNIQUE_SUFFIX = '20261201000000000000000001';

const isLiteral = (value: unknown): value is string =>
  typeof value === 'string' && value !== '' && !value.includes('${');

/** A literal argument of the element, required to build the value. */
function argument(context: LiteralContext, name: string): string {
  const value = context.body[name];
  if (!isLiteral(value))
    throw new ValidateError(
      `${context.type}: argument "${name}" is not a literal, so no value of the right shape can be built from it`,
    );
  return value;
}

const name = (context: LiteralContext) => argument(context, 'name');
const bucketName = (context: LiteralContext) =>
  isLiteral(context.body.bucket) ? context.body.bucket : `${argument(context, 'bucket_prefix')}${UNIQUE_SUFFIX}`;
const arn = (context: LiteralContext, service: string, resource: string, regional = true) =>
  `arn:aws:${service}:${regional ? context.region : ''}:${STUB_ACCOUNT_ID}:${resource}`;

type Literal = (context: LiteralContext) => string;

/** Per element type, per attribute. */
const LITERALS: Readonly<Record<string, Readonly<Record<string, Literal>>>> = {
  aws_s3_bucket: { id: bucketName, bucket: bucketName, arn: (c) => `arn:aws:s3:::${bucketName(c)}` },
  aws_kms_key: { id: () => UUID, key_id: () => UUID, arn: (c) => arn(c, 'kms', `key/${UUID}`) },
  aws_codebuild_project: {
    id: (c) => arn(c, 'codebuild', `project/${name(c)}`),
    name,
    arn: (c) => arn(c, 'codebuild', `project/${name(c)}`),
  },
  aws_codebuild_report_group: { name, arn: (c) => arn(c, 'codebuild', `report-group/${name(c)}`) },
  aws_codepipeline: { id: name, name, arn: (c) => arn(c, 'codepipeline', name(c)) },
  aws_codepipeline_webhook: {
    arn: (c) => arn(c, 'codepipeline', `webhook:${name(c)}`),
    url: (c) => `https://${c.region}.webhooks.aws/trigger?t=placeholder&v=1`,
  },
  aws_cloudwatch_log_group: { id: name, name, arn: (c) => arn(c, 'logs', `log-group:${name(c)}`) },
  aws_secretsmanager_secret: {
    id: (c) => arn(c, 'secretsmanager', `secret:${name(c)}-AbCdEf`),
    arn: (c) => arn(c, 'secretsmanager', `secret:${name(c)}-AbCdEf`),
    name,
  },
  aws_sns_topic: { id: (c) => arn(c, 'sns', name(c)), arn: (c) => arn(c, 'sns', name(c)), name },
  'data.aws_secretsmanager_secret': {
    arn: (c) => arn(c, 'secretsmanager', `secret:${name(c)}-AbCdEf`),
    id: (c) => arn(c, 'secretsmanager', `secret:${name(c)}-AbCdEf`),
  },
  aws_iam_role: { id: name, name, arn: (c) => arn(c, 'iam', `role/${name(c)}`, false) },
  aws_iam_policy: {
    id: (c) => arn(c, 'iam', `policy/${name(c)}`, false),
    name,
    arn: (c) => arn(c, 'iam', `policy/${name(c)}`, false),
  },
  aws_ecr_repository: {
    id: name,
    name,
    arn: (c) => arn(c, 'ecr', `repository/${name(c)}`),
    repository_url: (c) => `${STUB_ACCOUNT_ID}.dkr.ecr.${c.region}.amazonaws.com/${name(c)}`,
  },
  aws_codestarconnections_connection: {
    id: (c) => arn(c, 'codeconnections', `connection/${UUID}`),
    arn: (c) => arn(c, 'codeconnections', `connection/${UUID}`),
    name,
    connection_status: () => 'PENDING',
  },
  github_repository: {
    id: name,
    name,
    node_id: () => 'R_kgDOPlaceholder',
    full_name: (c) => `placeholder-owner/${name(c)}`,
  },
  github_branch_default: { branch: (c) => argument(c, 'branch') },
  github_branch_protection: { id: () => 'BPR_kwDOPlaceholder' },
  github_repository_webhook: { id: () => '1' },
  'data.github_repository': {
    name: (c) => argument(c, 'full_name').split('/')[1],
    full_name: (c) => argument(c, 'full_name'),
  },
  random_password: { result: (c) => 'P'.repeat(Number(c.body.length ?? 40)) },
};

/** A value of the right shape for `<type>.<name>.<attribute>`. */
export function literalFor(attribute: string, context: LiteralContext): string {
  const build = LITERALS[context.type]?.[attribute];
  if (build === undefined) {
    throw new ValidateError(
      `no value of the right shape is known for ${context.type}.${attribute}; add one to tools/validate/literals.ts`,
    );
  }
  return build(context);
}
