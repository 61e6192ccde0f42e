// Level B: the sandbox over real HTTP on loopback.
import { appendFile, mkdir, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type RunningSandbox,
  type SandboxOptions,
  startSandbox,
} from '../../src/sandbox/server.js';
import { call } from '../helpers/http.js';

const running: RunningSandbox[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((sandbox) => sandbox.close()));
});

async function sandbox(options: Partial<SandboxOptions> = {}) {
  const stateDir = options.stateDir ?? join(await mkdtemp(join(tmpdir(), 'cst-sandbox-')), 'state');
  const started = await startSandbox({ stateDir, ...options });
  running.push(started);
  const state = await started.store.read();
  const keys = state.organizations.flatMap((org) => org.projects.map((p) => p.apiKey));
  return { ...started, stateDir, key: keys[0]!, otherKey: keys[3]! };
}

const owner = { origin_owner_id: 'cus_1', origin_owner_name: 'Acme' };

describe('sandbox', () => {
  it('creates a session with every required field and echoes the optional ones', async () => {
    const { baseUrl, key } = await sandbox({ now: () => new Date('2026-11-25T10:00:00.000Z') });
    const { status, body } = await call(baseUrl, 'POST', '/connect_sessions', key, {
      ...owner,
      categories: ['hris'],
      label: 'L',
      metadata: { a: 1 },
      type: 'test',
    });
    expect(status).toBe(201);
    const session = body as Record<string, unknown>;
    expect(session).toEqual({
      id: 1,
      organization_id: '1001',
      project_id: 'acme-production',
      ...owner,
      categories: ['hris'],
      label: 'L',
      metadata: { a: 1 },
      type: 'test',
      created_at: '2026-11-25T10:00:00.000Z',
      latest_connection_attempt: null,
      token: session.token,
      auth_link_url: `${baseUrl}/connect?token=${String(session.token)}`,
    });
    expect(session.token).toMatch(/^[\w-]{43}$/);
  });

  it('survives a record torn by a crash in its sessions file', async () => {
    const { baseUrl, key, stateDir } = await sandbox();
    const first = (await call(baseUrl, 'POST', '/connect_sessions', key, owner)).body as {
      token: string;
    };
    await appendFile(join(stateDir, 'sandbox-sessions.jsonl'), '{"id":2,"organizationId":"10');
    const second = (await call(baseUrl, 'POST', '/connect_sessions', key, owner)).body as {
      token: string;
    };
    for (const { token } of [first, second]) {
      const answer = await call(baseUrl, 'POST', '/connect_sessions/authenticate', key, { token });
      expect(answer.status).toBe(201);
    }
    const stats = await fetch(`${baseUrl}/_sandbox/stats`);
    expect([stats.status, await stats.json()]).toEqual([
      200,
      { sessions: 2, by_owner: { cus_1: 2 } },
    ]);
  });

  it('answers 401 with the spec body for a missing or wrong key', async () => {
    const { baseUrl } = await sandbox({ now: () => new Date('2026-11-25T10:00:00.000Z') });
    for (const key of [undefined, 'sk_sandbox_wrong']) {
      expect(await call(baseUrl, 'POST', '/connect_sessions', key, owner)).toMatchObject({
        status: 401,
        body: { statusCode: 401, message: 'Unauthorized', timestamp: '2026-11-25T10:00:00.000Z' },
      });
    }
  });

  it.each<[string, unknown, string]>([
    ['a missing owner', { origin_owner_id: 'c' }, 'origin_owner_name must be a non-empty string'],
    ['a wrong type', { ...owner, expires_in: '30m' }, 'expires_in must be a positive number'],
    [
      'an unknown category',
      { ...owner, categories: ['hrisLegacy'] },
      'categories must contain only ats, hris, hris-legacy, crm, iam, marketing, lms, stackone, documents, ticketing, screening, messaging, accounting, scheduling',
    ],
    ['an unknown type', { ...owner, type: 'staging' }, 'type must be one of production, test'],
    ['a body that is not JSON', '{', 'Body must be valid JSON'],
  ])('answers 400 for %s', async (_name, body, message) => {
    const { baseUrl, key } = await sandbox();
    const answer = await call(baseUrl, 'POST', '/connect_sessions', key, body);
    expect([answer.status, (answer.body as { message: string }).message]).toEqual([400, message]);
  });

  it('authenticates a live token of its own project only, and forgets it when it expires', async () => {
    let now = new Date('2026-11-25T10:00:00.000Z');
    const { baseUrl, key, otherKey } = await sandbox({ now: () => now });
    const created = (
      await call(baseUrl, 'POST', '/connect_sessions', key, { ...owner, expires_in: 60 })
    ).body as { token: string; id: number };
    const found = await call(baseUrl, 'POST', '/connect_sessions/authenticate', key, {
      token: created.token,
    });
    expect(found.status).toBe(201);
    expect(found.body).toEqual({
      id: created.id,
      organization_id: '1001',
      project_id: 'acme-production',
      ...owner,
      created_at: '2026-11-25T10:00:00.000Z',
      latest_connection_attempt: null,
    });
    expect(
      (
        await call(baseUrl, 'POST', '/connect_sessions/authenticate', otherKey, {
          token: created.token,
        })
      ).status,
    ).toBe(404);
    expect(
      (await call(baseUrl, 'POST', '/connect_sessions/authenticate', key, { token: 'nope' }))
        .status,
    ).toBe(404);
    now = new Date('2026-11-25T10:01:00.000Z');
    const expired = await call(baseUrl, 'POST', '/connect_sessions/authenticate', key, {
      token: created.token,
    });
    expect([expired.status, (expired.body as { message: string }).message]).toEqual([
      404,
      'Connect session not found',
    ]);
  });

  it('rate-limits per key with 429 and Retry-After', async () => {
    const { baseUrl, key, otherKey } = await sandbox({ rateLimitPerMinute: 2 });
    expect((await call(baseUrl, 'POST', '/connect_sessions', key, owner)).status).toBe(201);
    expect((await call(baseUrl, 'POST', '/connect_sessions', key, owner)).status).toBe(201);
    const limited = await call(baseUrl, 'POST', '/connect_sessions', key, owner);
    expect([
      limited.status,
      limited.headers['retry-after'],
      (limited.body as { message: string }).message,
    ]).toEqual([429, '60', 'Too many requests']);
    expect((await call(baseUrl, 'POST', '/connect_sessions', otherKey, owner)).status).toBe(201);
  });

  it('answers 404 with the spec body for other routes', async () => {
    const { baseUrl, key } = await sandbox();
    const answer = await call(baseUrl, 'GET', '/connect_sessions', key);
    expect([answer.status, (answer.body as { message: string }).message]).toEqual([
      404,
      'Cannot GET /connect_sessions',
    ]);
  });

  it('shares one state between sandboxes: parallel creates get distinct increasing ids', async () => {
    const first = await sandbox();
    const second = await sandbox({ stateDir: first.stateDir });
    const ids = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call((i % 2 ? first : second).baseUrl, 'POST', '/connect_sessions', first.key, owner).then(
          (a) => (a.body as { id: number }).id,
        ),
      ),
    );
    expect(ids.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('keeps its state private and holds token hashes, not tokens', async () => {
    const previous = process.umask(0o022);
    try {
      const { baseUrl, key, stateDir, store } = await sandbox();
      const { token } = (await call(baseUrl, 'POST', '/connect_sessions', key, owner)).body as {
        token: string;
      };
      expect((await stat(stateDir)).mode & 0o777).toBe(0o700);
      expect((await stat(store.path)).mode & 0o777).toBe(0o600);
      expect(await readFile(store.path, 'utf8')).not.toContain(token);
    } finally {
      process.umask(previous);
    }
  });
});

describe('the request log', () => {
  it('shows no key and no issued token, even when a client puts them in the path', async () => {
    const entries: string[] = [];
    const { baseUrl, key } = await sandbox({ onRequest: (entry) => entries.push(entry.path) });
    const created = await call(baseUrl, 'POST', '/connect_sessions', key, owner);
    const token = (created.body as { token: string }).token;
    const basic = Buffer.from(`${key}:`).toString('base64');
    for (const secret of [key, basic, token])
      await call(baseUrl, 'GET', `/accounts/${encodeURIComponent(secret)}`, key);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(entries).toHaveLength(4);
    expect(entries.slice(1)).toEqual(Array(3).fill('/accounts/[redacted]'));
  });

  it("answers a browser's favicon request with 204 and leaves it out of the log", async () => {
    const entries: string[] = [];
    const { baseUrl } = await sandbox({ onRequest: (entry) => entries.push(entry.path) });
    const answer = await request(`${baseUrl}/favicon.ico`);
    expect([answer.statusCode, await answer.body.text()]).toEqual([204, '']);
    await request(`${baseUrl}/nope`).then((r) => r.body.text());
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(entries).toEqual(['/nope']);
  });
});

describe('damaged sandbox state', () => {
  it('/_sandbox/stats skips a parseable session line of the wrong shape', async () => {
    const { baseUrl, key, stateDir } = await sandbox();
    await call(baseUrl, 'POST', '/connect_sessions', key, owner);
    await appendFile(join(stateDir, 'sandbox-sessions.jsonl'), '5\nnull\n{"id":"x"}\n[]\n');
    await call(baseUrl, 'POST', '/connect_sessions', key, owner);
    const stats = await fetch(`${baseUrl}/_sandbox/stats`);
    expect([stats.status, await stats.json()]).toEqual([
      200,
      { sessions: 2, by_owner: { cus_1: 2 } },
    ]);
  });

  it.each([
    ['not JSON', '{"organ'],
    ['JSON of another shape', '[1,2]'],
  ])('a sandbox.json that is %s: state_unreadable, exit 17', async (_, text) => {
    const stateDir = join(await mkdtemp(join(tmpdir(), 'cst-sandbox-')), 'state');
    await mkdir(stateDir, { recursive: true });
    await writeFile(join(stateDir, 'sandbox.json'), text);
    const error = await startSandbox({ stateDir }).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toMatchObject({
      code: 'state_unreadable',
      exitCode: 17,
      message: `cannot read the sandbox state ${join(stateDir, 'sandbox.json')}: it is corrupt`,
    });
  });
});

/** A raw request, so that the Host header is whatever the test says. */
function withHost(baseUrl: string, host: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, baseUrl);
    const sent = httpRequest(
      { host: url.hostname, port: url.port, path: url.pathname, headers: { host } },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    sent.on('error', reject);
    sent.end();
  });
}

