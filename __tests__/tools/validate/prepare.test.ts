import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { prepareStack, PreparedStack } from '../../../tools/validate/prepare';
import { StackFile } from '../../../tools/validate/stacks';
import { referencesIn } from '../../../tools/validate/templates';

const GOLDEN = join(__dirname, '..', '..', 'golden');
const stackFile = (shape: string, id: string): StackFile => ({
  id,
  path: id,
  json: JSON.parse(readFileSync(join(GOLDEN, shape, `${id}.tf.json`), 'utf8')),
});
const ENDPOINT = 'http://127.0.0.1:4599';

/** Every reference in a JSON value's strings. */
const referencesOf = (value: unknown): string[] => {
  if (typeof value === 'string') return referencesIn(value).map((reference) => reference.address);
  if (Array.isArray(value)) return value.flatMap(referencesOf);
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).flatMap(([key, item]) => (key === '//' ? [] : referencesOf(item)));
  return [];
};

describe('the copies of a webhook-mode stack, without the github and random providers', () => {
  const original = stackFile('default', 'ci-sample-flask-app');
  let prepared: PreparedStack;
  beforeAll(() => {
    prepared = prepareStack(original, { missingProviders: new Set(['github', 'random']), stubEndpoint: ENDPOINT });
  });

  test('cut the providers and their elements, and say which', () => {
    expect([...prepared.cut.keys()]).toEqual(['integrations/github', 'hashicorp/random']);
    expect(prepared.cut.get('hashicorp/random')).toEqual([expect.stringMatching(/^random_password\./)]);
    expect(Object.keys(prepared.asWritten.resource).filter((type) => /^(github|random)_/.test(type))).toEqual([]);
    expect(Object.keys(prepared.asWritten.terraform.required_providers)).toEqual(['aws']);
    expect(Object.keys(prepared.asWritten.provider)).toEqual(['aws']);
  });

  test('replace each reference to a cut element by a placeholder of its shape', () => {
    expect(prepared.placeholders).toBeGreaterThan(0);
    expect(referencesOf(prepared.asWritten).filter((address) => /^(data\.)?(github|random)_/.test(address))).toEqual(
      [],
    );
    const source = Object.values<any>(prepared.asWritten.resource.aws_codepipeline)[0].stage[0].action[0].configuration;
    expect(source.Repo).toBe('sample-flask-app');
  });

  test('drop the backend, and point the AWS provider at the stub with fake credentials', () => {
    expect(prepared.asWritten.terraform.backend).toBeUndefined();
    expect(prepared.notes).toContain('backend s3 removed (a plan needs no state)');
    expect(prepared.asWritten.provider.aws[0]).toMatchObject({
      region: 'eu-west-1',
      access_key: 'AKIAVALIDATEONLYFAKE',
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
      endpoints: [{ sts: ENDPOINT, secretsmanager: ENDPOINT }],
    });
  });

  test('the copy with literals refers to data sources and variables only, and shares the root AWS provider', () => {
    expect(referencesOf(prepared.withLiterals).filter((address) => !address.startsWith('data.'))).toEqual([]);
    expect(prepared.literals).toBeGreaterThan(20);
    expect(prepared.withLiterals.provider).toBeUndefined();
    const project = Object.values<any>(prepared.withLiterals.resource.aws_codebuild_project)[0];
    expect(project.service_role).toBe('arn:aws:iam::123456789012:role/sample-flask-app-codebuild');
    expect(project.encryption_key).toMatch(/^arn:aws:kms:eu-west-1:123456789012:key\//);
  });

  test('leave the stack itself untouched', () => {
    expect(original.json).toEqual(
      JSON.parse(readFileSync(join(GOLDEN, 'default', 'ci-sample-flask-app.tf.json'), 'utf8')),
    );
  });
});

describe('the copies of a stack whose providers are all installable', () => {
  test('cut nothing and replace no placeholder', () => {
    const prepared = prepareStack(stackFile('default', 'state-bootstrap'), {
      missingProviders: new Set(),
      stubEndpoint: ENDPOINT,
    });
    expect(prepared.cut.size).toBe(0);
    expect(prepared.placeholders).toBe(0);
    expect(prepared.notes).toEqual(['backend local removed (a plan needs no state)']);
  });
});
