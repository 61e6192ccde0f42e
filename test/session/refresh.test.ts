// Level B: cst list --refresh in-process, against a ledger on disk and a scripted StackOne on
// loopback: which sessions are read back, what each answer records, and how it stops.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type ListFlags, parseListOptions } from '../../src/commands/list/options.js';
import { runList } from '../../src/commands/list/run.js';
import type { CliError } from '../../src/core/errors.js';
import { targetId } from '../../src/ledger/record.js';
import { appendOutcome, appendRecord, ledgerPath } from '../../src/ledger/store.js';
import { testContext } from '../helpers/context.js';
import { fakeClock } from '../helpers/fake-clock.js';
import { realClock, record } from '../helpers/ledger-record.js';
import {
  type Reply,
  SESSION_BODY,
  scriptedServer,
  type ScriptedServer,
} from '../helpers/scripted-server.js';

const KEY = 'key_live_refresh';
let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Record n is created n minutes after 2026-11-01 and lives 30: at NOW, 3 and 4 are expired. */
const NOW = new Date(Date.parse(record(40).created_at));

function answer(id: number, status: string | null, account: string | null = null): Reply {
  return {
    status: 200,
    body: {
      ...SESSION_BODY,
      id,
      organization_id: '1001',
      project_id: 'p1',
      token: undefined,
      auth_link_url: undefined,
      latest_connection_attempt: {
        id: `att_${id}`,
        created_at: NOW.toISOString(),
        updated_at: NOW.toISOString(),
        status,
        account_secure_id: account,
      },
    },
  };
}

async function ledgerOf(ids: number[], target: string) {
  const dir = await mkdtemp(join(tmpdir(), 'cst-refresh-'));
  for (const id of ids)
    await appendRecord(
      ledgerPath(dir, false),
      record(id, { org: null, project: null, target }),
      realClock,
    );
  return dir;
}

async function list(dir: string, flags: Partial<ListFlags>) {
  // Pacing sleeps on this clock: a run of reads takes no time.
  const clock = fakeClock(NOW.getTime());
  const io = testContext({
    env: { CST_STATE_DIR: dir, NO_COLOR: '1' },
    now: clock.now,
    timer: clock.timer,
    api: { baseUrl: server!.baseUrl, apiKey: KEY },
  });
  const error = await runList(
    parseListOptions({ timeout: '5s', json: true, ...flags }, NOW.getTime()),
    io.ctx,
  ).then(
    () => undefined,
    (e: unknown) => e as CliError,
  );
  const out = io.stdout();
  const states = out
    ? Object.fromEntries(
        (JSON.parse(out) as { id: number; state: string }[]).map((row) => [row.id, row.state]),
      )
    : {};
  return { states, err: io.stderr(), error };
}

const asked = () => server!.requests.map((r) => r.url);
const outcomes = async (dir: string) =>
  (await readFile(join(dir, 'ledger-outcomes.jsonl'), 'utf8').catch(() => ''))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { session_id: number; outcome: string });

