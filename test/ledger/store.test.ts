// Level B: the ledger file, read from the end in chunks, with prefilters and torn lines.
import { appendFile, mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { bundleModule } from '../helpers/bundle.js';
import { queryLedger, type LedgerQuery } from '../../src/ledger/query.js';
import { appendOutcome, appendRecord, prune, readOutcomes } from '../../src/ledger/store.js';
import { realClock, record } from '../helpers/ledger-record.js';

async function ledgerWith(count: number): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'cst-ledger-')), 'state', 'ledger.jsonl');
  await appendRecord(path, record(1), realClock);
  await appendFile(
    path,
    Array.from({ length: count - 1 }, (_, i) => `${JSON.stringify(record(i + 2))}\n`).join(''),
  );
  return path;
}

const all: LedgerQuery = { status: 'all', limit: Infinity, now: Date.UTC(2026, 10, 2) };

describe('ledger', () => {
  it('appends one private line per record', async () => {
    const previous = process.umask(0o022);
    try {
      const path = await ledgerWith(3);
      expect((await stat(path)).mode & 0o777).toBe(0o600);
      expect((await stat(join(path, '..'))).mode & 0o777).toBe(0o700);
      expect((await readFile(path, 'utf8')).split('\n')).toHaveLength(4);
    } finally {
      process.umask(previous);
    }
  });

  it('reads newest first across chunk boundaries, and counts what it does not keep', async () => {
    // ~6000 records of ~450 bytes: several 1 MiB chunks, lines split across them.
    const path = await ledgerWith(6000);
    const everything = queryLedger(path, all);
    expect(everything.rows.map((r) => r.id)).toEqual(
      Array.from({ length: 6000 }, (_, i) => 6000 - i),
    );
    const firstFifty = queryLedger(path, { ...all, limit: 50 });
    expect([
      firstFifty.rows.length,
      firstFifty.total,
      firstFifty.rows[0]?.id,
      firstFifty.rows[49]?.id,
    ]).toEqual([50, 6000, 6000, 5951]);
  });

  it('filters, and prefilters on bytes without missing a match', async () => {
    const path = await ledgerWith(6000);
    const expected = Array.from({ length: 6000 }, (_, i) => record(6000 - i)).filter(
      (r) => r.owner_id === 'cus_3',
    );
    const byOwner = queryLedger(path, { ...all, ownerId: 'cus_3', limit: 10 });
    expect([byOwner.total, byOwner.rows.map((r) => r.id)]).toEqual([
      expected.length,
      expected.slice(0, 10).map((r) => r.id),
    ]);
    const ats = queryLedger(path, { ...all, categories: ['ats'] });
    expect(ats.total).toBe(3000);
    const byToken = queryLedger(path, { ...all, tokenFp: record(4321).token_fp });
    expect(byToken.rows.map((r) => r.id)).toEqual([4321]);
    const active = queryLedger(path, {
      ...all,
      status: 'active',
      now: Date.parse(record(5990).created_at),
    });
    expect(active.total).toBe(40);
  });

  it('stops early at --since and honours --until', async () => {
    const path = await ledgerWith(6000);
    const since = queryLedger(path, { ...all, since: Date.parse(record(5901).created_at) });
    expect([since.total, since.rows.at(-1)?.id]).toEqual([100, 5901]);
    const until = queryLedger(path, { ...all, until: Date.parse(record(10).created_at) });
    expect(until.rows.map((r) => r.id)).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
  });

  it('skips a torn record, counts it, and keeps the record written after it', async () => {
    const path = await ledgerWith(5);
    await appendFile(path, '{"v":1,"id":6,"target":"https://api.sta');
    const result = queryLedger(path, all);
    expect([result.rows.map((r) => r.id), result.total, result.torn]).toEqual([
      [5, 4, 3, 2, 1],
      5,
      1,
    ]);
    // The next writer appends right after the torn bytes: its record must survive.
    await appendRecord(path, record(7), realClock);
    const after = queryLedger(path, all);
    expect([after.rows.map((r) => r.id), after.torn]).toEqual([[7, 5, 4, 3, 2, 1], 1]);
  });

  it('counts a record that is JSON but not a ledger record as torn, when shown', async () => {
    const path = await ledgerWith(2);
    await appendFile(path, '{"v":1,"id":"three"}\n');
    const result = queryLedger(path, all);
    expect([result.rows.map((r) => r.id), result.total, result.torn]).toEqual([[2, 1], 2, 1]);
  });

  it('an empty or missing ledger is no error', async () => {
    const missing = join(await mkdtemp(join(tmpdir(), 'cst-ledger-')), 'ledger.jsonl');
    expect(queryLedger(missing, all)).toEqual({ rows: [], total: 0, torn: 0 });
  });

  it('prunes records created before a date', async () => {
    const path = await ledgerWith(10);
    expect(await prune(path, Date.parse(record(8).created_at), realClock)).toEqual({
      removed: 7,
      kept: 3,
    });
    expect(queryLedger(path, all).rows.map((r) => r.id)).toEqual([10, 9, 8]);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('chains live_until on append, starting from a full read of a ledger without it', async () => {
    // 3000 records written by an earlier cst (no live_until), one of them live for a year.
    const path = await ledgerWith(3000);
    const year = new Date(Date.UTC(2027, 10, 1)).toISOString();
    await appendFile(path, `${JSON.stringify(record(3001, { expires_at: year }))}\n`);
    await appendFile(path, `${JSON.stringify(record(3002))}\n`);
    await appendRecord(path, record(3003), realClock);
    await appendRecord(path, record(3004, { expires_at: null }), realClock);
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
    const until = (line: string) => (JSON.parse(line) as { live_until?: unknown }).live_until;
    expect(lines.slice(-2).map(until)).toEqual([year, year]);
    expect(until(lines[0]!)).toBe(record(1).expires_at);

    const fresh = join(await mkdtemp(join(tmpdir(), 'cst-ledger-')), 'ledger.jsonl');
    await appendRecord(fresh, record(1, { expires_at: null }), realClock);
    await appendRecord(fresh, record(2), realClock);
    const chain = (await readFile(fresh, 'utf8')).trimEnd().split('\n').map(until);
    expect(chain).toEqual([null, record(2).expires_at]);
  });

  it('reads a torn last line as a reason to recompute, never as a live_until', async () => {
    const path = await ledgerWith(3);
    const later = new Date(Date.UTC(2030, 0, 1)).toISOString();
    await appendFile(
      path,
      `${JSON.stringify(record(4, { expires_at: later }))}\n{"v":1,"id":5,"ta`,
    );
    await appendRecord(path, record(6), realClock);
    await appendRecord(path, record(7), realClock);
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
    const last = JSON.parse(lines.at(-1)!) as { live_until: unknown };
    expect(last.live_until).toBe(later);
  });

  it('looks for live sessions only as far back as live_until allows', async () => {
    // A live record for cus_x, then over a MiB of records that say nothing before them is live:
    // the record is deliberately inconsistent with the chain, so finding it would mean the scan
    // read past the horizon.
    const now = Date.UTC(2026, 10, 10);
    const dir = await mkdtemp(join(tmpdir(), 'cst-ledger-'));
    const path = join(dir, 'ledger.jsonl');
    const stale = new Date(Date.UTC(2026, 10, 2)).toISOString();
    const hidden = record(1, {
      owner_id: 'cus_x',
      expires_at: new Date(now + 60_000).toISOString(),
    });
    const filler = Array.from({ length: 3000 }, (_, i) => ({
      ...record(i + 2),
      live_until: stale,
    }));
    await appendFile(path, [hidden, ...filler].map((r) => `${JSON.stringify(r)}\n`).join(''));
    const active: LedgerQuery = { status: 'active', ownerId: 'cus_x', limit: 1, now };
    expect(queryLedger(path, active).rows).toEqual([]);
    expect(queryLedger(path, { ...active, status: 'all' }).rows.map((r) => r.id)).toEqual([1]);
    // And a live record after the horizon is found, with the scan stopping at the first match.
    await appendRecord(
      path,
      record(5000, { owner_id: 'cus_x', expires_at: hidden.expires_at }),
      realClock,
    );
    await appendRecord(
      path,
      record(5001, { owner_id: 'cus_x', expires_at: hidden.expires_at }),
      realClock,
    );
    const first = queryLedger(path, { ...active, first: true });
    expect(first.rows.map((r) => r.id)).toEqual([5001]);
  });

  it('prune drops a torn record but keeps the valid one appended onto its line', async () => {
    const path = await ledgerWith(3);
    await appendFile(path, `{"v":1,"id":9,"tar${JSON.stringify(record(4))}\n`);
    expect(await prune(path, 0, realClock)).toEqual({ removed: 0, kept: 4 });
    expect(queryLedger(path, all).rows.map((r) => r.id)).toEqual([4, 3, 2, 1]);
  });

  it('prune keeps a record whose created_at cannot be read, and counts it as kept', async () => {
    const path = await ledgerWith(3);
    await appendFile(path, `${JSON.stringify({ ...record(4), created_at: 'yesterday' })}\n`);
    await appendFile(path, `${JSON.stringify({ ...record(5), created_at: 5 })}\n`);
    expect(await prune(path, Date.parse(record(3).created_at) + 1, realClock)).toEqual({
      removed: 3,
      kept: 2,
    });
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as { id: number }).id)).toEqual([4, 5]);
  });

  it('an outcome appended onto a torn outcome line is read; prune takes pruned sessions’ outcomes', async () => {
    const path = await ledgerWith(3);
    const outcome = (id: number) => ({
      v: 1 as const,
      session_id: id,
      target: record(id).target,
      outcome: 'linked' as const,
      account_id: `acc_${id}`,
      at: '2026-11-01T00:00:00.000Z',
    });
    const outcomes = path.replace(/\.jsonl$/, '-outcomes.jsonl');
    await appendOutcome(path, outcome(1), realClock);
    // A crash mid-append, then the next outcome on the same line.
    await appendFile(outcomes, `{"v":1,"session_id":2,"tar`);
    await appendOutcome(path, outcome(3), realClock);
    expect([...readOutcomes(path).values()].map((o) => o.session_id)).toEqual([1, 3]);
    await prune(path, Date.parse(record(2).created_at), realClock);
    expect([...readOutcomes(path).values()].map((o) => o.session_id)).toEqual([3]);
  });

  it('prune loses no record appended by other processes while it runs', async () => {
    const path = await ledgerWith(200);
    const store = await bundleModule('ledger/store.ts');
    // Two processes append 500 records each, created after everything the prunes remove.
    const appender = (from: number) =>
      new Promise<number | null>((resolve) => {
        const child = spawn(
          process.execPath,
          [
            '--input-type=module',
            '-e',
            `const { appendRecord } = await import(process.argv[1]);
             const [, , path, from, template] = process.argv;
             const clock = { now: Date.now, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };
             for (let i = 0; i < 500; i++)
               await appendRecord(path, { ...JSON.parse(template), id: Number(from) + i }, clock);`,
            store,
            path,
            String(from),
            JSON.stringify(record(1000)),
          ],
          { stdio: 'ignore' },
        );
        child.on('exit', resolve);
      });
    const appending = Promise.all([appender(10_000), appender(20_000)]);
    let done = false;
    void appending.then(() => (done = true));
    let prunes = 0;
    for (let cutoff = 2; !done || prunes < 3; cutoff = Math.min(cutoff + 20, 200), prunes++) {
      await prune(path, Date.parse(record(cutoff).created_at), realClock);
      // A prune is a one-off: between them, the appenders get their turn.
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await appending).toEqual([0, 0]);
    const ids = queryLedger(path, all).rows.map((r) => r.id);
    expect(ids.filter((id) => id >= 10_000)).toHaveLength(1000);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
