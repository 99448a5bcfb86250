/**
 * The configuration document's schema. zod checks its shape: types, required fields, unknown fields (typos). Every
 * rule about values is the constructs' own ({@link valueProblems}): each `pipelines[]` entry is checked with
 * {@link validateCiPipelineProps}, and the region and state with the stacks' validation, through the same mapping the
 * app builds its stacks with. A document that passes both builds without a construct error.
 */
import { z } from 'zod';
import { COMPUTE_TYPES } from '../constructs/aws/build-project';
import { checkConnectionName } from '../constructs/github/github-connection-source';
import { checkS3KeyPrefix } from '../constructs/aws/secure-bucket';
import { PropProblem } from '../constructs/core/validation';
import { checkOptionalProp } from '../constructs/private/validation';
import { uniqueInWords } from '../constructs/core/stack-names';
import {
  checkPipelineName,
  CiPipelineProps,
  namedResourcesOf,
  PULL_REQUEST_APPROVALS,
  PULL_REQUEST_APPROVER_ROLES,
  REGISTRY_TYPES,
  TRIGGER_MODES,
  validateCiPipelineProps,
} from '../constructs/ci-pipeline/ci-pipeline-props';
import { EXECUTION_MODES } from '../constructs/aws/pipeline-action';
import { REPOSITORY_VISIBILITIES } from '../constructs/github/source-repository';
import { validateCiPipelineStackProps } from '../stacks/ci-pipeline-stack';
import { validateGitHubConnectionStackProps } from '../stacks/github-connection-stack';
import { stateKeyAlias, validateStateBootstrapStackProps } from '../stacks/state-bootstrap-stack';
import { validateInfrastructurePipelineStackProps } from '../stacks/infrastructure-pipeline-stack';
import { validatePermissionsBoundaryStackProps } from '../stacks/permissions-boundary-stack';
import { INFRASTRUCTURE_PIPELINE_DEFAULTS } from '../constructs/infrastructure-pipeline/infrastructure-pipeline';
import {
  BOOTSTRAP_STACK_FIELDS,
  bootstrapStackProps,
  CONFIGURATION_REPOSITORY_COMMAND,
  CONNECTION_STACK_FIELDS,
  connectionStackProps,
  INFRASTRUCTURE_PIPELINE_STACK_FIELDS,
  PERMISSIONS_BOUNDARY_STACK_FIELDS,
  permissionsBoundaryStackProps,
  infrastructurePipelineStackProps,
  PIPELINE_STACK_FIELDS,
  pipelineIdentity,
  pipelineStackProps,
  SharedSettings,
  usesSharedConnection,
} from './stack-props';

/** A problem at a field of the document. */
export interface FieldProblem {
  readonly path: readonly (string | number)[];
  readonly value: unknown;
  readonly message: string;
}

/** An object that rejects unknown keys (typos), naming the keys it allows. */
function strictObject<Shape extends z.ZodRawShape>(shape: Shape) {
  const allowed = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `allowed fields here: ${allowed}` : undefined),
  });
}

/**
 * A string from a fixed list, typed as that list's union; which values are
 * allowed is the constructs' rule. The list is the field's `enum` in the JSON
 * Schema, so editors offer the values.
 */
const oneOf = <T extends string>(values: readonly T[]) =>
  z
    .string()
    .meta({ enum: [...values] })
    .transform((value) => value as T);

/**
 * A prop's problems at the fields they came from: `github.branch` under `base` becomes `[...base, 'github', 'branch']`.
 */
const atFields = (base: readonly (string | number)[], problems: readonly PropProblem[]): FieldProblem[] =>
  problems.map((problem) => ({
    path: [...base, ...problem.prop.split('.')],
    value: problem.value,
    message: problem.allowed,
  }));

/** An issue zod found with the document's shape: where, and whether it is a wrong type (or a missing field). */
export interface ShapeIssue {
  readonly path: readonly PropertyKey[];
  readonly code: string;
}

