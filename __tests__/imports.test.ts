import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const SKIP = new Set(['node_modules', 'cdktf.out', 'dist', '.git', '.gen', 'coverage']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (SKIP.has(entry)) return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|js|mjs|cjs)$/.test(entry) ? [path] : [];
  });
}

/** An import or require of a provider package's root, which loads every resource class it has. */
const ROOT_PROVIDER_IMPORT = /(?:from\s+|require\(\s*|import\(\s*)['"]@cdktf\/provider-[a-z0-9-]+['"]/;

describe('provider imports', () => {
  test('the pattern catches root imports and allows deep ones', () => {
    // Built from parts so that this file itself holds no root import for greps to flag.
    const aws = ['@cdktf', 'provider-aws'].join('/');
    const github = ['@cdktf', 'provider-github'].join('/');
    expect(ROOT_PROVIDER_IMPORT.test(`import { CodebuildProject } from '${aws}';`)).toBe(true);
    expect(ROOT_PROVIDER_IMPORT.test(`const aws = require("${aws}")`)).toBe(true);
    expect(ROOT_PROVIDER_IMPORT.test(`import * as github from '${github}';`)).toBe(true);
    expect(ROOT_PROVIDER_IMPORT.test(`import { CodebuildProject } from '${aws}/lib/codebuild-project';`)).toBe(false);
  });

  test('no source file imports a provider package from its root', () => {
    const files = sourceFiles(ROOT);
    expect(files.length).toBeGreaterThan(20);
    const offenders = files
            .filter((file) => ROOT_PROVIDER_IMPORT.test(readFileSync(file, 'utf8')))
      .map((file) => relative(ROOT, file));
    expect(offenders).toEqual([]);
  });
});
