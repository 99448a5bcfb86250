/**
 * Jest's globalSetup for the opt-in suites, and part of the default one: every temporary file of a test run goes under
 * one directory, removed when the run ends ({@link removeRunTemporaryDirectory}, the globalTeardown). `os.tmpdir()`
 * reads `TMPDIR`, so the tests' own `mkdtemp`s, each `Testing.synth` of cdktf (a `cdktf.outdir.*` per call) and the
 * processes the tests start all write there, and the workers inherit it, being started after this runs. Without it,
 * each `npm test` left about 470 directories (35 MB) in the machine's temporary directory, for good.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Names the run's directory to the globalTeardown, which runs in the same process. */
const RUN_DIRECTORY = 'CI_PIPELINES_TEST_RUN_TMPDIR';

export default function useRunTemporaryDirectory(): void {
  const directory = mkdtempSync(join(tmpdir(), 'ci-pipelines-test-run-'));
  process.env[RUN_DIRECTORY] = directory;
  process.env.TMPDIR = directory;
}

/** Jest's globalTeardown. A run stopped before it (Ctrl-C) leaves its one directory. */
export function removeRunTemporaryDirectory(): void {
  const directory = process.env[RUN_DIRECTORY];
  if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
}