/**
 * The problems the constructs' rules find in the document, beside those zod found with its shape: every problem at
 * once. An object's rules are not run while it, or one of the `sections` it reads into, has the wrong type; and a
 * field zod reported already is left out.
 */
export function valueProblems(document: unknown, shapeIssues: readonly ShapeIssue[]): FieldProblem[] {
  const wrongType = (base: readonly PropertyKey[], sections: readonly string[]) =>
    shapeIssues.some((issue) => {
      if (issue.code !== 'invalid_type' || !startsWith(issue.path, base)) return false;
      const rest = issue.path.slice(base.length);
      return rest.length === 0 || (rest.length === 1 && sections.includes(String(rest[0])));
    });
  const reported = shapeIssues.filter((issue) => issue.code !== 'unrecognized_keys').map((issue) => issue.path);
  const fresh = (problem: FieldProblem) => !reported.some((field) => startsWith(problem.path, field));
  if (!isObject(document)) return [];
  const config = document as unknown as PipelinesConfig;
  const pipelines = Array.isArray(config.pipelines) ? config.pipelines : [];
  return [
    ...pipelines.flatMap((pipeline, index) =>
      isObject(pipeline) && !wrongType(['pipelines', index], PIPELINE_SECTIONS)
        ? atFields(
            ['pipelines', index],
            [...checkOptionalProp('id', pipeline.id, checkPipelineName), ...validateCiPipelineProps(pipeline)],
          )
        : [],
    ),
    ...(wrongType([], ['state', 'pipelines', 'connection', 'infrastructurePipeline'])
      ? []
      : [
          ...stackProblems(config),
          ...connectionProblems(config),
          ...fleetProblems(config),
          ...infrastructurePipelineProblems(config),
        ]),
  ].filter(fresh);
}

/** The objects of a pipeline entry its rules read into. */
const PIPELINE_SECTIONS = ['github', 'registry', 'build', 'pullRequestBuilds', 'notifications'];

const startsWith = (path: readonly PropertyKey[], prefix: readonly PropertyKey[]) =>
  prefix.length <= path.length && prefix.every((key, index) => key === path[index]);

const githubSchema = strictObject({
  owner: z.string(),
  repository: z.string(),
  branch: z.string().optional(),
  visibility: oneOf(REPOSITORY_VISIBILITIES).optional(),
  create: z.boolean().optional(),
  oauthTokenSecret: z.string().optional(),
  webhookSecret: z.string().optional(),
  buildTokenSecret: z.string().optional(),
  connectionArn: z.string().optional(),
  connectionName: z.string().optional(),
  requiredApprovingReviewCount: z.number().optional(),
  dismissStaleReviews: z.boolean().optional(),
  codeOwners: z.array(z.string()).optional(),
  requiredStatusChecks: z.array(z.string()).optional(),
  dependabotSecurityUpdates: z.boolean().optional(),
});

const registrySchema = strictObject({
  type: oneOf(REGISTRY_TYPES),
  image: z.string(),
  dockerHubCredentials: z.boolean().optional(),
});

const buildSchema = strictObject({
  computeType: oneOf(COMPUTE_TYPES).optional(),
  image: z.string().optional(),
  concurrentBuildLimit: z.number().optional(),
  timeoutMinutes: z.number().optional(),
  queuedTimeoutMinutes: z.number().optional(),
  logRetentionDays: z.number().optional(),
});

const pullRequestBuildsSchema = strictObject({
  enabled: z.boolean().optional(),
  requiredStatusCheck: z.boolean().optional(),
  commentApproval: oneOf(PULL_REQUEST_APPROVALS).optional(),
  approverRoles: z.array(oneOf(PULL_REQUEST_APPROVER_ROLES)).optional(),
});

const notificationsSchema = strictObject({
  enabled: z.boolean().optional(),
  emails: z.array(z.string()).optional(),
  slackChannelConfigurationArn: z.string().optional(),
});

