import { Token } from 'cdktf';
import { skipTokenStackTraces } from '../../app/token-stack-traces';

// The Jest setup has already called it, as the app does at start.
describe('skipTokenStackTraces', () => {
  test('cdktf records no creation stack for a token', () => {
    const token = Token.asAny('value') as unknown as { creationStack: string[] };
    expect(Token.isUnresolved(token)).toBe(true);
    expect(token.creationStack).toEqual([]);
  });

  test('errors keep their stack traces, mapped to the TypeScript source', () => {
    const error = new TypeError('kept');
    expect(error.stack?.split('\n')[0]).toBe('TypeError: kept');
    expect(error.stack).toMatch(/token-stack-traces\.test\.ts:\d+:\d+/);
  });

  test('calling it again leaves one wrapper', () => {
    const installed = Error.prepareStackTrace;
    expect(skipTokenStackTraces()).toBe(true);
    expect(Error.prepareStackTrace).toBe(installed);
  });

  test('without it, a plain object gets the stack it captures', () => {
    const installed = Error.prepareStackTrace;
    const record = { stack: '' };
    try {
      (Error as { prepareStackTrace?: unknown }).prepareStackTrace = undefined;
      Error.captureStackTrace(record);
      expect(record.stack).toMatch(/token-stack-traces\.test\.ts/);
    } finally {
      Error.prepareStackTrace = installed;
    }
    const skipped = { stack: 'unset' };
    Error.captureStackTrace(skipped);
    expect(skipped.stack).toBe('');
  });
});