function hubPost(baseUrl: string, fields: Record<string, string>) {
  return request(`${baseUrl}/connect`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  }).then(async (response) => ({
    status: response.statusCode,
    text: await response.body.text(),
  }));
}

describe('the Hub and the stats route refuse what they must', () => {
  it('answers only its own names with its own port: 421 for any other Host', async () => {
    const { baseUrl } = await sandbox();
    const { port } = new URL(baseUrl);
    for (const host of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      `LOCALHOST:${port}`,
      `[::1]:${port}`,
    ])
      expect([host, await withHost(baseUrl, host, '/_sandbox/stats')]).toEqual([host, 200]);
    for (const host of ['evil.example', `evil.example:${port}`, '127.0.0.1:1', `127.0.0.2:${port}`])
      for (const path of ['/_sandbox/stats', '/connect?token=x', '/connect_sessions'])
        expect([host, path, await withHost(baseUrl, host, path)]).toEqual([host, path, 421]);
  });

  async function hubSession(categories: string[] = ['hris']) {
    const running = await sandbox();
    const created = await call(running.baseUrl, 'POST', '/connect_sessions', running.key, {
      ...owner,
      categories,
    });
    return { ...running, token: (created.body as { token: string }).token };
  }

  async function accountsOf(baseUrl: string, key: string) {
    const listed = await call(baseUrl, 'GET', '/accounts?origin_owner_ids=cus_1', key);
    return (listed.body as { id: string }[]).map((account) => account.id);
  }

  it('a decided session stays decided: 409 for a second Connect, Fail or Cancel, and for the page', async () => {
    const { baseUrl, key, token } = await hubSession();
    const first = await hubPost(baseUrl, { token, provider: 'bamboohr', outcome: 'authenticated' });
    expect(first.status).toBe(200);
    const accounts = await accountsOf(baseUrl, key);
    expect(accounts).toHaveLength(1);
    for (const outcome of ['authenticated', 'error', 'cancelled']) {
      const again = await hubPost(baseUrl, { token, provider: 'personio', outcome });
      expect([outcome, again.status]).toEqual([outcome, 409]);
      expect(again.text).toContain('already decided');
    }
    const page = await request(`${baseUrl}/connect?token=${encodeURIComponent(token)}`);
    expect([page.statusCode, await page.body.text()]).toEqual([
      409,
      expect.stringContaining(`already decided: connected (account ${accounts[0]})`),
    ]);
    expect(await accountsOf(baseUrl, key)).toEqual(accounts);
    const found = await call(baseUrl, 'POST', '/connect_sessions/authenticate', key, { token });
    expect(found.body).toMatchObject({
      latest_connection_attempt: { status: 'authenticated', account_secure_id: accounts[0] },
    });
  });

  it('five Connects at once link exactly one account', async () => {
    const { baseUrl, key, token } = await hubSession();
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        hubPost(baseUrl, { token, provider: 'bamboohr', outcome: 'authenticated' }),
      ),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409, 409, 409, 409]);
    expect(await accountsOf(baseUrl, key)).toHaveLength(1);
  });

  it('a provider the page did not offer is refused with 400 and decides nothing', async () => {
    const { baseUrl, key, token } = await hubSession(['ats']);
    const refused = await hubPost(baseUrl, {
      token,
      provider: 'bamboohr',
      outcome: 'authenticated',
    });
    expect([refused.status, refused.text]).toEqual([
      400,
      expect.stringContaining('provider &quot;bamboohr&quot; is not offered for this session'),
    ]);
    expect(await accountsOf(baseUrl, key)).toEqual([]);
    const offered = await hubPost(baseUrl, {
      token,
      provider: 'greenhouse',
      outcome: 'authenticated',
    });
    expect(offered.status).toBe(200);
  });

  it('a form over 64 KB gets 413, not 500', async () => {
    const { baseUrl, token } = await hubSession();
    const answer = await hubPost(baseUrl, {
      token,
      provider: 'bamboohr',
      outcome: 'authenticated',
      padding: 'x'.repeat(64 * 1024),
    });
    expect([answer.status, answer.text]).toEqual([
      413,
      expect.stringContaining('Payload too large'),
    ]);
  });
});
