import { literalFor, STUB_ACCOUNT_ID } from '../../../tools/validate/literals';
import { ValidateError } from '../../../tools/validate/stacks';

const context = (type: string, body: Record<string, unknown>) => ({ type, body, region: 'eu-west-2' });

describe('literal values of the right shape', () => {
  test('ARNs in the stack region and the stub account, names from the configuration', () => {
    expect(literalFor('arn', context('aws_codebuild_project', { name: 'app' }))).toBe(
      `arn:aws:codebuild:eu-west-2:${STUB_ACCOUNT_ID}:project/app`,
    );
    expect(literalFor('arn', context('aws_iam_role', { name: 'app-codebuild' }))).toBe(
      `arn:aws:iam::${STUB_ACCOUNT_ID}:role/app-codebuild`,
    );
    expect(literalFor('repository_url', context('aws_ecr_repository', { name: 'team/app' }))).toBe(
      `${STUB_ACCOUNT_ID}.dkr.ecr.eu-west-2.amazonaws.com/team/app`,
    );
    expect(literalFor('arn', context('aws_kms_key', {}))).toMatch(/^arn:aws:kms:eu-west-2:\d{12}:key\/[0-9a-f-]{36}$/);
  });

  test("a bucket made from a prefix gets Terraform's 26-character unique suffix", () => {
    const name = literalFor('bucket', context('aws_s3_bucket', { bucket_prefix: 'app-artifacts-' }));
    expect(name).toHaveLength('app-artifacts-'.length + 26);
    expect(literalFor('arn', context('aws_s3_bucket', { bucket: 'b-b-b' }))).toBe('arn:aws:s3:::b-b-b');
  });

  test('an attribute with no known shape, or a name that is itself an expression, is an error', () => {
    expect(() => literalFor('arn', context('aws_lambda_function', { function_name: 'f' }))).toThrow(
      new ValidateError(
        'no value of the right shape is known for aws_lambda_function.arn; add one to tools/validate/literals.ts',
      ),
    );
    expect(() => literalFor('arn', context('aws_iam_role', { name: '${var.name}' }))).toThrow(
      /argument "name" is not a literal/,
    );
  });
});
