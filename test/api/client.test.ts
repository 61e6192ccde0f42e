// Level B: the API client against real HTTP on loopback.
import { Agent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiClient, type ApiClientOptions } from '../../src/api/client.js';
import {
  authenticateConnectSession,
  createConnectSession,
} from '../../src/api/connect-sessions.js';
import { type AddressInfo, createServer } from 'node:net';
import { CliError, type RequestFate } from '../../src/core/errors.js';
import {
  type Reply,
  SESSION_BODY,
  scriptedServer,
  type ScriptedServer,
} from '../helpers/scripted-server.js';

let server: ScriptedServer | undefined;
const agents: Agent[] = [];
afterEach(async () => {
  await server?.close();
  await Promise.all(agents.splice(0).map((agent) => agent.close()));
});

function client(baseUrl: string, overrides: Partial<ApiClientOptions> = {}) {
  const waits: number[] = [];
  const dispatcher = new Agent({ connect: { timeout: 2000 } });
  agents.push(dispatcher);
  const api = new ApiClient({
    baseUrl,
    apiKey: 'key_live_123',
    dispatcher,
    userAgent: 'cst/test',
    timeoutMs: 2000,
    sleep: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
    random: () => 0.5,
    ...overrides,
  });
  return { api, waits };
}

async function failure(promise: Promise<unknown>): Promise<CliError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CliError);
  return error as CliError;
}

const create = (api: ApiClient) =>
  createConnectSession(api, { origin_owner_id: 'c1', origin_owner_name: 'Acme' });

