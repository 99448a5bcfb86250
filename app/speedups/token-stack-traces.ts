/** cdktf's module that records a token's creation stack; every token class calls its export through the module. */
interface StackTraceModule {
  captureStackTrace: CaptureFunction;
}

/** cdktf's capture function, or ours, which keeps the one it replaced. */
type CaptureFunction = ((below?: unknown) => string[]) & { [REPLACED]?: CaptureFunction };

/** On ours: cdktf's own capture function, which it replaced. */
const REPLACED = Symbol('cdktf-ci.replacedCaptureStackTrace');

/** cdktf's module, as the app's cdktf loaded it (resolved from here, as `import 'cdktf'` is). */
function stackTraceModule(): StackTraceModule | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require('cdktf/lib/tokens/private/stack-trace') as StackTraceModule;
    return typeof loaded.captureStackTrace === 'function' ? loaded : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Stops cdktf from capturing a stack trace for each token it creates, for the rest of the process (or Jest test
 * file).
 *
 * cdktf records every token's creation stack (V8 walks the whole stack, with `Error.stackTraceLimit` raised to the
 * maximum) only to word the rare error about a token that cannot be resolved. This replaces cdktf's capture
 * function, in memory (its files on disk are untouched), with one that records nothing: a token's `creationStack` is
 * empty, and nothing else changes. Errors keep their stack traces. Calling it again changes nothing.
 *
 * @returns whether token stack traces are now skipped (false when this cdktf has no such module)
 */
export function skipTokenStackTraces(): boolean {
  const stackTraces = stackTraceModule();
  if (stackTraces === undefined) return false;
  if (stackTraces.captureStackTrace[REPLACED] !== undefined) return true;
  const own = stackTraces.captureStackTrace;
  const noStackTrace: CaptureFunction = () => [];
  noStackTrace[REPLACED] = own;
  stackTraces.captureStackTrace = noStackTrace;
  return true;
}

/** Gives cdktf back its own capture function, when `skipTokenStackTraces` replaced it. */
export function captureTokenStackTraces(): void {
  const stackTraces = stackTraceModule();
  const own = stackTraces?.captureStackTrace[REPLACED];
  if (stackTraces !== undefined && own !== undefined) stackTraces.captureStackTrace = own;
}

/** Whether cdktf captures no stack trace per token now. */
export const areTokenStackTracesSkipped = (): boolean => stackTraceModule()?.captureStackTrace[REPLACED] !== undefined;
