/**
 * The pure helpers of `npm run bench -- --peers`: when a peer's install is
 * current, how a failure reads in one line, and what is counted in an AWS CDK
 * cloud assembly. The benchmark itself runs for minutes and is run by hand.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../scripts/app-command';
import { countResources, RunFailure } from '../scripts/bench-measure';
import { installMatchesLockfile } from '../scripts/bench-peers';

describe('installMatchesLockfile', () => {
  const lockfile = {
    packages: {
      '': { name: 'peer', dependencies: { a: '1.0.0' } },
      'node_modules/a': { version: '1.0.0', integrity: 'sha512-a' },
      'node_modules/fsevents': { version: '2.3.3', integrity: 'sha512-f', optional: true, os: ['darwin'] },
    },
  };

  test('GIVEN what npm recorded at install WHEN it is the lockfile less the root and a skipped optional package THEN the install is current', () => {
    expect(
      installMatchesLockfile(lockfile, { packages: { 'node_modules/a': { version: '1.0.0', integrity: 'sha512-a' } } }),
    ).toBe(true);
  });

  test("GIVEN npm's record with flags it computed as it installed (`dev`, `peer`), which the lockfile lacks THEN the install is current", () => {
    expect(
      installMatchesLockfile(lockfile, {
        packages: { 'node_modules/a': { version: '1.0.0', integrity: 'sha512-a', dev: true, peer: true } },
      }),
    ).toBe(true);
  });

  test('GIVEN a package of another version, a package missing, or no record THEN the peer is installed again', () => {
    expect(
      installMatchesLockfile(lockfile, {
        packages: { 'node_modules/a': { version: '0.9.0', integrity: 'sha512-old' } },
      }),
    ).toBe(false);
    expect(installMatchesLockfile(lockfile, { packages: {} })).toBe(false);
    expect(
      installMatchesLockfile(lockfile, {
        packages: {
          'node_modules/a': { version: '1.0.0', integrity: 'sha512-a' },
          'node_modules/b': { version: '1.0.0' },
        },
      }),
    ).toBe(false);
  });
});

describe('RunFailure.oneLine', () => {
  test('names the peer, the command, its directory, the exit and the last line of output', () => {
    const failure = new RunFailure(
      'AWS CDK peer',
      'npm ci --no-audit --no-fund',
      join(PROJECT_ROOT, 'bench', 'peers', 'aws-cdk'),
      'exit 1',
      'npm error code E404\nnpm error 404 Not Found\n\n',
    );
    expect(failure.oneLine()).toBe(
      'AWS CDK peer: `npm ci --no-audit --no-fund` in bench/peers/aws-cdk failed (exit 1): npm error 404 Not Found',
    );
    expect(failure.oneLine()).not.toContain('\n');
  });

  test("prefers the error a Node process threw to Node's version line after it", () => {
    const output =
      "node:internal/modules/cjs/loader:1228\n  throw err;\n  ^\n\nError: Cannot find module '/peer/app.js'\n    at Module._resolveFilename\n\nNode.js v20.20.2\n";
    const failure = new RunFailure(
      'AWS CDK peer',
      'node app.js',
      join(PROJECT_ROOT, 'bench', 'peers', 'aws-cdk'),
      'exit 1',
      output,
    );
    expect(failure.oneLine()).toBe(
      "AWS CDK peer: `node app.js` in bench/peers/aws-cdk failed (exit 1): Error: Cannot find module '/peer/app.js'",
    );
  });
});

describe('countResources', () => {
  let outdir: string;
  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'bench-peers-test-'));
    const manifest = {
      artifacts: {
        'state-bootstrap': {
          type: 'aws:cloudformation:stack',
          properties: { templateFile: 'state-bootstrap.template.json' },
        },
        'state-bootstrap.assets': { type: 'cdk:asset-manifest', properties: { file: 'state-bootstrap.assets.json' } },
        Tree: { type: 'cdk:tree', properties: { file: 'tree.json' } },
      },
    };
    writeFileSync(join(outdir, 'manifest.json'), JSON.stringify(manifest));
    writeFileSync(
      join(outdir, 'state-bootstrap.template.json'),
      JSON.stringify({ Resources: { Key: {}, Bucket: {}, BucketPolicy: {} } }),
    );
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  test('GIVEN an AWS CDK cloud assembly THEN it counts its stacks and their CloudFormation resources', () => {
    expect(countResources(outdir)).toEqual({ stacks: 1, resources: 3 });
  });
});
