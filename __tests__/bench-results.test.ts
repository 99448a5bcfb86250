/**
 * The results files of `npm run bench` (bench/results/): each headed by the date, the commit (and whether the
 * working tree differed from it), the machine and the Node.js version, in the Markdown and the JSON alike.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../scripts/app-command';
import { describeCommit, Report, ResultsHeader, resultsHeader, writeReport } from '../scripts/bench-measure';

const git = (...args: string[]) => spawnSync('git', args, { cwd: PROJECT_ROOT, encoding: 'utf8' }).stdout.trim();

describe('resultsHeader', () => {
  const now = new Date('2026-03-01T12:34:56.789Z');
  const header = resultsHeader(now);

  test('GIVEN a time THEN the date is that time in ISO 8601', () => {
    expect(header.date).toBe('2026-03-01T12:34:56.789Z');
  });

  test("THEN the commit is git's short hash of HEAD, marked when the tree has changes other than results", () => {
    const hash = git('rev-parse', '--short', 'HEAD');
    expect(hash).toMatch(/^[0-9a-f]{7,}$/);
    // Whether the tree is clean may change as others work in it; describeCommit's own tests pin that part.
    expect(header.commit).toMatch(new RegExp(`^${hash}( \\+ uncommitted changes)?$`));
  });

  test('THEN the machine is its CPU model and count, its RAM, its OS and kernel; and the Node.js version', () => {
    expect(header.machine.cpu).toBe(cpus()[0].model.trim());
    expect(header.machine.cpuCount).toBe(availableParallelism());
    expect(header.machine.ramGiB).toBeGreaterThan(0);
    expect(header.machine.kernel).toContain(release());
    expect(header.machine.os).not.toBe('');
    expect(header.machine.loadAverage).toHaveLength(3);
    expect(header.node).toBe(process.version);
  });

  test('THEN the core is the one CI_PIPELINES_CORE picks for the app, at its installed release', () => {
    expect(resultsHeader(now, {}).core).toEqual({ name: 'cdktf', version: '0.21.0' });
    expect(resultsHeader(now, { CI_PIPELINES_CORE: 'cdktn' }).core).toEqual({ name: 'cdktn', version: '0.24.0' });
  });
});

describe('describeCommit', () => {
  test('GIVEN a clean working tree THEN the short hash alone', () => {
    expect(describeCommit('a409664', '')).toBe('a409664');
  });

  test('GIVEN a changed, an added or an untracked file THEN the hash and "+ uncommitted changes"', () => {
    for (const porcelain of [' M main.ts\n', 'A  constructs/new.ts\n', '?? api/\n'])
      expect(describeCommit('a409664', porcelain)).toBe('a409664 + uncommitted changes');
  });

  test("GIVEN only the benchmark's own results changed THEN the hash alone: they are its output, not its input", () => {
    expect(describeCommit('a409664', ' M bench/results/bench.md\n?? bench/results/peers.json\n')).toBe('a409664');
    expect(describeCommit('a409664', '?? bench/results/\n M scripts/bench.ts\n')).toBe('a409664 + uncommitted changes');
    expect(describeCommit('a409664', 'R  main.ts -> bench/results/main.ts\n')).toBe('a409664 + uncommitted changes');
  });
});

describe('writeReport', () => {
  let dir: string;
  let markdown: string;
  let json: Record<string, unknown>;
  let header: ResultsHeader;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'bench-results-test-'));
    header = resultsHeader(new Date('2026-03-01T12:34:56.789Z'), {});
    const report: Report = {
      name: 'peers',
      command: 'npm run bench -- --peers',
      header,
      table: '| Configuration |\n| --- |\n| default configuration |',
      howMeasured: ['Each run is a separate process.', 'Jest from an empty cache.'],
      verdict: ['Every target met.'],
      data: { rows: [{ configuration: 'default configuration', samples: [{ wallMs: 345.6 }] }] },
    };
    const paths = writeReport(report, dir);
    expect(paths.markdown).toBe(join(dir, `peers-node${process.versions.node.split('.')[0]}.md`));
    markdown = readFileSync(paths.markdown, 'utf8');
    json = JSON.parse(readFileSync(paths.json, 'utf8'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('GIVEN a report THEN the Markdown is headed by its command, date, commit, machine and Node.js version', () => {
    const lines = markdown.split('\n');
    expect(lines[0]).toBe('# `npm run bench -- --peers`');
    expect(lines.slice(2, 8)).toEqual([
      '- Date: 2026-03-01T12:34:56.789Z',
      `- Commit: ${header.commit}`,
      expect.stringMatching(new RegExp(`^- Machine: ${availableParallelism()} × .+, [\\d.]+ GiB RAM, .+, kernel .+`)),
      expect.stringMatching(/^- Load average as the benchmark started \(1, 5, 15 min\): [\d.]+, [\d.]+, [\d.]+$/),
      `- Node.js: ${process.version}`,
      `- Core: ${header.core.name} ${header.core.version} (picked by CI_PIPELINES_CORE)`,
    ]);
    expect(markdown).toContain('| default configuration |\n\nEvery target met.\n\n## How measured\n');
  });

  test('THEN the JSON starts with the same header fields, then the raw samples', () => {
    expect(Object.keys(json).slice(0, 5)).toEqual(['date', 'commit', 'machine', 'node', 'core']);
    expect(json).toMatchObject({
      date: '2026-03-01T12:34:56.789Z',
      node: process.version,
      machine: { cpuCount: availableParallelism(), kernel: expect.stringContaining(release()) },
      command: 'npm run bench -- --peers',
      rows: [{ samples: [{ wallMs: 345.6 }] }],
    });
  });

  test("GIVEN a report of CDK Terrain's runs THEN its files are named for the core too, beside cdktf's", () => {
    const cdktn = resultsHeader(new Date('2026-03-01T12:34:56.789Z'), { CI_PIPELINES_CORE: 'cdktn' });
    const report: Report = {
      name: 'peers',
      command: 'x',
      header: cdktn,
      table: '',
      howMeasured: [],
      verdict: [],
      data: {},
    };
    const paths = writeReport(report, dir);
    expect(paths.markdown).toBe(join(dir, `peers-node${process.versions.node.split('.')[0]}-cdktn.md`));
    expect(readFileSync(paths.markdown, 'utf8')).toContain('\n- Core: cdktn 0.24.0 (picked by CI_PIPELINES_CORE)\n');
  });
});
