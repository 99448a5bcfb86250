import { EnvironmentVariable } from '../aws/build-project';

/**
 * The environment variables the app's buildspec may read, beside CodeBuild's own
 * (`CODEBUILD_*`, `AWS_*`): the contract between {@link CiPipeline} and `buildspec.yml`.
 * `always` ones are set for every configuration; the others only where they apply.
 */
export const BUILD_ENVIRONMENT_VARIABLES = {
  APP_DIR: { always: true, meaning: 'the app directory inside the repository ("." for the root)' },
  PUSH_IMAGE: {
    always: true,
    meaning: '"true" in the pipeline\'s build; "false" in pull-request builds, which only test and build the image',
  },
  IMAGE_REPOSITORY_URI: {
    always: true,
    meaning: 'where to push the image, without a tag (in pull-request builds, a local name that is never pushed)',
  },
  PUSH_LATEST_TAG: { always: true, meaning: '"true" to push the `latest` tag too (registries with mutable tags)' },
  ECR_REGISTRY: { always: false, meaning: 'the ECR registry host to log in to (ECR only)' },
  DOCKERHUB_USERNAME: {
    always: false,
    meaning: 'Docker Hub user name, from Secrets Manager (when credentials are configured)',
  },
  DOCKERHUB_PASSWORD: {
    always: false,
    meaning: 'Docker Hub access token, from Secrets Manager (when credentials are configured)',
  },
} as const;

/** A variable of the contract. */
export type BuildVariableName = keyof typeof BUILD_ENVIRONMENT_VARIABLES;

/** A plain variable of the contract: typed by it, so a renamed variable fails to compile instead of failing a build. */
export const buildVariable = (name: BuildVariableName, value: string): EnvironmentVariable => ({ name, value });
