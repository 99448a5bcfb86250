import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import {
  DefaultTokenResolver,
  Fn,
  IResolvable,
  IResolveContext,
  Lazy,
  StringConcat,
  TerraformIterator,
  TerraformLocal,
  TerraformOutput,
  TerraformStack,
  TerraformVariable,
  Testing,
  Token,
  Tokenization,
} from 'cdktf';
import * as cdktfResolve from 'cdktf/lib/tokens/private/resolve';
import { useCdktfOwnResolve, useFastTokenResolution } from '../../../app/speedups/token-resolution';

/** Runs `fn` with cdktf's own resolve, then puts the port back (the Jest setup installed it). */
function withCdktfOwnResolve<T>(fn: () => T): T {
  useCdktfOwnResolve();
  try {
    return fn();
  } finally {
    useFastTokenResolution();
  }
}

// The Jest setup has already installed the port, as the app does at start. Each case below is
// resolved with cdktf's own resolve and with the port, from fresh constructs each time, and the
// two must agree on everything a caller or a token can see: the value, the error's message, the
// contexts tokens receive (flags, scope, keys) and what cdktf prints. The golden copies check
// the port on every stack the app synthesizes (`npm run golden` writes them with cdktf's own).

/** What a token can see of the context it receives. */
const contextSeen = (context: IResolveContext) => ({
  keys: Object.keys(context).sort(),
  preparing: context.preparing,
  scope: context.scope.node.path,
  suppressBraces: context.suppressBraces,
  ignoreEscapes: context.ignoreEscapes,
  warnEscapes: context.warnEscapes,
  iteratorContext: context.iteratorContext,
});

/** A token that records the context it receives, and resolves `inner` in it. */
const recording = (log: unknown[], name: string, inner: unknown): IResolvable => ({
  creationStack: [],
  resolve: (context) => {
    log.push({ [name]: contextSeen(context) });
    return context.resolve(inner);
  },
});

/** A token that sets a context flag while it resolves `inner`, as cdktf's expressions do. */
const withFlag = (flag: 'suppressBraces' | 'ignoreEscapes' | 'warnEscapes', inner: unknown): IResolvable => ({
  creationStack: [],
  resolve: (context) => {
    context[flag] = true;
    const resolved = context.resolve(inner);
    context[flag] = false;
    return resolved;
  },
});

type Case = (stack: TerraformStack, log: unknown[]) => unknown;

const variables = (stack: TerraformStack) => ({
  text: new TerraformVariable(stack, 'text', { type: 'string' }),
  count: new TerraformVariable(stack, 'count', { type: 'number' }),
  names: new TerraformVariable(stack, 'names', { type: 'list(string)' }),
  tags: new TerraformVariable(stack, 'tags', { type: 'map(string)' }),
});

const lazyString = (value: string) => Lazy.stringValue({ produce: () => value });
const lazyNumber = (value: number) => Lazy.numberValue({ produce: () => value });

