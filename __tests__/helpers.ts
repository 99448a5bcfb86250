import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, TerraformDataSource, TerraformResource, TerraformStack, Testing } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { CiPipeline } from '../constructs/ci-pipeline/ci-pipeline';
import { CiPipelineProps } from '../constructs/ci-pipeline/ci-pipeline-props';

/** The parts of a synthesized stack the tests read. */
export interface StackJson {
  readonly terraform?: Record<string, any>;
  readonly resource?: Record<string, Record<string, any>>;
  readonly data?: Record<string, Record<string, any>>;
  readonly variable?: Record<string, any>;
  readonly output?: Record<string, any>;
  readonly provider?: Record<string, any>;
  /** Import blocks (`importFrom`). */
  readonly import?: readonly { readonly to: string; readonly id: string }[];
}

/** A scope synthesized as a test stack; its resources are found by construct path, as reviewers name them. */
export interface Synthesized {
  /** The stack as synthesized, for cdktf's matchers. */
  readonly text: string;
  readonly json: StackJson;
  /** The body of the resource or data source at construct path `path` under the scope (`ci/build/project`). */
  at(path: string): any;
  /**
   * The Terraform address of the element at `path`, as references write it (`aws_kms_key.key_1A2B3C4D`,
   * `data.aws_iam_policy_document.…`).
   */
  address(path: string): string;
  /** `${address.attribute}`: a reference to an attribute of the element at `path`. */
  ref(path: string, attribute: string): string;
  /** The statements of the `aws_iam_policy_document` at `path`. */
  statements(path: string): any[];
}

function elementAt(scope: IConstruct, path: string): TerraformResource | TerraformDataSource {
  const found = scope.node.findAll().find((construct) => construct.node.path === `${scope.node.path}/${path}`);
  if (!(found instanceof TerraformResource || found instanceof TerraformDataSource)) {
    const paths = scope.node
      .findAll()
      .filter((construct) => construct instanceof TerraformResource || construct instanceof TerraformDataSource);
    throw new Error(
      `no resource or data source at ${path}; there are: ` +
        `${paths.map((construct) => construct.node.path.slice(scope.node.path.length + 1)).join(', ')}`,
    );
  }
  return found;
}

let appOutdir: string | undefined;
/**
 * `Testing.app()`, with one output directory for every app of a test file: `Testing.app()` makes (and leaves) a
 * temporary directory for each app, several hundred per test run, though the tests synthesize in memory and never
 * write there. Same context (stubbed version, future flags) as `Testing.app()`.
 */
export function testApp(): App {
  appOutdir ??= mkdtempSync(join(tmpdir(), 'cdktf.outdir.'));
  return Testing.app({ outdir: appOutdir });
}

/** Synthesizes the constructs that `build` adds to a fresh test stack (`Testing.synthScope`, on a `testApp()`). */
export function synth(build: (scope: Construct) => void): Synthesized {
  const root = new TerraformStack(testApp(), 'stack');
  build(root);
  const text = Testing.synth(root);
  const json: StackJson = JSON.parse(text);
  const address = (path: string) => {
    const element = elementAt(root, path);
    const prefix = element instanceof TerraformDataSource ? 'data.' : '';
    return `${prefix}${element.terraformResourceType}.${element.friendlyUniqueId}`;
  };
  const at = (path: string) => {
    const element = elementAt(root, path);
    const body = (element instanceof TerraformDataSource ? json.data : json.resource)?.[
      element.terraformResourceType
    ]?.[element.friendlyUniqueId];
    if (body === undefined) throw new Error(`${path} was not synthesized`);
    return body;
  };
  return {
    text,
    json,
    at,
    address,
    ref: (path, attribute) => `\${${address(path)}.${attribute}}`,
    statements: (path) => at(path).statement,
  };
}

/** An ARN as the constructs build it from a name: in the partition, region and account the stack's AwsContext reads. */
export function contextArn(
  stack: Synthesized,
  service: string,
  resource: string,
  options: { readonly global?: boolean } = {},
): string {
  const region = options.global ? '' : stack.ref('aws-context/region', 'id');
  const partition = stack.ref('aws-context/partition', 'partition');
  const account = stack.ref('aws-context/account', 'account_id');
  return `arn:${partition}:${service}:${region}:${account}:${resource}`;
}

