/**
 * A local stand-in for the AWS APIs that a create plan of these stacks calls:
 * STS GetCallerIdentity (`data.aws_caller_identity`), Secrets Manager
 * GetSecretValue (`data.aws_secretsmanager_secret_version`), DescribeSecret
 * and GetResourcePolicy (`data.aws_secretsmanager_secret`), and the
 * CodeConnections calls that find a shared connection by name
 * (`data.aws_codestarconnections_connection`). It listens on
 * 127.0.0.1 only, answers as account `STUB_ACCOUNT_ID`, and refuses any other
 * call, recording it, so a plan that needs more fails with a clear message.
 */
import { createHash } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { STUB_ACCOUNT_ID } from './literals';

/** A running stub. */
export interface AwsStub {
  /** `http://127.0.0.1:<port>`, for the provider's `endpoints`. */
  readonly endpoint: string;
  /** The calls it served, as `Service.Operation`. */
  readonly served: readonly string[];
  /** The calls it refused. */
  readonly refused: readonly string[];
  close(): Promise<void>;
}

const CALLER_IDENTITY =
  `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">` +
  `<GetCallerIdentityResult>` +
  `<Arn>arn:aws:iam::${STUB_ACCOUNT_ID}:user/validate</Arn>` +
  `<UserId>AIDAVALIDATEONLY</UserId>` +
  `<Account>${STUB_ACCOUNT_ID}</Account>` +
  `</GetCallerIdentityResult>` +
  `<ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ResponseMetadata>` +
  `</GetCallerIdentityResponse>`;

/** The ARN and name of the secret a Secrets Manager request asks for, as Secrets Manager names it. */
function secretOf(request: string, region: string): { ARN: string; Name: string } {
  const { SecretId } = JSON.parse(request) as { SecretId: string };
  const arn = SecretId.startsWith('arn:')
    ? SecretId
    : `arn:aws:secretsmanager:${region}:${STUB_ACCOUNT_ID}:secret:${SecretId}-AbCdEf`;
  return { ARN: arn, Name: SecretId.startsWith('arn:') ? SecretId.split(':')[6] : SecretId };
}

/**
 * What Secrets Manager answers for the secret a request names: its value, its description, or its (absent) resource
 * policy.
 */
function secretAnswer(operation: string, request: string, region: string): string | undefined {
  const secret = secretOf(request, region);
  if (operation === 'secretsmanager.DescribeSecret')
    return JSON.stringify({ ...secret, CreatedDate: 1764547200, LastChangedDate: 1764547200, Tags: [] });
  if (operation === 'secretsmanager.GetResourcePolicy') return JSON.stringify(secret);
  if (operation === 'secretsmanager.GetSecretValue') return secretValue(secret);
  return undefined;
}

/** The value a GetSecretValue returns: a placeholder. */
function secretValue(secret: { ARN: string; Name: string }): string {
  return JSON.stringify({
    ...secret,
    SecretString: 'placeholder-secret-value-of-the-validate-stub',
    VersionId: '00000000-0000-0000-0000-000000000000',
    VersionStages: ['AWSCURRENT'],
    CreatedDate: 1764547200,
  });
}

/** The CodeConnections connection named `name`, available, in the stub's account and `region`. */
const connection = (name: string, region: string) => ({
  ConnectionArn:
    `arn:aws:codeconnections:${region}:${STUB_ACCOUNT_ID}:connection/00000000-0000-0000-0000-` +
    `${createHash('sha256').update(name).digest('hex').slice(0, 12)}`,
  ConnectionName: name,
  ConnectionStatus: 'AVAILABLE',
  ProviderType: 'GitHub',
  OwnerAccountId: STUB_ACCOUNT_ID,
});

/**
 * Answers the CodeConnections calls of a lookup by name, for the connections `names`; undefined for any other
 * operation.
 */
function connectionsAnswer(
  operation: string,
  request: string,
  region: string,
  names: readonly string[],
): string | undefined {
  const action = operation.split('.').pop();
  if (action === 'ListConnections')
    return JSON.stringify({ Connections: names.map((name) => connection(name, region)) });
  if (action === 'GetConnection') {
    const { ConnectionArn } = JSON.parse(request) as { ConnectionArn: string };
    const found = names
      .map((name) => connection(name, region))
      .find((candidate) => candidate.ConnectionArn === ConnectionArn);
    return found === undefined ? undefined : JSON.stringify({ Connection: found });
  }
  if (action === 'ListTagsForResource') return JSON.stringify({ Tags: [] });
  return undefined;
}

/** The operation a request asks for: the JSON protocol's target header, or the query protocol's Action. */
function operationOf(request: IncomingMessage, body: string): string {
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string') return target;
  return `Query.${new URLSearchParams(body).get('Action') ?? 'unknown'}`;
}

/** The region a request was signed for (`Credential=<key>/<date>/<region>/<service>/aws4_request`). */
const signedRegion = (request: IncomingMessage) =>
  /Credential=[^/]+\/[^/]+\/([^/]+)\//.exec(String(request.headers.authorization))?.[1] ?? 'us-east-1';

/** What the stub knows of the account. */
export interface AwsStubOptions {
  /**
   * The CodeConnections connections that exist, by name.
   * @default - none
   */
  readonly connectionNames?: readonly string[];
}

/** Starts the stub on a free port of 127.0.0.1. */
export async function startAwsStub(options: AwsStubOptions = {}): Promise<AwsStub> {
  const served: string[] = [];
  const refused: string[] = [];
  const respond = (request: IncomingMessage, response: ServerResponse, body: string) => {
    const operation = operationOf(request, body);
    if (operation === 'Query.GetCallerIdentity') {
      served.push('STS.GetCallerIdentity');
      response.writeHead(200, { 'content-type': 'text/xml' }).end(CALLER_IDENTITY);
    } else if (
      operation.startsWith('secretsmanager.') &&
      secretAnswer(operation, body, signedRegion(request)) !== undefined
    ) {
      served.push(`SecretsManager.${operation.split('.').pop()}`);
      response
        .writeHead(200, { 'content-type': 'application/x-amz-json-1.1' })
        .end(secretAnswer(operation, body, signedRegion(request)));
    } else if (
      operation.includes('CodeStar_connections') &&
      connectionsAnswer(operation, body, signedRegion(request), options.connectionNames ?? []) !== undefined
    ) {
      served.push(`CodeConnections.${operation.split('.').pop()}`);
      response
        .writeHead(200, { 'content-type': 'application/x-amz-json-1.0' })
        .end(connectionsAnswer(operation, body, signedRegion(request), options.connectionNames ?? []));
    } else {
      refused.push(operation);
      response
        .writeHead(400, { 'content-type': 'application/x-amz-json-1.1' })
        .end(
          JSON.stringify({ __type: 'UnsupportedOperation', message: `the validate stub does not serve ${operation}` }),
        );
    }
  };
  const server: Server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => respond(request, response, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    served,
    refused,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
