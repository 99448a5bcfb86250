import { GithubProvider } from '@cdktf/provider-github/lib/provider';
import { DataTerraformRemoteStateS3, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { addSecurityChecks, GuardrailsProps } from './security-checks';
import { CiPipeline } from '../constructs/ci-pipeline/ci-pipeline';
import { CiPipelineProps, notifiesFailures } from '../constructs/ci-pipeline/ci-pipeline-props';
import { regionalBuildProblems } from '../constructs/aws/build-project';
import { absentIn, RegionalService } from '../constructs/aws/regional-availability';
import { writeStackOutputs } from '../constructs/core/stack-output';
import { checkArnInPartitionOf, checkArnUsableIn, checkAwsRegion } from '../constructs/private/checks';
import { checkProp, crossPropProblem, nestedProblems, throwIfInvalid } from '../constructs/private/validation';
import { PropProblem } from '../constructs/core/validation';
import { addAwsProvider } from './aws-provider';
import { RepositoryStack } from './repository-stack';
import { addS3Backend, RemoteStateSettings, statePartitionProblems, validateRemoteState } from './s3-backend';
import { declareTerraformTargets, requireTerraformVersion } from '../constructs/private/terraform-version';

export { REQUIRED_TERRAFORM_VERSION } from '../constructs/private/terraform-version';

export type { RemoteStateSettings } from './s3-backend';

export interface CiPipelineStackProps extends GuardrailsProps {
  /** The pipeline to build. */
  readonly pipeline: CiPipelineProps;
  /** The AWS region the pipeline runs in. */
  readonly region: string;
  /** The S3 backend holding this stack's state. */
  readonly state: RemoteStateSettings;
  /**
   * The stack that creates the pipeline's repository (with `github.create`, the default), deployed first so that the
   * first deployment's manual step can reach the repository; it gets the repository's outputs.
   * @default - the repository is created in this stack
   */
  readonly repositoryStack?: RepositoryStack;
}

/**
 * Every problem with the stack's own props (the pipeline's are {@link CiPipeline}'s):
 * the configuration schema reports them for the configuration's region and state.
 */
export function validateCiPipelineStackProps(props: CiPipelineStackProps): PropProblem[] {
  return [
    ...checkProp('region', props.region, checkAwsRegion),
    ...nestedProblems('state', validateRemoteState(props.state)),
    ...statePartitionProblems(props.state, props.region),
    ...crossPropProblem(
      props.pipeline.artifactBucketName !== undefined && props.pipeline.artifactBucketName === props.state.bucket,
      'pipeline.artifactBucketName',
      props.pipeline.artifactBucketName,
      'must not be the state bucket: pipeline artifacts and their lifecycle do not belong beside Terraform state',
    ),
    // Only once the region is valid, so that one mistake is reported once.
    ...(checkAwsRegion(props.region) === undefined ? regionalProblems(props) : []),
  ];
}

/** The regional services every pipeline uses, whatever its settings. */
const EVERY_PIPELINE_USES: readonly RegionalService[] = ['codepipeline', 'codebuild', 'kms', 's3', 'logs'];

/**
 * What a pipeline's region decides: the ARNs that must be usable in it, its key and the secrets it reads (keys and
 * secrets serve only their own region); those that must be in its partition, a connection and a Chatbot channel, which
 * are not regional (AWS General Reference, "Amazon Resource Names"); a compute type CodeBuild offers only in some
 * regions; and the services a pipeline's settings use, which AWS must offer in the region (its trigger's
 * connection, its failure notifications, its registry).
 */
function regionalProblems(props: CiPipelineStackProps): PropProblem[] {
  // The configuration's own validation calls this with values of any type, and reports wrong types itself.
  const isArn = (value: unknown): value is string => typeof value === 'string' && value.startsWith('arn:');
  const github: Partial<CiPipelineProps['github']> =
    typeof props.pipeline.github === 'object' && props.pipeline.github !== null ? props.pipeline.github : {};
  const notifications = props.pipeline.notifications ?? {};
  const inRegion: readonly (readonly [string, unknown])[] = [
    ['pipeline.encryptionKeyArn', props.pipeline.encryptionKeyArn],
    ['pipeline.github.oauthTokenSecret', github.oauthTokenSecret],
    ['pipeline.github.webhookSecret', github.webhookSecret],
    ['pipeline.github.buildTokenSecret', github.buildTokenSecret],
  ];
  const inPartition: readonly (readonly [string, unknown])[] = [
    ['pipeline.github.connectionArn', github.connectionArn],
    ['pipeline.notifications.slackChannelConfigurationArn', notifications.slackChannelConfigurationArn],
  ];
  const usable = checkArnUsableIn(props.region, 'the pipelines');
  const partition = checkArnInPartitionOf(props.region);
  const absent = (prop: string, value: unknown, uses: readonly RegionalService[], remedy: string): PropProblem[] => {
    const allowed = absentIn(props.region, uses, remedy);
    return allowed === undefined ? [] : [{ prop, value, allowed }];
  };
  const registry: Partial<CiPipelineProps['registry']> = props.pipeline.registry ?? {};
  const withoutPipelines = absent(
    'region',
    props.region,
    EVERY_PIPELINE_USES,
    'must be a region where AWS offers what every pipeline uses',
  );
  // A region without the pipeline's own services is the one problem: changing it answers the rest too.
  if (withoutPipelines.length > 0) return withoutPipelines;
  return [
    ...(props.pipeline.trigger === 'connection'
      ? absent('pipeline.trigger', 'connection', ['codestar-connections'], 'must be "webhook"')
      : []),
    ...(notifiesFailures(props.pipeline)
      ? absent(
          'pipeline.notifications.enabled',
          notifications.enabled ?? true,
          ['codestar-notifications', 'sns'],
          'must be false',
        )
      : []),
    ...(registry.type === 'ecr' ? absent('pipeline.registry.type', 'ecr', ['api.ecr'], 'must be "dockerhub"') : []),
    ...nestedProblems('pipeline.build', regionalBuildProblems(props.pipeline.build ?? {}, props.region)),
    ...inRegion.flatMap(([prop, value]) => (isArn(value) ? checkProp(prop, value, usable) : [])),
    ...inPartition.flatMap(([prop, value]) => (isArn(value) ? checkProp(prop, value, partition) : [])),
  ];
}

/**
 * What a pipeline's stack holds besides the pipeline: its S3 backend, the Terraform version it needs, and the AWS and
 * GitHub providers as the pipeline's resources are created with them. A retired pipeline's stack holds the same, so
 * that Terraform destroys each resource with the provider configuration that created it.
 */
export function addPipelineStackFoundation(
  stack: TerraformStack,
  props: {
    readonly region: string;
    readonly state: RemoteStateSettings;
    readonly pipelineName: string;
    readonly githubOwner: string;
  },
): void {
  addS3Backend(stack, props.state);
  requireTerraformVersion(stack);
  addAwsProvider(stack, {
    region: props.region,
    defaultTags: [{ tags: { ManagedBy: 'cdktf', Pipeline: props.pipelineName, Stack: stack.node.id } }],
  });
  // Authenticates with the GITHUB_TOKEN environment variable of whoever deploys.
  new GithubProvider(stack, 'github', { owner: props.githubOwner });
}

/**
 * A Terraform stack holding one {@link CiPipeline}: the AWS and GitHub
 * providers, the S3 backend with encryption and native S3 locking
 * (`use_lockfile`), and the outputs an operator needs.
 */
export class CiPipelineStack extends TerraformStack {
  /**
   * Reads a pipeline stack's outputs from another stack through the same S3
   * backend (`terraform_remote_state`), e.g. `remote.getString('pipeline_name')`.
   * Pass the `state` the pipeline stack was given.
   */
  public static remoteState(scope: Construct, id: string, state: RemoteStateSettings): DataTerraformRemoteStateS3 {
    return new DataTerraformRemoteStateS3(scope, id, {
      bucket: state.bucket,
      key: state.key,
      region: state.region,
      encrypt: true,
      kmsKeyId: state.kmsKeyId,
    });
  }

  /** The pipeline. */
  public readonly ciPipeline: CiPipeline;

  constructor(scope: Construct, id: string, props: CiPipelineStackProps) {
    super(scope, id);
    declareTerraformTargets(this);
    addSecurityChecks(this, props);
    throwIfInvalid('CiPipelineStack', this, validateCiPipelineStackProps(props));

    addPipelineStackFoundation(this, {
      region: props.region,
      state: props.state,
      pipelineName: props.pipeline.name,
      githubOwner: props.pipeline.github.owner,
    });

    // The stack's one pipeline: its variables and outputs keep their plain names.
    this.ciPipeline = new CiPipeline(this, 'ci', {
      terraformNamePrefix: '',
      ...props.pipeline,
      repositoryScope: props.repositoryStack,
    });
    writeStackOutputs(this, this.ciPipeline.outputs);
    if (props.repositoryStack !== undefined)
      writeStackOutputs(props.repositoryStack, this.ciPipeline.repositoryOutputs);
  }
}
