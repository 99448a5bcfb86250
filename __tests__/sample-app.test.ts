/**
 * The sample app's own unittest suite (`sample-flask-app/tests`), as one test of
 * `npm test`: it runs beside the other test files instead of after them all.
 * `npm run test:app` runs it alone, test by test.
 */
import { spawnSync } from 'node:child_process';
import { APP_DIR, sampleAppPython } from '../scripts/sample-app-python';

test("the sample app's unittest suite runs and passes", () => {
  // The environment built from the hashed requirements, or a Python with Flask; else this fails saying what to install.
  const python = sampleAppPython();
  const result = spawnSync(python, ['-m', 'unittest', 'discover', '-s', 'tests'], { cwd: APP_DIR, encoding: 'utf8' });
  // unittest reports on stderr; on a failure, the whole report is the difference shown.
  expect({ status: result.status, report: result.stderr }).toEqual({
    status: 0,
    report: expect.stringMatching(/^Ran [1-9]\d* tests? in [\d.]+s\n\nOK\n$/m),
  });
});
