// Level C: cst wait and create --wait through the built binary, against `cst sandbox serve` and
// scripted servers: every outcome, its exit code, and one line for every fault.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scriptedServer, SESSION_BODY } from '../helpers/scripted-server.js';
import {
  createAndWait,
  cst,
  finish,
  isolatedEnv,
  pointedAt,
  type Result,
  serve,
  type Served,
  start,
} from './cli.js';

/** Every sandbox a test started, stopped when the file is done: the tests run side by side. */
const running: Served[] = [];
afterAll(async () => {
  await Promise.all(running.map((served) => served.stop().catch(() => undefined)));
});

/** Each sandbox's request log (its stderr, one JSON line a request), by the env pointed at it. */
const logs = new Map<Record<string, string>, () => string>();

async function sandbox() {
  const base = await isolatedEnv();
  const served = await serve(base);
  running.push(served);
  let log = '';
  served.child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const env = pointedAt(served, base);
  logs.set(env, () => log);
  return { served, env };
}

/** Resolves once the sandbox has answered a request for `path`: cst is polling. */
async function requested(env: Record<string, string>, path: string): Promise<void> {
  const log = logs.get(env)!;
  for (let tick = 0; !log().includes(`"path":"${path}"`); tick++) {
    if (tick > 500) throw new Error(`the sandbox saw no request for ${path}:\n${log()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function issue(env: Record<string, string>, owner: string, ...more: string[]) {
  const result = await cst(
    ['create', '--owner-id', owner, '--owner-name', `Name ${owner}`, '--field', 'token', ...more],
    env,
  );
  expect(result.code).toBe(0);
  return result.stdout;
}

/** `cst wait` in the background, and a link made while it polls. */
async function waitWhile(
  env: Record<string, string>,
  token: string,
  act: () => Promise<Result>,
  ...more: string[]
) {
  // A bounded wait: a failed link would end as exit 15, not as a hung test.
  const child = start(
    ['wait', '--token-stdin', '--interval', '1s', '--wait-timeout', '12s', ...more],
    env,
  );
  child.stdin?.end(token);
  const done = finish(child);
  await requested(env, '/connect_sessions/authenticate');
  const acted = await act();
  expect([acted.code, acted.stderr]).toEqual([0, '']);
  return done;
}

const link = (env: Record<string, string>, token: string, ...more: string[]) =>
  // `--` ends the options: a token may start with '-'.
  cst(['sandbox', 'link', '--provider', 'bamboohr', ...more, '--', token], env);

// The tests mostly wait on poll intervals: they run side by side.
describe.concurrent('cst wait', () => {
  it('authenticated: exit 0 with the account, recorded in the ledger', async () => {
    const { env } = await sandbox();
    const token = await issue(env, 'c1');
    const result = await waitWhile(env, token, () => link(env, token), '--json');
    expect([result.code, result.stderr]).toEqual([0, '']);
    const linked = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(linked).toMatchObject({
      status: 'authenticated',
      method: 'token',
      session_id: 1,
      owner_id: 'c1',
      provider: 'bamboohr',
      account_status: 'active',
    });
    expect(linked.account_id).toMatch(/^acc_/);
    const outcomes = await readFile(join(env.CST_STATE_DIR!, 'ledger-outcomes.jsonl'), 'utf8');
    expect(JSON.parse(outcomes)).toMatchObject({
      session_id: 1,
      outcome: 'linked',
      account_id: linked.account_id,
    });
    expect(outcomes).not.toContain(token);
    const listed = await cst(['list', '--field', 'state'], env);
    expect(listed.stdout).toBe('linked\n');
  });

  it.each([
    ['error', 'link_failed', /the customer's link failed: access_denied: /],
    ['cancelled', 'link_cancelled', /the customer cancelled the link \(session 1, c1\)/],
  ])('%s: exit 13, %s, one line and a hint', async (outcome, code, message) => {
    const { env } = await sandbox();
    const token = await issue(env, 'c1');
    const result = await waitWhile(
      env,
      token,
      () => link(env, token, '--outcome', outcome),
      '--json',
    );
    expect(result.code).toBe(13);
    expect((await cst(['list', '--field', 'state'], env)).stdout).toBe(
      outcome === 'error' ? 'failed\n' : 'cancelled\n',
    );
    const { error } = JSON.parse(result.stderr) as { error: { code: string; message: string } };
    expect([error.code, error.message]).toEqual([code, expect.stringMatching(message)]);
  });

  it('a link that expires first: exit 14, never polling past the expiry', async () => {
    const { env } = await sandbox();
    const token = await issue(env, 'c1', '--expires-in', '2s');
    const child = start(['wait', '--token-stdin', '--interval', '1s'], env);
    child.stdin?.end(token);
    const result = await finish(child);
    expect([result.code, result.stdout]).toEqual([14, '']);
    expect(result.stderr).toBe(
      'error: the session expired before the customer linked an account (session 1, c1)\n' +
        "hint: 'cst create --from-session 1' issues a new link\n",
    );
  });

  it('still pending at --wait-timeout: exit 15', async () => {
    const { env } = await sandbox();
    const token = await issue(env, 'c1');
    const result = await cst(
      ['wait', '--token-stdin', '--interval', '1s', '--wait-timeout', '1s'],
      env,
      token,
    );
    expect(result.code).toBe(15);
    expect(result.stderr).toMatch(
      /^error: still waiting for the customer after \ds \(session 1, c1\)\n/,
    );
  });

  it('--session: reads the session back by id until the customer links', async () => {
    const { env } = await sandbox();
    const token = await issue(env, 'c1');
    const child = start(['wait', '--session', '1', '--interval', '1s', '--json'], env);
    const done = finish(child);
    await requested(env, '/connect_sessions/1');
    await link(env, token);
    const result = await done;
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(JSON.parse(result.stdout)).toMatchObject({
      status: 'authenticated',
      method: 'session',
      session_id: 1,
      owner_id: 'c1',
      account_id: expect.stringMatching(/^acc_\w+$/) as string,
    });
  });

  it.each([404, 405])(
    '--session where GET /connect_sessions/{id} answers %i: says so once, then watches the owner’s accounts',
    async (status) => {
      const created = new Date().toISOString();
      const account = {
        id: 'acc_later',
        provider: 'bamboohr',
        status: 'active',
        origin_owner_id: 'cus_1',
        origin_owner_name: 'Acme Ltd',
        created_at: new Date(Date.now() + 1000).toISOString(),
        updated_at: new Date(Date.now() + 1000).toISOString(),
      };
      let accountPolls = 0;
      const server = await scriptedServer((request) => {
        if (request.method === 'POST')
          return { status: 201, body: { ...SESSION_BODY, created_at: created } };
        if (request.url.startsWith('/connect_sessions/42'))
          return { status, body: { statusCode: status, message: 'Cannot GET', timestamp: '' } };
        accountPolls++;
        return { status: 200, body: accountPolls < 2 ? [] : [account] };
      });
      try {
        const env = { ...(await isolatedEnv()), CST_BASE_URL: server.baseUrl, CST_API_KEY: 'k' };
        const made = await cst(['create', '--owner-id', 'cus_1', '--owner-name', 'Acme Ltd'], env);
        expect(made.code).toBe(0);
        const result = await cst(
          ['wait', '--session', '42', '--interval', '1s', '--field', 'account_id'],
          env,
        );
        expect([result.code, result.stdout.trim()]).toEqual([0, 'acc_later']);
        expect(result.stderr).toBe(
          `this StackOne deployment does not read sessions back by id (HTTP ${status}): waiting for the first account of cus_1 created after session 42\n`,
        );
        const reads = server.requests.filter((r) => r.url.startsWith('/connect_sessions/42'));
        expect(reads).toHaveLength(1);
      } finally {
        await server.close();
      }
    },
  );

  it('an id that is not a whole number (the spec allows it) can be followed and reissued as printed', async () => {
    const created = new Date().toISOString();
    const session = { ...SESSION_BODY, id: 1.5, created_at: created };
    const server = await scriptedServer((request) =>
      request.method === 'POST'
        ? { status: 201, body: { ...session, id: server.requests.length === 1 ? 1.5 : 2 } }
        : {
            status: 200,
            body: {
              ...session,
              token: undefined,
              latest_connection_attempt: {
                id: 'att_1',
                created_at: created,
                updated_at: created,
                status: 'cancelled',
              },
            },
          },
    );
    try {
      const env = { ...(await isolatedEnv()), CST_BASE_URL: server.baseUrl, CST_API_KEY: 'k' };
      const made = await cst(
        ['create', '--owner-id', 'cus_1', '--owner-name', 'A', '--field', 'id'],
        env,
      );
      expect([made.code, made.stdout.trim()]).toEqual([0, '1.5']);
      const waited = await cst(['wait', '--session', '1.5'], env);
      expect(waited.code).toBe(13);
      expect(waited.stderr).toMatch(
        /^error: the customer cancelled the link \(session 1\.5, cus_1\)\nhint: 'cst create --from-session 1\.5' issues a new link\n$/,
      );
      const again = await cst(['create', '--from-session', '1.5', '--field', 'id'], env);
      expect([again.code, again.stdout.trim()]).toEqual([0, '2']);
      expect(JSON.parse(server.requests.at(-1)!.body)).toMatchObject({ origin_owner_id: 'cus_1' });
      expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
        'POST /connect_sessions',
        'GET /connect_sessions/1.5',
        'POST /connect_sessions',
      ]);
    } finally {
      await server.close();
    }
  });

  it('list --refresh stopped by Ctrl-C: exit 130 at once, the outcomes learned so far kept', async () => {
    const created = new Date().toISOString();
    let posts = 0;
    const server = await scriptedServer((request) => {
      if (request.method === 'POST')
        return { status: 201, body: { ...SESSION_BODY, id: ++posts, created_at: created } };
      // The oldest session is decided; the next read never comes back.
      if (request.url === '/connect_sessions/1')
        return {
          status: 200,
          body: {
            ...SESSION_BODY,
            id: 1,
            token: undefined,
            latest_connection_attempt: {
              id: 'att_1',
              created_at: created,
              updated_at: created,
              status: 'error',
            },
          },
        };
      return { hang: true };
    });
    try {
      const env: Record<string, string> = {
        ...(await isolatedEnv()),
        CST_BASE_URL: server.baseUrl,
        CST_API_KEY: 'k',
      };
      for (const owner of ['cus_1', 'cus_2'])
        expect((await cst(['create', '--owner-id', owner, '--owner-name', 'A'], env)).code).toBe(0);
      const child = start(['list', '--refresh', '--field', 'state'], env);
      const done = finish(child);
      const outcomesFile = join(env.CST_STATE_DIR!, 'ledger-outcomes.jsonl');
      // Session 1 answered and recorded, session 2 asked and hanging: then Ctrl-C.
      while (
        !server.requests.some((r) => r.url === '/connect_sessions/2') ||
        !(await readFile(outcomesFile, 'utf8').catch(() => '')).endsWith('\n')
      )
        await new Promise((resolve) => setTimeout(resolve, 20));
      child.kill('SIGINT');
      const result = await done;
      expect([result.code, result.stdout]).toEqual([130, '']);
      expect(result.stderr).toBe('error: interrupted: the outcomes learned so far are kept\n');
      const outcomes = await readFile(outcomesFile, 'utf8');
      expect(JSON.parse(outcomes)).toMatchObject({ session_id: 1, outcome: 'failed' });
    } finally {
      await server.close();
    }
  });

  it('--session answered with another project’s session: exit 3, nothing recorded', async () => {
    const server = await scriptedServer((request) =>
      request.method === 'POST'
        ? { status: 201, body: { ...SESSION_BODY, created_at: new Date().toISOString() } }
        : { status: 200, body: { ...SESSION_BODY, project_id: 'proj-other', token: undefined } },
    );
    try {
      const env: Record<string, string> = {
        ...(await isolatedEnv()),
        CST_BASE_URL: server.baseUrl,
        CST_API_KEY: 'k',
      };
      expect((await cst(['create', '--owner-id', 'cus_1', '--owner-name', 'A'], env)).code).toBe(0);
      const result = await cst(['wait', '--session', '42'], env);
      expect([result.code, result.stdout]).toEqual([3, '']);
      expect(result.stderr).toMatch(
        /^error: the API key of the project of CST_API_KEY read back session 42 of another project: project proj-other \(expected proj-1\)\nhint: /,
      );
      const state = await readdir(env.CST_STATE_DIR!);
      expect(state).toContain('ledger.jsonl');
      expect(state).not.toContain('ledger-outcomes.jsonl');
    } finally {
      await server.close();
    }
  });

  it.each([
    ['an unknown token', ['--token-stdin'], 'not-a-token', 6, 'error: token unknown or expired\n'],
    [
      'an unknown session',
      ['--session', '99'],
      '',
      2,
      "error: --session: no session 99 in the ledger\nhint: 'cst list' shows the sessions cst issued\n",
    ],
    [
      'both a token and a session',
      ['tok', '--session', '1'],
      '',
      2,
      'error: give one of: a token, --token-stdin, or --session <id>\n',
    ],
    [
      'a token that begins with "-": taken as the token, never echoed',
      ['-nk0J8AUhyduGYmvm601whxpdYyyPKpG7P1Kvw3ltBs'],
      '',
      6,
      'warning: a token given as an argument lands in shell history; prefer --token-stdin\nerror: token unknown or expired\n',
    ],
    [
      'a sub-second interval',
      ['--token-stdin', '--interval', '200ms'],
      'x',
      2,
      'error: --interval: must be at least 1s\n',
    ],
  ])('%s: one line and its exit code', async (_, args, input, code, stderr) => {
    const { env } = await sandbox();
    const result = await cst(['wait', ...args], env, input);
    expect([result.code, result.stderr]).toEqual([code, stderr]);
  });

  it('a revoked key: exit 4 at once', async () => {
    const { env } = await sandbox();
    const token = await issue(env, 'c1');
    const result = await cst(
      ['wait', '--token-stdin'],
      { ...env, CST_API_KEY: 'sk_revoked' },
      token,
    );
    expect(result.code).toBe(4);
  });

  it('a server that disappears: retried with backoff until --wait-timeout, then exit 10', async () => {
    const server = await scriptedServer([{ status: 201, body: SESSION_BODY }]);
    const env = {
      ...(await isolatedEnv()),
      CST_BASE_URL: server.baseUrl,
      CST_API_KEY: 'k',
    };
    const child = start(['wait', '--token-stdin', '--interval', '1s', '--wait-timeout', '3s'], env);
    child.stdin?.end('tok_abc123');
    const done = finish(child);
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    await server.close();
    const result = await done;
    expect(result.code).toBe(10);
    expect(result.stderr).toMatch(
      /^error: connection refused by .*; gave up waiting\nhint: nothing is listening there: is 'cst sandbox serve' running\? \(or use --sandbox\)\n$/,
    );
  });

  it.each([
    ['cst wait', ['wait', '--token-stdin'], [] as const],
    [
      'cst create --wait',
      ['create', '--owner-id', 'cus_1', '--owner-name', 'Acme Ltd', '--wait', '--json'],
      [{ status: 201, body: { ...SESSION_BODY, created_at: new Date().toISOString() } }] as const,
    ],
  ])(
    '%s against a server that never answers a poll: ends at --wait-timeout, exit 15',
    async (_, args, before) => {
      const server = await scriptedServer([...before, { hang: true }], { repeatLast: true });
      try {
        const env = { ...(await isolatedEnv()), CST_BASE_URL: server.baseUrl, CST_API_KEY: 'k' };
        const started = Date.now();
        const result = await cst(
          [...args, '--interval', '1s', '--wait-timeout', '2s', '--timeout', '30s'],
          env,
          'tok_abc123',
        );
        // The deadline, plus a second, plus a node start on a busy machine.
        expect(Date.now() - started).toBeLessThan(2000 + 1000 + 1500);
        expect(result.code).toBe(15);
        expect(result.stderr).toMatch(/still waiting for the customer after 2s/);
      } finally {
        await server.close();
      }
    },
  );

  it('--token-stdin stops reading past 64 KB: a usage error naming the limit', async () => {
    const env = await isolatedEnv();
    const child = start(['wait', '--token-stdin'], env);
    // Endless input, as from `yes`: cst must stop, not read until memory runs out.
    const chunk = 'y\n'.repeat(32 * 1024);
    const feed = () => {
      while (child.stdin!.writable && child.stdin!.write(chunk));
    };
    child.stdin!.on('drain', feed).on('error', () => undefined);
    feed();
    const result = await finish(child);
    expect([result.code, result.stderr]).toEqual([
      2,
      'error: --token-stdin: stdin holds more than 64 KB, the most a secret may be\n',
    ]);
  });

  it('authenticated without an account id: keeps polling, then exit 15 saying so', async () => {
    const attempt = {
      id: 'att_1',
      created_at: '2026-11-25T10:01:00.000Z',
      updated_at: '2026-11-25T10:02:00.000Z',
      status: 'authenticated',
      account_secure_id: null,
      oauth_error_code: null,
      oauth_error_description: null,
    };
    const server = await scriptedServer(
      [{ status: 201, body: { ...SESSION_BODY, latest_connection_attempt: attempt } }],
      { repeatLast: true },
    );
    try {
      const env = { ...(await isolatedEnv()), CST_BASE_URL: server.baseUrl, CST_API_KEY: 'k' };
      const result = await cst(
        ['wait', '--token-stdin', '--interval', '1s', '--wait-timeout', '2s'],
        env,
        'tok_abc123',
      );
      expect(result.code).toBe(15);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(
        /^error: the link attempt reported success but no account yet after 2s \(session 42, cus_1\)\n/,
      );
      expect(server.requests.length).toBeGreaterThan(1);
    } finally {
      await server.close();
    }
  });

  it('a malformed latest_connection_attempt: exit 11 naming the field', async () => {
    const server = await scriptedServer([
      { status: 201, body: { ...SESSION_BODY, latest_connection_attempt: { status: 7 } } },
    ]);
    try {
      const env = { ...(await isolatedEnv()), CST_BASE_URL: server.baseUrl, CST_API_KEY: 'k' };
      const result = await cst(['wait', '--token-stdin'], env, 'tok_abc123');
      expect([result.code, result.stderr]).toEqual([
        11,
        'error: invalid response from POST /connect_sessions/authenticate (HTTP 201): field "latest_connection_attempt.id": expected string\n',
      ]);
    } finally {
      await server.close();
    }
  });
});

describe.concurrent('cst create --wait', () => {
  it('--sandbox keeps its sandbox up while it waits: the printed link works until linked', async () => {
    const { link, done } = await createAndWait(
      { id: 'c1', name: 'C1', categories: 'hris' },
      15_000,
    );
    const token = new URL(link).searchParams.get('token')!;
    const opened = await fetch(link);
    expect([opened.status, await opened.text()]).toEqual([200, expect.stringContaining('C1')]);
    const connected = await fetch(new URL('/connect', link), {
      method: 'POST',
      body: new URLSearchParams({ token, provider: 'personio', outcome: 'authenticated' }),
    });
    expect(connected.status).toBe(200);
    const result = await done;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`token\t${token}\n`);
    expect(result.stderr).toMatch(/^linked: c1 connected personio: account acc_\w+ \(active\)\n$/);
  });
});
