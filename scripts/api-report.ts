/**
 * The API reports (`api/*.api.md`): what each entry point of the package makes public, written by API Extractor from
 * the compiled declarations (`npm run build:lib` first).
 *
 *   npm run api          rewrites the reports after a deliberate change of the public API: commit them with it
 *   npm run api:check    (CI) fails when the API differs from the committed reports
 */
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './app-command';

/** One API Extractor configuration per entry point in package.json's `exports`. */
export const API_CONFIGS = readdirSync(join(PROJECT_ROOT, 'api'))
  .filter((file) => file.endsWith('.json'))
  .map((file) => join(PROJECT_ROOT, 'api', file));

/** Runs every configuration; returns the entry points whose report differs (check) or has problems. */
export function runApiReports(check: boolean): string[] {
  const failed: string[] = [];
  for (const configPath of API_CONFIGS) {
    const config = ExtractorConfig.loadFileAndPrepare(configPath);
    const result = Extractor.invoke(config, { localBuild: !check, showVerboseMessages: false });
    if (!result.succeeded || result.warningCount > 0) failed.push(config.mainEntryPointFilePath);
  }
  return failed;
}

if (require.main === module) {
  const check = process.argv.includes('--check');
  const failed = runApiReports(check);
  if (failed.length > 0) {
    process.stderr.write(
      `The public API differs from api/*.api.md, or API Extractor warned, for: ${failed.join(', ')}.\n` +
        'If the change is deliberate, run `npm run api` and commit the reports with it.\n',
    );
    process.exitCode = 1;
  }
}
