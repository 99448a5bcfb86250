import { CodepipelineStageAction, CodepipelineTrigger } from '@cdktf/provider-aws/lib/codepipeline';
import { IGrantable } from './policy';

/** How a push to GitHub starts the pipeline. */
export type TriggerMode = 'webhook' | 'connection';
export const TRIGGER_MODES: readonly TriggerMode[] = ['webhook', 'connection'];

/** The pipeline a source is attached to, once it exists. */
export interface PipelineBinding {
  /** The CodePipeline's name. */
  readonly pipelineName: string;
  /** The name of the source action in the Source stage. */
  readonly sourceActionName: string;
}

/**
 * A source for {@link Pipeline}: it supplies the Source stage's action and
 * whatever the pipeline needs to be started by a push.
 */
export interface IPipelineSource {
  /** How this source is triggered. */
  readonly mode: TriggerMode;
  /** The pipeline type the source action runs in (`V1` or `V2`). */
  readonly pipelineType: 'V1' | 'V2';
  /** Attributes of the pipeline that AWS reports back differently from what was set, to ignore in plans. */
  readonly ignoredPipelineChanges: readonly string[];
  /** The Source stage's action, writing the checked-out code to `outputArtifact`. */
  sourceAction(actionName: string, outputArtifact: string): CodepipelineStageAction;
  /** V2 triggers for the pipeline; empty for sources that start it by other means. */
  triggers(sourceActionName: string): CodepipelineTrigger[];
  /** Grants the pipeline's role what the source action needs. */
  grantRead(pipelineRole: IGrantable): void;
  /** Wires whatever must point at the finished pipeline (e.g. webhooks). Called once by the pipeline. */
  bind(pipeline: PipelineBinding): void;
}
