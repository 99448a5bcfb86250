import { z } from 'zod';
import { REGISTRY_TYPES } from '../constructs/ci-pipeline';
import { TRIGGER_MODES } from '../constructs/pipeline-source';
import { REPOSITORY_VISIBILITIES } from '../constructs/source-repository';
import {
  Check,
  checkArnInRegion,
  checkAwsRegion,
  checkBranchName,
  checkBuildImage,
  checkBuildTimeoutMinutes,
  COMPUTE_TYPES,
  checkConnectionArn,
  checkOneOf,
  checkConcurrentBuildLimit,
  checkDockerHubRepository,
  checkGitHubOwner,
  checkGitHubRepository,
  checkImageRepositoryName,
  checkIntegerBetween,
  checkKmsKeyArn,
  checkKmsKeyOrAliasArn,
  checkLogRetentionDays,
  checkPipelineName,
  checkQueuedTimeoutMinutes,
  checkRelativePath,
  checkS3BucketName,
  checkS3KeyPrefix,
  checkSecretId,
} from '../constructs/validation';

/**
 * The configuration document's schema. Types and required fields are zod's;
 * every rule about values is one of the constructs' own checks, so a document
 * that passes here builds without a construct error.
 */

/** An object that rejects unknown keys (typos), naming the keys it allows. */
function strictObject<Shape extends z.ZodRawShape>(shape: Shape) {
  const allowed = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `allowed fields here: ${allowed}` : undefined),
  });
}

/** Adapts one of the shared checks to zod, reporting its sentence as the issue. */
function refineWith<T>(check: Check<T>) {
  return (value: T, context: z.RefinementCtx<T>) => {
    const problem = check(value);
    if (problem !== undefined) context.addIssue({ code: 'custom', message: problem, input: value });
  };
}
const text = (check: Check<string>) => z.string().superRefine(refineWith(check));
const count = (check: Check<number>) => z.number().superRefine(refineWith(check));
/** A string from a fixed list, typed as that list's union once it has passed. */
const oneOf = <T extends string>(values: readonly T[]) =>
  text(checkOneOf(values)).transform((value) => value as T);

const githubSchema = strictObject({
  owner: text(checkGitHubOwner),
  repository: text(checkGitHubRepository),
  branch: text(checkBranchName).optional(),
  visibility: oneOf(REPOSITORY_VISIBILITIES).optional(),
  create: z.boolean().optional(),
  oauthTokenSecret: text(checkSecretId).optional(),
  webhookSecret: text(checkSecretId).optional(),
  connectionArn: text(checkConnectionArn).optional(),
});

const registrySchema = strictObject({
  type: oneOf(REGISTRY_TYPES),
  image: z.string(),
  dockerHubCredentials: z.boolean().optional(),
});

const buildSchema = strictObject({
  computeType: oneOf(COMPUTE_TYPES).optional(),
  image: text(checkBuildImage).optional(),
  concurrentBuildLimit: count(checkConcurrentBuildLimit).optional(),
  timeoutMinutes: count(checkBuildTimeoutMinutes).optional(),
  queuedTimeoutMinutes: count(checkQueuedTimeoutMinutes).optional(),
  logRetentionDays: count(checkLogRetentionDays).optional(),
});

const pipelineSchema = strictObject({
  name: text(checkPipelineName),
  github: githubSchema,
  trigger: oneOf(TRIGGER_MODES).optional(),
  registry: registrySchema,
  build: buildSchema.optional(),
  appPath: text(checkRelativePath).optional(),
  artifactRetentionDays: count(checkIntegerBetween(1, 3650)).optional(),
  encryptionKeyArn: text(checkKmsKeyArn).optional(),
  artifactBucketName: text(checkS3BucketName).optional(),
}).superRefine((pipeline, context) => {
  const problem = (path: (string | number)[], input: unknown, message: string) =>
    context.addIssue({ code: 'custom', path, input, message });
  const trigger = pipeline.trigger ?? 'webhook';
  const { registry, github } = pipeline;
  if (typeof registry.image === 'string') {
    const imageProblem = (registry.type === 'ecr' ? checkImageRepositoryName : checkDockerHubRepository)(registry.image);
    if (imageProblem !== undefined) problem(['registry', 'image'], registry.image, imageProblem);
  }
  if (registry.type === 'dockerhub' && registry.dockerHubCredentials === false) {
    problem(['registry', 'dockerHubCredentials'], false, 'must be true or absent with registry type "dockerhub", which always logs in');
  }
  if (trigger === 'connection') {
    for (const field of ['oauthTokenSecret', 'webhookSecret'] as const) {
      if (github[field] !== undefined) problem(['github', field], github[field], 'applies only to trigger "webhook"; remove it or set trigger to "webhook"');
    }
  }
  if (pipeline.artifactBucketName !== undefined && pipeline.artifactRetentionDays !== undefined) {
    problem(['artifactRetentionDays'], pipeline.artifactRetentionDays, 'applies only to a created artifact bucket; remove it or remove artifactBucketName');
  }
  if (trigger === 'webhook' && github.connectionArn !== undefined) {
    problem(['github', 'connectionArn'], github.connectionArn, 'applies only to trigger "connection"; remove it or set trigger to "connection"');
  }
});

export const configSchema = strictObject({
  $schema: z.string().optional(),
  region: text(checkAwsRegion),
  state: strictObject({
    bucket: text(checkS3BucketName),
    region: text(checkAwsRegion),
    keyPrefix: text(checkS3KeyPrefix),
    kmsKeyArn: text(checkKmsKeyOrAliasArn).optional(),
    create: z.boolean().optional(),
  }),
  pipelines: z.array(pipelineSchema).min(1, { message: 'must list at least one pipeline' }),
}).superRefine((config, context) => {
  const seen = new Map<string, number>();
  const createdRepositories = new Map<string, number>();
  config.pipelines.forEach((pipeline, index) => {
    const keyProblem = pipeline.encryptionKeyArn === undefined ? undefined : checkArnInRegion(config.region)(pipeline.encryptionKeyArn);
    if (keyProblem !== undefined) {
      context.addIssue({ code: 'custom', path: ['pipelines', index, 'encryptionKeyArn'], input: pipeline.encryptionKeyArn, message: keyProblem });
    }
    const repository = `${pipeline.github.owner}/${pipeline.github.repository}`.toLowerCase();
    const creator = createdRepositories.get(repository);
    if (pipeline.github.create !== false && creator !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['pipelines', index, 'github', 'create'],
        input: pipeline.github.create ?? true,
        message: `must be false: pipelines[${creator}] already creates ${pipeline.github.owner}/${pipeline.github.repository}, and two stacks cannot both manage it`,
      });
    } else if (pipeline.github.create !== false) {
      createdRepositories.set(repository, index);
    }

    const first = seen.get(pipeline.name);
    if (first !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['pipelines', index, 'name'],
        input: pipeline.name,
        message: `must be unique: pipelines[${first}] has the same name, and the two would share a stack and a state key`,
      });
    } else {
      seen.set(pipeline.name, index);
    }
  });
});

/** The validated document. */
export type PipelinesConfig = z.infer<typeof configSchema>;
export type PipelineConfig = PipelinesConfig['pipelines'][number];