const pipelineSchema = strictObject({
  id: z
    .string()
    .optional()
    .meta({
      description:
        "The pipeline's stack identity: its stack is `ci-<id>` and its state key `<keyPrefix>/<region>/<id>/" +
        'terraform.tfstate`. To rename a deployed pipeline, set `id` to its old name: the stack keeps its state, and ' +
        'Terraform plans the renames (docs/deploying.md, "Renaming or removing a pipeline"). Default: the name.',
    }),
  retired: z
    .boolean()
    .optional()
    .meta({
      description:
        'true to destroy the pipeline: its stack keeps its backend and providers but no resources, so that deploying ' +
        'it destroys everything the pipeline created. Remove the entry once that is applied. Default: false.',
    }),
  name: z.string(),
  github: githubSchema,
  trigger: oneOf(TRIGGER_MODES).optional(),
  executionMode: oneOf(EXECUTION_MODES).optional(),
  registry: registrySchema,
  build: buildSchema.optional(),
  appPath: z.string().optional(),
  releaseTags: z.array(z.string()).optional(),
  pullRequestBuilds: pullRequestBuildsSchema.optional(),
  notifications: notificationsSchema.optional(),
  artifactRetentionDays: z.number().optional(),
  encryptionKeyArn: z.string().optional(),
  artifactBucketName: z.string().optional(),
});

// The configuration's own fields are described here; a pipelines[] field is a CiPipelineProps prop, described there.
const stateSchema = strictObject({
  bucket: z.string().meta({
    description:
      "The state bucket: the one the state-bootstrap stack creates, or an existing one (S3's general purpose bucket " +
      'naming rules; a name ending in "-an" only for an existing bucket in an account regional namespace).',
  }),
  region: z
    .string()
    .meta({ description: "The region of the state bucket: one AWS has launched, in the pipelines' partition." }),
  keyPrefix: z.string().meta({
    description:
      'The prefix of the state keys: each pipeline stack keeps its state at ' +
      "`<keyPrefix>/<region>/<name>/terraform.tfstate`, the region being the pipelines' own.",
  }),
  kmsKeyArn: z
    .string()
    .optional()
    .meta({
      description:
        "The customer-managed KMS key that encrypts state and lock objects (the backend's `kms_key_id`): a key or " +
        'alias ' +
        'ARN in `state.region`, or an alias name. Without it the S3 backend writes state with S3-managed keys, which ' +
        'anyone allowed s3:GetObject on the bucket can read. Default: the bootstrap key, by its alias ' +
        '`alias/terraform-state/<bucket>`, the only key the bucket it creates accepts (so with `create: true`, only ' +
        'that alias or its ARN); required with `create: false` unless `s3ManagedEncryption` is true.',
    }),
  s3ManagedEncryption: z
    .boolean()
    .optional()
    .meta({
      description:
        'With `create: false` and no `kmsKeyArn`: accept S3-managed encryption of the state explicitly (the CIP_TF_2 ' +
        'guardrail is then suppressed, with the reason in the JSON).',
      default: false,
    }),
  create: z
    .boolean()
    .optional()
    .meta({
      description:
        'Create the state bucket in the state-bootstrap stack. `false` when it exists already: that stack is not ' +
        'synthesized, and the pipeline stacks keep their state in the existing bucket.',
      default: true,
    }),
});

const connectionSchema = strictObject({
  name: z
    .string()
    .optional()
    .meta({
      description:
        'The CodeConnections connection that every connection-mode pipeline without a connection of its own shares ' +
        '(1-32 letters, digits and .@_-), created by the github-connection stack.',
      default: 'ci-pipelines-github',
    }),
  create: z
    .boolean()
    .optional()
    .meta({
      description:
        'Create the shared connection. `false` when a connection of that name exists already (approved, perhaps by ' +
        'another configuration): no stack creates it, and the pipelines look it up by name.',
      default: true,
    }),
});

