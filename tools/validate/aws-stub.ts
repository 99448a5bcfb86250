/**
 * A local stand-in for the AWS APIs that a create plan of these stacks calls:
 * STS GetCallerIdentity (`data.aws_caller_identity`) and Secrets Manager
 * GetSecretValue (`data.aws_secretsmanager_secret_version`). It listens on
 * 127.0.0.1 only, answers as account `STUB_ACCOUNT_ID`, and refuses any other
 * call, recording it, so a plan that needs more fails with a clear message.
 */
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

const CALLER_IDENTITY = `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::${STUB_ACCOUNT_ID}:user/validate</Arn><UserId>AIDAVALIDATEONLY</UserId><Account>${STUB_ACCOUNT_ID}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ResponseMetadata></GetCallerIdentityResponse>`;

/** The secret a GetSecretValue asks for, named as Secrets Manager names it. */
function secretValue(request: string, region: string): string {
  const { SecretId } = JSON.parse(request) as { SecretId: string };
  const arn = SecretId.startsWith('arn:') ? SecretId : `arn:aws:secretsmanager:${region}:${STUB_ACCOUNT_ID}:secret:${SecretId}-AbCdEf`;
  return JSON.stringify({
    ARN: arn,
    Name: SecretId.startsWith('arn:') ? SecretId.split(':')[6] : SecretId,
    SecretString: 'placeholder-secret-value-of-the-validate-stub',
    VersionId: '00000000-0000-0000-0000-000000000000',
    VersionStages: ['AWSCURRENT'],
    CreatedDate: 1764547200,
  });
}

/** The operation a request asks for: the JSON protocol's target header, or the query protocol's Action. */
function operationOf(request: IncomingMessage, body: string): string {
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string') return target;
  return `Query.${new URLSearchParams(body).get('Action') ?? 'unknown'}`;
}

/** The region a request was signed for (`Credential=<key>/<date>/<region>/<service>/aws4_request`). */
const signedRegion = (request: IncomingMessage) => /Credential=[^/]+\/[^/]+\/([^/]+)\//.exec(String(request.headers.authorization))?.[1] ?? 'us-east-1';

/** Starts the stub on a free port of 127.0.0.1. */
export async function startAwsStub(): Promise<AwsStub> {
  const served: string[] = [];
  const refused: string[] = [];
  const respond = (request: IncomingMessage, response: ServerResponse, body: string) => {
    const operation = operationOf(request, body);
    if (operation === 'Query.GetCallerIdentity') {
      served.push('STS.GetCallerIdentity');
      response.writeHead(200, { 'content-type': 'text/xml' }).end(CALLER_IDENTITY);
    } else if (operation === 'secretsmanager.GetSecretValue') {
      served.push('SecretsManager.GetSecretValue');
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(secretValue(body, signedRegion(request)));
    } else {
      refused.push(operation);
      response
        .writeHead(400, { 'content-type': 'application/x-amz-json-1.1' })
        .end(JSON.stringify({ __type: 'UnsupportedOperation', message: `the validate stub does not serve ${operation}` }));
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