/** The bodies of every resource (or data source) of `type`. */
export function bodies(json: StackJson, type: string, kind: 'resource' | 'data' = 'resource'): any[] {
  return Object.values(json[kind]?.[type] ?? {});
}

/** The one resource of `type`; fails when there is not exactly one. */
export function only(json: StackJson, type: string, kind: 'resource' | 'data' = 'resource'): any {
  const found = bodies(json, type, kind);
  if (found.length !== 1) throw new Error(`expected one ${kind} ${type}, found ${found.length}`);
  return found[0];
}

/** The statement with ID `sid`. */
export function statement(statements: any[], sid: string): any {
  const found = statements.find((candidate) => candidate.sid === sid);
  if (found === undefined) throw new Error(`no statement ${sid} in ${statements.map((s) => s.sid).join(', ')}`);
  return found;
}

/** A complete pipeline's props; `overrides` replaces top-level fields. */
export function pipelineProps(overrides: Partial<CiPipelineProps> = {}): CiPipelineProps {
  return {
    name: 'app',
    github: { owner: 'my-org', repository: 'app' },
    registry: { type: 'dockerhub', image: 'myorg/app' },
    appPath: 'service',
    ...overrides,
  };
}

/** Synthesizes one CiPipeline with construct ID `ci`. */
export function synthPipeline(
  overrides: Partial<CiPipelineProps> = {},
): Synthesized & { readonly pipeline: CiPipeline } {
  let pipeline: CiPipeline | undefined;
  const result = synth((scope) => {
    pipeline = new CiPipeline(scope, 'ci', pipelineProps(overrides));
  });
  return { ...result, pipeline: pipeline! };
}

/** A minimal valid configuration document (config/pipelines.json's shape) with one Docker Hub pipeline. */
export const validConfigDocument = () => ({
  region: 'eu-west-1',
  state: { bucket: 'my-state-bucket', region: 'eu-west-1', keyPrefix: 'ci' },
  pipelines: [
    {
      name: 'app',
      github: { owner: 'my-org', repository: 'app' },
      registry: { type: 'dockerhub', image: 'myorg/app' },
    },
  ],
});

/**
 * Recognisable values wherever a user could hand the app a secret (its environment, Terraform variables, the AWS
 * and GitHub credentials it runs with): none may reach anything it writes.
 */
export const PLANTED_SECRETS: Readonly<Record<string, string>> = {
  TF_VAR_dockerhub_username: 'planted-user-7c1e',
  TF_VAR_dockerhub_password: 'planted-password-3f9a',
  TF_VAR_dockerhub_credentials_version: '424242',
  DOCKERHUB_USERNAME: 'planted-env-user-5b0c',
  DOCKERHUB_PASSWORD: 'planted-env-password-81d2',
  GITHUB_TOKEN: 'ghp_planted0token0value0000000000000000',
  GITHUB_WEBHOOK_SECRET: 'planted-webhook-secret-6e3d',
  AWS_ACCESS_KEY_ID: 'AKIAPLANTED000000000',
  AWS_SECRET_ACCESS_KEY: 'planted/aws/secret/key/0000000000000000000',
  AWS_SESSION_TOKEN: 'planted-session-token-0a9f',
};

/** Each planted secret found in `files` (path → content), as `NAME in path`. */
export const plantedSecretsIn = (files: Readonly<Record<string, string>>): string[] =>
  Object.entries(files).flatMap(([path, content]) =>
    Object.entries(PLANTED_SECRETS)
      .filter(([, value]) => content.includes(value))
      .map(([name]) => `${name} in ${path}`),
  );

/**
 * Runs `fn` with the process's environment changed by `changes` (a variable set
 * to undefined is removed), passing it that environment; then puts back the
 * process's own environment object, which the test files after this one share.
 */
export function withEnvironment<T>(changes: NodeJS.ProcessEnv, fn: (env: NodeJS.ProcessEnv) => T): T {
  const saved = process.env;
  const env = Object.fromEntries(Object.entries({ ...saved, ...changes }).filter(([, value]) => value !== undefined));
  process.env = env;
  try {
    return fn(env);
  } finally {
    process.env = saved;
  }
}
