import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mirroredProviders, qualifiedSource, writeMirrorCliConfig } from '../../../tools/validate/terraform';

describe('provider installation', () => {
  test('source addresses are qualified as Terraform does', () => {
    expect(qualifiedSource('aws')).toBe('registry.terraform.io/hashicorp/aws');
    expect(qualifiedSource('integrations/github')).toBe('registry.terraform.io/integrations/github');
    expect(qualifiedSource('example.com/team/thing')).toBe('example.com/team/thing');
  });

  test("a mirror's providers are read from its layout; empty version directories do not count", () => {
    const mirror = mkdtempSync(join(tmpdir(), 'mirror-'));
    const binary = join(mirror, 'registry.terraform.io/hashicorp/aws/5.100.0/linux_amd64');
    mkdirSync(binary, { recursive: true });
    writeFileSync(join(binary, 'terraform-provider-aws_v5.100.0_x5'), '');
    mkdirSync(join(mirror, 'registry.terraform.io/hashicorp/random/3.7.2'), { recursive: true });
    expect(mirroredProviders(mirror)).toEqual(new Map([['registry.terraform.io/hashicorp/aws', ['5.100.0']]]));
    expect(mirroredProviders(join(mirror, 'absent'))).toEqual(new Map());
  });

  test('the CLI configuration installs from the mirror only, through a shared plugin cache', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'rc-')), 'terraform.rc');
    writeMirrorCliConfig(path, '/opt/mirror', '/tmp/cache');
    expect(readFileSync(path, 'utf8')).toBe(
      'provider_installation {\n  filesystem_mirror {\n    path = "/opt/mirror"\n  }\n}\nplugin_cache_dir = "/tmp/cache"\n',
    );
  });
});
