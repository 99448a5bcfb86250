import { IAction } from '../aws/pipeline-action';
import { StackOutput } from '../core/stack-output';

/** The name a source action has unless told otherwise, as reviewers see it in plans and the console. */
export const DEFAULT_SOURCE_ACTION_NAME = 'GitHub';
/** The artifact a source writes the checked-out code to unless told otherwise. */
export const DEFAULT_SOURCE_ARTIFACT = 'source_output';

/**
 * Where a pipeline's code comes from and how a push starts the pipeline: the
 * Source stage's action, which writes the code to its `outputArtifact`.
 */
export interface IPipelineSource extends IAction {
  /** The artifact the source action writes the checked-out code to. */
  readonly outputArtifact: string;
  /** What an operator reads after deploying this source (a webhook URL, a connection and its status). */
  readonly outputs: readonly StackOutput[];
}
