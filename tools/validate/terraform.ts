/**
 * Running Terraform: which one is installed, where its providers come from
 * (the user's own setup, or a filesystem mirror offline), and its commands,
 * asynchronously, so that the AWS stub in this process keeps answering.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ValidateError } from './stacks';

/** The environment variable that names a provider filesystem mirror (Terraform's "Provider Installation" layout). */
export const MIRROR_ENV_VAR = 'CI_PIPELINES_PROVIDER_MIRROR';

/** `aws` → `registry.terraform.io/hashicorp/aws`, `integrations/github` → `registry.terraform.io/integrations/github`. */
export function qualifiedSource(source: string): string {
  const parts = source.split('/');
  if (parts.length === 1) return `registry.terraform.io/hashicorp/${parts[0]}`;
  if (parts.length === 2) return `registry.terraform.io/${source}`;
  return source;
}

/** The providers in a filesystem mirror, with their versions: `registry.terraform.io/hashicorp/aws` → `['5.100.0']`. */
export function mirroredProviders(mirror: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const list = (dir: string) =>
    existsSync(dir)
      ? readdirSync(dir, { withFileTypes: true })
          .filter((entry) => entry.isDirectory())
          .map((entry) => entry.name)
      : [];
  for (const host of list(mirror)) {
    for (const namespace of list(join(mirror, host))) {
      for (const type of list(join(mirror, host, namespace))) {
        const versions = list(join(mirror, host, namespace, type)).filter(
          (version) => list(join(mirror, host, namespace, type, version)).length > 0,
        );
        if (versions.length > 0) found.set(`${host}/${namespace}/${type}`, versions.sort());
      }
    }
  }
  return found;
}

/** Where Terraform gets its providers. */
export interface ProviderSetup {
  /** A filesystem mirror, used offline; providers it lacks are cut from the copies checked. */
  readonly mirror?: { readonly path: string; readonly providers: ReadonlyMap<string, readonly string[]> };
  /** The environment Terraform runs with. */
  readonly env: NodeJS.ProcessEnv;
}

/** Where providers come from: the mirror named in the environment, or the user's own setup. */
export function providerSetup(env: NodeJS.ProcessEnv): { readonly setup: ProviderSetup; readonly description: string } {
  const base = { ...env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };
  const mirror = env[MIRROR_ENV_VAR];
  if (mirror === undefined) return { setup: { env: base }, description: 'providers from your Terraform setup' };
  if (mirror.trim() === '' || !existsSync(mirror))
    throw new ValidateError(
      `${MIRROR_ENV_VAR} = ${JSON.stringify(mirror)} is not a directory; name a provider filesystem mirror or unset it`,
    );
  const providers = mirroredProviders(resolve(mirror));
  if (providers.size === 0)
    throw new ValidateError(
      `${MIRROR_ENV_VAR} = ${JSON.stringify(mirror)} holds no provider in the mirror layout <host>/<namespace>/<type>/<version>/<os>_<arch>/`,
    );
  const configDir = mkdtempSync(join(tmpdir(), 'ci-validate-cli-'));
  const cache = join(tmpdir(), 'ci-validate-plugin-cache');
  mkdirSync(cache, { recursive: true });
  writeMirrorCliConfig(join(configDir, 'terraform.rc'), resolve(mirror), cache);
  const list = [...providers].map(([source, versions]) => `${source} ${versions.join(', ')}`).join('; ');
  return {
    setup: {
      mirror: { path: resolve(mirror), providers },
      env: { ...base, TF_CLI_CONFIG_FILE: join(configDir, 'terraform.rc') },
    },
    description: `providers from the filesystem mirror ${resolve(mirror)}, offline: ${list}`,
  };
}

/** The providers (local names) of a stack that the setup cannot install. */
export function missingProviders(json: Record<string, any>, setup: ProviderSetup): Set<string> {
  if (setup.mirror === undefined) return new Set();
  const required = Object.entries<Record<string, any>>(json.terraform?.required_providers ?? {});
  return new Set(
    required
      .filter(([, spec]) => !setup.mirror!.providers.has(qualifiedSource(String(spec.source))))
      .map(([name]) => name),
  );
}

/** A CLI configuration that installs the mirror's providers from it and nothing from anywhere else, linking them from a shared cache. */
export function writeMirrorCliConfig(path: string, mirror: string, pluginCacheDir: string): void {
  writeFileSync(
    path,
    [
      'provider_installation {',
      '  filesystem_mirror {',
      `    path = ${JSON.stringify(mirror)}`,
      '  }',
      '}',
      `plugin_cache_dir = ${JSON.stringify(pluginCacheDir)}`,
      '',
    ].join('\n'),
  );
}

/** The installed Terraform's version, or undefined when there is none on PATH. */
export function terraformVersion(env: NodeJS.ProcessEnv): string | undefined {
  const result = spawnSync('terraform', ['version', '-json'], { encoding: 'utf8', env });
  if (result.error !== undefined || result.status !== 0) return undefined;
  try {
    return JSON.parse(result.stdout).terraform_version as string;
  } catch {
    return undefined;
  }
}

/** What a Terraform command printed. */
export interface TerraformResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `terraform <args>` in `cwd`. */
export function runTerraform(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<TerraformResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('terraform', [...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status: status ?? 1, stdout, stderr }));
  });
}
