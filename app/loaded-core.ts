import type { CoreName } from './cores.cjs';

/** The Terraform CDK core a process runs on. */
export interface LoadedCore {
  /** Which core: `cdktf`, or `cdktn` where a seam renamed the source's `cdktf` (app/cores.cjs). */
  readonly name: CoreName;
  /** Its release, as its package.json says (what a synthesized stack's `//.metadata.version` names). */
  readonly version: string;
}

/** The core that `import 'cdktf'` loads here: cdktf itself, or cdktn in its forms (`dist/cdktn/`, the cdktn bundle). */
export function loadedCore(): LoadedCore {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { name, version } = require('cdktf/package.json') as { name: CoreName; version: string };
  return { name, version };
}
