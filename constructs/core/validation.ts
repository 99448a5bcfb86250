/**
 * How constructs report a user's mistakes: every construct validates its props
 * with a pure function that returns every problem at once (the prop, the value
 * given, what is allowed), and throws one {@link PropValidationError} that
 * names the construct and its path. The configuration schema calls the same
 * functions, so a rule is written once.
 *
 * The rules about single values are the named checks in `checks.ts`.
 */
import { IConstruct } from 'constructs';

/** A rule about one value: `undefined` when the value is allowed, or a sentence that says what is allowed. */
export type Check<T> = (value: T) => string | undefined;

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

/** Throws {@link PropValidationError} when `problems` is not empty. */
export function throwIfInvalid(construct: string, scope: IConstruct, problems: readonly PropProblem[]): void {
  if (problems.length > 0) throw new PropValidationError(construct, scope, problems);
}

/** The problem `check` finds with a prop, as a list of none or one. */
export function checkProp<T>(prop: string, value: T, check: Check<T>): PropProblem[] {
  const allowed = check(value);
  return allowed === undefined ? [] : [{ prop, value, allowed }];
}

/** Like {@link checkProp}, for an optional prop: nothing is wrong with leaving it out. */
export function checkOptionalProp<T>(prop: string, value: T | undefined, check: Check<T>): PropProblem[] {
  return value === undefined ? [] : checkProp(prop, value, check);
}

/** Like {@link checkOptionalProp}, for each entry of an optional list prop, named by its index (`codeOwners[1]`); a value that is not a list is one problem. */
export function checkOptionalList<T>(prop: string, values: readonly T[] | undefined, check: Check<T>): PropProblem[] {
  if (values === undefined) return [];
  if (!Array.isArray(values)) return [{ prop, value: values, allowed: 'must be a list' }];
  return values.flatMap((value, index) => checkProp(`${prop}[${index}]`, value, check));
}

/** A rule across props: `allowed` is reported for `prop` when `broken` holds. */
export function crossPropProblem(broken: boolean, prop: string, value: unknown, allowed: string): PropProblem[] {
  return broken ? [{ prop, value, allowed }] : [];
}

/**
 * The problem with a name the construct derives from a prop (a role name from a
 * project name), reported at the prop, since that is what the user wrote.
 */
export function checkDerivedName(
  prop: string,
  value: unknown,
  what: string,
  derived: string,
  check: Check<string>,
): PropProblem[] {
  const allowed = check(derived);
  return allowed === undefined ? [] : [{ prop, value, allowed: `gives the ${what} "${derived}", which ${allowed}` }];
}

/** The problems of nested props, with their paths under `prefix` (`build` + `timeoutMinutes` → `build.timeoutMinutes`). */
export function nestedProblems(prefix: string, problems: readonly PropProblem[]): PropProblem[] {
  return problems.map((problem) => ({ ...problem, prop: `${prefix}.${problem.prop}` }));
}

/** Renders a user's value for an error message, quoting strings and bounding length. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
