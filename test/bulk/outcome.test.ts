// Level A/B: "never sent" and "may have acted" travel as a typed fact (RequestFate) from the API
// client to a bulk row's outcome: every way a request can fail, and what the row becomes.
import { createServer } from 'node:net';
import { Agent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiClient } from '../../src/api/client.js';
import { createConnectSession } from '../../src/api/connect-sessions.js';
import { httpError, networkError, timeoutError, tooLargeError } from '../../src/api/outcomes.js';
import { outcomeOf } from '../../src/bulk/outcome.js';
import { CliError } from '../../src/errors.js';
import { type Reply, scriptedServer, type ScriptedServer } from '../helpers/scripted-server.js';

const withCode = (code: string) => Object.assign(new Error(code), { code });
const ORIGIN = 'https://api.stackone.com';

describe('a failed request’s fate, and its bulk row', () => {
  it.each<[string, CliError, string, string]>([
    ['HTTP 400', httpError(400, 'bad', 'POST /x', false), 'rejected', 'failed'],
    ['HTTP 401', httpError(401, undefined, 'POST /x', false), 'rejected', 'failed'],
    ['HTTP 403', httpError(403, undefined, 'POST /x', false), 'rejected', 'failed'],
    ['HTTP 404', httpError(404, undefined, 'POST /x', false), 'rejected', 'failed'],
    ['HTTP 409', httpError(409, undefined, 'POST /x', false), 'rejected', 'failed'],
    [
      'HTTP 429, retries used up',
      httpError(429, undefined, 'POST /x', false),
      'rejected',
      'failed',
    ],
    ['HTTP 408', httpError(408, undefined, 'POST /x', false), 'may_have_acted', 'unknown'],
    ['HTTP 500', httpError(500, undefined, 'POST /x', false), 'may_have_acted', 'unknown'],
    ['HTTP 503', httpError(503, undefined, 'POST /x', false), 'may_have_acted', 'unknown'],
    ['a redirect', httpError(302, undefined, 'POST /x', false), 'may_have_acted', 'unknown'],
    [
      'refused',
      networkError(withCode('ECONNREFUSED'), 'POST /x', ORIGIN, false),
      'not_sent',
      'failed',
    ],
    ['DNS', networkError(withCode('ENOTFOUND'), 'POST /x', ORIGIN, false), 'not_sent', 'failed'],
    [
      'connect timeout',
      networkError(withCode('UND_ERR_CONNECT_TIMEOUT'), 'POST /x', ORIGIN, false),
      'not_sent',
      'failed',
    ],
    [
      'no route',
      networkError(withCode('EHOSTUNREACH'), 'POST /x', ORIGIN, false),
      'not_sent',
      'failed',
    ],
    [
      'a TLS certificate',
      networkError(withCode('CERT_HAS_EXPIRED'), 'POST /x', ORIGIN, false),
      'not_sent',
      'failed',
    ],
    [
      'a proxy refusing',
      networkError(withCode('ECONNREFUSED'), 'POST /x', ORIGIN, false, 'http://proxy:3128'),
      'not_sent',
      'failed',
    ],
    [
      'reset after sending',
      networkError(withCode('ECONNRESET'), 'POST /x', ORIGIN, false),
      'may_have_acted',
      'unknown',
    ],
    [
      'no headers in time',
      networkError(withCode('UND_ERR_HEADERS_TIMEOUT'), 'POST /x', ORIGIN, false),
      'may_have_acted',
      'unknown',
    ],
    [
      '--timeout ran out',
      timeoutError('POST /x', ORIGIN, 1000, false),
      'may_have_acted',
      'unknown',
    ],
    [
      'a body over the cap',
      tooLargeError('POST /x', 201, 1024, false),
      'may_have_acted',
      'unknown',
    ],
  ])('%s: %s, the row %s', (_name, error, fate, status) => {
    expect(error.fate).toBe(fate);
    expect(outcomeOf(error).status).toBe(status);
  });

  it('an error that did not come from a request is unknown: cst cannot say it was not sent', () => {
    expect(outcomeOf(new Error('boom')).status).toBe('unknown');
    expect(outcomeOf(new CliError('x', 'unexpected', 1)).status).toBe('unknown');
  });

  it('a rejected key stops the run; network failures count toward --max-network-failures', () => {
    expect(outcomeOf(httpError(401, undefined, 'POST /x', false)).stopRun).toBe(true);
    expect(outcomeOf(httpError(403, undefined, 'POST /x', false)).stopRun).toBe(true);
    expect(outcomeOf(httpError(400, undefined, 'POST /x', false)).stopRun).toBe(false);
    const refused = outcomeOf(networkError(withCode('ECONNREFUSED'), 'POST /x', ORIGIN, false));
    expect([refused.network, refused.stopRun]).toEqual([true, false]);
  });
});

describe('the fate, from the client over real HTTP on loopback', () => {
  let server: ScriptedServer | undefined;
  const agents: Agent[] = [];
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await Promise.all(agents.splice(0).map((agent) => agent.close()));
  });

  async function post(baseUrl: string): Promise<CliError> {
    const dispatcher = new Agent({ connect: { timeout: 2000 } });
    agents.push(dispatcher);
    const api = new ApiClient({
      baseUrl,
      apiKey: 'key_live_123',
      dispatcher,
      userAgent: 'cst/test',
      timeoutMs: 2000,
      sleep: () => Promise.resolve(),
    });
    return createConnectSession(api, { origin_owner_id: 'c1', origin_owner_name: 'C' }).then(
      () => {
        throw new Error('the request succeeded');
      },
      (error: unknown) => error as CliError,
    );
  }

  it.each<[string, Reply, string]>([
    ['a dropped connection after the POST arrived', { drop: true }, 'may_have_acted'],
    [
      'a 201 that is not a session',
      { status: 201, body: { id: 'not a number' } },
      'may_have_acted',
    ],
    ['a 422', { status: 422, body: { statusCode: 422, message: 'no', timestamp: '' } }, 'rejected'],
  ])('%s: %s', async (_name, reply, fate) => {
    server = await scriptedServer([reply]);
    expect((await post(server.baseUrl)).fate).toBe(fate);
  });

  it('a port nobody listens on: not_sent', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as { port: number };
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    expect((await post(`http://127.0.0.1:${port}`)).fate).toBe('not_sent');
  });
});
