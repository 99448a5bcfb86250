import { actionMatches, resourceMatches, resourceWithin } from '../../../guardrails/iam/matching';

/** Each case follows a rule the IAM User Guide's pages on policy elements state, quoted beside it. */
describe("actions, as 'IAM JSON policy elements: Action' matches them", () => {
  test.each([
    // "You can use wildcards (* or ?) as part of the action name": s3:Get* matches every action starting with Get.
    ['s3:Get*', 's3:GetObject', true],
    ['s3:Get*', 's3:PutObject', false],
    // "The prefix and the action name are case insensitive": iam:listaccesskeys is iam:ListAccessKeys.
    ['iam:listaccesskeys', 'iam:ListAccessKeys', true],
    ['IAM:ListAccessKeys', 'iam:ListAccessKeys', true],
    // "*" matches every action of every service; "?" exactly one character.
    ['*', 'kms:Decrypt', true],
    ['ec2:*Instances', 'ec2:StartInstances', true],
    ['sqs:?etQueueUrl', 'sqs:GetQueueUrl', true],
    ['sqs:?etQueueUrl', 'sqs:GetQueueAttributes', false],
    // The prefix is part of the name: s3:* grants nothing of s3express.
    ['s3:*', 's3express:CreateSession', false],
  ])('%s matches %s: %s', (pattern, action, matches) => {
    expect(actionMatches(pattern, action)).toBe(matches);
  });
});

describe("resources, as 'IAM JSON policy elements: Resource' matches them", () => {
  test.each([
    // "arn:aws:s3:::amzn-s3-demo-bucket/*" covers the bucket's objects, not the bucket itself.
    ['arn:aws:s3:::amzn-s3-demo-bucket/*', 'arn:aws:s3:::amzn-s3-demo-bucket/photo.jpg', true],
    ['arn:aws:s3:::amzn-s3-demo-bucket/*', 'arn:aws:s3:::amzn-s3-demo-bucket', false],
    // Wildcards "within any ARN segment": every region and account of a log group's streams.
    [
      'arn:aws:logs:*:*:log-group:/aws/codebuild/app:*',
      'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/codebuild/app:log-stream:x',
      true,
    ],
    // A * that is the last character of a segment "can expand to match beyond the colon boundaries".
    ['arn:aws:iam::*:role/admin', 'arn:aws:iam::123456789012:role/admin', true],
    ['arn:aws:iam::*:role/deploy', 'arn:aws:iam::999988887777:x:role/deploy', true],
    ['arn:aws:logs:*:*:log-group:app', 'arn:aws:logs:eu-west-1:123456789012:log-group:other:log-group:app', true],
    // Any other * or ? stays within its segment.
    ['arn:aws:iam::1*2:role/deploy', 'arn:aws:iam::1:x:2:role/deploy', false],
    ['arn:aws:logs:eu-*:*:*', 'arn:aws:logs:us-east-1:1:log-group:g', false],
    ['arn:aws:s3?::b/k', 'arn:aws:s3:::b/k', false],
    // An ARN of fewer than six segments reads as if the rest were *.
    ['arn:aws:iam::*', 'arn:aws:iam::123456789012:role/admin', true],
    ['arn:aws:iam::123456789012', 'arn:aws:iam::123456789012:role/admin', true],
    ['arn:aws:iam::123456789012', 'arn:aws:iam::999988887777:role/admin', false],
    // The resource keeps its own colons, which a * in it covers.
    ['arn:aws:s3:::b/*', 'arn:aws:s3:::b/key:with:colons', true],
    ['arn:aws:iam::*:role/*', 'arn:aws:iam::123456789012:role/admin', true],
    // "In the Resource element, the IAM user name is case sensitive": the resource segment is; the partition,
    // service, region and account are not.
    ['arn:aws:iam::123456789012:role/admin', 'arn:aws:iam::123456789012:role/Admin', false],
    ['arn:AWS:s3:::b', 'arn:aws:s3:::b', true],
    // A reference Terraform resolves at apply is matched as text.
    ['${aws_s3_bucket.b.arn}/*', '${aws_s3_bucket.b.arn}/app/x', true],
    ['${aws_s3_bucket.b.arn}/app/*', '${aws_s3_bucket.b.arn}/other/x', false],
    // Malformed patterns, which IAM refuses, are never read as granting less than they could.
    ['Arn:aws:s3:::b/*', 'arn:aws:s3:::b/k', true],
    ['?', 'arn:aws:s3:::b/k', true],
    ['a?:aws:s3:::other/*', 'arn:aws:s3:::b/k', true],
    // "*" alone is every resource.
    ['*', 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab', true],
    // Another partition is another resource.
    ['arn:aws:s3:::bucket/*', 'arn:aws-cn:s3:::bucket/key', false],
  ])('%s matches %s: %s', (pattern, resource, matches) => {
    expect(resourceMatches(pattern, resource)).toBe(matches);
  });

  test.each([
    // What a grant reaches is within what is needed only if every resource it matches is needed.
    ['arn:aws:s3:::bucket/app/x*', 'arn:aws:s3:::bucket/app/*', true],
    ['arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket/app/*', false],
    ['arn:aws:s3:::bucket/other/*', 'arn:aws:s3:::bucket/app/*', false],
    ['*', 'arn:aws:s3:::bucket/app/*', false],
    // A ? needed could stand in for a * granted: within only when the two are the same.
    ['arn:aws:s3:::bucket/a*', 'arn:aws:s3:::bucket/a?', false],
    ['arn:aws:s3:::bucket/a?', 'arn:aws:s3:::bucket/a?', true],
    ['arn:aws:s3:::bucket/ax', 'arn:aws:s3:::bucket/a?', true],
    ['arn:aws:s3:::bucket/app*', 'arn:aws:s3:::bucket/app/*', false],
    ['arn:aws:s3:::bucket/app/file', 'arn:aws:s3:::bucket/app/*', true],
  ])('a grant on %s is within a need of %s: %s', (granted, needed, within) => {
    expect(resourceWithin(granted, needed)).toBe(within);
  });
});
