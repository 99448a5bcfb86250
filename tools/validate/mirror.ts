/**
 * Which provider filesystem mirror `npm run validate` uses, and how it was found: the one
 * CI_PIPELINES_PROVIDER_MIRROR names, or else the first place searched that holds the hashicorp/aws
 * provider for this platform. `.ci/run` asks this module too (`--print-mirror`), so the search lives here only.
 */
import { readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { ValidateError } from './stacks';

/** The environment variable that names a provider filesystem mirror (Terraform's "Provider Installation" layout). */
export const MIRROR_ENV_VAR = 'CI_PIPELINES_PROVIDER_MIRROR';

/** The provider every stack needs: a mirror without it checks nothing. */
const AWS_PROVIDER = 'registry.terraform.io/hashicorp/aws';

/** Where a mirror was looked for when the variable is unset, in order. */
export interface MirrorSearchPlaces {
  /** Directories that may be mirrors themselves, each with why it is on the list. */
  readonly directories: readonly { readonly path: string; readonly why: string }[];
  /** Directories under which a mirror may sit, down to SCAN_DEPTH levels. */
  readonly scanRoots: readonly string[];
}

/** The mirror to use and how it was found, or why there is none. */
export type MirrorChoice =
  | { readonly kind: 'found'; readonly path: string; readonly how: string }
  | { readonly kind: 'none'; readonly reason: string };

/**
 * How far below a scan root a mirror may sit: as deep as `.ci/run`'s former `find <root> -maxdepth 5` for
 * `<mirror>/registry.terraform.io/hashicorp/aws` reached, which is 2 levels. Listing that little is fast.
 */
const SCAN_DEPTH = 2;

/** Terraform's name for the target platform (`linux_amd64`): the directory of a mirror that holds its builds. */
export function terraformTarget(platform: string = process.platform, arch: string = process.arch): string {
  const os = platform === 'win32' ? 'windows' : platform;
  const cpu: string = ({ x64: 'amd64', ia32: '386' } as Record<string, string>)[arch] ?? arch;
  return `${os}_${cpu}`;
}

/** The names of a directory's entries of one kind; none when it cannot be read (absent, or not ours to read). */
function entriesOf(dir: string, kind: 'directory' | 'file'): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => (kind === 'directory' ? entry.isDirectory() : !entry.isDirectory()))
      .map((entry) => entry.name)
      .sort();
  } catch {
    return [];
  }
}

/** The providers in a filesystem mirror, with their versions: `registry.terraform.io/hashicorp/aws` → `['5.100.0']`. */
export function mirroredProviders(mirror: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const list = (...parts: string[]) => entriesOf(join(mirror, ...parts), 'directory');
  for (const host of list())
    for (const namespace of list(host))
      for (const type of list(host, namespace)) {
        // A version counts when it holds a platform's directory (`linux_amd64`).
        const versions = list(host, namespace, type).filter(
          (version) => list(host, namespace, type, version).length > 0,
        );
        if (versions.length > 0) found.set(`${host}/${namespace}/${type}`, versions);
      }
  return found;
}

/** The versions of the hashicorp/aws provider a mirror holds a build of for `target`. */
export function awsProviderVersions(mirror: string, target: string): string[] {
  const provider = join(mirror, AWS_PROVIDER);
  return entriesOf(provider, 'directory').filter((version) =>
    entriesOf(join(provider, version, target), 'file').some((name) => name.startsWith('terraform-provider-aws')),
  );
}

/** What a mirror holds of hashicorp/aws, for a message: each version and its platforms' directories. */
function awsHeld(mirror: string): string {
  const provider = join(mirror, AWS_PROVIDER);
  const builds = entriesOf(provider, 'directory').map(
    (version) => `${version} (${entriesOf(join(provider, version), 'directory').join(', ') || 'no platform'})`,
  );
  return builds.length === 0 ? `it has no ${AWS_PROVIDER} directory` : `it holds hashicorp/aws ${builds.join(', ')}`;
}

/** Where a mirror's hashicorp/aws binaries are expected, for messages. */
const expectedLayout = (mirror: string, target: string) =>
  join(mirror, AWS_PROVIDER, '<version>', target, 'terraform-provider-aws_*');

/**
 * Terraform's implied local mirror directories: where Terraform itself looks for providers without a
 * `provider_installation` block. The list follows Terraform's docs, "CLI Configuration File", section
 * "Implied Local Mirror Directories":
 * https://developer.hashicorp.com/terraform/cli/config/config-file#implied-local-mirror-directories
 */
