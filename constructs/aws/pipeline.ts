import { ROLE_NAME_SUFFIXES } from '../../shared/apply-permissions';
import { AwsContext } from '../private/aws-context';
import { requireAwsProvider } from '../private/provider-versions';
import { Codepipeline } from '@cdktf/provider-aws/lib/codepipeline';
import { pipelineArtifactPrefix } from '../../shared/artifact-store';
import { Construct } from 'constructs';
import { checkIamRoleName, ServiceRole } from './service-role';
import { checkOneOf, matches } from '../private/checks';
import {
  checkDerivedName,
  checkOptionalProp,
  checkProp,
  crossPropProblem,
  throwIfInvalid,
} from '../private/validation';
import { PropProblem } from '../core/validation';
import { IEncryptionKey } from './encryption-key';
import {
  ActionConfig,
  defaultExecutionModeOf,
  EXECUTION_MODES,
  ExecutionMode,
  executionModesOf,
  IAction,
  PIPELINE_TYPES,
  PipelineType,
} from './pipeline-action';
import { IBucket } from './secure-bucket';

/** A pipeline's service role. */
export const pipelineRoleName = (pipelineName: string) => `${pipelineName}${ROLE_NAME_SUFFIXES.pipeline}`;

export interface PipelineProps {
  /** The pipeline's name: 1-100 letters, digits and .@_-. */
  readonly pipelineName: string;
  /** The artifact store. */
  readonly artifactBucket: IBucket;
  /** Encrypts the artifacts in the store. */
  readonly encryptionKey: IEncryptionKey;
  /**
   * The pipeline type.
   * @default - the type its actions require (`V1` for GitHub version 1 sources), else `V2`
   */
  readonly pipelineType?: PipelineType;
  /**
   * How overlapping executions run: `SUPERSEDED`, `QUEUED` or `PARALLEL` (see
   * `EXECUTION_MODES`); V1 pipelines run only `SUPERSEDED`.
   * @default - `QUEUED` for V2 pipelines, `SUPERSEDED` for V1
   */
  readonly executionMode?: ExecutionMode;
}

/** A stage of a {@link Pipeline}, as {@link Pipeline.addStage} returns it. */
export interface IStage {
  /** The stage's name. */
  readonly stageName: string;
}

/** Where a stage goes; without a placement it is appended. */
export interface StagePlacement {
  /** Insert the stage right before this one. */
  readonly rightBefore?: IStage;
  /** Insert the stage just after this one. */
  readonly justAfter?: IStage;
}

/**
 * The operators of a `VariableCheck` rule (CodePipeline User Guide, "VariableCheck":
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/rule-reference-VariableCheck.html).
 */
export const VARIABLE_CHECK_OPERATORS = ['EQ', 'CONTAINS', 'MATCHES', 'NE'] as const;
export type VariableCheckOperator = (typeof VARIABLE_CHECK_OPERATORS)[number];

/** A `VariableCheck` rule: it passes when the pipeline variable compares to the value as the operator says. */
export interface VariableCheckRule {
  /** The rule's name: 1-100 letters, digits and .@_-. */
  readonly ruleName: string;
  /** The variable, as an action's namespace exports it: `#{<namespace>.<name>}`. */
  readonly variable: string;
  /** How the variable is compared: `EQ`, `CONTAINS`, `MATCHES` (a Java regular expression) or `NE`. */
  readonly operator: VariableCheckOperator;
  /** The value it is compared with. */
  readonly value: string;
}

/**
 * What happens when an entry condition's rules do not all pass (CodePipeline User Guide, "Configure conditions for
 * a stage": entry conditions engage "Fail or Skip"; API Reference, "Condition").
 */
export const ENTRY_CONDITION_RESULTS = ['FAIL', 'SKIP'] as const;
export type EntryConditionResult = (typeof ENTRY_CONDITION_RESULTS)[number];

/**
 * A condition checked before a stage is entered, V2 pipelines only: when its rules do not all pass, `result` engages
 * (the stage fails, or is skipped and the run goes on).
 */
export interface EntryCondition {
  /** `FAIL` or `SKIP`; a skipping condition takes only `VariableCheck` and `LambdaInvoke` rules. */
  readonly result: EntryConditionResult;
  /** The rules, 1-5 (API Reference, "Condition": rules, "Minimum number of 1 item. Maximum number of 5 items"). */
  readonly rules: readonly VariableCheckRule[];
}

export interface StageProps {
  /** The stage's name, unique in the pipeline: 1-100 letters, digits and .@_-. */
  readonly stageName: string;
  /** The stage's actions, at least one; they run in parallel. */
  readonly actions: readonly IAction[];
  /**
   * Where the stage goes.
   * @default - after the last stage
   */
  readonly placement?: StagePlacement;
  /**
   * A condition checked before the stage is entered (V2 pipelines).
   * @default - none: the stage is always entered
   */
  readonly entryCondition?: EntryCondition;
}

