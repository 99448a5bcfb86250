import { claimStackName } from '../core/stack-names';
import { requireAwsProvider } from '../private/provider-versions';
import { requireTerraformVersion } from '../private/terraform-version';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { Fn, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { Suppressions } from '../../shared/suppressions';
import { checkIntegerBetween, matches } from '../private/checks';
import { StackOutput } from '../core/stack-output';
import { checkOptionalProp, checkProp, throwIfInvalid } from '../private/validation';
import { SecretEnvironmentVariable } from './build-project';

export interface RegistryCredentialsProps {
  /** The secret's name, e.g. `ci/my-app/dockerhub`. */
  readonly secretName: string;
  /** The ARN of the customer-managed KMS key that encrypts the secret. */
  readonly encryptionKeyArn: string;
  /**
   * Prefix of the Terraform variables that carry the values: `<prefix>_username`,
   * `<prefix>_password` and `<prefix>_credentials_version`.
   * @default "dockerhub"
   */
  readonly variablePrefix?: string;
  /**
   * Days Secrets Manager keeps a deleted secret recoverable.
   * @default 30
   */
  readonly recoveryWindowInDays?: number;
}

/** The provider resources and input variables of {@link RegistryCredentials}. */
export interface RegistryCredentialsResources {
  /** The secret, encrypted with the key. */
  readonly secret: SecretsmanagerSecret;
  /** Its value, written from the variables through a write-only argument. */
  readonly secretVersion: SecretsmanagerSecretVersion;
  /** The user name's ephemeral, sensitive variable. */
  readonly username: TerraformVariable;
  /** The access token's ephemeral, sensitive variable. */
  readonly password: TerraformVariable;
  /** The version whose change sends new values. */
  readonly version: TerraformVariable;
}

/**
 * Docker Hub credentials in a Secrets Manager secret encrypted with a customer key.
 *
 * The values never pass through code, the synthesized JSON or Terraform state:
 * they come from two sensitive, ephemeral Terraform variables (set them as
 * `TF_VAR_dockerhub_username` / `TF_VAR_dockerhub_password`) and reach AWS
 * through the write-only argument `secret_string_wo` (Terraform >= 1.11).
 * Terraform sends them only when `<prefix>_credentials_version` changes, so
 * rotating means setting new values and bumping the version; a reviewer's plan
 * may use placeholder values without effect.
 *
 * CodeBuild reads them as `SECRETS_MANAGER` environment variables
 * (`<secret-arn>:username`, `<secret-arn>:password`).
 */
export class RegistryCredentials extends Construct {
  /** The secret's ARN. */
  public readonly secretArn: string;
  /** The Terraform variable names a deployer sets. */
  public readonly variableNames: { readonly username: string; readonly password: string; readonly version: string };
  /** The provider resources it created, to reach any argument it does not model (escape hatch). */
  public readonly resources: RegistryCredentialsResources;
  private readonly secret: SecretsmanagerSecret;

  constructor(scope: Construct, id: string, props: RegistryCredentialsProps) {
    super(scope, id);
    throwIfInvalid('RegistryCredentials', this, [
      ...checkProp('secretName', props.secretName, checkSecretName),
      ...checkOptionalProp('variablePrefix', props.variablePrefix, checkVariablePrefix),
      // Secrets Manager API Reference, DeleteSecret: RecoveryWindowInDays, 7-30.
      ...checkOptionalProp('recoveryWindowInDays', props.recoveryWindowInDays, checkIntegerBetween(7, 30)),
    ]);
    // Write-only arguments and ephemeral variables (Terraform 1.11).
    requireTerraformVersion(this);
    requireAwsProvider(this);
    const prefix = props.variablePrefix ?? 'dockerhub';
    for (const suffix of ['username', 'password', 'credentials_version'])
      claimStackName('RegistryCredentials', this, 'variable', `${prefix}_${suffix}`, 'variablePrefix');

    const username = ephemeralVariable(
      this,
      `${prefix}_username`,
      'Docker Hub user name, sent to Secrets Manager only when the credentials version changes',
    );
    const password = ephemeralVariable(
      this,
      `${prefix}_password`,
      'Docker Hub access token (or password), sent to Secrets Manager only when the credentials version changes',
    );
    const version = new TerraformVariable(this, `${prefix}_credentials_version`, {
      type: 'number',
      default: 1,
      description: 'Bump to write new Docker Hub credentials to Secrets Manager',
    });
    version.overrideLogicalId(`${prefix}_credentials_version`);

    const secret = new SecretsmanagerSecret(this, 'secret', {
      name: props.secretName,
      description: 'Docker Hub credentials for CodeBuild (JSON with username and password)',
      kmsKeyId: props.encryptionKeyArn,
      recoveryWindowInDays: props.recoveryWindowInDays ?? 30,
    });
    Suppressions.add(secret, {
      ruleId: 'CKV2_AWS_57',
      reason:
        'Docker Hub access tokens can only be rotated in Docker Hub, so no rotation Lambda can do it; rotate there ' +
        'and bump the credentials version variable',
    });
    const secretVersion = new SecretsmanagerSecretVersion(this, 'value', {
      secretId: secret.id,
      secretStringWo: Fn.jsonencode({ username: username.stringValue, password: password.stringValue }),
      secretStringWoVersion: version.numberValue,
    });

    this.node.defaultChild = secret;
    this.resources = { secret, secretVersion, username, password, version };
    this.secret = secret;
    this.secretArn = secret.arn;
    this.variableNames = {
      username: username.friendlyUniqueId,
      password: password.friendlyUniqueId,
      version: version.friendlyUniqueId,
    };
  }

  /**
   * Adopts a secret that already exists under this name (Terraform `import`
   * block, via cdktf's `importFrom`): the next apply imports it instead of
   * failing on the name, then writes the credentials from the variables as a
   * new version. Remove the call once applied; keeping it is harmless.
   *
   * @param secretArn the existing secret's full ARN, which Terraform imports by
   */
  public importExisting(secretArn: string): void {
    throwIfInvalid('RegistryCredentials.importExisting', this, checkProp('secretArn', secretArn, checkSecretArn));
    this.secret.importFrom(secretArn);
  }

  /** What a deployer reads after apply: which variables carry the credentials. */
  public get outputs(): readonly StackOutput[] {
    const names = this.variableNames;
    return [
      {
        name: 'registry_credentials_variables',
        value: `Set TF_VAR_${names.username} and TF_VAR_${names.password}; bump ${names.version} to write new values`,
        description: 'How Docker Hub credentials reach Secrets Manager',
      },
    ];
  }

  /** The build's environment variables that read the two values. */
  public environmentVariables(): SecretEnvironmentVariable[] {
    return [
      { name: 'DOCKERHUB_USERNAME', secretArn: this.secretArn, jsonKey: 'username' },
      { name: 'DOCKERHUB_PASSWORD', secretArn: this.secretArn, jsonKey: 'password' },
    ];
  }
}

/** A sensitive variable that Terraform never writes to a plan or state file (Terraform >= 1.10). */
function ephemeralVariable(scope: Construct, name: string, description: string): TerraformVariable {
  const variable = new TerraformVariable(scope, name, {
    type: 'string',
    sensitive: true,
    nullable: false,
    description,
  });
  variable.overrideLogicalId(name);
  variable.addOverride('ephemeral', true);
  return variable;
}

// --- Rules for the values of its props (limits from the owning service's documentation) ---

/**
 * The prefix of the Terraform variables that carry registry credentials: Terraform identifiers, which do not start
 * with a digit (Terraform Language, "Input variables"), kept lowercase.
 */
export const checkVariablePrefix = matches(
  /^[a-z_][a-z0-9_]{0,40}$/,
  'must be 1-41 lowercase letters, digits and "_", not starting with a digit',
);

/** A secret's name (Secrets Manager API Reference, CreateSecret: Name, 1-512 of letters, digits and `/_+=.@-`). */
export const checkSecretName = matches(/^[A-Za-z0-9/_+=.@-]{1,512}$/, 'must be 1-512 letters, digits and /_+=.@-');

/** A secret's name or ARN, to read an existing secret by (GetSecretValue: SecretId). */
export const checkSecretId = matches(
  /^(?:arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:)?[A-Za-z0-9/_+=.@-]{1,512}$/,
  'must be a Secrets Manager secret name or ARN: 1-512 letters, digits and /_+=.@-',
);

/** A secret's full ARN, which Terraform imports a secret by. */
export const checkSecretArn = matches(
  /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/,
  'must be a Secrets Manager secret ARN such as ' +
    '"arn:aws:secretsmanager:eu-west-1:123456789012:secret:ci/app/dockerhub-AbCdEf"',
);
