/* eslint-disable @typescript-eslint/no-explicit-any --
   cdktf's private modules, typed only as far as this port reads them. */
import { loadedCore } from '../../constructs/core/loaded-core';

/**
 * The core releases whose private `resolve` this file ports, line for line: cdktf 0.21.0's, and CDK Terrain
 * 0.24.0's, whose resolve module and every module it calls are the same code (compared when this table was written:
 * they differ only in the release each class names and in one warning's wording). Any other release keeps its own:
 * its resolve may differ in ways a port cannot know.
 */
const PORTED_RELEASES: Readonly<Record<string, string>> = { cdktf: '0.21.0', cdktn: '0.24.0' };

/** The one place cdktf's token resolution recurses: `Tokenization.resolve` calls this module's `resolve` export. */
interface ResolveModule {
  resolve: ResolveFunction;
}

/** cdktf's resolve, or the port, which keeps the function it replaced. */
type ResolveFunction = ((obj: unknown, options: ResolveOptions) => unknown) & { [REPLACED]?: ResolveFunction };

/** What `Tokenization.resolve` passes (cdktf's `IResolveOptions`). */
interface ResolveOptions {
  readonly scope: unknown;
  readonly preparing: boolean;
  readonly resolver: any;
  readonly prefix?: string[];
  readonly previousContext?: ResolveContext;
}

/** cdktf's `IResolveContext`, as every token receives it. */
interface ResolveContext {
  preparing: boolean;
  scope: unknown;
  suppressBraces?: boolean;
  ignoreEscapes?: boolean;
  warnEscapes?: boolean;
  iteratorContext?: unknown;
  registerPostProcessor(postProcessor: PostProcessor): void;
  resolve(x: unknown): unknown;
}

interface PostProcessor {
  postProcess(input: any, context: ResolveContext): any;
}

/** On the port: cdktf's own resolve, which it replaced. */
const REPLACED = Symbol('cdktf-ci.replacedResolve');

/** cdktf's private resolve module, as the app's cdktf loaded it (resolved from here, as `import 'cdktf'` is). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const resolveModule = (): ResolveModule => require('cdktf/lib/tokens/private/resolve') as ResolveModule;

/** The paths below `cdktf/lib/` whose exports the port calls, as cdktf's own resolve does. */
interface CdktfInternals {
  readonly encoding: any;
  readonly tokenMap: any;
  readonly token: any;
  readonly resolvable: any;
  readonly errors: any;
}

/**
 * Makes cdktf's token resolution several times cheaper, for the rest of the
 * process (or Jest test file), with the same results and the same errors.
 *
 * cdktf resolves every value of every resource twice during a synth (once to
 * prepare the stack, once to write it), and its resolver builds, for every
 * value it visits, a path array, the path's string (kept only for an error
 * message), a context object with two closures and a copy of its options: at
 * fleet sizes, most of the time spent resolving (bench/results/). This
 * replaces, in memory (cdktf's files on disk are untouched), the `resolve`
 * function of cdktf's private resolve module with a port of the same function
 * that walks plain values on one shared path, builds a context only where a
 * token can receive it, words an error's path only when it throws, and tests a
 * string with a token pattern only when the string holds that pattern's marker.
 * Every token, resolver, post-processor and error is cdktf's own.
 *
 * It is installed only on the releases it ports, cdktf 0.21.0 and cdktn 0.24.0 (any
 * other keeps its own resolve). `__tests__/app/speedups/token-resolution.test.ts` resolves each kind
 * of token, escape, context flag and error both ways and compares all a caller
 * or a token can see; the golden copies, written with cdktf's own resolve,
 * check every stack the app synthesizes. Calling it again changes nothing.
 *
 * @returns whether the port now resolves tokens (false on any other release)
 */
export function useFastTokenResolution(): boolean {
  let resolving: ResolveModule;
  let internals: CdktfInternals;
  try {
    // The same module instances the app's cdktf loaded: resolved from here, as `import 'cdktf'` is.
    /* eslint-disable @typescript-eslint/no-require-imports */
    const core = loadedCore();
    if (PORTED_RELEASES[core.name] !== core.version) return false;
    resolving = resolveModule();
    internals = {
      encoding: require('cdktf/lib/tokens/private/encoding'),
      tokenMap: require('cdktf/lib/tokens/private/token-map'),
      token: require('cdktf/lib/tokens/token'),
      resolvable: require('cdktf/lib/tokens/resolvable'),
      errors: require('cdktf/lib/errors'),
    };
    /* eslint-enable @typescript-eslint/no-require-imports */
  } catch {
    return false;
  }
  const own = resolving.resolve;
  if (typeof own !== 'function') return false;
  if (own[REPLACED]) return true;
  const port = portedResolve(new PortedCdktf(internals));
  port[REPLACED] = own;
  resolving.resolve = port;
  return true;
}

