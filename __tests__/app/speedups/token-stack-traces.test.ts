import { Lazy, Token } from 'cdktf';
import {
  areTokenStackTracesSkipped,
  CDKTN_SWITCH,
  captureTokenStackTraces,
  skipTokenStackTraces,
} from '../../../app/speedups/token-stack-traces';

// The Jest setup has already called it, as the app does at start. On cdktf it replaces the core's capture; on cdktn
// it turns on cdktn's own switch: each case holds on both cores (Jest's cdktf and cdktn projects).

/** The creation stack the core records for a token made now. */
const newTokenStack = () => (Token.asAny('value') as unknown as { creationStack: string[] }).creationStack;
describe('skipTokenStackTraces', () => {
  test('cdktf captures no creation stack for a token of any kind', () => {
    const tokens = [Token.asAny('value'), Lazy.anyValue({ produce: () => 1 })] as unknown as {
      creationStack: string[];
    }[];
    for (const token of tokens) expect(token.creationStack).toEqual([]);
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
    expect(newTokenStack()).toEqual([]);
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
      expect(newTokenStack().length).toBeGreaterThan(0);
    } finally {
      skipTokenStackTraces();
    }
    expect(areTokenStackTracesSkipped()).toBe(true);
    expect(newTokenStack()).toEqual([]);
  });
});

describe(`${CDKTN_SWITCH}, cdktn's own switch`, () => {
  test('a value the user set is theirs: undoing the speedups leaves it as it was', () => {
    captureTokenStackTraces();
    process.env[CDKTN_SWITCH] = '1';
    try {
      expect(skipTokenStackTraces()).toBe(true);
      captureTokenStackTraces();
      expect(process.env[CDKTN_SWITCH]).toBe('1');
    } finally {
      delete process.env[CDKTN_SWITCH];
      skipTokenStackTraces();
    }
    expect(newTokenStack()).toEqual([]);
  });
});
