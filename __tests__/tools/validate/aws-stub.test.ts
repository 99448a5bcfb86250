import { AwsStub, startAwsStub } from '../../../tools/validate/aws-stub';

describe('the AWS stub', () => {
  let stub: AwsStub;
  beforeAll(async () => {
    stub = await startAwsStub();
  });
  afterAll(() => stub.close());

  const call = (body: string, headers: Record<string, string>) => fetch(stub.endpoint, { method: 'POST', body, headers });

  test('listens on 127.0.0.1 only', () => {
    expect(stub.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  test('answers STS GetCallerIdentity as the stub account', async () => {
    const response = await call('Action=GetCallerIdentity&Version=2011-06-15', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<Account>123456789012</Account>');
  });

  test('answers Secrets Manager GetSecretValue with an ARN in the region the request was signed for', async () => {
    const response = await call(JSON.stringify({ SecretId: 'github/token', VersionStage: 'AWSCURRENT' }), {
      'x-amz-target': 'secretsmanager.GetSecretValue',
      authorization: 'AWS4-HMAC-SHA256 Credential=AKIA/20261201/eu-central-1/secretsmanager/aws4_request, SignedHeaders=host, Signature=x',
    });
    const body = (await response.json()) as { SecretString: unknown };
    expect(body).toMatchObject({ Name: 'github/token', ARN: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:github/token-AbCdEf', VersionStages: ['AWSCURRENT'] });
    expect(typeof body.SecretString).toBe('string');
  });

  test('refuses any other call, and records it', async () => {
    const response = await call('{}', { 'x-amz-target': 'AmazonSSM.GetParameter' });
    expect(response.status).toBe(400);
    expect(stub.refused).toContain('AmazonSSM.GetParameter');
    expect(stub.served).toEqual(['STS.GetCallerIdentity', 'SecretsManager.GetSecretValue']);
  });
});
