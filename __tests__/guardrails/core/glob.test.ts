import { globMatches } from '../../../guardrails/core/glob';

describe('globMatches', () => {
  test('* is any run of characters, ? exactly one, everything else literal', () => {
    expect(globMatches('codebuild:*', 'codebuild:StartBuild')).toBe(true);
    expect(globMatches('s3:Get?bject', 's3:GetObject')).toBe(true);
    expect(globMatches('s3:Get?bject', 's3:GetOObject')).toBe(false);
    expect(globMatches('arn:aws:s3:::bucket.name/*', 'arn:aws:s3:::bucketXname/key')).toBe(false);
    expect(globMatches('release/(1.0)+x', 'release/(1.0)+x')).toBe(true);
    expect(globMatches('kms:*', 'xkms:Decrypt')).toBe(false);
  });

  test('the same pattern matches with and without case, each as asked, however often it is used', () => {
    for (let round = 0; round < 3; round += 1) {
      expect(globMatches('s3:getobject', 's3:GetObject')).toBe(false);
      expect(globMatches('s3:getobject', 's3:GetObject', { ignoreCase: true })).toBe(true);
      expect(globMatches('s3:getobject', 's3:GetObject')).toBe(false);
    }
  });

  test(
    'a pattern without wildcards matches only its own text, exactly or without case as asked, however often it ' +
      'is used',
    () => {
      for (let round = 0; round < 3; round += 1) {
        expect(globMatches('arn:aws:s3:::bucket', 'arn:aws:s3:::bucket')).toBe(true);
        expect(globMatches('arn:aws:s3:::bucket', 'arn:aws:s3:::bucket2')).toBe(false);
        expect(globMatches('arn:aws:s3:::bucket', 'arn:aws:s3:::BUCKET')).toBe(false);
        expect(globMatches('arn:aws:s3:::bucket', 'arn:aws:s3:::BUCKET', { ignoreCase: true })).toBe(true);
        expect(globMatches('arn:aws:s3:::bucket', 'arn:aws:s3:::bucket2', { ignoreCase: true })).toBe(false);
      }
    },
  );

  test('a pattern matches its own text, wildcards and all', () => {
    expect(globMatches('arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket/*')).toBe(true);
    expect(globMatches('s3:Get?bject', 's3:Get?bject', { ignoreCase: true })).toBe(true);
  });
});
