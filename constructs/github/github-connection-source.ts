import { requireAwsProvider } from '../private/provider-versions';
import { CodestarconnectionsConnection } from '@cdktf/provider-aws/lib/codestarconnections-connection';
import { DataAwsCodestarconnectionsConnection } from '@cdktf/provider-aws/lib/data-aws-codestarconnections-connection';
import { TerraformResourceLifecycle } from 'cdktf';
import { Construct } from 'constructs';
import { connectionStep, stepTargetOf } from '../private/first-deployment';
import { connectionActionsFor, USE_CONNECTION_ACTIONS } from '../../shared/iam-actions';
import { ActionBinding, ActionConfig } from '../aws/pipeline-action';
import { grant } from '../private/policy-statements';
import { IGrantable } from '../core/grants';
import { StackOutput } from '../core/stack-output';
import {
  Check,
  checkDerivedName,
  checkOptionalList,
  checkOptionalProp,
  checkProp,
  crossPropProblem,
  throwIfInvalid,
} from '../private/validation';
import { PropProblem } from '../core/validation';
import { DEFAULT_SOURCE_ACTION_NAME, DEFAULT_SOURCE_ARTIFACT, IPipelineSource } from './pipeline-source';
import { RepositoryReference } from './source-repository';
import { checkBoolean, matches } from '../private/checks';

export interface GitHubConnectionSourceProps {
  /** The repository and branch to build: a {@link SourceRepository}, or any {@link RepositoryReference}. */
  readonly repository: RepositoryReference;
  /**
   * Name of the connection to create (at most 32 characters).
   * @default - required unless `connectionArn` or `sharedConnectionName` is set
   */
  readonly connectionName?: string;
  /**
   * ARN of an existing, approved connection to reuse (one per GitHub organization is common).
   * @default - a connection is created; it must be approved once in the console
   */
  readonly connectionArn?: string;
  /**
   * Name of an existing connection in the stack's account and region, looked up
   * when Terraform plans (`data.aws_codestarconnections_connection`): the one
   * connection that many pipelines share, approved once, such as a
   * {@link GitHubConnectionStack}'s.
   * @default - a connection is created; it must be approved once in the console
   */
  readonly sharedConnectionName?: string;
  /**
   * Start the pipeline only for pushes that change a file matching one of these
   * glob patterns (1-8 patterns of 1-255 characters, such as `services/orders/**`).
   * @default - every push to the branch
   */
  readonly filePaths?: readonly string[];
  /**
   * Also start the pipeline when a tag matching one of these glob patterns is
   * pushed (1-8 patterns of 1-255 characters, such as `v*`); the run builds the tagged commit.
   * @default - tags start nothing
   */
  readonly releaseTags?: readonly string[];
  /**
   * The source action's name in its stage.
   * @default "GitHub"
   */
  readonly actionName?: string;
  /**
   * The artifact the action writes the code to.
   * @default "source_output"
   */
  readonly outputArtifact?: string;
  /**
   * Hand the next CodeBuild action a reference it clones with the connection (`OutputArtifactFormat`
   * `CODEBUILD_CLONE_REF`), so that the build has the repository's history, instead of a ZIP of the commit without
   * `.git`. Only CodeBuild actions can read such an artifact, and the role of each project that reads it needs
   * `UseConnection` on the connection (CodePipeline User Guide, "CodeStarSourceConnection for Bitbucket Cloud,
   * GitHub, …": `OutputArtifactFormat`); grant it with {@link GitHubConnectionSource.grantClone}.
   * @default false
   */
  readonly fullClone?: boolean;
}

/**
 * The trigger's filter pattern that matches exactly `branch`. Filters are glob
 * patterns in which a backslash escapes a special character (CodePipeline User
 * Guide, "Working with glob patterns in syntax"); of the special characters, a
 * branch name may hold only "{" and "}" (git refuses "*", "?", "[" and the backslash).
 */
export const branchFilterPattern = (branch: string) => branch.replace(/[{}]/g, (character) => `\\${character}`);