interface BoundStage extends IStage {
  readonly actions: readonly { readonly action: IAction; readonly config: ActionConfig }[];
  readonly entryCondition?: EntryCondition;
}

/** A pipeline: one created here, or an existing one ({@link Pipeline.fromPipelineName}). */
export interface IPipeline {
  /** The pipeline's name. */
  readonly pipelineName: string;
  /** The pipeline's ARN. */
  readonly pipelineArn: string;
}

/** The provider resources of a {@link Pipeline}. */
export interface PipelineResources {
  /** The pipeline, with its stages rendered at synth. */
  readonly pipeline: Codepipeline;
}

/**
 * A CodePipeline whose stages are data: {@link Pipeline.addStage} takes any
 * actions, and each action binds itself to the pipeline and grants the
 * pipeline's service role what it needs. The role starts with the artifact
 * bucket's objects and the artifact key, and nothing else.
 *
 * The pipeline's type, V2 triggers and ignored attributes follow from its
 * actions wherever they are: an ignored attribute of an action is written with
 * the action's real position, so inserting a stage can never stop it matching.
 */
export class Pipeline extends Construct implements IPipeline {
  /**
   * A pipeline that exists already, in the stack's account and region, which Terraform does not manage: to watch its
   * failures ({@link pipelineFailures}) or name it in a policy.
   *
   * @param scope the construct that uses it: its stack's account, region and partition are the pipeline's
   * @param pipelineName the pipeline's name
   */
  public static fromPipelineName(scope: Construct, pipelineName: string): IPipeline {
    throwIfInvalid('Pipeline.fromPipelineName', scope, checkProp('pipelineName', pipelineName, checkCodePipelineName));
    return { pipelineName, pipelineArn: AwsContext.of(scope).arn('codepipeline', pipelineName) };
  }

  /** The pipeline's name. */
  public readonly pipelineName: string;
  /** The pipeline's ARN, a reference to the pipeline: whatever uses it is created after it. */
  public readonly pipelineArn: string;
  /** The pipeline's service role. */
  public readonly role: ServiceRole;
  /** The provider resources it created (its role's are the role's), to reach any argument it does not model. */
  public readonly resources: PipelineResources;

  private readonly props: PipelineProps;
  private readonly resource: Codepipeline;
  private readonly stages: BoundStage[] = [];

  constructor(scope: Construct, id: string, props: PipelineProps) {
    super(scope, id);
    const nameProblems = checkProp('pipelineName', props.pipelineName, checkCodePipelineName);
    throwIfInvalid('Pipeline', this, [
      ...nameProblems,
      ...(nameProblems.length > 0
        ? []
        : checkDerivedName(
            'pipelineName',
            props.pipelineName,
            'IAM role name',
            pipelineRoleName(props.pipelineName),
            checkIamRoleName,
          )),
      ...checkOptionalProp('pipelineType', props.pipelineType, checkOneOf(PIPELINE_TYPES)),
      ...checkOptionalProp('executionMode', props.executionMode, checkOneOf(EXECUTION_MODES)),
      ...(props.pipelineType === undefined || props.executionMode === undefined
        ? []
        : executionModeProblems(props.pipelineType, props.executionMode)),
    ]);
    requireAwsProvider(this);
    this.props = props;
    this.role = new ServiceRole(this, 'role', {
      roleName: pipelineRoleName(props.pipelineName),
      assumedBy: 'codepipeline.amazonaws.com',
    });
    // Only the pipeline's own folder: pipelines that share a bucket cannot read or overwrite each other's artifacts.
    props.artifactBucket.grantReadWrite(this.role, { objectKeyPrefix: pipelineArtifactPrefix(props.pipelineName) });
    props.encryptionKey.grantEncryptDecrypt(this.role);

    this.resource = new Codepipeline(this, 'pipeline', {
      name: props.pipelineName,
      pipelineType: props.pipelineType ?? 'V2',
      roleArn: this.role.roleArn,
      artifactStore: [
        {
          type: 'S3',
          location: props.artifactBucket.bucketName,
          encryptionKey: { type: 'KMS', id: props.encryptionKey.keyArn },
        },
      ],
      stage: [],
    });
    this.role.orderAfterPermissions(this.resource);
    this.node.defaultChild = this.resource;
    this.resources = { pipeline: this.resource };
    this.pipelineName = this.resource.name;
    this.pipelineArn = this.resource.arn;
    // CodePipeline User Guide, "CodePipeline pipeline structure reference": at least two stages, and every input
    // artifact the output of an action before it.
    this.node.addValidation({
      validate: () => [
        ...(this.stages.length < 2
          ? [`Pipeline ${this.node.path} has ${this.stages.length} stage(s); a pipeline needs at least two`]
          : []),
        ...unwrittenInputs(this.stages).map((problem) => `Pipeline ${this.node.path}: ${problem}`),
      ],
    });
  }

