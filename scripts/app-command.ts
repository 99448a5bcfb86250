import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The project's root directory. */
export const PROJECT_ROOT = join(__dirname, '..');

/** Node.js's arguments that run a TypeScript file of the project's scripts and tools, as `tsx` does. */
export const RUN_TYPESCRIPT = ['--import', 'tsx'] as const;

/** The app's bundle and what esbuild recorded of its build (`app/launch.cjs`). */
export const APP_BUILD_DIR = join(PROJECT_ROOT, 'dist', 'app');

/**
 * The command `npm run synth` runs (package.json's `synth` script), split for `spawn` from the project's root: the
 * tests and the benchmark start the app exactly as users do. `node` becomes this Node's executable so that a version
 * manager's choice holds.
 */
export function appCommand(): { command: string; args: string[] } {
  const scripts = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')).scripts as Record<
    string,
    string
  >;
  const [command, ...args] = scripts.synth.split(/\s+/);
  return { command: command === 'node' ? process.execPath : command, args: args.map((arg) => join(PROJECT_ROOT, arg)) };
}
