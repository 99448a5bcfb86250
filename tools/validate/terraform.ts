/**
 * Running Terraform: which one is installed, where its providers come from
 * (the user's own setup, or a filesystem mirror offline), its commands,
 * asynchronously, so that the AWS stub in this process keeps answering, and
 * what they print when they fail.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { findProviderMirror, MirrorChoice, mirroredProviders } from './mirror';

/**
 * `aws` → `registry.terraform.io/hashicorp/aws`, `integrations/github` → `registry.terraform.io/integrations/github`.
 */
export function qualifiedSource(source: string): string {
  const parts = source.split('/');
  if (parts.length === 1) return `registry.terraform.io/hashicorp/${parts[0]}`;
  if (parts.length === 2) return `registry.terraform.io/${source}`;
  return source;
}

/** Where Terraform gets its providers. */
export interface ProviderSetup {
  /** A filesystem mirror, used offline; providers it lacks are cut from the copies checked. */
  readonly mirror?: { readonly path: string; readonly providers: ReadonlyMap<string, readonly string[]> };
  /** The environment Terraform runs with. */
  readonly env: NodeJS.ProcessEnv;
  /** Removes what the setup wrote (its Terraform CLI configuration); the shared provider cache stays. */
  dispose(): void;
}

/**
 * Where providers come from: the provider mirror found (see mirror.ts), used offline, or else the user's own
 * Terraform setup. The description says which, and how the mirror was found or why there is none.
 */
export function providerSetup(
  env: NodeJS.ProcessEnv,
  choice: MirrorChoice = findProviderMirror(env),
): { readonly setup: ProviderSetup; readonly description: string } {
  const base = { ...env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };
  if (choice.kind === 'none')
    return {
      setup: { env: base, dispose: () => {} },
      description: `providers from your Terraform setup (no provider mirror: ${choice.reason})`,
    };
  const providers = mirroredProviders(choice.path);
  const configDir = mkdtempSync(join(tmpdir(), 'ci-validate-cli-'));
  const cache = join(tmpdir(), 'ci-validate-plugin-cache');
  mkdirSync(cache, { recursive: true });
  writeMirrorCliConfig(join(configDir, 'terraform.rc'), choice.path, cache);
  const list = [...providers].map(([source, versions]) => `${source} ${versions.join(', ')}`).join('; ');
  return {
    setup: {
      mirror: { path: choice.path, providers },
      env: { ...base, TF_CLI_CONFIG_FILE: join(configDir, 'terraform.rc') },
      dispose: () => rmSync(configDir, { recursive: true, force: true }),
    },
    description: `providers from the filesystem mirror ${choice.path} (${choice.how}), offline: ${list}`,
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

/**
 * A CLI configuration that installs the mirror's providers from it and nothing from anywhere else,
 * linking them from a shared cache.
 */
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

/**
 * The whole of the error Terraform printed (each diagnostic's summary and detail), for a message: without colour,
 * the box Terraform draws at the left of each diagnostic, or blank lines.
 */
export function terraformError(output: string): string {
  // Without colour codes, in case Terraform was run without `-no-color`.
  return stripVTControlCharacters(output)
    .split('\n')
    .map((line) => line.replace(/^[│╷╵] ?/, '').trimEnd())
    .filter((line) => line.trim() !== '')
    .join('\n');
}
