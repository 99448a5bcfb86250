import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  awsProviderVersions,
  findProviderMirror,
  impliedMirrorDirectories,
  mirroredProviders,
  MirrorSearchPlaces,
  searchPlaces,
  terraformTarget,
} from '../../../tools/validate/mirror';
import { ValidateError } from '../../../tools/validate/stacks';

const TARGET = 'linux_amd64';

/** Lays out `provider` (`hashicorp/aws`) at `version` for `target` in `mirror`, as Terraform's mirror layout has it. */
function addProvider(mirror: string, provider: string, version: string, target = TARGET): string {
  const dir = join(mirror, 'registry.terraform.io', provider, version, target);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `terraform-provider-${provider.split('/')[1]}_v${version}_x5`), '');
  return mirror;
}

let scratch: string;
beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'mirror-search-'));
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

/** A directory under the scratch directory, created. */
const dirIn = (...parts: string[]) => {
  const dir = join(scratch, ...parts);
  mkdirSync(dir, { recursive: true });
  return dir;
};

/** An environment whose Terraform directories (home, XDG data directories) are all under the scratch directory. */
const scratchEnv = (): NodeJS.ProcessEnv => ({
  HOME: dirIn('home'),
  XDG_DATA_HOME: dirIn('xdg-data-home'),
  XDG_DATA_DIRS: `${dirIn('xdg-data-dirs', 'a')}:${dirIn('xdg-data-dirs', 'b')}`,
});

/** Places to search in which nothing is laid out yet. */
const emptyPlaces = (): MirrorSearchPlaces => ({
  directories: [{ path: dirIn('listed'), why: 'a listed directory' }],
  scanRoots: [dirIn('scan-root')],
});

describe('the directories searched', () => {
  test("Terraform's implied local mirror directories on Linux, as its docs list them, with the XDG defaults", () => {
    expect(impliedMirrorDirectories({ HOME: '/home/dev' }, 'linux', '/work/app')).toEqual([
      '/home/dev/.terraform.d/plugins',
      '/home/dev/.local/share/terraform/plugins',
      '/usr/local/share/terraform/plugins',
      '/usr/share/terraform/plugins',
      '/work/app/terraform.d/plugins',
    ]);
  });

  test('the XDG variables replace the defaults; relative entries are ignored, as the XDG spec says', () => {
    const env = { HOME: '/home/dev', XDG_DATA_HOME: '/data', XDG_DATA_DIRS: '/shared:relative:/more' };
    expect(impliedMirrorDirectories(env, 'linux', '/work/app')).toEqual([
      '/home/dev/.terraform.d/plugins',
      '/data/terraform/plugins',
      '/shared/terraform/plugins',
      '/more/terraform/plugins',
      '/work/app/terraform.d/plugins',
    ]);
  });

  test("macOS has its own; Terraform's directories come before this project's /opt/tf-plugins", () => {
    expect(impliedMirrorDirectories({ HOME: '/Users/dev' }, 'darwin', '/w')).toEqual([
      '/Users/dev/.terraform.d/plugins',
      '/Users/dev/Library/Application Support/io.terraform/plugins',
      '/Library/Application Support/io.terraform/plugins',
      '/w/terraform.d/plugins',
    ]);
    const listed = searchPlaces({ HOME: '/home/dev' }, '/w').directories.map((place) => place.path);
    expect(listed.indexOf('/opt/tf-plugins')).toBe(listed.length - 1);
    expect(listed.indexOf('/w/terraform.d/plugins')).toBeGreaterThanOrEqual(0);
  });

  test("Terraform's names for platforms", () => {
    expect(terraformTarget('linux', 'x64')).toBe('linux_amd64');
    expect(terraformTarget('darwin', 'arm64')).toBe('darwin_arm64');
    expect(terraformTarget('win32', 'ia32')).toBe('windows_386');
  });
});

describe('a mirror holds hashicorp/aws only with a binary for the platform', () => {
  test('a version directory without the binary, or with another platform only, does not count', () => {
    const mirror = addProvider(dirIn('m'), 'hashicorp/aws', '5.100.0');
    addProvider(mirror, 'hashicorp/aws', '6.0.0', 'darwin_arm64');
    mkdirSync(join(mirror, 'registry.terraform.io/hashicorp/aws/6.1.0', TARGET), { recursive: true });
    expect(awsProviderVersions(mirror, TARGET)).toEqual(['5.100.0']);
    expect(awsProviderVersions(mirror, 'darwin_arm64')).toEqual(['6.0.0']);
  });

  test("a mirror's providers are read from its layout; empty version directories do not count", () => {
    const mirror = addProvider(dirIn('m'), 'hashicorp/aws', '5.100.0');
    mkdirSync(join(mirror, 'registry.terraform.io/hashicorp/random/3.7.2'), { recursive: true });
    expect(mirroredProviders(mirror)).toEqual(new Map([['registry.terraform.io/hashicorp/aws', ['5.100.0']]]));
    expect(mirroredProviders(join(mirror, 'absent'))).toEqual(new Map());
  });
});

