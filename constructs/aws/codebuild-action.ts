import { ActionBinding, ActionConfig, IAction } from './pipeline-action';
import { IBuildProject } from './build-project';
import { checkOptionalProp, throwIfInvalid } from '../private/validation';
import { matches } from '../private/checks';

export interface CodeBuildActionProps {
  /** The action's name in its stage. */
  readonly actionName: string;
  /** The project the action runs: one created here, or an existing one imported with its role's ARN. */
  readonly project: IBuildProject;
  /** The artifact the build reads, e.g. the source action's output. */
  readonly input: string;
  /**
   * More artifacts the build reads, each in the directory `$CODEBUILD_SRC_DIR_<artifact>`; `input` stays the
   * primary source, where the build starts.
   * @default - none
   */
  readonly extraInputs?: readonly string[];
  /**
   * The artifacts the build writes (its buildspec's `artifacts`).
   * @default - none
   */
  readonly outputs?: readonly string[];
  /**
   * The namespace of the variables the build exports (its buildspec's `env.exported-variables`), which later stages
   * and conditions read as `#{<namespace>.<name>}`: 1-100 letters, digits, "@", "-" and "_" (CodePipeline API
   * Reference, "ActionDeclaration": namespace).
   * @default - none: the build's variables are not readable
   */
  readonly namespace?: string;
}

/**
 * Runs a CodeBuild project in a pipeline stage: the pipeline's role may start
 * it and follow it, and the project's role may read and write the pipeline's
 * artifacts (only that pipeline's, in a shared bucket).
 */
export class CodeBuildAction implements IAction {
  public readonly actionName: string;

  constructor(private readonly props: CodeBuildActionProps) {
    this.actionName = props.actionName;
  }

  public bind(binding: ActionBinding): ActionConfig {
    throwIfInvalid(
      `CodeBuildAction ${this.actionName}`,
      binding.scope,
      checkOptionalProp('namespace', this.props.namespace, checkNamespace),
    );
    const role = this.props.project.role;
    if (role === undefined) {
      throwIfInvalid(`CodeBuildAction ${this.actionName}`, binding.scope, [
        {
          prop: 'project',
          value: this.props.project.projectName,
          allowed:
            "must have a known role to grant the pipeline's artifacts to: import it with " +
            'BuildProject.fromProjectName(scope, id, name, { roleArn })',
        },
      ]);
    }
    this.props.project.grantStartBuild(binding.role);
    binding.artifactBucket.grantReadWrite(role!, { objectKeyPrefix: binding.artifactKeyPrefix });
    return {
      declaration: {
        name: this.actionName,
        category: 'Build',
        owner: 'AWS',
        provider: 'CodeBuild',
        version: '1',
        inputArtifacts: [this.props.input, ...(this.props.extraInputs ?? [])],
        ...(this.props.outputs === undefined ? {} : { outputArtifacts: [...this.props.outputs] }),
        ...(this.props.namespace === undefined ? {} : { namespace: this.props.namespace }),
        configuration: {
          ProjectName: this.props.project.projectName,
          // With several inputs CodeBuild must be told which one is the source it starts in (CodePipeline User Guide,
          // "AWS CodeBuild build and test action reference": PrimarySource).
          ...(this.props.extraInputs?.length ? { PrimarySource: this.props.input } : {}),
        },
      },
    };
  }
}

/** An action's variable namespace (CodePipeline API Reference, "ActionDeclaration": namespace, `[A-Za-z0-9@\-_]+`). */
const checkNamespace = matches(/^[A-Za-z0-9@_-]{1,100}$/, 'must be 1-100 letters, digits, "@", "-" and "_"');
