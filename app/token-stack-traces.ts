import { types } from 'node:util';

const SKIPPING = Symbol.for('cdktf-github-codepipeline-ci.skipTokenStackTraces');

type PrepareStackTrace = NonNullable<ErrorConstructor['prepareStackTrace']>;

/**
 * Stops cdktf from recording a stack trace for each token it creates, for the
 * rest of the process (or Jest test file).
 *
 * cdktf keeps every token's creation stack, all frames as strings, only to word
 * the rare error about a token that cannot be resolved. Formatting those traces
 * is about a third of a fleet's synth (and, through Jest's source maps, of a
 * test run), and keeping them is most of its memory. Errors keep their stack
 * traces: only captures into plain objects, which is how cdktf records, come
 * back empty. Calling it again changes nothing; on a Node.js without a default
 * `Error.prepareStackTrace` (before 20) it does nothing.
 *
 * @returns whether token stack traces are now skipped
 */
export function skipTokenStackTraces(): boolean {
  const prepare = Error.prepareStackTrace as (PrepareStackTrace & { [SKIPPING]?: true }) | undefined;
  if (prepare === undefined) return false;
  if (prepare[SKIPPING]) return true;
  const skipping: PrepareStackTrace & { [SKIPPING]?: true } = (target, frames) => (types.isNativeError(target) ? prepare(target, frames) : '');
  skipping[SKIPPING] = true;
  Error.prepareStackTrace = skipping;
  return true;
}