const infrastructurePipelineSchema = strictObject({
  owner: z.string().meta({ description: 'The GitHub owner of the repository that holds this configuration.' }),
  repository: z.string().meta({
    description: 'The repository that holds this configuration (this project), whose pull requests are planned.',
  }),
  branch: z
    .string()
    .optional()
    .meta({ description: 'The branch pull requests merge into.', default: INFRASTRUCTURE_PIPELINE_DEFAULTS.branch }),
  connectionArn: z.string().meta({
    description:
      'The CodeConnections connection CodeBuild reads the repository through, approved and given the repository. ' +
      'Only a connection: a build cannot obtain its token, where it could read a token secret.',
  }),
  commentTokenSecretArn: z.string().meta({
    description:
      'The Secrets Manager secret with the GitHub token the build comments with: fine-grained, this repository ' +
      'only, "Pull requests: write", of a machine user with read access (a pull request\'s code can read it).',
  }),
  providerTokenSecretArns: strictObject({
    plan: z.string().meta({
      description:
        "The Secrets Manager secret with the GitHub provider's token for plans: fine-grained, the pipelines' " +
        'repositories only, "Administration", "Contents" and "Metadata": read (a pull request\'s code can read it).',
    }),
    apply: z.string().meta({
      description:
        "The Secrets Manager secret with the GitHub provider's token for the apply: fine-grained, the pipelines' " +
        'repositories only, "Administration" and "Contents": write. Only the apply build reads it.',
    }),
  }).meta({
    description:
      "The GitHub provider's tokens: every pipeline's stacks read or manage its repository through the provider.",
  }),
  terraform: strictObject({
    version: z.string().meta({ description: 'The Terraform release the builds install, e.g. "1.11.4".' }),
    sha256: z.string().meta({
      description:
        "The SHA-256 of its `terraform_<version>_linux_amd64.zip`, from HashiCorp's `terraform_<version>_SHA256SUMS`.",
    }),
  }).meta({ description: 'The Terraform release the builds install, checked before it runs.' }),
  statusContext: z.string().optional().meta({
    description: 'The commit status the plan build reports, for the branch protection to require.',
    default: INFRASTRUCTURE_PIPELINE_DEFAULTS.statusContext,
  }),
  command: z.string().optional().meta({
    description: 'The command that runs cdktf-ci-infrastructure in the repository, after `npm ci`.',
    default: CONFIGURATION_REPOSITORY_COMMAND,
  }),
  alwaysApprove: z
    .boolean()
    .optional()
    .meta({
      description:
        'Wait for a manual approval before every apply on merge, not only before one that replaces or deletes ' +
        'something that holds data.',
      default: false,
    }),
});

export const configSchema = strictObject({
  $schema: z.string().optional().meta({
    description: 'The JSON Schema an editor checks the file with: `./pipelines.schema.json` beside the default file.',
  }),
  region: z.string().meta({
    description:
      'The AWS region the pipelines run in: one AWS has launched, as the AWS SDKs list them (the list the AWS ' +
      'provider checks `region` against).',
  }),
  state: stateSchema.meta({ description: 'Where the stacks keep their Terraform state (an S3 backend).' }),
  connection: connectionSchema
    .optional()
    .meta({ description: 'The GitHub connection the connection-mode pipelines share.' }),
  infrastructurePipeline: infrastructurePipelineSchema.optional().meta({
    description:
      "Plan every pull request to this configuration's repository in CodeBuild, with a read-only role, and comment " +
      'the plans on it; on merge, plan again, wait for an approval when data would be lost, and apply the saved ' +
      'plans with a role held by a permissions boundary: the infrastructure-pipeline stacks ' +
      '(docs/infrastructure-pipeline.md).',
  }),
  pipelines: z.array(pipelineSchema).min(1, { message: 'must list at least one pipeline' }).meta({
    description: 'One entry per app, each a CiPipeline in a stack of its own (`ci-<name>`); names are unique.',
  }),
});

/** The validated document. */
export type PipelinesConfig = z.infer<typeof configSchema>;
export type PipelineConfig = PipelinesConfig['pipelines'][number];

/** A derived state key as an error shows it: whole when short, else its start and end with its length in bytes. */
function describeKey(key: string): string {
  const bytes = Buffer.byteLength(key);
  return key.length <= 120
    ? JSON.stringify(key)
    : `${JSON.stringify(`${key.slice(0, 60)}…${key.slice(-40)}`)} (${bytes} bytes)`;
}

