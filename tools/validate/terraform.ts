/**
 * Running Terraform: which one is installed, where its providers come from
 * (the user's own setup, or a filesystem mirror offline), and its commands,
 * asynchronously, so that the AWS stub in this process keeps answering.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

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
  const list = (dir: string) => (existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name) : []);
  for (const host of list(mirror)) {
    for (const namespace of list(join(mirror, host))) {
      for (const type of list(join(mirror, host, namespace))) {
        const versions = list(join(mirror, host, namespace, type)).filter((version) => list(join(mirror, host, namespace, type, version)).length > 0);
        if (versions.length > 0) found.set(`${host}/${namespace}/${type}`, versions.sort());
      }
    }
  }
  return found;
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
