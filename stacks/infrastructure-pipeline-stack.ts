import { DataAwsKmsAlias } from '@cdktf/provider-aws/lib/data-aws-kms-alias';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { addSecurityChecks, GuardrailsProps } from './security-checks';
import {
  InfrastructurePipeline,
  InfrastructurePipelineProps,
  validateInfrastructurePipelineProps,
} from '../constructs/infrastructure-pipeline/infrastructure-pipeline';
import { writeStackOutputs } from '../constructs/core/stack-output';
import { PropProblem } from '../constructs/core/validation';
import { checkAwsRegion, partitionOf } from '../constructs/private/checks';
import { absentIn } from '../constructs/aws/regional-availability';
import { checkProp, crossPropProblem, nestedProblems, throwIfInvalid } from '../constructs/private/validation';
import { declareTerraformTargets, requireTerraformVersion } from '../constructs/private/terraform-version';
import { addAwsProvider } from './aws-provider';
import { addS3Backend, RemoteStateSettings, statePartitionProblems, validateRemoteState } from './s3-backend';

export interface InfrastructurePipelineStackProps extends GuardrailsProps {
  /** The AWS region the pipeline runs in. */
  readonly region: string;
  /**
   * The S3 backend holding this stack's state; the stacks the pipeline plans keep theirs in the same bucket, under
   * the same key, so the plan role gets that bucket and key.
   */
  readonly state: RemoteStateSettings;
  /** The prefix every planned stack's state key is under, e.g. the configuration's `state.keyPrefix`. */
  readonly stateKeyPrefix: string;
  /** The pipeline; its state is the stack's own bucket and key. */
  readonly pipeline: Omit<InfrastructurePipelineProps, 'state'>;
}

/**
 * Every problem with the props: the stack's, and the pipeline's, whose state is the stack's own bucket and the key
 * prefix (its key is looked up when the stack is built).
 */
export function validateInfrastructurePipelineStackProps(props: InfrastructurePipelineStackProps): PropProblem[] {
  const pipelineProblems = validateInfrastructurePipelineProps({
    ...props.pipeline,
    state: { bucket: props.state?.bucket, keyPrefix: props.stateKeyPrefix },
  }).flatMap((problem): PropProblem[] =>
    // The bucket and key are the backend's, checked as such.
    problem.prop === 'state.bucket' || problem.prop === 'state.kmsKeyArn'
      ? []
      : [{ ...problem, prop: problem.prop === 'state.keyPrefix' ? 'stateKeyPrefix' : `pipeline.${problem.prop}` }],
  );
  return [
    ...pipelineProblems,
    ...checkProp('region', props.region, checkAwsRegion),
    ...checkProp('region', props.region, (region) =>
      checkAwsRegion(region) === undefined
        ? absentIn(
            region,
            ['codebuild', 'codepipeline', 'codestar-connections', 'kms', 's3', 'logs', 'secretsmanager'],
            'must be a region where AWS offers the services of the infrastructure pipeline',
          )
        : undefined,
    ),
    ...nestedProblems('state', validateRemoteState(props.state)),
    ...statePartitionProblems(props.state, props.region),
    ...(props.state.kmsKeyId === undefined && props.state.s3ManagedEncryption !== true
      ? [
          {
            prop: 'state.kmsKeyId',
            value: undefined,
            allowed:
              'is required unless s3ManagedEncryption is true: the roles may use only the key the state is ' +
              'encrypted with',
          },
        ]
      : []),
    ...arnPartitionProblems(props),
  ];
}

/**
 * The ARNs the pipeline is given must be in the partition of its region: an account, and the credentials of its
 * builds, belong to one partition (AWS General Reference, "Amazon Resource Names": partition).
 */
function arnPartitionProblems(props: InfrastructurePipelineStackProps): PropProblem[] {
  if (checkAwsRegion(props.region) !== undefined) return [];
  const partition = partitionOf(props.region);
  const arns: Record<string, string | undefined> = {
    'pipeline.connectionArn': props.pipeline?.connectionArn,
    'pipeline.commentTokenSecretArn': props.pipeline?.commentTokenSecretArn,
    'pipeline.providerTokenSecretArns.plan': props.pipeline?.providerTokenSecretArns?.plan,
    'pipeline.providerTokenSecretArns.apply': props.pipeline?.providerTokenSecretArns?.apply,
  };
  return Object.entries(arns).flatMap(([prop, arn]) =>
    crossPropProblem(
      typeof arn === 'string' && arn.startsWith('arn:') && arn.split(':')[1] !== partition,
      prop,
      arn,
      `must be in the partition "${partition}" of the region "${props.region}" (arn:${partition}:…): an account ` +
        'and its builds belong to one partition',
    ),
  );
}

/**
 * A Terraform stack holding the {@link InfrastructurePipeline} of the repository that holds this cdktf app: its S3
 * backend, and the AWS provider. The state key the plan role may use is the stack's own backend's, looked up by its
 * alias when it is one.
 */
export class InfrastructurePipelineStack extends TerraformStack {
  /** The pipeline. */
  public readonly pipeline: InfrastructurePipeline;

  constructor(scope: Construct, id: string, props: InfrastructurePipelineStackProps) {
    super(scope, id);
    declareTerraformTargets(this);
    addSecurityChecks(this, props);
    throwIfInvalid('InfrastructurePipelineStack', this, validateInfrastructurePipelineStackProps(props));
    addS3Backend(this, props.state);
    requireTerraformVersion(this);
    addAwsProvider(this, { region: props.region, defaultTags: [{ tags: { ManagedBy: 'cdktf', Stack: id } }] });

    const kmsKeyId = props.state.kmsKeyId;
    const kmsKeyArn =
      kmsKeyId === undefined || /:key\//.test(kmsKeyId)
        ? kmsKeyId
        : new DataAwsKmsAlias(this, 'state-key', {
            name: kmsKeyId.startsWith('arn:') ? kmsKeyId.slice(kmsKeyId.indexOf(':alias/') + 1) : kmsKeyId,
          }).targetKeyArn;
    const state = { bucket: props.state.bucket, keyPrefix: props.stateKeyPrefix, kmsKeyArn };
    this.pipeline = new InfrastructurePipeline(this, 'pipeline', { ...props.pipeline, state });
    writeStackOutputs(this, this.pipeline.outputs);
  }
}
