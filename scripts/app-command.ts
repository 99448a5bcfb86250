import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The project's root directory. */
export const PROJECT_ROOT = join(__dirname, '..');

/** The hook that runs the project's scripts and tools (`node --require <LOADER> <file>.ts`): `loader/register.cjs`. */
export const LOADER = join(PROJECT_ROOT, 'loader', 'register.cjs');

/** What runs the app as one bundle (`node <APP_RUNNER> main.ts`): `loader/run.cjs`. */
export const APP_RUNNER = join(PROJECT_ROOT, 'loader', 'run.cjs');

// eslint-disable-next-line @typescript-eslint/no-require-imports
const cacheDirs = require('../loader/cache-dirs.cjs') as {
  transpileCacheDir: (env?: NodeJS.ProcessEnv) => string;
  bundleCacheDir: (env?: NodeJS.ProcessEnv) => string;
};

/** The loaders' caches (`loader/cache-dirs.cjs`): the scripts' transpiled files, and the app's bundles with V8's code for them. */
export const loaderCacheDirs = (env?: NodeJS.ProcessEnv): string[] => [
  cacheDirs.transpileCacheDir(env),
  cacheDirs.bundleCacheDir(env),
];

/**
 * The command `npm run synth` runs (package.json's `synth` script), split for
 * `spawn`: the tests and the benchmark start the app exactly as users do.
 * `node` becomes this Node's executable so that a version manager's choice holds.
 */
export function appCommand(): { command: string; args: string[] } {
  const scripts = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')).scripts as Record<
    string,
    string
  >;
  const [command, ...args] = scripts.synth.split(/\s+/);
  return { command: command === 'node' ? process.execPath : command, args };
}