  /** The stage named `stageName`, to place another stage next to; undefined when there is none. */
  public stage(stageName: string): IStage | undefined {
    return this.stages.find((stage) => stage.stageName === stageName);
  }

  /** Adds a stage and binds its actions: each grants the pipeline's role what it needs. */
  public addStage(props: StageProps): IStage {
    throwIfInvalid('Pipeline.addStage', this, this.validateStage(props));
    const binding = {
      scope: this,
      pipelineName: this.pipelineName,
      stageName: props.stageName,
      role: this.role,
      artifactBucket: this.props.artifactBucket,
      artifactKeyPrefix: pipelineArtifactPrefix(this.props.pipelineName),
    };
    const stage: BoundStage = {
      stageName: props.stageName,
      actions: props.actions.map((action) => ({ action, config: action.bind(binding) })),
      entryCondition: props.entryCondition,
    };
    this.stages.splice(this.indexFor(props.placement), 0, stage);
    this.render();
    return stage;
  }

  private validateStage(props: StageProps): PropProblem[] {
    const names = props.actions.map((action) => action.actionName);
    const { rightBefore, justAfter } = props.placement ?? {};
    const target = rightBefore ?? justAfter;
    return [
      ...checkProp('stageName', props.stageName, checkStageOrActionName),
      ...crossPropProblem(
        this.stages.some((stage) => stage.stageName === props.stageName),
        'stageName',
        props.stageName,
        'must be unique in the pipeline',
      ),
      ...crossPropProblem(props.actions.length === 0, 'actions', [], 'must hold at least one action'),
      ...names.flatMap((name) => checkProp('actions[].actionName', name, checkStageOrActionName)),
      ...crossPropProblem(
        new Set(names).size !== names.length,
        'actions[].actionName',
        names,
        'must be unique in the stage',
      ),
      ...crossPropProblem(
        rightBefore !== undefined && justAfter !== undefined,
        'placement',
        Object.keys(props.placement ?? {}),
        'must set one of rightBefore and justAfter, not both',
      ),
      ...crossPropProblem(
        target !== undefined && !this.stages.includes(target as BoundStage),
        'placement',
        target?.stageName,
        'must name a stage of this pipeline',
      ),
      ...(props.entryCondition === undefined ? [] : this.entryConditionProblems(props.entryCondition)),
    ];
  }

  private entryConditionProblems(condition: EntryCondition): PropProblem[] {
    const rules = condition.rules ?? [];
    return [
      ...crossPropProblem(
        this.props.pipelineType === 'V1',
        'entryCondition',
        condition.result,
        'must be on a V2 pipeline: stage conditions are V2 only',
      ),
      ...checkProp('entryCondition.result', condition.result, checkOneOf(ENTRY_CONDITION_RESULTS)),
      ...crossPropProblem(
        rules.length < 1 || rules.length > 5,
        'entryCondition.rules',
        rules.length,
        'must hold 1-5 rules',
      ),
      ...rules.flatMap((rule, index) => [
        ...checkProp(`entryCondition.rules[${index}].ruleName`, rule.ruleName, checkStageOrActionName),
        ...checkProp(`entryCondition.rules[${index}].operator`, rule.operator, checkOneOf(VARIABLE_CHECK_OPERATORS)),
        ...checkProp(`entryCondition.rules[${index}].variable`, rule.variable, (value) =>
          typeof value === 'string' && /^#\{[^{}]+\.[^{}]+\}$/.test(value)
            ? undefined
            : 'must name a pipeline variable: #{<namespace>.<name>}',
        ),
      ]),
    ];
  }

  private indexFor(placement: StagePlacement = {}): number {
    if (placement.rightBefore !== undefined) return this.stages.indexOf(placement.rightBefore as BoundStage);
    if (placement.justAfter !== undefined) return this.stages.indexOf(placement.justAfter as BoundStage) + 1;
    return this.stages.length;
  }

