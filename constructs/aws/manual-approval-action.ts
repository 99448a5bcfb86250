import { ActionBinding, ActionConfig, IAction } from './pipeline-action';
import { checkOptionalProp, throwIfInvalid } from '../private/validation';

export interface ManualApprovalActionProps {
  /** The action's name in its stage. */
  readonly actionName: string;
  /**
   * What the approver is asked to look at, shown with the approval request (the approval's `CustomData`).
   * @default - none
   */
  readonly comments?: string;
  /**
   * A link the approver opens to review the change (the approval's `ExternalEntityLink`).
   * @default - none
   */
  readonly reviewUrl?: string;
}

/**
 * A manual approval: the run waits until a person allowed `codepipeline:PutApprovalResult` on the pipeline approves
 * or rejects it, or the approval times out (CodePipeline User Guide, "Manage approval actions in CodePipeline").
 */
export class ManualApprovalAction implements IAction {
  public readonly actionName: string;

  constructor(private readonly props: ManualApprovalActionProps) {
    this.actionName = props.actionName;
  }

  public bind(binding: ActionBinding): ActionConfig {
    throwIfInvalid(`ManualApprovalAction ${this.actionName}`, binding.scope, [
      ...checkOptionalProp('comments', this.props.comments, (value) =>
        typeof value === 'string' && value.trim() !== '' ? undefined : 'must be text, not empty',
      ),
      ...checkOptionalProp('reviewUrl', this.props.reviewUrl, (value) =>
        typeof value === 'string' && /^https?:\/\/\S+$/.test(value) ? undefined : 'must be an http(s) URL',
      ),
    ]);
    const configuration: Record<string, string> = {
      ...(this.props.comments === undefined ? {} : { CustomData: this.props.comments }),
      ...(this.props.reviewUrl === undefined ? {} : { ExternalEntityLink: this.props.reviewUrl }),
    };
    return {
      declaration: {
        name: this.actionName,
        category: 'Approval',
        owner: 'AWS',
        provider: 'Manual',
        version: '1',
        ...(Object.keys(configuration).length === 0 ? {} : { configuration }),
      },
    };
  }
}
