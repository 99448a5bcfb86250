/**
 * A local stand-in for the AWS APIs that a create plan of these stacks calls:
 * STS GetCallerIdentity (`data.aws_caller_identity`), Secrets Manager
 * GetSecretValue (`data.aws_secretsmanager_secret_version`), DescribeSecret
 * and GetResourcePolicy (`data.aws_secretsmanager_secret`), ListSecrets
 * (`data.aws_secretsmanager_secrets`, which the stacks' preconditions read),
 * CreateSecret when it stands in for an empty account, and the
 * CodeConnections calls that find a shared connection by name
 * (`data.aws_codestarconnections_connection`), and KMS ListAliases and
 * DescribeKey for a key looked up by its alias (`data.aws_kms_alias`). It listens on
 * 127.0.0.1 only, answers as account `STUB_ACCOUNT_ID`, and refuses any other
 * call, recording it, so a plan that needs more fails with a clear message.
 */
import { createHash, randomUUID } from 'node:crypto';
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
  /** The value of each secret `CreateSecret` stored, by name. */
  readonly createdSecrets: ReadonlyMap<string, string>;
  /** What a person's approval in the console does: every connection becomes AVAILABLE. */
  approveConnections(): void;
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

/** The ARN and name of the secret a Secrets Manager request names (by name or ARN), as Secrets Manager names it. */
function secretOf(secretId: string, region: string): { ARN: string; Name: string } {
  const arn = secretId.startsWith('arn:')
    ? secretId
    : `arn:aws:secretsmanager:${region}:${STUB_ACCOUNT_ID}:secret:${secretId}-AbCdEf`;
  // A secret's ARN ends in "-" and six random characters after its name (Secrets Manager User Guide, "Secret ARN").
  return {
    ARN: arn,
    Name: secretId.startsWith('arn:') ? secretId.split(':')[6].replace(/-[A-Za-z0-9]{6}$/, '') : secretId,
  };
}

/** The secrets a ListSecrets request's name filters ask for: each filter value (a name prefix) that `exists`. */
function listedSecrets(request: string, region: string, exists: (name: string) => boolean): string {
  const { Filters = [] } = JSON.parse(request) as { Filters?: { Key: string; Values: string[] }[] };
  const names = Filters.filter((filter) => filter.Key === 'name').flatMap((filter) => filter.Values);
  const SecretList = names.filter(exists).map((name) => secretOf(name, region));
  return JSON.stringify({ SecretList });
}

/**
 * What Secrets Manager answers for the secret a request names: its value, its description, or its (absent) resource
 * policy; undefined when the secret does not exist or the operation is another.
 */
