import { SpeedupsSwitchError, useSpeedups, withoutSpeedups } from '../../../app/speedups';
import { isFastTokenResolutionInUse } from '../../../app/speedups/token-resolution';
import { areTokenStackTracesSkipped } from '../../../app/speedups/token-stack-traces';

const inUse = () => ({
  fastTokenResolution: isFastTokenResolutionInUse(),
  tokenStackTracesSkipped: areTokenStackTracesSkipped(),
});

// The Jest setup installed them, as the app does at start.
describe('useSpeedups: the one switch, CI_PIPELINES_SPEEDUPS', () => {
  test('unset or "on": both speedups are in use', () => {
    expect(inUse()).toEqual({ fastTokenResolution: true, tokenStackTracesSkipped: true });
    expect(useSpeedups({ CI_PIPELINES_SPEEDUPS: 'on' })).toEqual(inUse());
  });

  test('"off": cdktf runs as installed', () => {
    withoutSpeedups(() => {
      expect(useSpeedups({ CI_PIPELINES_SPEEDUPS: 'off' })).toEqual({
        fastTokenResolution: false,
        tokenStackTracesSkipped: false,
      });
      expect(inUse()).toEqual({ fastTokenResolution: false, tokenStackTracesSkipped: false });
    });
    expect(inUse()).toEqual({ fastTokenResolution: true, tokenStackTracesSkipped: true });
  });

  test('any other value is refused, naming the variable, the value and what is allowed', () => {
    expect(() => useSpeedups({ CI_PIPELINES_SPEEDUPS: 'false' })).toThrow(SpeedupsSwitchError);
    expect(() => useSpeedups({ CI_PIPELINES_SPEEDUPS: 'false' })).toThrow(
      'CI_PIPELINES_SPEEDUPS: got "false"; must be "on" or "off" (unset means "on")',
    );
  });
});
