// Level B: --linked against a scripted StackOne on loopback: owners chunked so no URL grows too
// long, every page walked, and each session matched with the first account created after it.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { linkedAccountsFor } from '../../../src/session/linked.js';
import { parseListOptions } from '../../../src/commands/list/options.js';
import { runList } from '../../../src/commands/list/run.js';
import { appendRecord, ledgerPath } from '../../../src/ledger/store.js';
import type { ListedSession } from '../../../src/session/report.js';
import { targetId } from '../../../src/ledger/record.js';
import { testContext } from '../../helpers/context.js';
import { fakeClock } from '../../helpers/fake-clock.js';
import {
  SESSION_BODY,
  scriptedServer,
  type ScriptedServer,
} from '../../helpers/scripted-server.js';
import { realClock, record } from '../../helpers/ledger-record.js';

let server: ScriptedServer | undefined;
afterEach(() => server?.close());

function account(id: string, owner: string, createdAt: string, status = 'active') {
  return {
    id,
    provider: 'bamboohr',
    status,
    origin_owner_id: owner,
    origin_owner_name: owner,
    created_at: createdAt,
    updated_at: createdAt,
  };
}

const UNLINKED = { state: 'pending', linked_account_id: null, linked_at: null } as const;

describe('list --linked', () => {
  it('chunks owners under the URL limit, walks pages, and joins accounts created after each session', async () => {
    const owners = Array.from(
      { length: 120 },
      (_, i) => `customer-with-a-long-identifier-${String(i).padStart(4, '0')}`,
    );
    server = await scriptedServer((request) => {
      const query = new URL(request.url, 'http://x').searchParams;
      const page = Number(query.get('page'));
      const asked = query.getAll('origin_owner_ids');
      // Five accounts per owner, four before its session and one after, a page at a time.
      const size = Number(query.get('page_size'));
      const all = asked
        .filter((owner) => owner !== 'nobody')
        .flatMap((owner) => [
          ...[1, 2, 3, 4].map((n) =>
            account(`old${n}-${owner}`, owner, '2026-10-01T00:00:00.000Z'),
          ),
          account(`new-${owner}`, owner, '2026-11-02T00:00:00.000Z', 'error'),
        ]);
      return { status: 200, body: all.slice((page - 1) * size, page * size) };
    });
    const target = targetId('env', server.baseUrl, 'key_live_linked');
    const rows: ListedSession[] = owners.map((owner, i) => ({
      ...record(i + 1, { owner_id: owner, org: null, project: null, target }),
      status: 'active',
      ...UNLINKED,
    }));
    rows.push({
      ...record(999, { owner_id: 'nobody', org: null, project: null, target }),
      status: 'expired',
      ...UNLINKED,
      state: 'expired',
    });
    const { ctx, connects } = testContext({
      api: { baseUrl: server.baseUrl, apiKey: 'key_live_linked' },
    });
    const linked = await linkedAccountsFor(ctx, rows, { timeoutMs: 5000 });
    // Records issued with no project are looked up through CST_API_KEY alone.
    expect(connects.map((c) => c.flags)).toEqual([{ env: true }]);

    const urls = server.requests.map((r) => r.url);
    expect(Math.max(...urls.map((u) => u.length))).toBeLessThanOrEqual(1600);
    const asked = server.requests.flatMap((r) =>
      new URL(r.url, 'http://x').searchParams.getAll('origin_owner_ids'),
    );
    expect(new Set(asked)).toEqual(new Set([...owners, 'nobody']));
    expect(urls.some((u) => u.includes('page=2'))).toBe(true);
    expect(linked.get(rows[0]!)).toEqual({
      account: {
        id: `new-${owners[0]}`,
        provider: 'bamboohr',
        status: 'error',
        created_at: '2026-11-02T00:00:00.000Z',
      },
    });
    expect(linked.get(rows.at(-1)!)).toEqual({ account: null });
  });

  it('warns and skips a project whose key now is not the one that issued its sessions', async () => {
    server = await scriptedServer([]);
    const rows: ListedSession[] = [
      { ...record(1, { org: 'acme', project: 'prod' }), status: 'active', ...UNLINKED },
    ];
    const { ctx, stderr, connects } = testContext({ api: { baseUrl: server.baseUrl } });
    const linked = await linkedAccountsFor(ctx, rows, { timeoutMs: 5000 });
    expect(connects.map((c) => c.flags)).toEqual([{ org: 'acme', project: 'prod' }]);
    expect(linked.size).toBe(0);
    expect(stderr()).toBe(
      'warning: cannot check linked accounts of acme/prod: the key configured now is not the one that issued these sessions\n',
    );
  });

  it('through cst list: each open session read back, then the linked account joins each row, asked once per project', async () => {
    server = await scriptedServer((request) =>
      request.url.startsWith('/connect_sessions/')
        ? {
            status: 200,
            body: {
              ...SESSION_BODY,
              id: Number(request.url.split('/').pop()),
              project_id: 'p1',
              latest_connection_attempt: null,
            },
          }
        : { status: 200, body: [account('acc_9', 'cus_3', '2026-11-01T00:10:00.000Z')] },
    );
    const dir = await mkdtemp(join(tmpdir(), 'cst-linked-'));
    const target = targetId('env', server.baseUrl, 'key_test_123');
    for (const id of [3, 4])
      await appendRecord(
        ledgerPath(dir, false),
        record(id, { target, org: null, project: null }),
        realClock,
      );
    const clock = fakeClock(Date.parse('2026-11-01T00:20:00.000Z'));
    const io = testContext({
      api: { baseUrl: server.baseUrl },
      env: { CST_STATE_DIR: dir },
      now: clock.now,
      timer: clock.timer,
    });
    await runList(
      parseListOptions(
        { status: 'all', limit: '50', timeout: '5s', linked: true, json: true },
        Date.parse('2026-11-01T00:20:00.000Z'),
      ),
      io.ctx,
    );
    const listed = JSON.parse(io.stdout()) as { id: number; linked_account_id: string | null }[];
    expect(listed.map((row) => [row.id, row.linked_account_id])).toEqual([
      [4, null],
      [3, 'acc_9'],
    ]);
    expect(server.requests.map((r) => new URL(r.url, 'http://x').pathname)).toEqual([
      '/connect_sessions/3',
      '/connect_sessions/4',
      '/accounts',
    ]);
    expect(
      new URL(server.requests[2]!.url, 'http://x').searchParams.getAll('origin_owner_ids'),
    ).toEqual(['cus_4', 'cus_3']);
  });
});
