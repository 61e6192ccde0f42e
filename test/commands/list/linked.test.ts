// Level B: --linked against a scripted StackOne on loopback: owners chunked so no URL grows too
// long, every page walked, and each session matched with the first account created after it.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { linkedAccountsFor } from '../../../src/commands/list/linked.js';
import type { ListedSession } from '../../../src/commands/list/run.js';
import { targetId } from '../../../src/ledger/record.js';
import { testContext } from '../../helpers/context.js';
import { scriptedServer, type ScriptedServer } from '../../helpers/scripted-server.js';
import { record } from '../../helpers/ledger-record.js';

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
    const env = {
      CST_API_KEY: 'key_live_linked',
      CST_BASE_URL: server.baseUrl,
      CST_CONFIG_DIR: await mkdtemp(join(tmpdir(), 'cst-linked-')),
    };
    const target = targetId('env', server.baseUrl, env.CST_API_KEY);
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
    const { ctx } = testContext({ env });
    const linked = await linkedAccountsFor(ctx, rows, { timeoutMs: 5000 });

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
});
