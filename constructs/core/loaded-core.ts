/** A Terraform CDK core, as its package.json names it. */
export interface LoadedCore {
  /** `cdktf`, or `cdktn`. */
  readonly name: string;
  /** Its release (what a synthesized stack's `//.metadata.version` names). */
  readonly version: string;
}

/**
 * The core that `import 'cdktf'` loads here: cdktf itself, or cdktn where a seam renamed the source's `cdktf` (the
 * cdktn form in `dist/cdktn/`, the app's cdktn bundle, Jest's cdktn project; app/cores.cjs).
 */
export function loadedCore(): LoadedCore {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { name, version } = require('cdktf/package.json') as LoadedCore;
  return { name, version };
}