/** Gives cdktf back its own resolve, when `useFastTokenResolution` replaced it. */
export function useCdktfOwnResolve(): void {
  const resolving = resolveModule();
  resolving.resolve = resolving.resolve[REPLACED] ?? resolving.resolve;
}

/** Whether the port resolves tokens now. */
export const isFastTokenResolutionInUse = (): boolean => resolveModule().resolve[REPLACED] !== undefined;

/** The parts of cdktf the port calls, each the very function or class cdktf's own resolve calls. */
class PortedCdktf {
  readonly TokenString: any;
  readonly containsStringListTokenElement: (xs: unknown[]) => boolean;
  readonly containsNumberListTokenElement: (xs: unknown[]) => boolean;
  readonly containsMapToken: (xs: object) => boolean;
  readonly stringTokenMarker: string;
  readonly listTokenMarker: string;
  readonly mapTokenMarker: string;
  readonly Token: any;
  readonly Tokenization: any;
  readonly StringConcat: new () => unknown;
  readonly errors: any;
  private readonly TokenMap: any;

  constructor({ encoding, token, tokenMap, resolvable, errors }: CdktfInternals) {
    this.TokenString = encoding.TokenString;
    this.containsStringListTokenElement = encoding.containsStringListTokenElement;
    this.containsNumberListTokenElement = encoding.containsNumberListTokenElement;
    this.containsMapToken = encoding.containsMapToken;
    this.stringTokenMarker = encoding.BEGIN_STRING_TOKEN_MARKER;
    this.listTokenMarker = encoding.BEGIN_LIST_TOKEN_MARKER;
    this.mapTokenMarker = encoding.BEGIN_MAP_TOKEN_MARKER;
    this.Token = token.Token;
    this.Tokenization = token.Tokenization;
    this.TokenMap = tokenMap.TokenMap;
    this.StringConcat = resolvable.StringConcat;
    this.errors = errors;
  }

  readonly lookupToken = (key: string): unknown => this.TokenMap.instance().lookupToken(key);
  readonly lookupNumberToken = (value: number): unknown => this.TokenMap.instance().lookupNumberToken(value);
  readonly lookupNumberTokenOfText = (id: string): unknown => this.lookupNumberToken(parseFloat(id));
}

/**
 * cdktf 0.21.0's `resolve` (lib/tokens/private/resolve.ts), ported: the same
 * checks in the same order, the same calls to cdktf's resolver, token map and
 * errors, and contexts whose flags are read from the enclosing context when
 * they are made, as cdktf's are.
 */
function portedResolve(cdktf: PortedCdktf): ResolveFunction {
  return (obj, options) =>
    new Resolution(
      cdktf,
      { scope: options.scope, preparing: options.preparing, resolver: options.resolver },
      [...(options.prefix || [])],
      options.previousContext,
    ).value(obj);
}

/** A number in a string that cdktf's number-token pattern can match has an "e" (an encoded double's exponent). */
const NUMBER_TOKEN_LETTER = 'e';

/**
 * One resolution: the options, the path walked so far (pushed and popped as
 * plain objects and arrays are entered and left), and the context whose
 * `resolve` started it, if any. A context's `resolve` starts a new one on a
 * copy of its path, so a token that catches an error never sees a path left
 * half-walked.
 */
class Resolution {
  constructor(
    private readonly cdktf: PortedCdktf,
    private readonly options: ResolveOptions,
    private readonly path: string[],
    private readonly previousContext: ResolveContext | undefined,
  ) {}

  value(obj: any): unknown {
    // Protect against cyclic references by limiting depth.
    if (this.path.length > 200) throw this.cdktf.errors.unableToResolveCircularReference(this.pathName());
    if (typeof obj === 'undefined') return undefined;
    if (obj === null) return null;
    switch (typeof obj) {
      case 'function':
        throw this.cdktf.errors.cannotResolveFunction(this.pathName(), obj);
      case 'string':
        return this.string(obj);
      case 'number':
        return this.number(obj);
      case 'object':
        if (obj instanceof Date) return obj;
        return Array.isArray(obj) ? this.array(obj) : this.object(obj);
      default:
        return obj;
    }
  }