/** The problem with a branch (given as `prop`) whose filter pattern is longer than a trigger allows. */
export const triggerBranchProblems = (prop: string, branch: string): PropProblem[] =>
  checkDerivedName(prop, branch, 'trigger branch pattern', branchFilterPattern(branch), checkTriggerFilterPattern);

/**
 * Problems with a trigger's list of glob patterns (CodePipeline API Reference,
 * "GitFilePathFilterCriteria" and "GitTagFilterCriteria": includes, 1-8 items of 1-255 characters).
 */
export function triggerPatternProblems(prop: string, patterns: readonly string[] | undefined): PropProblem[] {
  if (patterns === undefined) return [];
  return [
    ...crossPropProblem(
      !Array.isArray(patterns) || patterns.length === 0 || patterns.length > 8,
      prop,
      patterns,
      'must list 1-8 glob patterns, or be left out',
    ),
    ...checkOptionalList(prop, Array.isArray(patterns) ? patterns : undefined, checkTriggerFilterPattern),
  ];
}

/**
 * A tag glob pattern some git tag can match. Git refuses, in a tag's name (git-check-ref-format, rules 1-10;
 * https://git-scm.com/docs/git-check-ref-format): control characters, space, "~", "^", ":", "?", "*", "[" and "\\"
 * as characters of the name, "..", "@{", "//", a component starting with ".", and a name starting with "/" or ending
 * with "/", "." or ".lock". In the pattern, "*", "?", "[...]" and "{...}" are the glob's; an escaped character
 * ("\\*") is a literal one of the name (CodePipeline User Guide, "Working with glob patterns in syntax").
 */
export const checkTagPattern: Check<string> = (pattern) => {
  if (typeof pattern !== 'string') return undefined;
  // CodePipeline matches the tag's own name (`v1.2`), not its ref: a legal pattern, but `refs/tags/v*` would match only
  // a tag named `refs/tags/v1.2`, so no release would start the pipeline.
  if (pattern.startsWith('refs/')) {
    const meant = pattern.replace(/^refs\/(tags\/)?/, '');
    return `must be a pattern of the tag's own name, such as "${meant}", not of its ref`;
  }
  // The pattern's literal characters, with each glob character as a stand-in that git allows ("x").
  let literal = '';
  for (let index = 0; index < pattern.length; index += 1) {
    const character = pattern[index];
    if (character === '\\') literal += pattern[(index += 1)] ?? '\\';
    else literal += '*?[]{}!,'.includes(character) ? 'x' : character;
  }
  const refused =
    [...literal].find((character) => character < ' ' || character === '\u007f' || ' ~^:?*[\\'.includes(character)) ??
    ['..', '@{', '//', '/.'].find((sequence) => literal.includes(sequence)) ??
    (literal.startsWith('/') || literal.startsWith('.') ? literal[0] : undefined) ??
    ['/', '.', '.lock'].find((ending) => literal.endsWith(ending));
  return refused === undefined
    ? undefined
    : `must be a pattern some git tag can match: git refuses ${JSON.stringify(refused)} there in a tag's name ` +
        '(git-check-ref-format)';
};

/** Problems with a trigger's tag patterns: those of any trigger pattern, and each one some git tag can match. */
export function tagPatternProblems(prop: string, patterns: readonly string[] | undefined): PropProblem[] {
  const problems = triggerPatternProblems(prop, patterns);
  return problems.length > 0 || !Array.isArray(patterns)
    ? problems
    : checkOptionalList(prop, patterns, checkTagPattern);
}

function validateConnectionSourceProps(props: GitHubConnectionSourceProps): PropProblem[] {
  const given = (['connectionName', 'connectionArn', 'sharedConnectionName'] as const).filter(
    (prop) => props[prop] !== undefined,
  );
  return [
    ...triggerBranchProblems('repository.branch', props.repository.branch),
    ...(given.length > 1
      ? [
          {
            prop: given[1],
            value: props[given[1]],
            allowed: `must not be set with ${given[0]}: name one connection, to create or to use`,
          },
        ]
      : []),
    ...triggerPatternProblems('filePaths', props.filePaths),
    ...tagPatternProblems('releaseTags', props.releaseTags),
    ...checkOptionalProp('connectionArn', props.connectionArn, checkConnectionArn),
    ...checkOptionalProp('fullClone', props.fullClone, checkBoolean),
    ...checkOptionalProp('sharedConnectionName', props.sharedConnectionName, checkConnectionName),
    ...(props.connectionArn === undefined && props.sharedConnectionName === undefined
      ? checkProp('connectionName', props.connectionName, (name) => {
          const problem = checkConnectionName(name ?? '');
          return problem === undefined
            ? undefined
            : `${problem} (required unless connectionArn or sharedConnectionName is set)`;
        })
      : []),
  ];
}

