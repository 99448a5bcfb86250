/**
 * The packages this form of the package takes from the consumer's project (peer dependencies), checked as it loads:
 * a project that lacks one gets one error naming every missing package and the command that installs them, instead
 * of Node.js's "Cannot find module" from deep inside the package. The cdktf form and the cdktn form need different
 * packages (app/cores.cjs), each an optional peer in package.json, so npm installs neither form's on its own.
 */
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { LoadedCore, loadedCore } from './loaded-core';

/** Loads a peer's package.json: written as the imports are, so that the cdktn form's build renames each one. */
/* eslint-disable @typescript-eslint/no-require-imports */
export const PEER_PACKAGES: readonly (() => unknown)[] = [
  () => require('cdktf/package.json'),
  () => require('@cdktf/provider-aws/package.json'),
  () => require('@cdktf/provider-random/package.json'),
  () => require('@cdktf/provider-github/package.json'),
  () => require('constructs/package.json'),
];
/* eslint-enable @typescript-eslint/no-require-imports */

/** The package Node.js could not find, from its error. */
const MISSING_PACKAGE = /^Cannot find module '((?:@[^/']+\/)?[^/']+)\/package\.json'/;

/** The packages of `peers` that are not installed where this file is. */
export function missingPeerPackages(peers: readonly (() => unknown)[] = PEER_PACKAGES): string[] {
  return peers.flatMap((load) => {
    try {
      load();
      return [];
    } catch (error) {
      const missing = MISSING_PACKAGE.exec((error as Error).message)?.[1];
      if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND' || missing === undefined) throw error;
      return [missing];
    }
  });
}

/** Whether a package is installed where this file is (resolved, not loaded; the build renames no `require.resolve`). */
const isInstalled = (name: string): boolean => {
  try {
    require.resolve(`${name}/package.json`);
    return true;
  } catch {
    return false;
  }
};

/** Each core's packages, by their names' first part, and the package's form for that core. */
const FORMS = [
  { core: 'cdktf', coreName: 'cdktf', prefix: '@cdktf/', entry: 'cdktf-github-codepipeline-ci' },
  { core: 'CDK Terrain', coreName: 'cdktn', prefix: '@cdktn/', entry: 'cdktf-github-codepipeline-ci/cdktn' },
] as const;

/**
 * When the packages missing are one core's and the project has the other core: the form the project should import.
 * (A cdktn project always has a package named cdktf too, for the github provider, so cdktn is what tells them apart.)
 */
export function otherFormHint(missing: readonly string[], installed: (name: string) => boolean = isInstalled): string {
  const [cdktf, cdktn] = FORMS;
  // A core's own packages: the core, and its providers but the github one, which both forms use.
  const missingOf = (form: (typeof FORMS)[number]) =>
    missing.some(
      (name) => name === form.coreName || (name.startsWith(form.prefix) && name !== '@cdktf/provider-github'),
    );
  const other =
    missingOf(cdktf) && installed(cdktn.coreName)
      ? cdktn
      : missingOf(cdktn) && !installed(cdktn.coreName)
        ? cdktf
        : undefined;
  if (other === undefined) return '';
  return `Your project runs on ${other.core}: import ${other.entry}, the package's form for it, instead. `;
}

/** The consumer's project lacks peers this form needs. */
export class MissingPeerPackagesError extends Error {
  constructor(
    readonly packages: readonly string[],
    hint: string = '',
  ) {
    super(
      `cdktf-github-codepipeline-ci needs ${packages.join(', ')} in your project (peer dependencies of the form ` +
        `you import; docs/cdktf-or-cdk-terrain.md says which packages go with which core). ` +
        `${hint}${hint === '' ? 'Install' : 'Otherwise install'} ${packages.length === 1 ? 'it' : 'them'}: ` +
        `npm install ${packages.join(' ')}`,
    );
    this.name = 'MissingPeerPackagesError';
  }
}

/**
 * The core the github provider's classes are built on. There is no cdktn build of the github provider yet, so both
 * forms use `@cdktf/provider-github`, which loads whatever `cdktf` resolves to from its own folder. In a cdktn
 * project that is HashiCorp's cdktf 0.21 unless the project maps `cdktf` to cdktn; a cdktf 0.21 resource in a cdktn
 * 0.24 stack then fails at synth, inside cdktn (its elements lack cdktn's newer methods).
 */
export function githubProviderCore(): LoadedCore {
  // Resolved as the provider resolves it: from its folder, by the name it imports (no renaming applies here).
  const githubProvider = dirname(require.resolve('@cdktf/provider-github/package.json'));
  const corePackage = require.resolve('cdktf/package.json', { paths: [githubProvider] });
  return JSON.parse(readFileSync(corePackage, 'utf8'));
}

/** `@cdktf/provider-github` runs on another core than this form. */
export class GithubProviderCoreError extends Error {
  constructor(core: LoadedCore, githubCore: LoadedCore) {
    super(
      `cdktf-github-codepipeline-ci: @cdktf/provider-github runs on ${githubCore.name} ${githubCore.version} here, ` +
        `beside ${core.name} ${core.version}, and a resource of one core fails in a stack of the other. There is no ` +
        `@cdktn/provider-github yet: make the cdktf one run on ${core.name} by adding ` +
        `"overrides": { "cdktf": "npm:${core.name}@^${core.version}" } to your package.json, then npm install ` +
        `(docs/cdktf-or-cdk-terrain.md).`,
    );
    this.name = 'GithubProviderCoreError';
  }
}

/**
 * Throws {@link MissingPeerPackagesError} when a peer of this form is not installed, and
 * {@link GithubProviderCoreError} when the github provider runs on another core.
 */
export function requirePeerPackages(peers: readonly (() => unknown)[] = PEER_PACKAGES): void {
  const missing = missingPeerPackages(peers);
  if (missing.length > 0) throw new MissingPeerPackagesError(missing, otherFormHint(missing));
  const githubCore = githubProviderCore();
  if (githubCore.name !== loadedCore().name) throw new GithubProviderCoreError(loadedCore(), githubCore);
}
