import { AwsStub, startAwsStub } from '../../../tools/validate/aws-stub';

describe('the AWS stub', () => {
  let stub: AwsStub;
  beforeAll(async () => {
    stub = await startAwsStub();
  });
  afterAll(() => stub.close());

  const call = (body: string, headers: Record<string, string>) =>
    fetch(stub.endpoint, { method: 'POST', body, headers });

  test('listens on 127.0.0.1 only', () => {
    expect(stub.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  test('answers STS GetCallerIdentity as the stub account', async () => {
    const response = await call('Action=GetCallerIdentity&Version=2011-06-15', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<Account>123456789012</Account>');
  });

  test('answers Secrets Manager GetSecretValue with an ARN in the region the request was signed for', async () => {
    const response = await call(JSON.stringify({ SecretId: 'github/token', VersionStage: 'AWSCURRENT' }), {
      'x-amz-target': 'secretsmanager.GetSecretValue',
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKIA/20261201/eu-central-1/secretsmanager/aws4_request, SignedHeaders=host, ' +
        'Signature=x',
    });
    const body = (await response.json()) as { SecretString: unknown };
    expect(body).toMatchObject({
      Name: 'github/token',
      ARN: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:github/token-AbCdEf',
      VersionStages: ['AWSCURRENT'],
    });
    expect(typeof body.SecretString).toBe('string');
  });

  test('refuses any other call, and records it', async () => {
    const response = await call('{}', { 'x-amz-target': 'AmazonSSM.GetParameter' });
    expect(response.status).toBe(400);
    expect(stub.refused).toContain('AmazonSSM.GetParameter');
    expect(stub.served).toEqual(['STS.GetCallerIdentity', 'SecretsManager.GetSecretValue']);
  });
});

describe('the AWS stub with shared connections', () => {
  let stub: AwsStub;
  beforeAll(async () => {
    stub = await startAwsStub({ connectionNames: ['fleet-github'] });
  });
  afterAll(() => stub.close());

  const connections = (action: string, body: object) =>
    fetch(stub.endpoint, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: {
        'x-amz-target': `com.amazonaws.codestar.connections.CodeStar_connections_20191201.${action}`,
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKIA/20261201/eu-west-1/codestar-connections/aws4_request, ' +
          'SignedHeaders=host, Signature=x',
      },
    });

  test(
    'lists the connections it was told exist, available, in the region signed for, and finds each ' + 'by its ARN',
    async () => {
      const { Connections } = (await (await connections('ListConnections', {})).json()) as {
        Connections: { ConnectionArn: string; ConnectionName: string; ConnectionStatus: string }[];
      };
      expect(Connections).toEqual([
        expect.objectContaining({ ConnectionName: 'fleet-github', ConnectionStatus: 'AVAILABLE' }),
      ]);
      expect(Connections[0].ConnectionArn).toMatch(/^arn:aws:codeconnections:eu-west-1:123456789012:connection\//);
      const found = await connections('GetConnection', { ConnectionArn: Connections[0].ConnectionArn });
      expect(((await found.json()) as { Connection: { ConnectionName: string } }).Connection.ConnectionName).toBe(
        'fleet-github',
      );
    },
  );

  test('refuses a connection it does not know', async () => {
    const response = await connections('GetConnection', {
      ConnectionArn: 'arn:aws:codeconnections:eu-west-1:123456789012:connection/other',
    });
    expect(response.status).toBe(400);
    expect(stub.refused).toContain('com.amazonaws.codestar.connections.CodeStar_connections_20191201.GetConnection');
  });
});
