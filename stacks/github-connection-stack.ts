import { CodestarconnectionsConnection } from '@cdktf/provider-aws/lib/codestarconnections-connection';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { addSecurityChecks, GuardrailsProps } from './security-checks';
import { checkAwsRegion } from '../constructs/private/checks';
import { checkConnectionName, newConnectionOutputs } from '../constructs/github/github-connection-source';
import { writeStackOutputs } from '../constructs/core/stack-output';
import { checkProp, nestedProblems, throwIfInvalid } from '../constructs/private/validation';
import { PropProblem } from '../constructs/core/validation';
import { absentIn } from '../constructs/aws/regional-availability';
import { addAwsProvider } from './aws-provider';
import { addS3Backend, RemoteStateSettings, statePartitionProblems, validateRemoteState } from './s3-backend';
import { declareTerraformTargets, requireTerraformVersion } from '../constructs/private/terraform-version';

export interface GitHubConnectionStackProps extends GuardrailsProps {
  /** The connection's name (1-32 letters, digits and .@_-); pipelines find it by this name. */
  readonly connectionName: string;
  /** The region of the pipelines that use it: a connection serves its own region. */
  readonly region: string;
  /** The S3 backend holding this stack's state. */
  readonly state: RemoteStateSettings;
}

/** Every problem with the props; the configuration schema reports them for its `connection` section. */
export function validateGitHubConnectionStackProps(props: GitHubConnectionStackProps): PropProblem[] {
  return [
    ...checkProp('connectionName', props.connectionName, checkConnectionName),
    ...checkProp('region', props.region, checkAwsRegion),
    ...checkProp('region', props.region, (region) =>
      checkAwsRegion(region) === undefined
        ? absentIn(region, ['codestar-connections'], 'must be a region where AWS offers connections')
        : undefined,
    ),
    ...nestedProblems('state', validateRemoteState(props.state)),
    ...statePartitionProblems(props.state, props.region),
  ];
}

/**
 * One AWS CodeConnections connection to GitHub for a whole fleet of
 * pipelines: created `PENDING`, approved once by a person in the console, then
 * used by every pipeline stack that names it (`GitHubConnectionSource`'s
 * `sharedConnectionName`), instead of one connection, and one approval, per
 * pipeline. No GitHub token is involved: the AWS Connector GitHub App
 * authenticates.
 */
export class GitHubConnectionStack extends TerraformStack {
  /** The connection's ARN. */
  public readonly connectionArn: string;
  /** The connection's name. */
  public readonly connectionName: string;

  constructor(scope: Construct, id: string, props: GitHubConnectionStackProps) {
    super(scope, id);
    declareTerraformTargets(this);
    addSecurityChecks(this, props);
    throwIfInvalid('GitHubConnectionStack', this, validateGitHubConnectionStackProps(props));
    addS3Backend(this, props.state);
    requireTerraformVersion(this);
    addAwsProvider(this, { region: props.region, defaultTags: [{ tags: { ManagedBy: 'cdktf', Stack: id } }] });

    const connection = new CodestarconnectionsConnection(this, 'connection', {
      name: props.connectionName,
      providerType: 'GitHub',
    });
    this.connectionArn = connection.arn;
    this.connectionName = props.connectionName;
    writeStackOutputs(this, [
      { name: 'connection_arn', value: connection.arn, description: 'The connection the pipelines share' },
      ...newConnectionOutputs(connection),
    ]);
  }
}
