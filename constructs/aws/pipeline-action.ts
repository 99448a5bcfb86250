import { IConstruct } from 'constructs';
import { CodepipelineStageAction, CodepipelineTrigger } from '@cdktf/provider-aws/lib/codepipeline';
import { IGrantable } from '../core/grants';
import { IBucket } from './secure-bucket';

/** CodePipeline's pipeline types (CodePipeline User Guide, "Pipeline types"). */
export const PIPELINE_TYPES = ['V1', 'V2'] as const;
export type PipelineType = (typeof PIPELINE_TYPES)[number];

/**
 * How a pipeline runs executions that overlap (CodePipeline User Guide, "Set or
 * change the pipeline execution mode",
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/execution-modes.html):
 * - `SUPERSEDED`: a newer execution may overtake and replace an older one waiting between stages;
 * - `QUEUED`: executions run one by one, in the order they started, and none is skipped;
 * - `PARALLEL`: executions run independently of each other, at the same time.
 * V1 pipelines run only `SUPERSEDED`.
 */
export const EXECUTION_MODES = ['SUPERSEDED', 'QUEUED', 'PARALLEL'] as const;
export type ExecutionMode = (typeof EXECUTION_MODES)[number];

/** The execution modes a pipeline type supports. */
export const executionModesOf = (type: PipelineType): readonly ExecutionMode[] =>
  type === 'V1' ? ['SUPERSEDED'] : EXECUTION_MODES;

/**
 * The execution mode a pipeline runs when none is chosen: `QUEUED` where the
 * type allows it, so every change is built, in order, and a stage never holds
 * more than one execution (no build can fail on a project's concurrent build
 * limit); else `SUPERSEDED`, the only mode of V1.
 */
export const defaultExecutionModeOf = (type: PipelineType): ExecutionMode => (type === 'V1' ? 'SUPERSEDED' : 'QUEUED');

/** What a pipeline tells an action when the action joins one of its stages. */
export interface ActionBinding {
  /** The pipeline construct, which errors about the action name by its path. */
  readonly scope: IConstruct;
  /** The pipeline's name. */
  readonly pipelineName: string;
  /** The name of the stage the action is in. */
  readonly stageName: string;
  /** The pipeline's service role: the action grants it what the action needs. */
  readonly role: IGrantable;
  /** The pipeline's artifact store. */
  readonly artifactBucket: IBucket;
  /** The key prefix of the pipeline's artifacts in `artifactBucket`: actions grant access to those objects only. */
  readonly artifactKeyPrefix: string;
}

/** What an action brings to its pipeline once bound. */
export interface ActionConfig {
  /** The action's declaration in its stage. */
  readonly declaration: CodepipelineStageAction;
  /**
   * Attributes of the declaration, relative to it (`configuration["OAuthToken"]`),
   * that AWS reports back differently from what was set; the pipeline ignores
   * them in plans at wherever the action is.
   * @default - none
   */
  readonly ignoredChanges?: readonly string[];
  /**
   * V2 triggers that start the pipeline (they name this action).
   * @default - none
   */
  readonly triggers?: readonly CodepipelineTrigger[];
  /**
   * The only pipeline type the action runs in.
   * @default - either
   */
  readonly pipelineType?: PipelineType;
}

/**
 * An action of a pipeline stage. It is bound once, when it is added to a
 * stage: it grants the pipeline's role what it needs, creates whatever must
 * point at the pipeline (a webhook), and returns its declaration.
 */
export interface IAction {
  /** The action's name, unique in its stage. */
  readonly actionName: string;
  /** Joins the pipeline; called once by {@link Pipeline.addStage}. */
  bind(binding: ActionBinding): ActionConfig;
}
