// Level C: exactly once across runners, through the built binary: four runner processes with
// homes of their own on one 2,000-row file against one sandbox and one PostgreSQL store, one
// killed with kill -9, a fifth resuming. In a file of its own, so it runs beside the other
// shared-store tests rather than after them.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, startCluster } from '../../scripts/postgres-cluster.js';
import { pendingLeases } from '../helpers/state-store.js';
import { cst, finish, isolatedEnv, pointedAt, serve, type Served, start } from './cli.js';

let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster();
}, 60_000);
afterAll(() => cluster?.remove());

describe('bulk runs sharing a store', () => {
  it('four runners on one file split its rows with nothing sent twice; one killed, a fifth resumes', async () => {
    const url = await cluster.database('runners');
    const sandbox = await serve(await isolatedEnv(), ['--rate-limit', '0']);
    try {
      const rows = 2000;
      const csv = [
        'owner_id,owner_name',
        ...Array.from({ length: rows }, (_, i) => `cus_r${i},R ${i}`),
      ];
      const machine = async (): Promise<Record<string, string>> => {
        const env: Record<string, string> = {
          ...pointedAt(sandbox, await isolatedEnv()),
          CST_STATE_URL: url,
        };
        // Each machine has the file where its checkout put it.
        await writeFile(join(env.HOME!, 'customers.csv'), `${csv.join('\n')}\n`);
        return env;
      };
      const bulk = (env: Record<string, string>, ...more: string[]) => [
        'create',
        '--from-file',
        join(env.HOME!, 'customers.csv'),
        '--results',
        join(env.HOME!, 'results.csv'),
        '--rate',
        '0',
        '--concurrency',
        '4',
        ...more,
      ];
      expect((await cst(['state', 'migrate'], await machine())).code).toBe(0);
      const machines = await Promise.all([machine(), machine(), machine(), machine()]);
      const runners = machines.map((env, i) =>
        start(bulk(env, ...(i === 0 ? ['--lease', '1s'] : [])), env),
      );
      const finished = runners.map((child) => finish(child, 120_000));
      // Runner 0 dies with rows in flight once the run is well under way.
      while (((await statsOf(sandbox)).sessions ?? 0) < 300)
        await new Promise((r) => setTimeout(r, 20));
      runners[0]!.kill('SIGKILL');
      const results = await Promise.all(finished);
      for (const result of results.slice(1)) expect(result.code).toBe(0);
      // The dead runner's claims lapse with its one-second lease.
      while (pendingLeases(cluster, url) > 0) await new Promise((r) => setTimeout(r, 100));
      const fifth = await machine();
      const resumed = await cst(bulk(fifth), fifth);

      const byOwner = (await statsOf(sandbox)).by_owner;
      const counts = Array.from({ length: rows }, (_, i) => byOwner[`cus_r${i}`] ?? 0);
      // Nothing was ever sent twice.
      expect(Math.max(...counts)).toBe(1);
      // Every row is issued, or reported unknown: the dead runner's rows in flight.
      const lines = resumed.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { status: string; owner_id: string });
      const unknown = lines
        .filter((line) => line.status === 'unknown')
        .map((line) => line.owner_id);
      const missing = counts.flatMap((count, i) => (count === 0 ? [`cus_r${i}`] : []));
      for (const owner of missing) expect(unknown).toContain(owner);
      // At most what runner 0 had in flight (its concurrency), and the rest all issued.
      expect(unknown.length).toBeLessThanOrEqual(4);
      expect(counts.filter((count) => count === 1).length).toBeGreaterThanOrEqual(rows - 4);
      expect([resumed.code, unknown.length > 0]).toEqual([
        unknown.length > 0 ? 9 : 0,
        unknown.length > 0,
      ]);
      // Results files together hold each issued row once.
      const issued = (
        await Promise.all(
          [...machines, fifth].map((env) =>
            readFile(join(env.HOME!, 'results.csv'), 'utf8').catch(() => ''),
          ),
        )
      )
        .flatMap((text) => text.split('\n').slice(1))
        .filter((line) => line.trim() !== '')
        .map((line) => line.split(',')[1]);
      expect(new Set(issued).size).toBe(issued.length);
      expect(
        results.slice(1).some((result) => /of the skipped by other runners/.test(result.stderr)),
      ).toBe(true);

      // The shared journal, as cst journal lists it here: every row, the dead runner's unknown.
      const listed = await cst(['journal', 'list', '--json'], fifth);
      const [journal] = JSON.parse(listed.stdout) as {
        id: string;
        rows: number;
        states: Record<string, number>;
      }[];
      expect(journal).toMatchObject({ rows, states: { unknown: unknown.length } });
      const reset = await cst(['journal', 'reset', journal!.id, '--yes'], fifth);
      expect(reset.code).toBe(0);
      expect(JSON.parse((await cst(['journal', 'list', '--json'], fifth)).stdout)).toEqual([]);
    } finally {
      await sandbox.stop();
    }
  }, 180_000);
});

async function statsOf(served: Served) {
  return (await (await fetch(`${served.baseUrl}/_sandbox/stats`)).json()) as {
    sessions: number;
    by_owner: Record<string, number>;
  };
}