describe('ApiClient', () => {
  it('sends Basic auth with an empty password, a User-Agent and the JSON body', async () => {
    server = await scriptedServer([{ status: 201, body: SESSION_BODY }]);
    const { api } = client(`${server.baseUrl}/base/`);
    const session = await create(api);
    expect(session.token).toBe('tok_abc123');
    expect(session.organizationId).toBe('1001');
    const [seen] = server.requests;
    expect(seen?.method).toBe('POST');
    expect(seen?.url).toBe('/base/connect_sessions');
    expect(seen?.headers.authorization).toBe(
      `Basic ${Buffer.from('key_live_123:').toString('base64')}`,
    );
    expect(seen?.headers['user-agent']).toBe('cst/test');
    expect(seen?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(seen?.body ?? '')).toEqual({
      origin_owner_id: 'c1',
      origin_owner_name: 'Acme',
    });
  });

  it('accepts a numeric organization_id, unknown fields and categories, and the old shape without auth_link_url', async () => {
    const { auth_link_url: _dropped, ...old } = SESSION_BODY;
    server = await scriptedServer([
      {
        status: 201,
        body: {
          ...old,
          organization_id: 7.5,
          categories: ['hris', null, 'future'],
          type: 'unmapped_value',
          extra: 1,
        },
      },
    ]);
    const session = await create(client(server.baseUrl).api);
    expect(session).toMatchObject({
      organizationId: '7.5',
      categories: ['hris', null, 'future'],
      type: 'unmapped_value',
      authLinkUrl: null,
    });
    expect(session).not.toHaveProperty('extra');
  });

  it('retries 429 after Retry-After seconds, then succeeds', async () => {
    server = await scriptedServer([
      {
        status: 429,
        headers: { 'retry-after': '2' },
        body: { statusCode: 429, message: 'Too many requests', timestamp: 'x' },
      },
      { status: 201, body: SESSION_BODY },
    ]);
    const { api, waits } = client(server.baseUrl);
    await create(api);
    expect(server.requests).toHaveLength(2);
    expect(waits).toEqual([2125]);
  });

  it('honours an HTTP-date Retry-After', async () => {
    server = await scriptedServer([
      {
        status: 429,
        headers: { 'retry-after': new Date(Date.UTC(2026, 0, 1, 0, 0, 3)).toUTCString() },
      },
      { status: 201, body: SESSION_BODY },
    ]);
    const { api, waits } = client(server.baseUrl, { now: () => Date.UTC(2026, 0, 1) });
    await create(api);
    expect(waits).toEqual([3125]);
  });

  it('gives up on 429 after the retries, exit 7', async () => {
    const tooMany = {
      status: 429,
      headers: { 'retry-after': '0' },
      body: { statusCode: 429, message: 'Too many requests', timestamp: 'x' },
    };
    // The first attempt and three retries: a fifth request would be unscripted.
    server = await scriptedServer([tooMany, tooMany, tooMany, tooMany]);
    const error = await failure(create(client(server.baseUrl).api));
    expect(server.requests).toHaveLength(4);
    expect([error.code, error.exitCode, error.status]).toEqual(['rate_limited', 7, 429]);
    expect(error.message).toBe(
      'rate limited (HTTP 429 from POST /connect_sessions): Too many requests',
    );
  });

  it('does not sit through a Retry-After longer than a minute', async () => {
    server = await scriptedServer([{ status: 429, headers: { 'retry-after': '3600' } }]);
    const error = await failure(create(client(server.baseUrl).api));
    expect(server.requests).toHaveLength(1);
    expect(error.code).toBe('rate_limited');
  });

  it.each<[number, string, number]>([
    [400, 'request_rejected', 12],
    [401, 'auth_rejected', 4],
    [403, 'forbidden', 5],
    [404, 'not_found', 6],
    [409, 'request_rejected', 12],
    [422, 'request_rejected', 12],
  ])('maps HTTP %i to %s (exit %i) without retrying', async (status, code, exit) => {
    server = await scriptedServer([
      {
        status,
        body: { statusCode: status, message: ['first problem', 'second'], timestamp: 'x' },
      },
    ]);
    const error = await failure(create(client(server.baseUrl).api));
    expect(server.requests).toHaveLength(1);
    expect([error.code, error.exitCode, error.status]).toEqual([code, exit, status]);
    expect(error.message).toMatch(
      /\(HTTP \d+ from POST \/connect_sessions\): first problem; second$/,
    );
  });

  it.each<[number, string]>([
    [500, 'server_error'],
    [502, 'server_error'],
    [408, 'request_timeout'],
  ])('never retries a create after HTTP %i: the session may exist', async (status, code) => {
    server = await scriptedServer([{ status, headers: { 'retry-after': '0' } }]);
    const error = await failure(create(client(server.baseUrl).api));
    expect(server.requests).toHaveLength(1);
    expect([error.code, error.exitCode]).toEqual([code, 8]);
    expect(error.hint).toBe(
      'the server may have acted on the request; check before running it again',
    );
  });

  it('retries a lookup after HTTP 503', async () => {
    const { token: _t, auth_link_url: _l, ...session } = SESSION_BODY;
    server = await scriptedServer([{ status: 503 }, { status: 201, body: session }]);
    const found = await authenticateConnectSession(client(server.baseUrl).api, 'tok');
    expect(found.id).toBe(42);
    expect(server.requests).toHaveLength(2);
  });

  it('does not retry a create when the connection drops after sending', async () => {
    server = await scriptedServer([{ drop: true }]);
    const error = await failure(create(client(server.baseUrl).api));
    expect(server.requests).toHaveLength(1);
    expect([error.code, error.exitCode]).toEqual(['network_after_send', 10]);
    expect(error.message).toBe(
      `connection lost to ${server.baseUrl} after the request was sent (POST /connect_sessions)`,
    );
  });

  it('times out waiting for a response, and does not retry a create', async () => {
    server = await scriptedServer([{ hang: true }]);
    const error = await failure(create(client(server.baseUrl, { timeoutMs: 200 }).api));
    expect(server.requests).toHaveLength(1);
    expect([error.code, error.exitCode, error.message]).toEqual([
      'timeout',
      10,
      `no complete response from ${server.baseUrl} within 200ms (POST /connect_sessions)`,
    ]);
    expect(error.hint).toMatch(/^the server may have acted on the request/);
  });

  it('refuses a body over the size cap without reading it all', async () => {
    server = await scriptedServer([{ status: 200, raw: 'x'.repeat(5000) }]);
    const error = await failure(create(client(server.baseUrl, { maxResponseBytes: 4096 }).api));
    expect([error.code, error.exitCode, error.message]).toEqual([
      'response_too_large',
      11,
      'invalid response from POST /connect_sessions (HTTP 200): the body is larger than 4 KiB',
    ]);
  });

  it('retries a refused connection, which never reached a server, then reports it', async () => {
    server = await scriptedServer([]);
    const baseUrl = server.baseUrl;
    await server.close();
    server = undefined;
    const { api, waits } = client(baseUrl);
    const error = await failure(create(api));
    expect(waits).toHaveLength(3);
    expect([error.code, error.exitCode, error.message]).toEqual([
      'connection_refused',
      10,
      `connection refused by ${baseUrl} (POST /connect_sessions)`,
    ]);
  });

  it('names the bad field and status of an invalid response, never its value', async () => {
    server = await scriptedServer([{ status: 201, body: { ...SESSION_BODY, token: 12345678 } }]);
    const error = await failure(create(client(server.baseUrl).api));
    expect([error.exitCode, error.message]).toEqual([
      11,
      'invalid response from POST /connect_sessions (HTTP 201): field "token": expected string',
    ]);
  });

  it('reports a body that is not JSON', async () => {
    server = await scriptedServer([{ status: 201, raw: '{"id": 1, "tok' }]);
    const error = await failure(create(client(server.baseUrl).api));
    expect([error.exitCode, error.message]).toEqual([
      11,
      'invalid response from POST /connect_sessions (HTTP 201): body is not JSON',
    ]);
  });

  it('refuses to send a key over plain http to a non-loopback host', () => {
    expect(() => client('http://api.example.com')).toThrow(
      'refusing to send the API key over plain http to api.example.com',
    );
    expect(() => client('ftp://x')).toThrow('invalid base URL "ftp://x"');
  });
});

describe('the fate of a failed create, as the client sets it (see test/bulk/outcome.test.ts)', () => {
  it.each<[string, Reply, RequestFate]>([
    ['a dropped connection after the POST arrived', { drop: true }, 'may_have_acted'],
    ['a 201 that is not a session', { status: 201, body: { id: 'x' } }, 'may_have_acted'],
    ['a 502', { status: 502, body: {} }, 'may_have_acted'],
    ['a 422', { status: 422, body: { statusCode: 422, message: 'no', timestamp: '' } }, 'rejected'],
  ])('%s: %s', async (_name, reply, fate) => {
    server = await scriptedServer([reply]);
    expect((await failure(create(client(server.baseUrl).api))).fate).toBe(fate);
  });

  it('a port nobody listens on: not_sent', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    expect((await failure(create(client(`http://127.0.0.1:${port}`).api))).fate).toBe('not_sent');
  });
});

describe('the scripted server itself', () => {
  it('fails a test that leaves a reply unused or sends what was not scripted', async () => {
    const unused = await scriptedServer([{ status: 201 }, { status: 201 }]);
    await fetch(unused.baseUrl);
    await expect(unused.close()).rejects.toThrow('1 scripted reply never used');
    const extra = await scriptedServer([{ status: 204 }]);
    await fetch(extra.baseUrl);
    expect((await fetch(`${extra.baseUrl}/more`)).status).toBe(599);
    await expect(extra.close()).rejects.toThrow('unscripted requests: GET /more');
  });
});
