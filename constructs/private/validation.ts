/**
 * The helpers every construct's validation is written with: each returns the problems of a prop as a list (none or
 * some), so a construct reports every problem at once in one {@link PropValidationError}.
 */
import { IConstruct } from 'constructs';
import { PropProblem, PropValidationError } from '../core/validation';

/** A rule about one value: `undefined` when the value is allowed, or a sentence that says what is allowed. */
export type Check<T> = (value: T) => string | undefined;

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

/**
 * Like {@link checkOptionalProp}, for each entry of an optional list prop, named by its index (`codeOwners[1]`); a
 * value that is not a list is one problem.
 */
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

/**
 * The problems of nested props, with their paths under `prefix` (`build` + `timeoutMinutes` → `build.timeoutMinutes`).
 */
export function nestedProblems(prefix: string, problems: readonly PropProblem[]): PropProblem[] {
  return problems.map((problem) => ({ ...problem, prop: `${prefix}.${problem.prop}` }));
}
