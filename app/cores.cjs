'use strict';
/**
 * The two Terraform CDK cores this project runs on, and the one place that says how one source serves both.
 *
 * - `cdktf`: HashiCorp's CDK for Terraform 0.21, its last release (deprecated 2025-12-10, repository archived).
 * - `cdktn`: CDK Terrain, the community continuation (https://cdktn.io), 0.24 and later.
 *
 * The source is written against cdktf. cdktn keeps cdktf's API, its file layout and its global symbols (a construct
 * of one core is recognized by the other), so the cdktn form of a module is the same code with the package names
 * below renamed. Three seams apply the renames, each from this table:
 * - the library's build (`scripts/build-lib.ts`): `dist/` for cdktf, `dist/cdktn/` for cdktn, both type-checked
 *   against their own core's declarations;
 * - the app's bundle (`app/launch.cjs`): esbuild's `alias`;
 * - the tests (`jest.config.js`): a Jest project per core, with `moduleNameMapper`.
 *
 * `@cdktf/provider-github` has no cdktn build yet (https://www.npmjs.com/org/cdktn has none): both cores use
 * cdktf's, which works inside a cdktn stack through those global symbols. When `@cdktn/provider-github` ships, it
 * gets one line here.
 */

/** The environment variable that picks the app's core (`npm run synth`, `cdktf synth`, `cdktn synth`). */
const CORE_SWITCH = 'CI_PIPELINES_CORE';

/** The core used when the switch is unset: the one the golden copies and the API reports were written with. */
const DEFAULT_CORE = 'cdktf';

/** For each core, the packages the source names and the ones that core's form names instead. */
const CORES = {
  cdktf: { renames: {} },
  cdktn: {
    renames: {
      cdktf: 'cdktn',
      '@cdktf/provider-aws': '@cdktn/provider-aws',
      '@cdktf/provider-random': '@cdktn/provider-random',
    },
  },
};

/** The names of the cores, in the order the docs and CI list them. */
const CORE_NAMES = Object.keys(CORES);

/** The switch holds a value that names no core. */
class CoreSwitchError extends Error {
  constructor(value) {
    const allowed = CORE_NAMES.map((name) => `"${name}"`).join(', ');
    super(`${CORE_SWITCH}: got ${JSON.stringify(value)}; must be one of ${allowed} (unset means "${DEFAULT_CORE}")`);
    this.name = 'CoreSwitchError';
  }
}

/** The core the switch in `env` picks; throws a CoreSwitchError naming the value when it picks none. */
function selectedCore(env = process.env) {
  const value = env[CORE_SWITCH];
  if (value === undefined || value === '') return DEFAULT_CORE;
  if (!Object.hasOwn(CORES, value)) throw new CoreSwitchError(value);
  return value;
}

/**
 * The module specifier `specifier` (as the source names it) becomes in `core`'s form: a renamed package, or one of
 * its files (`cdktf/lib/x` to `cdktn/lib/x`); anything else stays as it is.
 */
function specifierFor(core, specifier) {
  for (const [from, to] of Object.entries(CORES[core].renames)) {
    if (specifier === from) return to;
    if (specifier.startsWith(`${from}/`)) return to + specifier.slice(from.length);
  }
  return specifier;
}

module.exports = { CORE_NAMES, CORE_SWITCH, CORES, CoreSwitchError, DEFAULT_CORE, selectedCore, specifierFor };
