/**
 * The project's only replacements of a dependency's internals, in one place behind one switch: two functions of
 * cdktf's, replaced in memory (its files on disk stay as installed) by ones that give the same output with less
 * work. Each earns its place by a measurement in the benchmark's files (`bench/results/`); the golden test
 * synthesizes every golden shape with and without them and requires the same bytes.
 *
 * - `token-stack-traces.ts`: cdktf captures the whole stack of every token it creates, only to word a rare error.
 * - `token-resolution.ts`: a port of cdktf 0.21.0's token resolution without its per-value bookkeeping.
 *
 * `CI_PIPELINES_SPEEDUPS=off` runs cdktf as installed.
 */
import { areTokenStackTracesSkipped, captureTokenStackTraces, skipTokenStackTraces } from './token-stack-traces';
import { isFastTokenResolutionInUse, useCdktfOwnResolve, useFastTokenResolution } from './token-resolution';

/** The environment variable that turns the speedups off. */
export const SPEEDUPS_SWITCH = 'CI_PIPELINES_SPEEDUPS';

/** What `useSpeedups` installed. */
export interface Speedups {
  /** Whether cdktf now captures no stack trace per token. */
  readonly tokenStackTracesSkipped: boolean;
  /** Whether the port now resolves tokens (only on cdktf 0.21.0, the release it ports). */
  readonly fastTokenResolution: boolean;
}

/** A value of the switch that is neither "on" nor "off". */
export class SpeedupsSwitchError extends Error {
  constructor(value: string) {
    super(`${SPEEDUPS_SWITCH}: got ${JSON.stringify(value)}; must be "on" or "off" (unset means "on")`);
    this.name = 'SpeedupsSwitchError';
  }
}

/**
 * Installs the speedups for the rest of the process (or Jest test file), unless the switch says "off".
 * @throws SpeedupsSwitchError when the switch holds anything else than "on" or "off"
 */
export function useSpeedups(env: NodeJS.ProcessEnv = process.env): Speedups {
  const setting = env[SPEEDUPS_SWITCH];
  if (setting !== undefined && setting !== 'on' && setting !== 'off') throw new SpeedupsSwitchError(setting);
  if (setting === 'off') return { tokenStackTracesSkipped: false, fastTokenResolution: false };
  return { tokenStackTracesSkipped: skipTokenStackTraces(), fastTokenResolution: useFastTokenResolution() };
}

/** Runs `fn` with cdktf as installed, then puts back whichever speedups were in use. */
export function withoutSpeedups<T>(fn: () => T): T {
  const fastResolution = isFastTokenResolutionInUse();
  const stackTracesSkipped = areTokenStackTracesSkipped();
  useCdktfOwnResolve();
  captureTokenStackTraces();
  try {
    return fn();
  } finally {
    if (fastResolution) useFastTokenResolution();
    if (stackTracesSkipped) skipTokenStackTraces();
  }
}