/** Problems of a stack's props, at the configuration fields they come from; props that map to no field are left out. */
function stackFieldProblems(
  problems: readonly PropProblem[],
  fields: Readonly<Record<string, string | undefined>>,
  pipelineIndex?: number,
  keyField?: Omit<FieldProblem, 'message'>,
): FieldProblem[] {
  return problems.flatMap((problem) => {
    if (problem.prop.startsWith('pipeline.') && pipelineIndex !== undefined) {
      return atFields(['pipelines', pipelineIndex], [{ ...problem, prop: problem.prop.slice('pipeline.'.length) }]);
    }
    // The state key is derived: its problem is reported at the field that makes it too long, with the key it makes.
    if (problem.prop === 'state.key' && keyField !== undefined) {
      return [
        { ...keyField, message: `makes the state key ${describeKey(String(problem.value))}, which ${problem.allowed}` },
      ];
    }
    const field = fields[problem.prop];
    return field === undefined ? [] : atFields([], [{ ...problem, prop: field }]);
  });
}

/** The infrastructure pipeline's stacks' own rules: its stack's, and its permissions boundary's. */
function infrastructureStackProblems(
  config: PipelinesConfig,
  keyField: Omit<FieldProblem, 'message'> | undefined,
): FieldProblem[] {
  if (config.infrastructurePipeline === undefined) return [];
  return [
    ...stackFieldProblems(
      validateInfrastructurePipelineStackProps(
        infrastructurePipelineStackProps(config as SharedSettings, config.infrastructurePipeline),
      ),
      INFRASTRUCTURE_PIPELINE_STACK_FIELDS,
      undefined,
      keyField,
    ),
    ...stackFieldProblems(
      validatePermissionsBoundaryStackProps(
        permissionsBoundaryStackProps(config as SharedSettings, config.infrastructurePipeline),
      ),
      PERMISSIONS_BOUNDARY_STACK_FIELDS,
      undefined,
      keyField,
    ),
  ];
}

