/**
 * A local stand-in for the part of GitHub's REST API the infrastructure pipeline calls: a pull request's issue
 * comments (list with pagination, create, update) and commit statuses. It listens on 127.0.0.1 only, checks the token
 * and the headers GitHub asks for, refuses what GitHub refuses (a body over 65,536 characters, a status description
 * over 140, a state GitHub does not know), and records every call, comment and status.
 */
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

export interface RecordedComment {
  readonly id: number;
  readonly issue: number;
  body: string;
  /** How many times it was updated in place. */
  updates: number;
}

export interface RecordedStatus {
  readonly sha: string;
  readonly state: string;
  readonly context: string;
  readonly description?: string;
  readonly target_url?: string;
}

export interface GitHubStandIn {
  /** `http://127.0.0.1:<port>`: the API's base URL (GITHUB_API_URL). */
  readonly url: string;
  readonly token: string;
  /** `METHOD path` of each call, in order. */
  readonly calls: readonly string[];
  readonly comments: RecordedComment[];
  readonly statuses: RecordedStatus[];
  close(): Promise<void>;
}

const STATES = new Set(['error', 'failure', 'pending', 'success']);

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => resolve(body));
  });
}

/** Starts the stand-in for `owner/repository`, with one accepted token and, optionally, comments already there. */
export async function startGitHubStandIn(
  owner: string,
  repository: string,
  existing: readonly { readonly issue: number; readonly body: string }[] = [],
): Promise<GitHubStandIn> {
  const token = 'github_pat_stand_in_only';
  const calls: string[] = [];
  const comments: RecordedComment[] = existing.map((comment, index) => ({ id: index + 1, ...comment, updates: 0 }));
  const statuses: RecordedStatus[] = [];
  const prefix = `/repos/${owner}/${repository}`;
  const send = (response: ServerResponse, status: number, body: unknown) =>
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

  const handle = (request: IncomingMessage, response: ServerResponse, text: string) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    calls.push(`${request.method} ${url.pathname}`);
    if (request.headers.authorization !== `Bearer ${token}`) return send(response, 401, { message: 'Bad credentials' });
    if (request.headers.accept !== 'application/vnd.github+json')
      return send(response, 415, { message: 'expected Accept: application/vnd.github+json' });
    const body = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
    const listMatch = new RegExp(`^${prefix}/issues/(\\d+)/comments$`).exec(url.pathname);
    const editMatch = new RegExp(`^${prefix}/issues/comments/(\\d+)$`).exec(url.pathname);
    const statusMatch = new RegExp(`^${prefix}/statuses/([0-9a-f]{40})$`).exec(url.pathname);
    const tooLong = typeof body.body === 'string' && body.body.length > 65_536;
    if ((listMatch !== null && request.method === 'POST') || (editMatch !== null && request.method === 'PATCH')) {
      if (typeof body.body !== 'string' || tooLong)
        return send(response, 422, { message: 'Validation Failed: body is missing or too long (maximum is 65536)' });
    }
    if (listMatch !== null && request.method === 'GET') {
      const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), 100);
      const page = Number(url.searchParams.get('page') ?? 1);
      const mine = comments.filter((comment) => comment.issue === Number(listMatch[1]));
      return send(response, 200, mine.slice((page - 1) * perPage, page * perPage));
    }
    if (listMatch !== null && request.method === 'POST') {
      const comment = { id: comments.length + 1, issue: Number(listMatch[1]), body: body.body as string, updates: 0 };
      comments.push(comment);
      return send(response, 201, comment);
    }
    if (editMatch !== null && request.method === 'PATCH') {
      const comment = comments.find((candidate) => candidate.id === Number(editMatch[1]));
      if (comment === undefined) return send(response, 404, { message: 'Not Found' });
      comment.body = body.body as string;
      comment.updates += 1;
      return send(response, 200, comment);
    }
    if (statusMatch !== null && request.method === 'POST') {
      const description = body.description as string | undefined;
      if (!STATES.has(body.state as string) || (description !== undefined && description.length > 140))
        return send(response, 422, { message: 'Validation Failed: state or description' });
      statuses.push({ sha: statusMatch[1], ...(body as Omit<RecordedStatus, 'sha'>) });
      return send(response, 201, body);
    }
    return send(response, 404, { message: 'Not Found' });
  };

  const server = createServer((request, response) => {
    void readBody(request).then((text) => handle(request, response, text));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    calls,
    comments,
    statuses,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
