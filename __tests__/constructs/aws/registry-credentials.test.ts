import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { RegistryCredentials } from '../../../constructs/aws/registry-credentials';
import { synth, Synthesized } from '../../helpers';

const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/k';

describe('RegistryCredentials', () => {
  let credentials: RegistryCredentials;
  let stack: Synthesized;
  beforeAll(() => {
    stack = synth((scope) => {
      credentials = new RegistryCredentials(scope, 'dockerhub', {
        secretName: 'ci/app/dockerhub',
        encryptionKeyArn: KEY,
      });
    });
  });

  test('keeps the secret under the customer key', () => {
    expect(stack.text).toHaveResourceWithProperties(SecretsmanagerSecret, {
      name: 'ci/app/dockerhub',
      kms_key_id: KEY,
      recovery_window_in_days: 30,
    });
  });

  test('writes the values only through the write-only argument, from ephemeral sensitive variables', () => {
    const version = stack.at('dockerhub/value');
    const json = stack.json;
    expect(version.secret_string).toBeUndefined();
    expect(version.secret_string_wo).toBe(
      '${jsonencode({"username" = var.dockerhub_username, "password" = var.dockerhub_password})}',
    );
    expect(version.secret_string_wo_version).toBe('${var.dockerhub_credentials_version}');
    for (const name of ['dockerhub_username', 'dockerhub_password']) {
      expect(json.variable?.[name]).toMatchObject({
        type: 'string',
        sensitive: true,
        ephemeral: true,
        nullable: false,
      });
      expect(json.variable?.[name].default).toBeUndefined();
    }
    expect(json.variable?.dockerhub_credentials_version).toMatchObject({ type: 'number', default: 1 });
  });

  test('hands CodeBuild SECRETS_MANAGER references to the JSON keys', () => {
    expect(credentials.environmentVariables()).toEqual([
      { name: 'DOCKERHUB_USERNAME', secretArn: credentials.secretArn, jsonKey: 'username' },
      { name: 'DOCKERHUB_PASSWORD', secretArn: credentials.secretArn, jsonKey: 'password' },
    ]);
  });

  test('tells the deployer which variables carry the values', () => {
    expect(credentials.outputs).toEqual([
      {
        name: 'registry_credentials_variables',
        value:
          'Set TF_VAR_dockerhub_username and TF_VAR_dockerhub_password; bump dockerhub_credentials_version to write ' +
          'new values',
        description: 'How Docker Hub credentials reach Secrets Manager',
      },
    ]);
  });

  test('rejects bad names, prefixes and recovery windows', () => {
    const make = (props: object) => () =>
      synth((scope) => new RegistryCredentials(scope, 'c', { secretName: 'ok', encryptionKeyArn: KEY, ...props }));
    expect(make({ secretName: 'has space' })).toThrow(
      /RegistryCredentials at stack\/c: invalid prop "secretName" = "has space"/,
    );
    expect(make({ variablePrefix: 'Docker-Hub' })).toThrow(/invalid prop "variablePrefix" = "Docker-Hub"/);
    expect(make({ recoveryWindowInDays: 0 })).toThrow(/"recoveryWindowInDays" = 0: must be an integer from 7 to 30/);
  });

  test('importExisting adopts an existing secret by its ARN, and refuses anything else', () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:ci/app/dockerhub-AbCdEf';
    const adopted = synth((scope) =>
      new RegistryCredentials(scope, 'dockerhub', {
        secretName: 'ci/app/dockerhub',
        encryptionKeyArn: KEY,
      }).importExisting(arn),
    );
    expect(adopted.json.import).toEqual([{ to: adopted.address('dockerhub/secret'), id: arn }]);
    expect(() =>
      synth((scope) =>
        new RegistryCredentials(scope, 'dockerhub', {
          secretName: 'ci/app/dockerhub',
          encryptionKeyArn: KEY,
        }).importExisting('ci/app/dockerhub'),
      ),
    ).toThrow(
      'RegistryCredentials.importExisting at stack/dockerhub: invalid prop "secretArn" = "ci/app/dockerhub": ' +
        'must be a Secrets Manager secret ARN',
    );
  });
});
