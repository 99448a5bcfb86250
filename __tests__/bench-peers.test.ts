/**
 * The helpers of `npm run bench -- --peers` and what it shares with `npm run bench`: when a peer's install is
 * current, how a failure reads in one line, what is counted in an AWS CDK cloud assembly, how rows are measured in
 * rounds, how a ratio reads, the speedups switch, and `npm test`'s row and target. The benchmark itself runs for
 * minutes and is run by hand.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../scripts/app-command';
import {
  cleanEnv,
  countResources,
  MeasurableRow,
  Measured,
  measureInterleaved,
  measureOnce,
  ourSynth,
  ratioCell,
  RunFailure,
  Sample,
  SPEEDUPS_OFF,
} from '../scripts/bench-measure';
import { formatPeerTable, installMatchesLockfile, npmTestPeerRow, PeerRow } from '../scripts/bench-peers';

describe('installMatchesLockfile', () => {
  const lockfile = {
    packages: {
      '': { name: 'peer', dependencies: { a: '1.0.0' } },
      'node_modules/a': { version: '1.0.0', integrity: 'sha512-a' },
      'node_modules/fsevents': { version: '2.3.3', integrity: 'sha512-f', optional: true, os: ['darwin'] },
    },
  };

  test("GIVEN npm's record WHEN it is the lockfile less its root and a skipped optional package THEN current", () => {
    expect(
      installMatchesLockfile(lockfile, { packages: { 'node_modules/a': { version: '1.0.0', integrity: 'sha512-a' } } }),
    ).toBe(true);
  });

  test("GIVEN npm's record with flags it computed (`dev`, `peer`) that the lockfile lacks THEN current", () => {
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
    const output = [
      'node:internal/modules/cjs/loader:1228',
      '  throw err;',
      '  ^',
      '',
      "Error: Cannot find module '/peer/app.js'",
      '    at Module._resolveFilename',
      '',
      'Node.js v20.20.2',
      '',
    ].join('\n');
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

describe('measureOnce', () => {
  let workDir: string;
  beforeAll(() => {
    workDir = mkdtempSync(join(tmpdir(), 'bench-once-test-'));
  });
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));
  const failingJest = {
    command: process.execPath,
    args: [
      '-e',
      "console.error('FAIL __tests__/a.test.ts\\nFAIL __tests__/a.test.ts\\nTests: 1 failed'); process.exit(1)",
    ],
  };

  test('GIVEN a run that exits non-zero THEN it throws a RunFailure', () => {
    expect(() => measureOnce('npm test', failingJest, workDir)).toThrow(RunFailure);
  });

  test("GIVEN a row whose runs may fail THEN the sample keeps its time and why: Jest's summary, its files", () => {
    const sample = measureOnce('npm test', failingJest, workDir, true);
    expect(sample.wallMs).toBeGreaterThan(0);
    expect(sample.failure).toMatch(/^`.+` failed \(exit 1\): Tests: 1 failed; failed: __tests__\/a\.test\.ts$/);
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

/** A measured row of `figures` (wall seconds, peak MB per run), as the benchmark would have measured it. */
function measured<Row>(row: Row, figures: readonly (readonly [seconds: number, mb: number])[]): Measured<Row> {
  const samples: Sample[] = figures.map(([seconds, mb], index) => ({
    wallMs: seconds * 1000,
    peakRssMb: mb,
    peakProcess: `worker ${index}`,
  }));
  const sorted = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return {
    row,
    samples,
    medianWallMs: sorted(samples.map((sample) => sample.wallMs)),
    medianPeakRssMb: sorted(samples.map((sample) => sample.peakRssMb)),
    anomalies: [],
  };
}

describe('measureInterleaved', () => {
  let workDir: string;
  let measuredRows: Measured<MeasurableRow & { name: string }>[];
  const order: string[] = [];
  beforeAll(() => {
    // Each row's summary line goes to stderr; the test reads what the rows hold instead.
    jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    workDir = mkdtempSync(join(tmpdir(), 'bench-interleaved-test-'));
    const row = (name: string, runs: number, after?: () => string | undefined) => ({
      name,
      runs,
      run: () => ({ command: process.execPath, args: ['-e', ''] }),
      before: () => order.push(name),
      after,
      countsResources: false,
    });
    let bRuns = 0;
    const bAfter = () => (++bRuns === 2 ? 'the bundle was not rebuilt' : undefined);
    measuredRows = measureInterleaved([row('a', 3), row('b', 2, bAfter)], workDir, (r) => r.name);
  });
  afterAll(() => {
    jest.restoreAllMocks();
    rmSync(workDir, { recursive: true, force: true });
  });

  test('GIVEN two rows of 3 and 2 runs THEN it runs them a round at a time, each before its own hook', () => {
    expect(order).toEqual(['a', 'b', 'a', 'b', 'a']);
    expect(measuredRows.map((row) => row.samples.length)).toEqual([3, 2]);
    expect(measuredRows[0].samples[0].peakRssMb).toBeGreaterThan(1);
  });

  test('GIVEN a run whose check says it measured something else THEN the row keeps it as an anomaly, by run', () => {
    expect(measuredRows[0].anomalies).toEqual([]);
    expect(measuredRows[1].anomalies).toEqual(['b, run 2: the bundle was not rebuilt']);
  });
});

