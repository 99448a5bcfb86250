import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  providerSetup,
  qualifiedSource,
  terraformError,
  writeMirrorCliConfig,
} from '../../../tools/validate/terraform';

describe('provider installation', () => {
  test('source addresses are qualified as Terraform does', () => {
    expect(qualifiedSource('aws')).toBe('registry.terraform.io/hashicorp/aws');
    expect(qualifiedSource('integrations/github')).toBe('registry.terraform.io/integrations/github');
    expect(qualifiedSource('example.com/team/thing')).toBe('example.com/team/thing');
  });

  test('the CLI configuration installs from the mirror only, through a shared plugin cache', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'rc-')), 'terraform.rc');
    writeMirrorCliConfig(path, '/opt/mirror', '/tmp/cache');
    expect(readFileSync(path, 'utf8')).toBe(
      'provider_installation {\n  filesystem_mirror {\n    path = "/opt/mirror"\n  }\n}\nplugin_cache_dir = ' +
        '"/tmp/cache"\n',
    );
  });

  test(
    'with a mirror found, Terraform installs from it only, and the description says which and how it was ' + 'found',
    () => {
      const mirror = mkdtempSync(join(tmpdir(), 'mirror-'));
      const binary = join(mirror, 'registry.terraform.io/hashicorp/aws/5.100.0/linux_amd64');
      mkdirSync(binary, { recursive: true });
      writeFileSync(join(binary, 'terraform-provider-aws_v5.100.0_x5'), '');
      const { setup, description } = providerSetup({}, { kind: 'found', path: mirror, how: 'found as a test mirror' });
      expect(description).toBe(
        `providers from the filesystem mirror ${mirror} (found as a test mirror), offline: ` +
          'registry.terraform.io/hashicorp/aws 5.100.0',
      );
      expect(setup.mirror?.path).toBe(mirror);
      expect(readFileSync(setup.env.TF_CLI_CONFIG_FILE!, 'utf8')).toContain(`path = ${JSON.stringify(mirror)}`);
    },
  );

  test("without a mirror, the user's own Terraform setup, and the description says why there is no mirror", () => {
    const { setup, description } = providerSetup(
      { TF_CLI_CONFIG_FILE: '/home/dev/.terraformrc' },
      { kind: 'none', reason: 'nothing found' },
    );
    expect(description).toBe('providers from your Terraform setup (no provider mirror: nothing found)');
    expect(setup.mirror).toBeUndefined();
    expect(setup.env.TF_CLI_CONFIG_FILE).toBe('/home/dev/.terraformrc');
  });
});

describe("Terraform's error, for a message", () => {
  test('as `-no-color` prints it: every line of the summary and the detail, without the blank lines', () => {
    const stderr = [
      '',
      'Error: Failed to query available provider packages',
      '',
      'Could not retrieve the list of available versions for provider hashicorp/aws:',
      'provider registry.terraform.io/hashicorp/aws was not found in any of the',
      'search locations',
      '',
      '  - /opt/empty-mirror',
      '',
    ].join('\n');
    expect(terraformError(stderr)).toBe(
      [
        'Error: Failed to query available provider packages',
        'Could not retrieve the list of available versions for provider hashicorp/aws:',
        'provider registry.terraform.io/hashicorp/aws was not found in any of the',
        'search locations',
        '  - /opt/empty-mirror',
      ].join('\n'),
    );
  });

  test('in colour: without the colour codes and the box Terraform draws at the left', () => {
    // As Terraform 1.11 prints it to a terminal.
    const stderr = [
      '\x1b[31m╷\x1b[0m\x1b[0m',
      '\x1b[31m│\x1b[0m \x1b[0m\x1b[1m\x1b[31mError: \x1b[0m\x1b[0m\x1b[1mFailed to query available provider ' +
        'packages\x1b[0m',
      '\x1b[31m│\x1b[0m \x1b[0m',
      '\x1b[31m│\x1b[0m \x1b[0m\x1b[0mCould not retrieve the list of available versions for provider',
      '\x1b[31m│\x1b[0m \x1b[0m  - /opt/empty-mirror',
      '\x1b[31m╵\x1b[0m\x1b[0m',
    ].join('\n');
    expect(terraformError(stderr)).toBe(
      [
        'Error: Failed to query available provider packages',
        'Could not retrieve the list of available versions for provider',
        '  - /opt/empty-mirror',
      ].join('\n'),
    );
  });
});