  /** Writes the stages, and what follows from their actions, to the resource. */
  private render(): void {
    const bound = this.stages.flatMap((stage, stageIndex) =>
      stage.actions.map(({ action, config }, actionIndex) => ({ action, config, stageIndex, actionIndex })),
    );
    this.resource.putStage(
      this.stages.map((stage) => ({
        name: stage.stageName,
        action: stage.actions.map(({ config }) => config.declaration),
        ...(stage.entryCondition === undefined ? {} : { beforeEntry: renderEntryCondition(stage.entryCondition) }),
      })),
    );
    const type = this.resolvePipelineType(bound.map(({ action, config }) => ({ action, type: config.pipelineType })));
    this.resource.pipelineType = type;
    this.resource.executionMode = this.resolveExecutionMode(type);
    const triggers = bound.flatMap(({ config }) => config.triggers ?? []);
    if (triggers.length > 0) this.resource.putTrigger(triggers);
    else this.resource.resetTrigger();
    const ignored = bound.flatMap(({ config, stageIndex, actionIndex }) =>
      (config.ignoredChanges ?? []).map((attribute) => `stage[${stageIndex}].action[${actionIndex}].${attribute}`),
    );
    this.resource.lifecycle = ignored.length > 0 ? { ignoreChanges: ignored } : undefined;
  }

  private resolveExecutionMode(type: PipelineType): ExecutionMode {
    if (this.props.executionMode === undefined) return defaultExecutionModeOf(type);
    throwIfInvalid('Pipeline', this, executionModeProblems(type, this.props.executionMode));
    return this.props.executionMode;
  }

  private resolvePipelineType(
    required: readonly { readonly action: IAction; readonly type?: PipelineType }[],
  ): PipelineType {
    const constrained = required.filter((entry) => entry.type !== undefined);
    const type = this.props.pipelineType ?? constrained[0]?.type ?? 'V2';
    const conflicting = constrained.find((entry) => entry.type !== type);
    if (conflicting !== undefined) {
      throwIfInvalid('Pipeline', this, [
        {
          prop: 'pipelineType',
          value: type,
          allowed:
            `must be ${conflicting.type}: action "${conflicting.action.actionName}" runs only in ` +
            `${conflicting.type} pipelines`,
        },
      ]);
    }
    return type;
  }
}

/** The problem with running `mode` in a pipeline of `type`. */
export function executionModeProblems(type: PipelineType, mode: ExecutionMode): PropProblem[] {
  const allowed = executionModesOf(type);
  return crossPropProblem(
    !allowed.includes(mode),
    'executionMode',
    mode,
    `must be ${allowed.join(' or ')} in a ${type} pipeline`,
  );
}

// --- Rules for the values of its props (limits from the owning service's documentation) ---

/** A CodePipeline name (CodePipeline API Reference, PipelineDeclaration: name, 1-100 of `[A-Za-z0-9.@\-_]`). */
export const checkCodePipelineName = matches(/^[A-Za-z0-9.@_-]{1,100}$/, 'must be 1-100 letters, digits and .@_-');

/**
 * A stage or action name (CodePipeline API Reference, StageDeclaration and ActionDeclaration: name, 1-100 of
 * `[A-Za-z0-9.@\-_]`).
 */
export const checkStageOrActionName = checkCodePipelineName;

/** An entry condition as the provider writes it: its result, and each rule as a `VariableCheck` rule of AWS's. */
function renderEntryCondition(condition: EntryCondition) {
  return {
    condition: {
      result: condition.result,
      rule: condition.rules.map((rule) => ({
        name: rule.ruleName,
        ruleTypeId: { category: 'Rule', owner: 'AWS', provider: 'VariableCheck', version: '1' },
        configuration: { Variable: rule.variable, Operator: rule.operator, Value: rule.value },
      })),
    },
  };
}

/**
 * The input artifacts no earlier action writes: an action reads what an action of an earlier stage, or of its own
 * stage with a lower run order, wrote (CodePipeline User Guide, "Input and output artifacts").
 */
function unwrittenInputs(stages: readonly BoundStage[]): string[] {
  const written = new Set<string>();
  const problems: string[] = [];
  for (const stage of stages) {
    const declarations = stage.actions.map(({ config }) => config.declaration);
    for (const declaration of declarations) {
      const runOrder = declaration.runOrder ?? 1;
      const before = new Set([
        ...written,
        ...declarations
          .filter((other) => (other.runOrder ?? 1) < runOrder)
          .flatMap((other) => other.outputArtifacts ?? []),
      ]);
      for (const input of declaration.inputArtifacts ?? []) {
        if (before.has(input)) continue;
        const known = [...before].map((name) => JSON.stringify(name)).join(', ') || 'none';
        problems.push(
          `action "${declaration.name}" of stage "${stage.stageName}" reads the artifact ${JSON.stringify(input)}, ` +
            `which no action before it writes (written before it: ${known})`,
        );
      }
    }
    for (const declaration of declarations) for (const output of declaration.outputArtifacts ?? []) written.add(output);
  }
  return problems;
}