const VALUES: Record<string, Case> = {
  'plain values: nested objects and arrays, undefined left out, null, booleans, dates, array holes': () => ({
    text: 'plain ${not.a.token} and 1e5 and 2e-3',
    '1e5': ['1e5', -0, 1e21, 0.5, Infinity],
    nested: { empty: {}, list: [1, undefined, 'x', null, [true, false]], gone: undefined },
    date: new Date(0),
    // eslint-disable-next-line no-sparse-arrays
    holes: [, 1, , 2],
  }),
  'string tokens alone, in strings, and as a whole string': (stack) => {
    const { text } = variables(stack);
    return {
      alone: text.stringValue,
      inside: `arn:${text.stringValue}:${lazyString('lazy')}/\${literal}`,
      lazy: lazyString('lazy value'),
      asString: Token.asString({ a: text.stringValue }),
    };
  },
  'number tokens alone and concatenated into strings': (stack) => {
    const { count } = variables(stack);
    return {
      alone: count.numberValue,
      lazy: lazyNumber(7),
      inString: `n ${lazyNumber(3)} and ${count.numberValue}`,
      adjacent: `n-${lazyNumber(4)}-${lazyNumber(5)}`,
      list: [lazyNumber(1), 2],
    };
  },
  'list tokens as lists, and a number list token': (stack) => {
    const { names } = variables(stack);
    return {
      list: names.listValue,
      numbers: Token.asNumberList(Lazy.anyValue({ produce: () => [1, 2] })),
      nested: [names.listValue],
    };
  },
  'map tokens as maps, any and number maps': (stack) => {
    const { tags } = variables(stack);
    return {
      tags: Token.asStringMap(tags.value),
      any: Token.asAnyMap(Lazy.anyValue({ produce: () => ({ a: [1] }) })),
      numbers: Token.asNumberMap(Lazy.anyValue({ produce: () => ({ n: 1 }) })),
    };
  },
  'keys that are tokens resolving to strings': (stack) => {
    const { text } = variables(stack);
    return { [lazyString('key')]: 1, [`k-${text.stringValue}`]: 2 };
  },
  'functions, escapes (which cdktf warns about) and expressions': (stack) => {
    const { text, names, tags } = variables(stack);
    return {
      join: Fn.join('-', [text.stringValue, 'literal ${not.a.ref}']),
      lookup: Fn.lookup(tags.value, 'k', 'default'),
      nested: Fn.upper(Fn.element(names.listValue, 0)),
      format: Fn.format('%s-%d', [text.stringValue, lazyNumber(2)]),
      conditional: Fn.conditional(Token.asAny(true), text.stringValue, '${escaped}'),
      escapes: `\${a} ${text.stringValue} \${b}`,
      expression: `\${upper(${text.stringValue})}`,
      expressionInFunction: Fn.upper(`\${lower(${text.stringValue})}`),
    };
  },
  'iterators: values, keys and for expressions': (stack) => {
    const { names, tags } = variables(stack);
    const list = TerraformIterator.fromList(names.listValue);
    const map = TerraformIterator.fromMap(tags.value);
    return {
      forExpression: list.dynamic({ name: list.value, upper: Fn.upper(list.value) }),
      mapExpression: map.dynamic({ key: map.key, value: map.value }),
      forEach: list.forExpressionForList(Fn.lower(list.value)),
    };
  },
  'contexts tokens receive: flags set by outer tokens, post-processors, scope and preparing': (stack, log) => ({
    plain: recording(log, 'plain', { deep: [recording(log, 'deep', 'x')] }),
    braces: withFlag('suppressBraces', { a: recording(log, 'underBraces', [recording(log, 'deeper', 1)]) }),
    escapes: withFlag(
      'ignoreEscapes',
      recording(log, 'underEscapes', `\${upper(${variables(stack).text.stringValue})} \${y}`),
    ),
    warned: withFlag('warnEscapes', recording(log, 'underWarn', `\${x} ${lazyString('warned')}`)),
    postProcessed: {
      creationStack: [],
      resolve: (context: IResolveContext) => {
        context.registerPostProcessor({ postProcess: (value, at) => ({ processed: value, at: contextSeen(at) }) });
        return { inner: recording(log, 'beforePostProcessing', 'v') };
      },
    },
  }),
};

/** Values cdktf refuses, each with its own error. */
const ERRORS: Record<string, Case> = {
  'a function': () => ({ a: { b: [0, () => 1] } }),
  'a construct': (stack) => ({ a: { construct: stack } }),
  'an object nested 205 deep': () => {
    let value: unknown = 'bottom';
    for (let depth = 0; depth < 205; depth++) value = { [`level${depth}`]: value };
    return value;
  },
  'a circular object': () => {
    const circular: Record<string, unknown> = { name: 'loop' };
    circular.self = circular;
    return { circular };
  },
  'a list token element in a string': (stack) => ({ text: `x-${variables(stack).names.listValue[0]}` }),
  'a list token next to other elements': (stack) => ({ list: [...variables(stack).names.listValue, 'extra'] }),
  'the map token placeholder string': () => ({ value: Token.STRING_MAP_TOKEN_VALUE }),
  'the any-map token placeholder string': () => ({ value: Token.ANY_MAP_TOKEN_VALUE }),
  'the map token placeholder number': () => ({ value: Token.NUMBER_MAP_TOKEN_VALUE }),
  'a map token next to other keys': (stack) => ({
    map: { ...Token.asStringMap(variables(stack).tags.value), other: 'x' },
  }),
  'a key that resolves to a number': () => ({ [Token.asString(Lazy.anyValue({ produce: () => 5 }))]: 'value' }),
  'a token that catches an error, then resolves a function': (_stack, log) => ({
    outer: {
      creationStack: [],
      resolve: (context: IResolveContext) => {
        try {
          context.resolve({ deep: { deeper: [() => 1] } });
        } catch (error) {
          log.push((error as Error).message);
        }
        return context.resolve({ after: recording(log, 'after', { fn: () => 2 }) });
      },
    },
  }),
  'a context resolving a function after the resolution moved on': () => {
    let kept: IResolveContext | undefined;
    const keeping: IResolvable = { creationStack: [], resolve: (context) => ((kept = context), 'kept') };
    const usingKept: IResolvable = { creationStack: [], resolve: () => kept?.resolve({ bad: () => 1 }) };
    return { first: { keeping }, second: { later: usingKept } };
  },
  'a token that throws': () => ({
    a: [
      Lazy.anyValue({
        produce: () => {
          throw new Error('thrown by a token');
        },
      }),
    ],
  }),
};

