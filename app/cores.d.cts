/** Types of `app/cores.cjs` (plain CommonJS, so that `app/launch.cjs` and `jest.config.js` load it without a build). */
export type CoreName = 'cdktf' | 'cdktn';
export declare const CORE_NAMES: readonly CoreName[];
export declare const CORE_SWITCH: 'CI_PIPELINES_CORE';
export declare const DEFAULT_CORE: 'cdktf';
export declare const CORES: Readonly<Record<CoreName, { readonly renames: Readonly<Record<string, string>> }>>;
export declare class CoreSwitchError extends Error {
  constructor(value: string);
}
export declare function selectedCore(env?: NodeJS.ProcessEnv): CoreName;
export declare function specifierFor(core: CoreName, specifier: string): string;