describe('list --refresh', () => {
  it('reads back every open session, oldest first, records what is final, and asks nothing twice', async () => {
    // 3 (pending still) and 4 (forgotten) are past their expiry; the rest are live.
    const replies: Record<number, Reply> = {
      3: answer(3, 'pending'),
      4: { status: 404, body: { statusCode: 404, message: 'Not found', timestamp: '' } },
      15: answer(15, 'authenticated', 'acc_15'),
      16: answer(16, 'error'),
      17: answer(17, 'cancelled'),
      18: answer(18, null),
      19: answer(19, 'authenticated', null),
    };
    server = await scriptedServer(
      (request) => replies[Number(/\/connect_sessions\/(\d+)$/.exec(request.url)?.[1])]!,
    );
    const target = targetId('env', server.baseUrl, KEY);
    const ids = [3, 4, 15, 16, 17, 18, 19, 20];
    const dir = await ledgerOf(ids, target);
    // 20 is decided already: never asked.
    await appendOutcome(
      ledgerPath(dir, false),
      {
        v: 1,
        target,
        session_id: 20,
        outcome: 'linked',
        account_id: 'acc_20',
        at: NOW.toISOString(),
      },
      realClock,
    );

    const first = await list(dir, { refresh: true });
    expect(first.error).toBeUndefined();
    expect(first.states).toEqual({
      3: 'expired',
      4: 'expired',
      15: 'linked',
      16: 'failed',
      17: 'cancelled',
      18: 'pending',
      19: 'pending',
      20: 'linked',
    });
    // Sent oldest first, four at a time: they may arrive in any order.
    expect(asked().sort()).toEqual(
      [15, 16, 17, 18, 19, 3, 4].map((id) => `/connect_sessions/${id}`),
    );
    const recorded = (await outcomes(dir)).map(({ session_id, outcome }) => [session_id, outcome]);
    expect(recorded.sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual([
      [3, 'expired'],
      [4, 'expired'],
      [15, 'linked'],
      [16, 'failed'],
      [17, 'cancelled'],
      [20, 'linked'],
    ]);

    server.requests.length = 0;
    const second = await list(dir, { refresh: true, summary: true });
    expect(second.error).toBeUndefined();
    expect(asked().sort()).toEqual(['/connect_sessions/18', '/connect_sessions/19']);
  });

  it('a deployment without the endpoint (405): said once, states as the ledger knows them', async () => {
    server = await scriptedServer(() => ({
      status: 405,
      body: { statusCode: 405, message: 'Method Not Allowed', timestamp: '' },
    }));
    const dir = await ledgerOf([15, 16, 17], targetId('env', server.baseUrl, KEY));
    const { states, err, error } = await list(dir, { refresh: true });
    expect(error).toBeUndefined();
    expect(states).toEqual({ 15: 'pending', 16: 'pending', 17: 'pending' });
    expect(err).toMatch(
      /^this StackOne deployment does not read sessions back by id \(HTTP 405\): the sessions of http:\/\/127\.0\.0\.1:\d+#\w+ keep the states the ledger knows\n$/,
    );
    expect(await outcomes(dir)).toEqual([]);
  });

  it('a 429 storm stops it: the listing shows what was learned, then exit 7 and how to go on', async () => {
    let reads = 0;
    server = await scriptedServer(() =>
      ++reads === 1
        ? answer(15, 'authenticated', 'acc_15')
        : {
            status: 429,
            headers: { 'retry-after': '0' },
            body: { statusCode: 429, message: 'Too many requests', timestamp: '' },
          },
    );
    const dir = await ledgerOf([15, 16, 17], targetId('env', server.baseUrl, KEY));
    const { states, error } = await list(dir, { refresh: true });
    expect(states).toEqual({ 15: 'linked', 16: 'pending', 17: 'pending' });
    expect([error?.code, error?.exitCode]).toEqual(['rate_limited', 7]);
    expect(error?.message).toMatch(/^the refresh stopped after 1 of 3 open sessions: /);
    expect(await outcomes(dir)).toEqual([
      expect.objectContaining({ session_id: 15, outcome: 'linked' }),
    ]);
  });

  it('an answer naming another project: exit 3, nothing listed or recorded', async () => {
    server = await scriptedServer(() => {
      const reply = answer(15, 'authenticated', 'acc_15') as { body: Record<string, unknown> };
      return { status: 200, body: { ...reply.body, project_id: 'p_other' } };
    });
    const dir = await ledgerOf([15], targetId('env', server.baseUrl, KEY));
    const { states, error } = await list(dir, { refresh: true });
    expect(states).toEqual({});
    expect([error?.code, error?.exitCode]).toEqual(['project_mismatch', 3]);
    expect(await outcomes(dir)).toEqual([]);
  });
});
