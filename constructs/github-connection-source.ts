import { CodepipelineStageAction, CodepipelineTrigger } from '@cdktf/provider-aws/lib/codepipeline';
import { CodestarconnectionsConnection } from '@cdktf/provider-aws/lib/codestarconnections-connection';
import { Construct } from 'constructs';
import { IGrantable } from './policy';
import { IPipelineSource } from './pipeline-source';
import { SourceRepository } from './source-repository';
import { checkConnectionArn, validateProp } from './validation';

/**
 * What a pipeline needs to use a connection. Both service prefixes, because
 * connections created since AWS renamed the service carry `codeconnections` ARNs.
 */
export const USE_CONNECTION_ACTIONS = ['codestar-connections:UseConnection', 'codeconnections:UseConnection'] as const;

export interface GitHubConnectionSourceProps {
  /** The repository and branch to build. */
  readonly repository: SourceRepository;
  /**
   * Name of the connection to create (at most 32 characters).
   * Ignored when `connectionArn` is set.
   * @default - required unless `connectionArn` is set
   */
  readonly connectionName?: string;
  /**
   * ARN of an existing, approved connection to reuse (one per GitHub organization is common).
   * @default - a connection is created; it must be approved once in the console
   */
  readonly connectionArn?: string;
}

/**
 * Triggers the pipeline through an AWS CodeConnections (CodeStar) connection to
 * GitHub: AWS's recommended path. The pipeline is V2 with a push trigger on the
 * branch. A created connection starts in `PENDING` and must be approved once
 * in the AWS console (Developer Tools > Settings > Connections) before the
 * first run.
 */
export class GitHubConnectionSource extends Construct implements IPipelineSource {
  public readonly mode = 'connection' as const;
  public readonly pipelineType = 'V2' as const;
  public readonly ignoredPipelineChanges: readonly string[] = [];

  /** The connection's ARN. */
  public readonly connectionArn: string;
  /** The connection's status (`PENDING` until approved), or undefined for an existing connection. */
  public readonly connectionStatus?: string;

  private readonly repository: SourceRepository;

  constructor(scope: Construct, id: string, props: GitHubConnectionSourceProps) {
    super(scope, id);
    this.repository = props.repository;
    if (props.connectionArn !== undefined) {
      validateProp('GitHubConnectionSource', 'connectionArn', props.connectionArn, checkConnectionArn);
      this.connectionArn = props.connectionArn;
      return;
    }
    validateProp('GitHubConnectionSource', 'connectionName', props.connectionName ?? '', (name) =>
      /^[A-Za-z0-9.@_-]{1,32}$/.test(name) ? undefined : 'must be 1-32 letters, digits and .@_- (required unless connectionArn is set)',
    );
    const connection = new CodestarconnectionsConnection(this, 'connection', {
      name: props.connectionName!,
      providerType: 'GitHub',
    });
    this.connectionArn = connection.arn;
    this.connectionStatus = connection.connectionStatus;
  }

  public sourceAction(actionName: string, outputArtifact: string): CodepipelineStageAction {
    return {
      name: actionName,
      category: 'Source',
      owner: 'AWS',
      provider: 'CodeStarSourceConnection',
      version: '1',
      outputArtifacts: [outputArtifact],
      configuration: {
        ConnectionArn: this.connectionArn,
        FullRepositoryId: `${this.repository.owner}/${this.repository.repositoryName}`,
        BranchName: this.repository.branch,
        OutputArtifactFormat: 'CODE_ZIP',
        DetectChanges: 'true',
      },
    };
  }

  public triggers(sourceActionName: string): CodepipelineTrigger[] {
    return [
      {
        providerType: 'CodeStarSourceConnection',
        gitConfiguration: {
          sourceActionName,
          push: [{ branches: { includes: [this.repository.branch] } }],
        },
      },
    ];
  }

  public grantRead(pipelineRole: IGrantable): void {
    pipelineRole.addToPolicy({ sid: 'UseGitHubConnection', actions: USE_CONNECTION_ACTIONS, resources: [this.connectionArn] });
  }

  /** The connection needs nothing from the pipeline. */
  public bind(): void {}
}
