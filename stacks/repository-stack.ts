import { GithubProvider } from '@cdktf/provider-github/lib/provider';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { addSecurityChecks, GuardrailsProps } from './security-checks';
import { checkGitHubOwner } from '../constructs/github/source-repository';
import { checkProp, nestedProblems, throwIfInvalid } from '../constructs/private/validation';
import { PropProblem } from '../constructs/core/validation';
import { addS3Backend, RemoteStateSettings, validateRemoteState } from './s3-backend';
import { declareTerraformTargets, requireTerraformVersion } from '../constructs/private/terraform-version';

/** Where a repository stack keeps its state, and whose repositories it creates. */
export interface RepositoryStackProps extends GuardrailsProps {
  /** The user or organization that owns the repositories the stack creates (the GitHub provider's `owner`). */
  readonly githubOwner: string;
  /** The S3 backend holding this stack's state. */
  readonly state: RemoteStateSettings;
}

/** Every problem with the props. */
export function validateRepositoryStackProps(props: RepositoryStackProps): PropProblem[] {
  return [
    ...checkProp('githubOwner', props.githubOwner, checkGitHubOwner),
    ...nestedProblems('state', validateRemoteState(props.state)),
  ];
}

/**
 * The stack that creates a pipeline's GitHub repository, deployed before the pipeline's: pass it as the pipeline's
 * `repositoryScope`. A new repository cannot be given to a fine-grained token or to the AWS Connector app before it
 * exists, and the pipeline's stack needs one of them (CodeBuild creates its webhook with it, and the pipeline's first
 * run fetches the code with it). So the first deployment is: this stack, then the one manual step its `next_step`
 * output names, then the pipeline's stack. It holds only the GitHub provider, which authenticates with the
 * `GITHUB_TOKEN` of whoever deploys.
 */
export class RepositoryStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: RepositoryStackProps) {
    super(scope, id);
    declareTerraformTargets(this);
    addSecurityChecks(this, props);
    throwIfInvalid('RepositoryStack', this, validateRepositoryStackProps(props));
    addS3Backend(this, props.state);
    requireTerraformVersion(this);
    new GithubProvider(this, 'github', { owner: props.githubOwner });
  }
}
