import { LocalBackend, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { addSecurityChecks, GuardrailsProps } from './security-checks';
import { EncryptionKey } from '../constructs/aws/encryption-key';
import { checkNewS3BucketName, SecureBucket } from '../constructs/aws/secure-bucket';
import { checkAwsRegion } from '../constructs/private/checks';
import { writeStackOutputs } from '../constructs/core/stack-output';
import { checkProp, throwIfInvalid } from '../constructs/private/validation';
import { PropProblem } from '../constructs/core/validation';
import { addAwsProvider } from './aws-provider';
import { declareTerraformTargets, requireTerraformVersion } from '../constructs/private/terraform-version';

export interface StateBootstrapStackProps extends GuardrailsProps {
  /** The state bucket's name (globally unique). */
  readonly bucketName: string;
  /** The region of the bucket. */
  readonly region: string;
  /**
   * Where this stack's own (local) state file is written, relative to the stack's
   * directory (`cdktf.out/stacks/<id>`), where Terraform runs.
   * @default "../../../terraform.<stack id>.tfstate" - the project root, outside cdktf.out, so re-synthesizing never
   * touches it
   */
  readonly localStatePath?: string;
}

/**
 * The alias of the key that encrypts a state bucket, with its `alias/` prefix.
 * Pipeline stacks name the key by it in their backend's `kms_key_id`: unlike the
 * key's ARN, it is known before the bootstrap stack is applied. A KMS alias has
 * no "." (KMS API Reference, CreateAlias: AliasName), which a bucket name may have.
 */
export const stateKeyAlias = (bucketName: string): string => `alias/terraform-state/${bucketName.replace(/\./g, '-')}`;

/** Every problem with the props; the configuration schema reports them for its `state` section. */
export function validateStateBootstrapStackProps(props: StateBootstrapStackProps): PropProblem[] {
  return [
    ...checkProp('bucketName', props.bucketName, checkNewS3BucketName),
    ...checkProp('region', props.region, checkAwsRegion),
  ];
}

/**
 * Creates the S3 bucket that holds every other stack's Terraform state:
 * versioned, encrypted with its own customer-managed KMS key, private, TLS-only,
 * and, with the key, protected from `terraform destroy` (`prevent_destroy`).
 * Its policy denies object writes that do not name the key, so a backend that
 * would store state under S3-managed keys, readable by anyone allowed
 * `s3:GetObject`, fails at `terraform init` instead. Backends name the key by
 * its alias (`alias/terraform-state/<bucket>`), as {@link CiPipelineStack} does.
 *
 * It keeps its own state locally because the bucket must exist before any
 * stack can use it as a backend; deploy it once, first.
 */
export class StateBootstrapStack extends TerraformStack {
  /** The state bucket. */
  public readonly bucket: SecureBucket;
  /** The key that encrypts the bucket. */
  public readonly encryptionKey: EncryptionKey;

  constructor(scope: Construct, id: string, props: StateBootstrapStackProps) {
    super(scope, id);
    declareTerraformTargets(this);
    addSecurityChecks(this, props);
    throwIfInvalid('StateBootstrapStack', this, validateStateBootstrapStackProps(props));

    // Relative, not cdktf's default absolute path, so the JSON is the same on every machine.
    new LocalBackend(this, { path: props.localStatePath ?? `../../../terraform.${id}.tfstate` });
    requireTerraformVersion(this);
    addAwsProvider(this, {
      region: props.region,
      defaultTags: [{ tags: { ManagedBy: 'cdktf', Stack: id } }],
    });

    this.encryptionKey = new EncryptionKey(this, 'key', {
      alias: stateKeyAlias(props.bucketName).slice('alias/'.length),
      description: `Encrypts the Terraform state in s3://${props.bucketName}`,
      // Losing the key loses every state object encrypted with it.
      preventDestroy: true,
    });
    this.bucket = new SecureBucket(this, 'bucket', {
      bucketName: props.bucketName,
      encryptionKey: this.encryptionKey,
      // State history is how a bad apply is undone; keep it for a year.
      noncurrentVersionExpirationDays: 365,
      preventDestroy: true,
      enforceEncryptionKeyOnWrites: true,
    });

    writeStackOutputs(this, [
      { name: 'state_bucket', value: this.bucket.bucketName, description: 'The state bucket' },
      {
        name: 'state_kms_key_arn',
        value: this.encryptionKey.keyArn,
        description: 'The key that encrypts state objects; backends name it by its alias',
      },
    ]);
  }
}
