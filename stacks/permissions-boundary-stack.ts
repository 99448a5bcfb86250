import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { addSecurityChecks, GuardrailsProps } from './security-checks';
import {
  PermissionsBoundary,
  PermissionsBoundaryProps,
  validatePermissionsBoundaryProps,
} from '../constructs/infrastructure-pipeline/permissions-boundary';
import { writeStackOutputs } from '../constructs/core/stack-output';
import { PropProblem } from '../constructs/core/validation';
import { checkAwsRegion } from '../constructs/private/checks';
import { checkProp, nestedProblems, throwIfInvalid } from '../constructs/private/validation';
import { declareTerraformTargets, requireTerraformVersion } from '../constructs/private/terraform-version';
import { addAwsProvider } from './aws-provider';
import { addS3Backend, RemoteStateSettings, statePartitionProblems, validateRemoteState } from './s3-backend';

export interface PermissionsBoundaryStackProps extends GuardrailsProps, PermissionsBoundaryProps {
  /** The AWS region of the provider (IAM is global; the boundary applies in every region of the account). */
  readonly region: string;
  /** The S3 backend holding this stack's state. */
  readonly state: RemoteStateSettings;
}

/** Every problem with the props. */
export function validatePermissionsBoundaryStackProps(props: PermissionsBoundaryStackProps): PropProblem[] {
  return [
    ...validatePermissionsBoundaryProps(props),
    ...checkProp('region', props.region, checkAwsRegion),
    ...nestedProblems('state', validateRemoteState(props.state)),
    ...statePartitionProblems(props.state, props.region),
  ];
}

/**
 * The stack an administrator deploys, before the stacks whose roles the boundary bounds: the infrastructure
 * pipeline's {@link PermissionsBoundary}. The pipeline plans it on every pull request and merge, and never applies
 * it: its apply role may not change the boundary it is bounded by.
 */
export class PermissionsBoundaryStack extends TerraformStack {
  /** The boundary. */
  public readonly boundary: PermissionsBoundary;

  constructor(scope: Construct, id: string, props: PermissionsBoundaryStackProps) {
    super(scope, id);
    declareTerraformTargets(this);
    addSecurityChecks(this, props);
    throwIfInvalid('PermissionsBoundaryStack', this, validatePermissionsBoundaryStackProps(props));
    addS3Backend(this, props.state);
    requireTerraformVersion(this);
    addAwsProvider(this, { region: props.region, defaultTags: [{ tags: { ManagedBy: 'cdktf', Stack: id } }] });
    this.boundary = new PermissionsBoundary(this, 'boundary', {
      name: props.name,
      services: props.services,
      applyReadableSecrets: props.applyReadableSecrets,
    });
    writeStackOutputs(this, [
      {
        name: 'permissions_boundary_arn',
        value: this.boundary.arn,
        description: 'The boundary every role the infrastructure pipeline applies carries',
      },
    ]);
  }
}
