// Level B: what every ledger backend must do, run against the file backend. A second backend
// (a database) runs the same suite with its own `open`.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresLedger } from '../../src/ledger/postgres.js';
import { type Cluster, startCluster } from '../../scripts/postgres-cluster.js';
import { type Ledger, openLedger } from '../../src/ledger/ledger.js';
import { outcomeKey } from '../../src/ledger/store.js';
import { record } from '../helpers/ledger-record.js';
import { testContext } from '../helpers/context.js';

export function ledgerContract(name: string, open: () => Promise<Ledger>): void {
  describe(`a ledger: ${name}`, () => {
    const now = Date.parse(record(10).created_at);
    const all = { status: 'all', limit: Infinity, now } as const;

    it('answers newest first, with every match counted', async () => {
      const ledger = await open();
      for (let id = 1; id <= 5; id++) await ledger.append(record(id));
      const { rows, total } = await ledger.query({ ...all, limit: 2 });
      expect([rows.map((row) => row.id), total]).toEqual([[5, 4], 5]);
      expect((await ledger.query({ ...all, ownerId: 'cus_3' })).rows.map((r) => r.id)).toEqual([3]);
    });

    it('keeps the latest outcome of each session, and prunes records with their outcomes', async () => {
      const ledger = await open();
      for (let id = 1; id <= 3; id++) await ledger.append(record(id));
      const outcome = (id: number, what: 'linked' | 'failed') => ({
        v: 1 as const,
        session_id: id,
        target: record(id).target,
        outcome: what,
        account_id: what === 'linked' ? `acc_${id}` : null,
        at: new Date(now).toISOString(),
      });
      await ledger.appendOutcome(outcome(1, 'failed'));
      await ledger.appendOutcome(outcome(1, 'linked'));
      await ledger.appendOutcome(outcome(3, 'failed'));
      const outcomes = await ledger.outcomes();
      expect(outcomes.get(outcomeKey(record(1).target, 1))?.outcome).toBe('linked');
      expect(await ledger.prune(Date.parse(record(2).created_at), { dryRun: true })).toEqual({
        removed: 1,
        kept: 2,
      });
      expect(await ledger.prune(Date.parse(record(2).created_at))).toEqual({ removed: 1, kept: 2 });
      expect((await ledger.query(all)).rows.map((r) => r.id)).toEqual([3, 2]);
      expect([...(await ledger.outcomes()).keys()]).toEqual([outcomeKey(record(3).target, 3)]);
    });

    it('forgets everything on clear, outcomes too: ids that start again name no old outcome', async () => {
      const ledger = await open();
      await ledger.append(record(1));
      await ledger.appendOutcome({
        v: 1,
        session_id: 1,
        target: record(1).target,
        outcome: 'linked',
        account_id: 'acc_1',
        at: new Date(now).toISOString(),
      });
      await ledger.clear();
      expect((await ledger.query(all)).total).toBe(0);
      expect((await ledger.outcomes()).size).toBe(0);
    });
  });
}

ledgerContract('the file backend', async () =>
  openLedger(await mkdtemp(join(tmpdir(), 'cst-ledger-')), false, testContext().ctx),
);

// The same suite against a real PostgreSQL server: a throwaway cluster, a database per test.
let cluster: Cluster | undefined;
beforeAll(async () => {
  cluster = await startCluster();
}, 60_000);
afterAll(() => cluster?.remove());
let databases = 0;
ledgerContract(
  'the PostgreSQL backend',
  async () =>
    new PostgresLedger(await cluster!.database(`ledger_${++databases}`), testContext().ctx),
);