  private string(obj: string): unknown {
    const { cdktf } = this;
    // A "list element" token never occurs by itself in string context.
    if (obj.includes(cdktf.listTokenMarker) && cdktf.TokenString.forListToken(obj).test()) {
      throw cdktf.errors.encodedListTokenInScalarStringContext();
    }
    if (obj === cdktf.Token.STRING_MAP_TOKEN_VALUE || obj === cdktf.Token.ANY_MAP_TOKEN_VALUE) {
      throw cdktf.errors.encodedMapTokenInScalarStringContext();
    }
    let str: any = obj;
    if (obj.includes(cdktf.stringTokenMarker)) {
      const previous = this.previousContext;
      const tokenString = cdktf.TokenString.forString(str, !previous?.ignoreEscapes, previous?.warnEscapes);
      if (tokenString.test()) {
        str = this.options.resolver.resolveString(tokenString.split(cdktf.lookupToken), this.context());
      }
    }
    // Concatenated token numbers.
    if (typeof str !== 'string' || str.includes(NUMBER_TOKEN_LETTER)) {
      const numberString = cdktf.TokenString.forNumbers(str);
      if (numberString.test()) {
        str = numberString
          .split(cdktf.lookupNumberTokenOfText)
          .mapTokens(this.context())
          .join(new cdktf.StringConcat());
      }
    }
    return str;
  }

  private number(obj: number): unknown {
    if (obj === this.cdktf.Token.NUMBER_MAP_TOKEN_VALUE) throw this.cdktf.errors.encodedMapTokenInScalarNumberContext();
    const token = this.cdktf.lookupNumberToken(obj);
    return token === undefined ? obj : this.context().resolve(token);
  }

  private array(obj: unknown[]): unknown {
    const { cdktf } = this;
    let hasListMarker = false;
    let hasNumber = false;
    for (const x of obj) {
      if (typeof x === 'string') hasListMarker ||= x.includes(cdktf.listTokenMarker);
      else if (typeof x === 'number') hasNumber = true;
    }
    if (hasListMarker && cdktf.containsStringListTokenElement(obj)) {
      return this.options.resolver.resolveList(obj, this.context());
    }
    if (hasNumber && cdktf.containsNumberListTokenElement(obj)) {
      return this.options.resolver.resolveNumberList(obj, this.context());
    }
    const path = this.path;
    const resolved: unknown[] = [];
    // A hole in the array reads as undefined, and is left out as cdktf's map and filter leave it out.
    for (let index = 0, length = obj.length; index < length; index++) {
      path.push(`${index}`);
      const value = this.value(obj[index]);
      path.pop();
      if (typeof value !== 'undefined') resolved.push(value);
    }
    return resolved;
  }

  private object(obj: any): unknown {
    const { cdktf } = this;
    const keys = Object.keys(obj);
    if (keys.some((key) => key.includes(cdktf.mapTokenMarker)) && cdktf.containsMapToken(obj)) {
      return this.options.resolver.resolveMap(obj, this.context());
    }
    if (cdktf.Tokenization.isResolvable(obj)) {
      const [context, postProcessor] = this.contextAndPostProcessor();
      return this.options.resolver.resolveToken(obj, context, postProcessor);
    }
    // A Construct here is a mistake, and resolving its parent <-> children would never end.
    if (obj._children !== undefined && obj._metadata !== undefined) {
      throw cdktf.errors.constructsCannotBeResolved(this.pathName());
    }
    const path = this.path;
    const result: Record<string, unknown> = {};
    for (const key of keys) {
      const resolvedKey = this.value(key);
      if (typeof resolvedKey !== 'string')
        throw cdktf.errors.mapKeyMustResolveToString(this.pathName(), key, resolvedKey);
      path.push(key);
      const value = this.value(obj[key]);
      path.pop();
      if (typeof value === 'undefined') continue;
      result[resolvedKey] = value;
    }
    return result;
  }

  /** A context at this path, as cdktf makes one: its flags copied from the enclosing context now. */
  private context(): ResolveContext {
    return this.contextAndPostProcessor()[0];
  }

  /** A context, and the post-processor that applies what a token registers on it (cdktf's `makeContext`). */
  private contextAndPostProcessor(): [ResolveContext, { postProcess(x: unknown): unknown }] {
    const { cdktf, options, previousContext } = this;
    const prefix = this.path.slice();
    let postProcessor: PostProcessor | undefined;
    const context: ResolveContext = {
      preparing: options.preparing,
      scope: options.scope,
      suppressBraces: previousContext?.suppressBraces,
      ignoreEscapes: previousContext?.ignoreEscapes,
      warnEscapes: previousContext?.warnEscapes,
      iteratorContext: previousContext?.iteratorContext,
      registerPostProcessor(registered) {
        postProcessor = registered;
      },
      resolve(x) {
        return new Resolution(cdktf, options, prefix.slice(), context).value(x);
      },
    };
    return [context, { postProcess: (x) => (postProcessor ? postProcessor.postProcess(x, context) : x) }];
  }

  private pathName(): string {
    return '/' + this.path.join('/');
  }
}