/** What an operator must know of a connection just created: its status, and the approval it waits for. */
export function newConnectionOutputs(connection: CodestarconnectionsConnection): StackOutput[] {
  return [
    {
      name: 'connection_status',
      value: connection.connectionStatus,
      description: 'PENDING until approved once in the console',
    },
    {
      name: 'connection_next_step',
      value:
        'Approve the connection once: AWS console > Developer Tools > Settings > Connections > Update pending ' +
        'connection',
      description: 'A new connection stays PENDING, and no pipeline can fetch code, until a person approves it',
    },
  ];
}

/** The provider resources of a {@link GitHubConnectionSource}. */
export interface GitHubConnectionSourceResources {
  /**
   * The connection created here.
   * @default - none, with `connectionArn` or `sharedConnectionName`
   */
  readonly connection?: CodestarconnectionsConnection;
  /**
   * The lookup of the shared connection, by its name.
   * @default - none, without `sharedConnectionName`
   */
  readonly sharedConnection?: DataAwsCodestarconnectionsConnection;
}

/**
 * Triggers the pipeline through an AWS CodeConnections (CodeStar) connection to
 * GitHub: AWS's recommended path. The pipeline is V2 with a push trigger on the
 * branch. A created connection starts in `PENDING` and must be approved once
 * in the AWS console (Developer Tools > Settings > Connections) before the
 * first run.
 */
export class GitHubConnectionSource extends Construct implements IPipelineSource {
  public readonly actionName: string;
  public readonly outputArtifact: string;
  public readonly outputs: readonly StackOutput[];
  /** The connection's ARN. */
  public readonly connectionArn: string;
  /** The provider resources it created, to reach any argument it does not model (escape hatch). */
  public readonly resources: GitHubConnectionSourceResources;

  private readonly repository: RepositoryReference;
  private readonly fullClone: boolean;
  private readonly filePaths?: readonly string[];
  private readonly releaseTags?: readonly string[];

  constructor(scope: Construct, id: string, props: GitHubConnectionSourceProps) {
    super(scope, id);
    throwIfInvalid('GitHubConnectionSource', this, validateConnectionSourceProps(props));
    this.repository = props.repository;
    this.filePaths = props.filePaths;
    this.releaseTags = props.releaseTags;
    this.fullClone = props.fullClone ?? false;
    this.actionName = props.actionName ?? DEFAULT_SOURCE_ACTION_NAME;
    this.outputArtifact = props.outputArtifact ?? DEFAULT_SOURCE_ARTIFACT;
    requireAwsProvider(this);
    if (props.connectionArn !== undefined) {
      this.connectionArn = props.connectionArn;
      this.outputs = [this.connectionArnOutput()];
      this.resources = {};
      return;
    }
    if (props.sharedConnectionName !== undefined) {
      const shared = new DataAwsCodestarconnectionsConnection(this, 'shared-connection', {
        name: props.sharedConnectionName,
        // Pending, CodeBuild cannot create its webhook and the pipeline's first run fails: stop the plan instead.
        lifecycle: this.approvedConnection(props.sharedConnectionName),
      });
      this.connectionArn = shared.arn;
      this.resources = { sharedConnection: shared };
      this.outputs = [
        this.connectionArnOutput(),
        {
          name: 'connection_status',
          value: shared.connectionStatus,
          description: 'AVAILABLE once approved; PENDING until then',
        },
      ];
      return;
    }
    const connection = new CodestarconnectionsConnection(this, 'connection', {
      name: props.connectionName!,
      providerType: 'GitHub',
      // Created PENDING: the apply stops here, before what uses the connection, and says what to do.
      lifecycle: this.approvedConnection(props.connectionName!),
    });
    this.connectionArn = connection.arn;
    this.resources = { connection };
    this.outputs = [this.connectionArnOutput(), ...newConnectionOutputs(connection)];
  }

