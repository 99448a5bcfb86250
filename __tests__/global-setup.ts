/** Jest's globalSetup for `npm test`: the run's temporary directory, then the sample app's Python. */
import prepareSampleAppPython from '../scripts/sample-app-python';
import useRunTemporaryDirectory from './temporary-directory';

export default function globalSetup(): void {
  useRunTemporaryDirectory();
  prepareSampleAppPython();
}