/**
 * `observed` with each token's number in its strings (a global counter, so never
 * the same twice) replaced by the order in which it first appears.
 */
function numberedInOrder(observed: unknown, numbers = new Map<string, number>()): unknown {
  // A string token's key, or a number token written into a string (an encoded double).
  const renumber = (text: string) =>
    text.replace(/TOKEN\.\d+|-?\d\.\d+e[+-]\d+/g, (token) => {
      if (!numbers.has(token)) numbers.set(token, numbers.size);
      return `<token ${numbers.get(token)}>`;
    });
  if (typeof observed === 'string') return renumber(observed);
  if (Array.isArray(observed)) return observed.map((element) => numberedInOrder(element, numbers));
  if (typeof observed !== 'object' || observed === null || observed instanceof Date) return observed;
  return Object.fromEntries(
    Object.entries(observed).map(([key, value]) => [renumber(key), numberedInOrder(value, numbers)]),
  );
}

/** Resolves what `build` makes, in a fresh stack, and returns all a caller can observe. */
function observe(build: Case, preparing: boolean) {
  const stack = new TerraformStack(Testing.app(), 'observed');
  const log: unknown[] = [];
  const warnings: unknown[][] = [];
  const warn = jest.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void warnings.push(args));
  try {
    const value = Tokenization.resolve(build(stack, log), {
      scope: stack,
      preparing,
      resolver: new DefaultTokenResolver(new StringConcat()),
    });
    return numberedInOrder({ value, log, warnings }) as { error?: string };
  } catch (error) {
    return numberedInOrder({ error: (error as Error).message, log, warnings }) as { error?: string };
  } finally {
    warn.mockRestore();
  }
}

describe('useFastTokenResolution', () => {
  test('the port is what resolves tokens here, and installing it again changes nothing', () => {
    const installed = cdktfResolve.resolve;
    expect(withCdktfOwnResolve(() => cdktfResolve.resolve)).not.toBe(installed);
    const reinstalled = cdktfResolve.resolve;
    expect(useFastTokenResolution()).toBe(true);
    expect(cdktfResolve.resolve).toBe(reinstalled);
  });

  test('on any other cdktf release, cdktf keeps its own resolve', () => {
    // The version the port reads, as another release would say it, in this process's copy of cdktf's package.json.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const cdktfPackage = require('cdktf/package.json') as { version: string };
    const installed = cdktfPackage.version;
    cdktfPackage.version = '0.22.0';
    try {
      withCdktfOwnResolve(() => {
        const own = cdktfResolve.resolve;
        expect(useFastTokenResolution()).toBe(false);
        expect(cdktfResolve.resolve).toBe(own);
      });
    } finally {
      cdktfPackage.version = installed;
    }
  });

  describe.each([false, true])('preparing: %s', (preparing) => {
    test.each(Object.entries(VALUES))('%s: resolved as cdktf resolves it', (_name, build) => {
      const cdktf = withCdktfOwnResolve(() => observe(build, preparing));
      expect(cdktf.error).toBeUndefined();
      expect(observe(build, preparing)).toEqual(cdktf);
    });

    test.each(Object.entries(ERRORS))('%s: the same error as cdktf throws', (_name, build) => {
      const cdktf = withCdktfOwnResolve(() => observe(build, preparing));
      expect(cdktf.error).toEqual(expect.any(String));
      expect(observe(build, preparing)).toEqual(cdktf);
    });
  });

  test(
    'a stack with variables, locals, iterators, a dynamic block and outputs synthesizes byte for byte as with ' +
      'cdktf',
    () => {
      const synthesize = () => {
        const stack = new TerraformStack(Testing.app(), 'stack');
        const { text, names, tags } = variables(stack);
        const local = new TerraformLocal(stack, 'joined', Fn.join(',', names.listValue));
        const rules = TerraformIterator.fromList(names.listValue);
        new S3BucketLifecycleConfiguration(stack, 'lifecycle', {
          bucket: text.stringValue,
          forEach: TerraformIterator.fromMap(tags.value),
          rule: rules.dynamic({ id: rules.value, status: 'Enabled', expiration: [{ days: 30 }] }),
        });
        new TerraformOutput(stack, 'out', {
          value: { local: local.asString, count: Token.asNumber(local.expression), escaped: '${x}' },
        });
        return Testing.synth(stack);
      };
      const cdktf = withCdktfOwnResolve(synthesize);
      expect(cdktf).toContain('"dynamic"');
      expect(synthesize()).toBe(cdktf);
    },
  );
});
