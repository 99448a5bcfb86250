// cdktf's archiver and semver, which Jest loads on first use (__tests__/lazy/cdktf-dependency.cjs):
// each still does what cdktf calls it for.
/* eslint-disable @typescript-eslint/no-require-imports */
describe("cdktf's dependencies loaded on first use", () => {
  test('archiver zips: what cdktf calls, `archiver("zip", options)`, is the real archiver', async () => {
    const archiver = require('archiver') as (
      format: string,
      options: object,
    ) => NodeJS.EventEmitter & { append(data: string, entry: { name: string }): void; finalize(): Promise<void>; pointer(): number };
    const archive = archiver('zip', { zlib: { level: 9 } });
    const chunks: Buffer[] = [];
    archive.on('data', (chunk: Buffer) => chunks.push(chunk));
    archive.append('hello', { name: 'hello.txt' });
    await archive.finalize();
    const zip = Buffer.concat(chunks);
    expect(zip.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04])); // A zip's local file header.
    expect(zip.includes(Buffer.from('hello.txt'))).toBe(true);
  });

  test('semver compares versions as cdktf asks it to', () => {
    const semver = require('semver') as { satisfies(version: string, range: string): boolean; valid(version: string): string | null };
    expect(semver.satisfies('1.11.4', '>=1.2.0')).toBe(true);
    expect(semver.satisfies('0.15.0', '>=1.2.0')).toBe(false);
    expect(semver.valid('not a version')).toBeNull();
  });
});