  /** A postcondition that the connection is approved, whose message is the first deployment's step. */
  private approvedConnection(name: string): TerraformResourceLifecycle {
    const step = connectionStep(stepTargetOf(this, this.repository), name);
    return {
      postcondition: [
        {
          condition: '${self.connection_status == "AVAILABLE"}',
          errorMessage: `The connection ${name} is not AVAILABLE yet. ${step}`,
        },
      ],
    };
  }

  /**
   * Lets the pipeline's role use the connection, and starts the pipeline on a push to the branch (of the files given)
   * and of the release tags.
   */
  public bind(binding: ActionBinding): ActionConfig {
    grant(binding.role, {
      sid: 'UseGitHubConnection',
      actions: connectionActionsFor(this.connectionArn, USE_CONNECTION_ACTIONS),
      resources: [this.connectionArn],
    });
    return {
      declaration: {
        name: this.actionName,
        category: 'Source',
        owner: 'AWS',
        provider: 'CodeStarSourceConnection',
        version: '1',
        outputArtifacts: [this.outputArtifact],
        configuration: {
          ConnectionArn: this.connectionArn,
          FullRepositoryId: `${this.repository.owner}/${this.repository.repositoryName}`,
          BranchName: this.repository.branch,
          OutputArtifactFormat: this.fullClone ? 'CODEBUILD_CLONE_REF' : 'CODE_ZIP',
          DetectChanges: 'true',
        },
      },
      triggers: [
        {
          providerType: 'CodeStarSourceConnection',
          gitConfiguration: {
            sourceActionName: this.actionName,
            push: [
              {
                branches: { includes: [branchFilterPattern(this.repository.branch)] },
                ...(this.filePaths === undefined ? {} : { filePaths: { includes: [...this.filePaths] } }),
              },
              ...(this.releaseTags === undefined ? [] : [{ tags: { includes: [...this.releaseTags] } }]),
            ],
          },
        },
      ],
      pipelineType: 'V2',
    };
  }

  /** Lets `grantee`, the role of a project that reads a full clone of this source, clone through the connection. */
  public grantClone(grantee: IGrantable): void {
    grant(grantee, {
      sid: 'CloneThroughConnection',
      actions: connectionActionsFor(this.connectionArn, USE_CONNECTION_ACTIONS),
      resources: [this.connectionArn],
    });
  }

  private connectionArnOutput(): StackOutput {
    return {
      name: 'connection_arn',
      value: this.connectionArn,
      description: 'The GitHub connection used by the source action',
    };
  }
}

// --- Rules for the values of its props (limits from the owning service's documentation) ---

/**
 * A connection's name (CodeConnections API Reference, CreateConnection:
 * ConnectionName, 1-32 characters); limited to the characters a pipeline name
 * may have, since ours are derived from pipeline names.
 */
export const checkConnectionName = matches(/^[A-Za-z0-9.@_-]{1,32}$/, 'must be 1-32 letters, digits and .@_-');

/**
 * A glob pattern of a trigger's filter (CodePipeline API Reference, GitBranchFilterCriteria, GitFilePathFilterCriteria
 * and GitTagFilterCriteria: includes, 1-255 characters).
 */
export const checkTriggerFilterPattern: Check<string> = (value) =>
  typeof value === 'string' && value.length >= 1 && value.length <= 255 ? undefined : 'must be 1-255 characters long';

/** An AWS CodeConnections (formerly CodeStar Connections) connection ARN. */
export const checkConnectionArn = matches(
  /^arn:aws[a-z-]*:(codestar-connections|codeconnections):[a-z0-9-]+:\d{12}:connection\/[0-9a-f-]+$/,
  'must be a connection ARN such as "arn:aws:codeconnections:eu-west-1:123456789012:connection/<uuid>"',
);
