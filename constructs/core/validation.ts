/**
 * How constructs report a user's mistakes: every construct validates its props with a pure function that returns
 * every problem at once (the prop, the value given, what is allowed), and throws one {@link PropValidationError} that
 * names the construct and its path. The configuration schema calls the same functions, so a rule is written once.
 */
import { IConstruct } from 'constructs';

/** One prop that breaks a rule. */
export interface PropProblem {
  /** The prop's path in the props, e.g. `github.branch` or `build.timeoutMinutes`. */
  readonly prop: string;
  /** The value given. */
  readonly value: unknown;
  /** What is allowed, as a sentence. */
  readonly allowed: string;
}

/** Thrown by a construct whose props break its rules: one line per problem, each naming the construct's path. */
export class PropValidationError extends Error {
  /** The path of the construct (or, for a static factory, of its scope) in the construct tree. */
  public readonly constructPath: string;

  /**
   * @param construct the construct's class (and method, for a factory), e.g. `CiPipeline` or `EncryptionKey.fromKeyArn`
   * @param scope the construct, or a factory's scope
   * @param problems what is wrong, at least one
   */
  constructor(
    construct: string,
    scope: IConstruct,
    public readonly problems: readonly PropProblem[],
  ) {
    const where = `${construct} at ${scope.node.path || '(app root)'}`;
    super(
      problems
        .map(
          (problem) => `${where}: invalid prop "${problem.prop}" = ${describeValue(problem.value)}: ${problem.allowed}`,
        )
        .join('\n'),
    );
    this.name = 'PropValidationError';
    this.constructPath = scope.node.path;
  }
}

/** Renders a user's value for an error message, quoting strings and bounding length. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  // JSON writes them as null; a number too large for a double (1e400) is parsed as Infinity.
  if (typeof value === 'number' && !Number.isFinite(value)) return `${value} (a number too large to hold)`;
  const text = (JSON.stringify(value) ?? String(value)).replace(INVISIBLE, escapeCharacter);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * Characters a terminal shows as nothing, which JSON.stringify leaves as they are: DEL and the C1 controls, the soft
 * hyphen, zero-width and direction marks, separators and the byte-order mark. A value shows them escaped, so that
 * "main" followed by one does not read as "main".
 */
const INVISIBLE = /[\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]/g;
const escapeCharacter = (character: string) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