export function impliedMirrorDirectories(
  env: NodeJS.ProcessEnv,
  platform: string = process.platform,
  cwd: string = process.cwd(),
): string[] {
  const home = env.HOME || homedir();
  const byPlatform = (): string[] => {
    if (platform === 'win32') {
      const appData = env.APPDATA || join(home, 'AppData', 'Roaming');
      return [join(appData, 'terraform.d', 'plugins'), join(appData, 'HashiCorp', 'Terraform', 'plugins')];
    }
    if (platform === 'darwin')
      return [
        join(home, '.terraform.d', 'plugins'),
        join(home, 'Library', 'Application Support', 'io.terraform', 'plugins'),
        '/Library/Application Support/io.terraform/plugins',
      ];
    // The XDG Base Directory data directories, with the spec's defaults when the variables are unset.
    const dataHome = env.XDG_DATA_HOME || join(home, '.local', 'share');
    const dataDirs = (env.XDG_DATA_DIRS || '/usr/local/share:/usr/share').split(':');
    const xdg = [dataHome, ...dataDirs]
      .filter((dir) => isAbsolute(dir))
      .map((dir) => join(dir, 'terraform', 'plugins'));
    return [join(home, '.terraform.d', 'plugins'), ...xdg];
  };
  // Terraform also looks in `terraform.d/plugins` of the directory it was started in.
  return [...byPlatform(), resolve(cwd, 'terraform.d', 'plugins')];
}

/** Where to look for a mirror when the variable is unset: Terraform's own directories first, then this project's. */
export function searchPlaces(env: NodeJS.ProcessEnv, cwd: string = process.cwd()): MirrorSearchPlaces {
  const implied = impliedMirrorDirectories(env, process.platform, cwd).map((path) => ({
    path,
    why: "one of Terraform's implied local mirror directories",
  }));
  return {
    directories: [
      ...implied,
      { path: '/opt/tf-plugins', why: "the directory this project's CI machines keep a mirror in" },
    ],
    scanRoots: process.platform === 'win32' ? [] : ['/opt', '/srv', '/usr/local', '/var/lib'],
  };
}

/** A scan root and its subdirectories down to SCAN_DEPTH levels, breadth first, by name. */
function scanned(root: string): string[] {
  const found: string[] = [];
  let level = [root];
  for (let depth = 0; depth <= SCAN_DEPTH && level.length > 0; depth++) {
    found.push(...level);
    if (depth < SCAN_DEPTH) level = level.flatMap((dir) => entriesOf(dir, 'directory').map((name) => join(dir, name)));
  }
  return found;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The mirror the variable names, checked: whoever names one expects it to be used, so a wrong one is an error. */
function namedMirror(value: string, target: string): string {
  const named = `${MIRROR_ENV_VAR} = ${JSON.stringify(value)}`;
  const blank = value.trim() === '';
  const layout = `Terraform's filesystem-mirror layout, ${expectedLayout(blank ? '<dir>' : value, target)}`;
  if (blank || !isDirectory(value))
    throw new ValidateError(`${named} is not a directory; name a provider mirror in ${layout}, or unset it to search`);
  if (awsProviderVersions(value, target).length === 0)
    throw new ValidateError(
      `${named} does not hold the hashicorp/aws provider for ${target} (${awsHeld(value)}); ` +
        `expected ${layout}, or unset ${MIRROR_ENV_VAR} to search for a mirror`,
    );
  return resolve(value);
}

/** Finds the mirror to use: the one the variable names (which must hold hashicorp/aws), else the first one searched. */
export function findProviderMirror(
  env: NodeJS.ProcessEnv,
  places: MirrorSearchPlaces = searchPlaces(env),
  target: string = terraformTarget(),
): MirrorChoice {
  const named = env[MIRROR_ENV_VAR];
  if (named !== undefined)
    return { kind: 'found', path: namedMirror(named, target), how: `named by ${MIRROR_ENV_VAR}` };
  const holdsAws = (dir: string) => awsProviderVersions(dir, target).length > 0;
  const listed = places.directories.find((place) => holdsAws(place.path));
  const unset = `${MIRROR_ENV_VAR} is unset`;
  if (listed !== undefined) return { kind: 'found', path: listed.path, how: `${unset}; found as ${listed.why}` };
  for (const root of places.scanRoots) {
    const path = scanned(root).find(holdsAws);
    if (path !== undefined)
      return { kind: 'found', path, how: `${unset}; found by searching ${root} down to ${SCAN_DEPTH} levels` };
  }
  const searched = [
    ...places.directories.map((place) => place.path),
    ...places.scanRoots.map((root) => `${root} down to ${SCAN_DEPTH} levels`),
  ];
  return {
    kind: 'none',
    reason:
      `${unset}, and no directory searched holds ${expectedLayout('<dir>', target)} ` +
      `(searched: ${searched.join(', ')})`,
  };
}
