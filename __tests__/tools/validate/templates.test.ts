import { referencesIn, replaceReferences } from '../../../tools/validate/templates';

const LITERALS: Record<string, string> = {
  'aws_kms_key.key.arn': 'arn:aws:kms:eu-west-1:123456789012:key/k',
  'aws_s3_bucket.b.bucket': 'my-bucket',
};
const replace = (template: string) =>
  replaceReferences(template, ({ address, attribute }) => LITERALS[`${address}.${attribute}`]);

describe('Terraform JSON templates', () => {
  test('a string that is one reference becomes the value itself', () => {
    expect(replace('${aws_kms_key.key.arn}')).toEqual({
      text: 'arn:aws:kms:eu-west-1:123456789012:key/k',
      replaced: 1,
    });
  });

  test(
    'a reference inside text or an expression becomes a quoted string there, so Terraform still evaluates the ' +
      'rest',
    () => {
      expect(replace('arn:${data.aws_partition.p.partition}:s3:::${aws_s3_bucket.b.bucket}/*')).toEqual({
        text: 'arn:${data.aws_partition.p.partition}:s3:::${"my-bucket"}/*',
        replaced: 1,
      });
      expect(replace('${element(split("/", aws_s3_bucket.b.bucket), 0)}')).toEqual({
        text: '${element(split("/", "my-bucket"), 0)}',
        replaced: 1,
      });
      expect(replace('${jsonencode({"k" = aws_kms_key.key.arn, "v" = var.x})}').text).toBe(
        '${jsonencode({"k" = "arn:aws:kms:eu-west-1:123456789012:key/k", "v" = var.x})}',
      );
    },
  );

  test('leaves quoted strings, escaped interpolations and unknown references alone', () => {
    expect(replace('${replace(aws_cloudwatch_log_group.g.name, "aws_s3_bucket.b.bucket", "x")}')).toEqual({
      text: '${replace(aws_cloudwatch_log_group.g.name, "aws_s3_bucket.b.bucket", "x")}',
      replaced: 0,
    });
    expect(replace('$${aws_s3_bucket.b.bucket} and ${aws_s3_bucket.b.bucket}')).toEqual({
      text: '$${aws_s3_bucket.b.bucket} and ${"my-bucket"}',
      replaced: 1,
    });
    expect(replace('plain text aws_s3_bucket.b.bucket')).toEqual({
      text: 'plain text aws_s3_bucket.b.bucket',
      replaced: 0,
    });
  });

  test('a value with quotes or template markers is written as a safe HCL string', () => {
    const tricky = replaceReferences('x${aws_s3_bucket.b.bucket}', () => 'a"b\\c${d}%{e}');
    expect(tricky.text).toBe('x${"a\\"b\\\\c$${d}%%{e}"}');
  });

  test('finds every reference, data sources included', () => {
    expect(referencesIn('${data.aws_region.r.id}-${aws_iam_role.role.arn}-${var.v}')).toEqual([
      { address: 'data.aws_region.r', attribute: 'id' },
      { address: 'aws_iam_role.role', attribute: 'arn' },
    ]);
  });
});
