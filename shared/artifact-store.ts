/**
 * Where CodePipeline keeps a pipeline's artifacts in its artifact bucket, so
 * that grants (`constructs/`) and the permission checks (`guardrails/`) scope
 * object access to the same keys. A leaf module: it imports nothing.
 */

/**
 * How many characters of the pipeline's name CodePipeline keeps for the folder
 * of its artifacts: object keys are `<first 20 characters of the pipeline
 * name>/<first 10 characters of the artifact name>/<random ID>`. The
 * CodePipeline User Guide ("Troubleshooting CodePipeline": "Pipeline artifact
 * folder names appear to be truncated") says that the names are truncated but
 * not where; the 20 is the one AWS's answers and every observed key show.
 */
export const ARTIFACT_FOLDER_NAME_LENGTH = 20;

/** The key prefix (without a trailing "/") of a pipeline's artifacts in its artifact bucket. */
export const pipelineArtifactPrefix = (pipelineName: string): string =>
  pipelineName.slice(0, ARTIFACT_FOLDER_NAME_LENGTH);
