/** The core's module that records a token's creation stack. */
interface StackTraceModule {
  captureStackTrace: CaptureFunction;
  /** cdktn only: what its tokens call, which honours {@link CDKTN_SWITCH}. */
  captureCreationStack?: unknown;
}

/** cdktf's capture function, or ours, which keeps the one it replaced. */
type CaptureFunction = ((below?: unknown) => string[]) & { [REPLACED]?: CaptureFunction };

/** On ours: cdktf's own capture function, which it replaced. */
const REPLACED = Symbol('cdktf-ci.replacedCaptureStackTrace');

/**
 * CDK Terrain's own switch for the same saving (its `captureCreationStack` reads it for every token): on cdktn the
 * platform's feature is used, and nothing of the core is replaced.
 */
export const CDKTN_SWITCH = 'CDKTN_DISABLE_CREATION_STACK';

/** Whether `skipTokenStackTraces` turned {@link CDKTN_SWITCH} on, and the value it had before (to put back). */
let cdktnSwitchSet: { readonly before: string | undefined } | undefined;

/** The core's module, as the app's core loaded it (resolved from here, as `import 'cdktf'` is). */
function stackTraceModule(): StackTraceModule | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require('cdktf/lib/tokens/private/stack-trace') as StackTraceModule;
    return typeof loaded.captureStackTrace === 'function' ? loaded : undefined;
  } catch {
    return undefined;
  }
}

const hasOwnSwitch = (stackTraces: StackTraceModule): boolean => typeof stackTraces.captureCreationStack === 'function';

const isCdktnSwitchOn = (): boolean => ['true', '1'].includes(process.env[CDKTN_SWITCH] ?? '');

/**
 * Stops the core from capturing a stack trace for each token it creates, for the rest of the process (or Jest test
 * file).
 *
 * cdktf records every token's creation stack (V8 walks the whole stack, with `Error.stackTraceLimit` raised to the
 * maximum) only to word the rare error about a token that cannot be resolved. On cdktf this replaces its capture
 * function, in memory (its files on disk are untouched), with one that records nothing; on cdktn it turns on cdktn's
 * own switch, {@link CDKTN_SWITCH}. Either way a token's `creationStack` is empty, and nothing else changes. Errors
 * keep their stack traces. Calling it again changes nothing.
 *
 * @returns whether token stack traces are now skipped (false when this core has no such module)
 */
export function skipTokenStackTraces(): boolean {
  const stackTraces = stackTraceModule();
  if (stackTraces === undefined) return false;
  if (hasOwnSwitch(stackTraces)) {
    if (!isCdktnSwitchOn()) {
      cdktnSwitchSet = { before: process.env[CDKTN_SWITCH] };
      process.env[CDKTN_SWITCH] = 'true';
    }
    return true;
  }
  if (stackTraces.captureStackTrace[REPLACED] !== undefined) return true;
  const own = stackTraces.captureStackTrace;
  const noStackTrace: CaptureFunction = () => [];
  noStackTrace[REPLACED] = own;
  stackTraces.captureStackTrace = noStackTrace;
  return true;
}

/** Gives the core back its own capture, when `skipTokenStackTraces` changed it. */
export function captureTokenStackTraces(): void {
  const stackTraces = stackTraceModule();
  if (stackTraces === undefined) return;
  if (hasOwnSwitch(stackTraces)) {
    // Only what skipTokenStackTraces set: a switch the user turned on stays on.
    if (cdktnSwitchSet === undefined) return;
    if (cdktnSwitchSet.before === undefined) delete process.env[CDKTN_SWITCH];
    else process.env[CDKTN_SWITCH] = cdktnSwitchSet.before;
    cdktnSwitchSet = undefined;
    return;
  }
  const own = stackTraces.captureStackTrace[REPLACED];
  if (own !== undefined) stackTraces.captureStackTrace = own;
}

/** Whether the core captures no stack trace per token now. */
export function areTokenStackTracesSkipped(): boolean {
  const stackTraces = stackTraceModule();
  if (stackTraces === undefined) return false;
  return hasOwnSwitch(stackTraces) ? isCdktnSwitchOn() : stackTraces.captureStackTrace[REPLACED] !== undefined;
}
