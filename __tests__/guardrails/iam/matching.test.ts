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

describe("resources, as 'IAM JSON policy elements: Resource' and the ArnLike operator match them", () => {
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
    // "Each of the six colon-delimited components of the ARN is checked separately": a * in the account does not
    // reach into the resource, which keeps its own colons.
    ['arn:aws:logs:*:*:log-group:app', 'arn:aws:logs:eu-west-1:123456789012:log-group:other:log-group:app', false],
    ['arn:aws:iam::*:role/*', 'arn:aws:iam::123456789012:role/admin', true],
    // Case matters in ARNs: a role named Admin is not admin.
    ['arn:aws:iam::123456789012:role/admin', 'arn:aws:iam::123456789012:role/Admin', false],
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
  ])('a grant on %s is within a need of %s: %s', (granted, needed, within) => {
    expect(resourceWithin(granted, needed)).toBe(within);
  });
});
