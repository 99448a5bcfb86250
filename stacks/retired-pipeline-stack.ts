import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { checkGitHubOwner } from '../constructs/github/source-repository';
import { checkAwsRegion } from '../constructs/private/checks';
import { requireRandomProvider } from '../constructs/private/provider-versions';
import { checkProp, nestedProblems, throwIfInvalid } from '../constructs/private/validation';
import { PropProblem } from '../constructs/core/validation';
import { declareTerraformTargets } from '../constructs/private/terraform-version';
import { checkPipelineName } from '../constructs/ci-pipeline/ci-pipeline-props';
import { addPipelineStackFoundation } from './ci-pipeline-stack';
import { RemoteStateSettings, validateRemoteState } from './s3-backend';

export interface RetiredPipelineStackProps {
  /** The retired pipeline's name, as its stack's AWS provider tagged its resources. */
  readonly pipelineName: string;
  /** The GitHub owner of the pipeline's repository, whose resources the GitHub provider destroys. */
  readonly githubOwner: string;
  /** The region the pipeline ran in. */
  readonly region: string;
  /** The S3 backend that holds the pipeline stack's state: the same key. */
  readonly state: RemoteStateSettings;
}

/** Every problem with the props. */
export function validateRetiredPipelineStackProps(props: RetiredPipelineStackProps): PropProblem[] {
  return [
    ...checkProp('pipelineName', props.pipelineName, checkPipelineName),
    ...checkProp('githubOwner', props.githubOwner, checkGitHubOwner),
    ...checkProp('region', props.region, checkAwsRegion),
    ...nestedProblems('state', validateRemoteState(props.state)),
  ];
}

/**
 * The stack of a pipeline being destroyed: the pipeline stack's backend (its state) and providers, and no resources.
 * Deploying it plans the destruction of everything the state holds, which `cdktf diff` and plan-summary show first;
 * dropping a pipeline's stack instead would leave all of it running, with nothing ever to destroy it.
 */
export class RetiredPipelineStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: RetiredPipelineStackProps) {
    super(scope, id);
    declareTerraformTargets(this);
    throwIfInvalid('RetiredPipelineStack', this, validateRetiredPipelineStackProps(props));
    // Every provider a pipeline stack's state can name, configured as the pipeline stack configures them: Terraform
    // destroys each resource with the provider that created it.
    addPipelineStackFoundation(this, props);
    new RandomProvider(this, 'random');
    requireRandomProvider(this);
  }
}