describe('the speedups switch in the runs', () => {
  test('GIVEN CI_PIPELINES_SPEEDUPS in the environment THEN a run drops it, a speedups-off run sets it', () => {
    const saved = process.env.CI_PIPELINES_SPEEDUPS;
    process.env.CI_PIPELINES_SPEEDUPS = 'off';
    try {
      expect(cleanEnv({}).CI_PIPELINES_SPEEDUPS).toBeUndefined();
      expect(ourSynth('/unused')('/out').env).not.toHaveProperty('CI_PIPELINES_SPEEDUPS');
      expect(ourSynth('/unused', undefined, SPEEDUPS_OFF)('/out').env).toMatchObject({
        CI_PIPELINES_SPEEDUPS: 'off',
        CDKTF_OUTDIR: '/out',
      });
    } finally {
      if (saved === undefined) delete process.env.CI_PIPELINES_SPEEDUPS;
      else process.env.CI_PIPELINES_SPEEDUPS = saved;
    }
  });
});

describe('ratioCell', () => {
  test('reads as the ratio of the medians and their difference, signed', () => {
    const base = measured({}, [[0.3, 80]]);
    expect(ratioCell('off / on', measured({}, [[0.6, 90]]), base)).toBe('off / on = 2.00× (+0.30 s)');
    expect(ratioCell('x / y', measured({}, [[0.15, 90]]), base)).toBe('x / y = 0.50× (−0.15 s)');
    expect(ratioCell('x / y', measured({}, [[6, 90]]), base)).toBe('x / y = 20.0× (+5.70 s)');
  });
});

describe("the peers' table", () => {
  const run = () => ({ command: 'unused', args: [] });
  const peerRow = (tool: string, extra: Partial<PeerRow> = {}): PeerRow => ({
    group: 'default configuration',
    tool,
    run,
    runs: 1,
    countsResources: true,
    ...extra,
  });

  test('GIVEN ours, ours with speedups off, and `npm test` THEN each row reads its ratio, target, verdict', () => {
    const table = formatPeerTable([
      measured(peerRow('ours', { ours: true }), [[0.4, 80]]),
      measured(peerRow('ours, speedups off', { ratioText: 'speedups off / ours' }), [[0.5, 85]]),
      measured(npmTestPeerRow(1), [[26, 300]]),
    ]);
    const lines = table.split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[3]).toContain('| speedups off / ours = 1.25× (+0.10 s) | – | – |');
    expect(lines[4]).toMatch(
      new RegExp(
        '^\\| `npm test` from clean caches \\| .* \\| 26\\.00 \\| .* \\| ≤ 25 s, ≤ 500 MB per process \\| ' +
          '\\*\\*no\\*\\* \\(26\\.0 s; largest process 300 MB\\) \\|$',
      ),
    );
  });
});

describe("npm test's row (`--peers` and `npm run bench` alike)", () => {
  const met = (figures: readonly (readonly [number, number])[]) => {
    const row = measured(npmTestPeerRow(figures.length), figures);
    return row.row.target!.met(row, row);
  };

  test('GIVEN a median within 25 s and a largest process within 500 MB THEN the target is met', () => {
    expect(met([[24.9, 480]])).toBe(true);
    expect(
      met([
        [20, 300],
        [30, 300],
        [24, 300],
      ]),
    ).toBe(true);
  });

  test('GIVEN a median over 25 s, or a largest process over 500 MB, THEN it is missed', () => {
    expect(met([[25.1, 300]])).toBe(false);
    expect(met([[10, 501]])).toBe(false);
  });

  test('GIVEN a run in which a test failed THEN it is missed, and the Met column says how many failed', () => {
    const row = measured(npmTestPeerRow(2), [
      [10, 300],
      [11, 320],
    ]);
    const failed = { ...row, samples: [row.samples[0], { ...row.samples[1], failure: 'Tests: 1 failed' }] };
    expect(failed.row.target!.met(failed, failed)).toBe(false);
    expect(failed.row.target!.describe(failed, failed)).toBe('11.0 s; largest process 320 MB; 1 of 2 runs failed');
  });

  test('runs `npm test` from the project root, with a Jest cache of its own that starts empty each run', () => {
    const row = npmTestPeerRow(1);
    expect(row.countsResources).toBe(false);
    expect(row.run('/tmp/out-1')).toMatchObject({ args: ['test', '--silent', '--', '--cacheDirectory=/tmp/out-1'] });
    expect(row.run('/tmp/out-1').cwd ?? PROJECT_ROOT).toBe(PROJECT_ROOT);
  });
});
