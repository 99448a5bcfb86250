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
import { checkAwsRegion } from '../constructs/private/checks';
import { absentIn } from '../constructs/aws/regional-availability';
import { checkProp, nestedProblems, throwIfInvalid } from '../constructs/private/validation';
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
    state: { bucket: props.state?.bucket, keyPrefix: props.stateKeyPrefix, kmsKeyArn: '' },
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
            ['codebuild', 'kms', 's3', 'logs', 'secretsmanager'],
            'must be a region where AWS offers them',
          )
        : undefined,
    ),
    ...nestedProblems('state', validateRemoteState(props.state)),
    ...statePartitionProblems(props.state, props.region),
    ...(props.state.kmsKeyId === undefined
      ? [
          {
            prop: 'state.kmsKeyId',
            value: undefined,
            allowed: 'is required: the plan role may use only the key the state is encrypted with',
          },
        ]
      : []),
  ];
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

    const kmsKeyId = props.state.kmsKeyId!;
    const kmsKeyArn = /:key\//.test(kmsKeyId)
      ? kmsKeyId
      : new DataAwsKmsAlias(this, 'state-key', {
          name: kmsKeyId.startsWith('arn:') ? kmsKeyId.slice(kmsKeyId.indexOf(':alias/') + 1) : kmsKeyId,
        }).targetKeyArn;
    const state = { bucket: props.state.bucket, keyPrefix: props.stateKeyPrefix, kmsKeyArn };
    this.pipeline = new InfrastructurePipeline(this, 'pipeline', { ...props.pipeline, state });
    writeStackOutputs(this, this.pipeline.outputs);
  }
}