/** The stacks' own rules for the region and state, each problem once however many stacks share the field. */
function stackProblems(config: PipelinesConfig): FieldProblem[] {
  const bootstrap = bootstrapStackProps(config);
  const connection = connectionStackProps(config, config.pipelines.filter(isObject));
  const prefixProblems = checkKeyPrefix(config.state.keyPrefix);
  // A derived state key is reported at the field that makes it, unless the prefix in it is wrong already.
  const keyField = (path: (string | number)[], value: unknown) =>
    prefixProblems.length > 0 ? undefined : { path, value };
  const problems = [
    ...atFields([], prefixProblems),
    ...atFields([], stateEncryptionProblems(config.state)),
    ...(bootstrap === undefined
      ? []
      : stackFieldProblems(validateStateBootstrapStackProps(bootstrap), BOOTSTRAP_STACK_FIELDS)),
    ...(connection === undefined
      ? []
      : stackFieldProblems(
          // Its region is the pipelines', whose own checks report it: at `region`, or at their `trigger` where AWS
          // offers no connections.
          validateGitHubConnectionStackProps(connection).filter((problem) => problem.prop !== 'region'),
          CONNECTION_STACK_FIELDS,
          undefined,
          keyField(['state', 'keyPrefix'], config.state.keyPrefix),
        )),
    ...infrastructureStackProblems(config, keyField(['state', 'keyPrefix'], config.state.keyPrefix)),
    ...config.pipelines.flatMap((pipeline, index) =>
      isObject(pipeline)
        ? stackFieldProblems(
            validateCiPipelineStackProps(pipelineStackProps(config as SharedSettings, pipeline)),
            PIPELINE_STACK_FIELDS,
            index,
            // The key is made from the pipeline's identity: its id, else its name.
            pipeline.id === undefined
              ? keyField(['pipelines', index, 'name'], pipeline.name)
              : keyField(['pipelines', index, 'id'], pipeline.id),
          )
        : [],
    ),
  ];
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.path.join('.')}: ${problem.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

/**
 * The shared connection's own rules; an existing one's name is checked here (a created one's by its stack), since
 * pipelines look it up by it.
 */
function connectionProblems(config: PipelinesConfig): FieldProblem[] {
  if (config.connection === undefined) return [];
  if (!config.pipelines.some((pipeline) => isObject(pipeline) && usesSharedConnection(pipeline))) {
    return [
      {
        path: ['connection'],
        value: config.connection,
        message:
          'applies only when a pipeline has trigger "connection" and names no connectionArn or connectionName of ' +
          'its own; remove it',
      },
    ];
  }
  const name = config.connection.name;
  const problem = name === undefined || config.connection.create !== false ? undefined : checkConnectionName(name);
  return problem === undefined ? [] : [{ path: ['connection', 'name'], value: name, message: problem }];
}

/**
 * The infrastructure pipeline's pull-request builds read every stack's state, and run the pull request's code: a
 * webhook-mode pipeline keeps its GitHub token and webhook secret in its state (docs/secrets.md), where any pull
 * request could read them. Such pipelines must use a connection, which keeps neither.
 */
function infrastructurePipelineProblems(config: PipelinesConfig): FieldProblem[] {
  if (config.infrastructurePipeline === undefined) return [];
  return config.pipelines.flatMap((pipeline, index): FieldProblem[] =>
    isObject(pipeline) && pipeline.retired !== true && (pipeline.trigger ?? 'webhook') === 'webhook'
      ? [
          {
            path: ['pipelines', index, 'trigger'],
            value: pipeline.trigger,
            message:
              (pipeline.trigger === undefined ? 'defaults to "webhook", and ' : '') +
              'must be "connection" with an infrastructurePipeline: webhook mode keeps the GitHub token and the ' +
              "webhook secret in the pipeline's state, which every pull-request plan reads and runs the pull " +
              "request's code beside",
          },
        ]
      : [],
  );
}

/**
 * S3-managed state encryption is a choice for an existing bucket only: the bucket the state-bootstrap stack creates
 * refuses every object write that does not name its key, so a backend without the key could never write state.
 */
function stateEncryptionProblems(state: PipelinesConfig['state']): PropProblem[] {
  if (state.create === false) return [];
  const problems: PropProblem[] = [];
  if (state.s3ManagedEncryption === true)
    problems.push({
      prop: 'state.s3ManagedEncryption',
      value: true,
      allowed:
        'applies only to an existing state bucket (create: false): the bucket the state-bootstrap stack creates ' +
        'refuses state written without its key; remove it',
    });
  // The same bucket refuses writes under any other key: only its own key's alias, by name or ARN, can be named here.
  const alias = stateKeyAlias(String(state.bucket));
  const kmsKeyArn = state.kmsKeyArn;
  if (kmsKeyArn !== undefined && kmsKeyArn !== alias && !kmsKeyArn.endsWith(`:${alias}`))
    problems.push({
      prop: 'state.kmsKeyArn',
      value: kmsKeyArn,
      allowed:
        `with the state bucket created here (create: true, the default), its key, ${alias} (the alias or its ARN), ` +
        'whose bucket policy refuses state written under any other key; leave kmsKeyArn out to use it, or set ' +
        'create: false for an existing bucket and its key',
    });
  return problems;
}

/** `state.keyPrefix` is the configuration's own: the stacks are given whole keys built from it. */
function checkKeyPrefix(keyPrefix: string): PropProblem[] {
  const allowed = checkS3KeyPrefix(keyPrefix);
  return allowed === undefined ? [] : [{ prop: 'state.keyPrefix', value: keyPrefix, allowed }];
}

/**
 * A problem for each pipeline whose name, or stack identity (its id, else its name), an earlier one has: a name names
 * the AWS resources, an identity the stack and its state key.
 */
function identityProblems(pipelines: readonly PipelineConfig[]): Map<number, FieldProblem> {
  const problems = new Map<number, FieldProblem>();
  const names = new Map<string, number>();
  const identities = new Map<string, number>();
  pipelines.forEach((pipeline, index) => {
    if (!isObject(pipeline)) return;
    const first = names.get(pipeline.name);
    const identity = pipelineIdentity(pipeline);
    const sharing = identities.get(identity);
    if (first !== undefined) {
      problems.set(index, {
        path: ['pipelines', index, 'name'],
        value: pipeline.name,
        message: `must be unique: pipelines[${first}] has the same name, which names the AWS resources of each`,
      });
    } else if (sharing !== undefined) {
      problems.set(index, {
        path: ['pipelines', index, pipeline.id === undefined ? 'name' : 'id'],
        value: identity,
        message:
          `must be unique among the pipelines' stack identities (an id, else the name): pipelines[${sharing}] has ` +
          `it, and the two would share a stack and a state key`,
      });
    }
    names.set(pipeline.name, names.get(pipeline.name) ?? index);
    identities.set(identity, sharing ?? index);
  });
  return problems;
}

/**
 * Rules across pipelines: unique names and identities, one stack managing each repository, and no two pipelines
 * creating a resource of the same name where AWS holds it unique.
 */
function fleetProblems(config: PipelinesConfig): FieldProblem[] {
  const pipelines = config.pipelines;
  const identities = identityProblems(pipelines);
  const problems: FieldProblem[] = [...identities.values()];
  const creators = new Map<string, number>();
  const resources = new Map<string, number>();
  pipelines.forEach((pipeline, index) => {
    if (!isObject(pipeline) || identities.has(index)) return;
    if (!isObject(pipeline.github) || !isObject(pipeline.registry)) return;
    // As the stacks get it: a pipeline on the shared connection creates none of its own.
    for (const resource of namedResourcesOf(pipelineStackProps(config as SharedSettings, pipeline).pipeline).filter(
      (candidate) => typeof candidate.name === 'string',
    )) {
      const key = `${resource.kind}|${resource.name}`;
      const owner = resources.get(key);
      if (owner === undefined) resources.set(key, index);
      else {
        const message =
          `must be unique in ${uniqueInWords(resource.uniqueIn)}: pipelines[${owner}] creates the ` +
          `${resource.kind} "${resource.name}" too`;
        const path = resource.prop.split('.');
        problems.push({
          path: ['pipelines', index, ...path],
          value: path.reduce<any>((object, key) => object?.[key], pipeline),
          message,
        });
      }
    }
    if (pipeline.github.create === false) return;
    const repository = `${pipeline.github.owner}/${pipeline.github.repository}`;
    const creator = creators.get(repository.toLowerCase());
    if (creator !== undefined) {
      problems.push({
        path: ['pipelines', index, 'github', 'create'],
        value: pipeline.github.create ?? true,
        message:
          `must be false: pipelines[${creator}] already creates ${repository}, and two stacks cannot both ` +
          `manage it`,
      });
    } else creators.set(repository.toLowerCase(), index);
  });
  return problems;
}

const isObject = (value: unknown): value is Record<string, any> => typeof value === 'object' && value !== null;

/** Deeply read-only, so that the schema's arrays compare with the props' read-only ones. */
type DeepReadonly<T> = T extends readonly (infer E)[]
  ? readonly DeepReadonly<E>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;
/** `true` when A and B are the same type. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Compiles only for `true`. */
type Holds<T extends true> = T;
/** What only a library user sets on a CiPipeline: the app's stacks hold one pipeline each. */
type LibraryOnlyProps = 'terraformNamePrefix' | 'repositoryScope';

/**
 * A `pipelines[]` entry is exactly a CiPipeline's props, field for field and type for type: a field added to one and
 * not the other fails the type check here (`npm run typecheck`), so the configuration and the construct cannot drift.
 */
export type PipelineEntryIsCiPipelineProps = Holds<
  Same<DeepReadonly<PipelineConfig>, DeepReadonly<Omit<CiPipelineProps, LibraryOnlyProps>>>
>;
