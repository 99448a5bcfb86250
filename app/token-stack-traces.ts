/** cdktf's module that records a token's creation stack; every token class calls its `captureStackTrace` export through the module object. */
interface StackTraceModule {
  captureStackTrace: (below?: unknown) => string[];
}

const noStackTrace = (): string[] => [];

/**
 * Stops cdktf from capturing a stack trace for each token it creates, for the
 * rest of the process (or Jest test file).
 *
 * cdktf records every token's creation stack (V8 walks the whole stack, with
 * `Error.stackTraceLimit` raised to the maximum) only to word the rare error
 * about a token that cannot be resolved. That capture was about 9% of a fleet's
 * synth even with the formatting skipped, and keeping the stacks most of its
 * memory. This replaces cdktf's capture function, in memory (its files on disk
 * are untouched), with one that records nothing: a token's `creationStack` is
 * empty, and nothing else changes. Errors keep their stack traces
 * (`__tests__/loader/register.slow.test.ts` shows it for a bug in a construct).
 * Calling it again changes nothing.
 *
 * @returns whether token stack traces are now skipped (false when this cdktf has no such module)
 */
export function skipTokenStackTraces(): boolean {
  let stackTraces: StackTraceModule;
  try {
    // The same module instance the app's cdktf loaded: resolved from here, as `import 'cdktf'` is.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    stackTraces = require('cdktf/lib/tokens/private/stack-trace') as StackTraceModule;
  } catch {
    return false;
  }
  if (typeof stackTraces.captureStackTrace !== 'function') return false;
  stackTraces.captureStackTrace = noStackTrace;
  return true;
}
