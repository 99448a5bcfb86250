import { Construct } from 'constructs';
import { checkConcurrentBuildLimit } from '../../../constructs/aws/build-project';
import {
  checkOptionalProp,
  checkProp,
  crossPropProblem,
  nestedProblems,
  throwIfInvalid,
} from '../../../constructs/private/validation';
import { describeValue, PropValidationError } from '../../../constructs/core/validation';
import { testApp } from '../../helpers';

describe('prop validation', () => {
  const construct = new Construct(new Construct(testApp(), 'stack'), 'ci');

  test('checkProp reports the prop, the value and what is allowed; checkOptionalProp lets a missing prop pass', () => {
    expect(checkProp('concurrentBuildLimit', 0, checkConcurrentBuildLimit)).toEqual([
      { prop: 'concurrentBuildLimit', value: 0, allowed: 'must be an integer >= 1' },
    ]);
    expect(checkProp('concurrentBuildLimit', 2, checkConcurrentBuildLimit)).toEqual([]);
    expect(checkOptionalProp('concurrentBuildLimit', undefined, checkConcurrentBuildLimit)).toEqual([]);
    expect(checkOptionalProp('concurrentBuildLimit', 0, checkConcurrentBuildLimit)).toHaveLength(1);
  });

  test('cross-prop rules and nested props', () => {
    expect(crossPropProblem(false, 'a', 1, 'x')).toEqual([]);
    expect(nestedProblems('build', crossPropProblem(true, 'timeoutMinutes', 1, 'too short'))).toEqual([
      { prop: 'build.timeoutMinutes', value: 1, allowed: 'too short' },
    ]);
  });

  test('PropValidationError names the construct, its path, every prop, value and rule', () => {
    const problems = [
      ...checkProp('concurrentBuildLimit', 0, checkConcurrentBuildLimit),
      ...crossPropProblem(true, 'name', 'x', 'must be longer'),
    ];
    const error = new PropValidationError('BuildProject', construct, problems);
    expect(error.message).toBe(
      'BuildProject at stack/ci: invalid prop "concurrentBuildLimit" = 0: must be an integer >= 1\n' +
        'BuildProject at stack/ci: invalid prop "name" = "x": must be longer',
    );
    expect(error.constructPath).toBe('stack/ci');
    expect(error.problems).toBe(problems);
    expect(error.name).toBe('PropValidationError');
  });

  test('throwIfInvalid throws only when there is a problem', () => {
    expect(() => throwIfInvalid('X', construct, [])).not.toThrow();
    expect(() => throwIfInvalid('X', construct, crossPropProblem(true, 'p', 0, 'no'))).toThrow(PropValidationError);
  });

  test('describeValue quotes strings and bounds long values', () => {
    expect(describeValue('x')).toBe('"x"');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue('a'.repeat(200))).toHaveLength(80);
  });
});
