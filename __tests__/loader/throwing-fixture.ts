import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../scripts/app-command';

/** The fixture app whose construct throws while tokens are created (with token stack traces skipped, as the app runs). */
export const THROWING_FIXTURE = join(PROJECT_ROOT, '__tests__', 'fixtures', 'loader', 'throws-in-construct.ts');

/** Asserts that a run's trace names the fixture's marked TypeScript lines: the throw in `Widget`, and the line that calls it. */
export function expectTraceAtFixtureLines(stderr: string): void {
  const lines = readFileSync(THROWING_FIXTURE, 'utf8').split('\n');
  const lineOf = (marker: string) => lines.findIndex((line) => line.endsWith(marker)) + 1;
  expect(stderr).toContain('RangeError: size must be at least 0, got -1');
  expect(stderr).toMatch(new RegExp(`at new Widget \\(${THROWING_FIXTURE}:${lineOf('// THROWS')}:\\d+\\)`));
  expect(stderr).toContain(`${THROWING_FIXTURE}:${lineOf('// CALLS')}:1`);
}