describe('CI_PIPELINES_PROVIDER_MIRROR set', () => {
  test('to a mirror with hashicorp/aws: that mirror, named by the variable, even when a listed one comes first', () => {
    const named = addProvider(dirIn('named'), 'hashicorp/aws', '5.100.0');
    const places = emptyPlaces();
    addProvider(places.directories[0].path, 'hashicorp/aws', '5.99.0');
    expect(findProviderMirror({ CI_PIPELINES_PROVIDER_MIRROR: named }, places, TARGET)).toEqual({
      kind: 'found',
      path: named,
      how: 'named by CI_PIPELINES_PROVIDER_MIRROR',
    });
  });

  test(
    'to a directory that does not exist, or to nothing: an error that names the variable, the value and the ' +
      'layout',
    () => {
      const find = (value: string) => () =>
        findProviderMirror({ CI_PIPELINES_PROVIDER_MIRROR: value }, emptyPlaces(), TARGET);
      const absent = join(scratch, 'absent');
      expect(find(absent)).toThrow(ValidateError);
      expect(find(absent)).toThrow(
        `CI_PIPELINES_PROVIDER_MIRROR = "${absent}" is not a directory; name a provider mirror in ` +
          "Terraform's filesystem-mirror layout, " +
          `${absent}/registry.terraform.io/hashicorp/aws/<version>/linux_amd64/terraform-provider-aws_*, or unset it ` +
          `to search`,
      );
      expect(find('')).toThrow(/^CI_PIPELINES_PROVIDER_MIRROR = "" is not a directory/);
    },
  );

  test('to a mirror without hashicorp/aws: an error that says what it holds instead and what is expected', () => {
    const mirror = addProvider(dirIn('random-only'), 'hashicorp/random', '3.7.2');
    expect(() => findProviderMirror({ CI_PIPELINES_PROVIDER_MIRROR: mirror }, emptyPlaces(), TARGET)).toThrow(
      `CI_PIPELINES_PROVIDER_MIRROR = "${mirror}" does not hold the hashicorp/aws provider for linux_amd64 ` +
        '(it has no registry.terraform.io/hashicorp/aws directory); expected ' +
        `Terraform's filesystem-mirror layout, ${mirror}/registry.terraform.io/hashicorp/aws/<version>/linux_amd64/` +
        'terraform-provider-aws_*, or unset CI_PIPELINES_PROVIDER_MIRROR to search for a mirror',
    );
  });

  test('to a mirror with hashicorp/aws for another platform only: an error that names the platforms it has', () => {
    const mirror = addProvider(dirIn('mac-only'), 'hashicorp/aws', '5.100.0', 'darwin_arm64');
    expect(() => findProviderMirror({ CI_PIPELINES_PROVIDER_MIRROR: mirror }, emptyPlaces(), TARGET)).toThrow(
      'does not hold the hashicorp/aws provider for linux_amd64 (it holds hashicorp/aws 5.100.0 (darwin_arm64))',
    );
  });
});

describe('CI_PIPELINES_PROVIDER_MIRROR unset', () => {
  test("a mirror in one of Terraform's implied directories is found, and how it was found is said", () => {
    const env = scratchEnv();
    const places = searchPlaces(env, dirIn('cwd'));
    // An earlier directory laid out as a mirror, but without the binary, is passed over.
    mkdirSync(join(env.HOME!, '.terraform.d/plugins/registry.terraform.io/hashicorp/aws/5.100.0', TARGET), {
      recursive: true,
    });
    const mirror = addProvider(
      join(env.XDG_DATA_DIRS!.split(':')[1], 'terraform', 'plugins'),
      'hashicorp/aws',
      '5.1.0',
    );
    expect(findProviderMirror(env, places, TARGET)).toEqual({
      kind: 'found',
      path: mirror,
      how: "CI_PIPELINES_PROVIDER_MIRROR is unset; found as one of Terraform's implied local mirror directories",
    });
  });

  test('a mirror up to two levels under a scan root is found; one three levels down is not', () => {
    const places = emptyPlaces();
    const root = places.scanRoots[0];
    addProvider(join(root, 'a', 'b', 'too-deep'), 'hashicorp/aws', '5.100.0');
    expect(findProviderMirror({}, places, TARGET).kind).toBe('none');
    const mirror = addProvider(join(root, 'tools', 'tf-plugins'), 'hashicorp/aws', '5.100.0');
    expect(findProviderMirror({}, places, TARGET)).toEqual({
      kind: 'found',
      path: mirror,
      how: `CI_PIPELINES_PROVIDER_MIRROR is unset; found by searching ${root} down to 2 levels`,
    });
  });

  test('nothing anywhere: no mirror, with a reason that names the variable, the layout and where it looked', () => {
    const places = emptyPlaces();
    addProvider(places.directories[0].path, 'hashicorp/random', '3.7.2');
    expect(findProviderMirror({}, places, TARGET)).toEqual({
      kind: 'none',
      reason:
        'CI_PIPELINES_PROVIDER_MIRROR is unset, and no directory searched holds ' +
        '<dir>/registry.terraform.io/hashicorp/aws/<version>/linux_amd64/terraform-provider-aws_* ' +
        `(searched: ${places.directories[0].path}, ${places.scanRoots[0]} down to 2 levels)`,
    });
  });
});
