import { Lazy, Token } from 'cdktf';
import * as cdktfStackTraces from 'cdktf/lib/tokens/private/stack-trace';
import {
  areTokenStackTracesSkipped,
  captureTokenStackTraces,
  skipTokenStackTraces,
} from '../../../app/speedups/token-stack-traces';

// The Jest setup has already called it, as the app does at start.
describe('skipTokenStackTraces', () => {
  test('cdktf captures no creation stack for a token of any kind', () => {
    const tokens = [Token.asAny('value'), Lazy.anyValue({ produce: () => 1 })] as unknown as {
      creationStack: string[];
    }[];
    for (const token of tokens) expect(token.creationStack).toEqual([]);
    expect(cdktfStackTraces.captureStackTrace()).toEqual([]);
  });

  test('V8 walks no stack for a token: not only is nothing formatted, nothing is captured', () => {
    const capture = jest.spyOn(Error, 'captureStackTrace');
    try {
      Token.asAny('value');
      Lazy.anyValue({ produce: () => 1 });
      expect(capture).not.toHaveBeenCalled();
    } finally {
      capture.mockRestore();
    }
  });

  test('calling it again keeps it so', () => {
    expect(skipTokenStackTraces()).toBe(true);
    expect(cdktfStackTraces.captureStackTrace()).toEqual([]);
  });

  test('stack traces everywhere else are untouched: errors, and captures into plain objects', () => {
    const error = new TypeError('kept');
    expect(error.stack?.split('\n')[0]).toBe('TypeError: kept');
    expect(error.stack).toMatch(/token-stack-traces\.test\.ts:\d+:\d+/);
    const record = { stack: '' };
    Error.captureStackTrace(record);
    expect(record.stack).toMatch(/token-stack-traces\.test\.ts:\d+:\d+/);
  });
});

describe('captureTokenStackTraces', () => {
  test('gives cdktf its own capture back, and skipping again replaces it again', () => {
    captureTokenStackTraces();
    try {
      expect(areTokenStackTracesSkipped()).toBe(false);
      expect(cdktfStackTraces.captureStackTrace().length).toBeGreaterThan(0);
    } finally {
      skipTokenStackTraces();
    }
    expect(areTokenStackTracesSkipped()).toBe(true);
    expect(cdktfStackTraces.captureStackTrace()).toEqual([]);
  });
});