function secretAnswer(
  operation: string,
  request: string,
  region: string,
  exists: (name: string) => boolean,
): string | undefined {
  if (operation === 'secretsmanager.ListSecrets') return listedSecrets(request, region, exists);
  const secret = secretOf((JSON.parse(request) as { SecretId: string }).SecretId, region);
  if (!exists(secret.Name)) return undefined;
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

/** The CodeConnections connection named `name`, in the stub's account and `region`. */
const connection = (name: string, region: string, status: ConnectionStatus) => ({
  ConnectionArn:
    `arn:aws:codeconnections:${region}:${STUB_ACCOUNT_ID}:connection/00000000-0000-0000-0000-` +
    `${createHash('sha256').update(name).digest('hex').slice(0, 12)}`,
  ConnectionName: name,
  ConnectionStatus: status,
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
  status: ConnectionStatus,
): string | undefined {
  const action = operation.split('.').pop();
  if (action === 'ListConnections')
    return JSON.stringify({ Connections: names.map((name) => connection(name, region, status)) });
  if (action === 'GetConnection') {
    const { ConnectionArn } = JSON.parse(request) as { ConnectionArn: string };
    const found = names
      .map((name) => connection(name, region, status))
      .find((candidate) => candidate.ConnectionArn === ConnectionArn);
    return found === undefined ? undefined : JSON.stringify({ Connection: found });
  }
  if (action === 'ListTagsForResource') return JSON.stringify({ Tags: [] });
  return undefined;
}

/** The key an alias names, in the stub's account and `region`: one key per alias name, always the same. */
function keyOfAlias(aliasName: string, region: string) {
  const hex = createHash('sha256').update(aliasName).digest('hex');
  const keyId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  return { keyId, keyArn: `arn:aws:kms:${region}:${STUB_ACCOUNT_ID}:key/${keyId}` };
}

/**
 * Answers the KMS calls of a key looked up by alias (`data.aws_kms_alias`: ListAliases, then DescribeKey of the
 * alias): every alias asked for exists, naming a key of its own. Undefined for any other operation.
 */
function kmsAnswer(
  operation: string,
  request: string,
  region: string,
  aliasNames: readonly string[],
): string | undefined {
  const action = operation.split('.').pop();
  const asked = JSON.parse(request || '{}') as { KeyId?: string };
  if (action === 'ListAliases') {
    const aliases = aliasNames.map((AliasName) => {
      const { keyId } = keyOfAlias(AliasName, region);
      return { AliasName, AliasArn: `arn:aws:kms:${region}:${STUB_ACCOUNT_ID}:${AliasName}`, TargetKeyId: keyId };
    });
    return JSON.stringify({ Aliases: aliases, Truncated: false });
  }
  if (action === 'DescribeKey' && asked.KeyId !== undefined) {
    const aliasName = asked.KeyId.replace(/^arn:[^:]+:kms:[^:]+:\d+:/, '');
    const { keyId, keyArn } = keyOfAlias(aliasName, region);
    return JSON.stringify({
      KeyMetadata: {
        AWSAccountId: STUB_ACCOUNT_ID,
        KeyId: keyId,
        Arn: keyArn,
        Enabled: true,
        KeyState: 'Enabled',
        KeyManager: 'CUSTOMER',
        KeySpec: 'SYMMETRIC_DEFAULT',
        KeyUsage: 'ENCRYPT_DECRYPT',
        Origin: 'AWS_KMS',
        CreationDate: 1764547200,
      },
    });
  }
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

/** A connection's status: created `PENDING`, `AVAILABLE` once a person approved it. */
export type ConnectionStatus = 'AVAILABLE' | 'PENDING';

/** What the stub knows of the account. */
export interface AwsStubOptions {
  /**
   * The CodeConnections connections that exist, by name.
   * @default - none
   */
  readonly connectionNames?: readonly string[];
  /**
   * Their status, until {@link AwsStub.approveConnections}.
   * @default "AVAILABLE"
   */
  readonly connectionStatus?: ConnectionStatus;
  /**
   * The Secrets Manager secrets that exist, by name; `CreateSecret` adds one. A stand-in for an account, as a first
   * deployment meets it.
   * @default - every secret asked for exists, and CreateSecret is refused
   */
  readonly secretNames?: readonly string[];
  /**
   * The KMS aliases that exist, each naming a key of its own.
   * @default - none
   */
  readonly kmsAliasNames?: readonly string[];
}

/** The service an answered JSON operation belongs to, as `served` names it. */
const serviceOf = (operation: string) =>
  operation.startsWith('secretsmanager.')
    ? 'SecretsManager'
    : operation.startsWith('TrentService.')
      ? 'KMS'
      : 'CodeConnections';

/** Answers a call the stub does not serve, as AWS answers an unknown operation. */
const refuse = (response: ServerResponse, operation: string) =>
  response
    .writeHead(400, { 'content-type': 'application/x-amz-json-1.1' })
    .end(JSON.stringify({ __type: 'UnsupportedOperation', message: `the validate stub does not serve ${operation}` }));

/** Starts the stub on a free port of 127.0.0.1. */
export async function startAwsStub(options: AwsStubOptions = {}): Promise<AwsStub> {
  const served: string[] = [];
  const refused: string[] = [];
  const secrets = options.secretNames === undefined ? undefined : new Set(options.secretNames);
  const exists = (name: string) => secrets === undefined || secrets.has(name);
  const createdSecrets = new Map<string, string>();
  let connectionStatus = options.connectionStatus ?? 'AVAILABLE';
  const createSecret = (body: string, region: string): string | undefined => {
    const { Name, SecretString } = JSON.parse(body) as { Name: string; SecretString?: string };
    if (secrets === undefined || secrets.has(Name)) return undefined;
    secrets.add(Name);
    createdSecrets.set(Name, SecretString ?? '');
    return JSON.stringify({ ...secretOf(Name, region), VersionId: randomUUID() });
  };
  const answer = (operation: string, body: string, region: string): string | undefined => {
    if (operation === 'secretsmanager.CreateSecret') return createSecret(body, region);
    if (operation.startsWith('secretsmanager.')) return secretAnswer(operation, body, region, exists);
    if (operation.startsWith('TrentService.')) return kmsAnswer(operation, body, region, options.kmsAliasNames ?? []);
    if (operation.includes('CodeStar_connections'))
      return connectionsAnswer(operation, body, region, options.connectionNames ?? [], connectionStatus);
    return undefined;
  };
  const respond = (request: IncomingMessage, response: ServerResponse, body: string) => {
    const operation = operationOf(request, body);
    const answered =
      operation === 'Query.GetCallerIdentity' ? undefined : answer(operation, body, signedRegion(request));
    if (operation === 'Query.GetCallerIdentity') {
      served.push('STS.GetCallerIdentity');
      response.writeHead(200, { 'content-type': 'text/xml' }).end(CALLER_IDENTITY);
    } else if (answered !== undefined) {
      const service = serviceOf(operation);
      served.push(`${service}.${operation.split('.').pop()}`);
      const protocol = service === 'CodeConnections' ? '1.0' : '1.1';
      response.writeHead(200, { 'content-type': `application/x-amz-json-${protocol}` }).end(answered);
    } else {
      refused.push(operation);
      refuse(response, operation);
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
    createdSecrets,
    approveConnections: () => (connectionStatus = 'AVAILABLE'),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
