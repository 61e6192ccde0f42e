// Level C: the ledger in PostgreSQL through the built binary: a throwaway cluster, a sandbox, and
// runners with homes of their own (separate machines as far as cst can tell) sharing what they
// issued; and a store that cannot be used refused before anything is sent, its password nowhere.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, PASSWORD, startCluster } from '../helpers/postgres.js';
import { cst, isolatedEnv, pointedAt, serve, type Served } from './cli.js';

let cluster: Cluster;
let served: Served;
let databases = 0;
beforeAll(async () => {
  cluster = await startCluster();
  served = await serve(await isolatedEnv());
}, 60_000);
afterAll(async () => {
  await served?.stop();
  cluster?.remove();
});

/** A runner of its own: its own HOME and state directory, pointed at the sandbox (and `url`). */
async function runner(url?: string): Promise<Record<string, string>> {
  const env = pointedAt(served, await isolatedEnv());
  return url === undefined ? env : { ...env, CST_STATE_URL: url };
}

const sessionsOf = async (owner: string) =>
  (
    (await (await fetch(`${served.baseUrl}/_sandbox/stats`)).json()) as {
      by_owner: Record<string, number>;
    }
  ).by_owner[owner] ?? 0;

describe('the ledger in PostgreSQL', () => {
  it('state migrate makes the schema once; runners on other machines share what each issued', async () => {
    const url = await cluster.database(`state_${++databases}`);
    const first = await runner(url);
    const migrated = await cst(['state', 'migrate'], first);
    expect([migrated.code, migrated.stderr]).toEqual([
      0,
      `migrated state store ${url.replace(PASSWORD, '***')} from schema version 0 to 1\n`,
    ]);
    const again = await cst(['state', 'migrate', '--json'], first);
    expect(JSON.parse(again.stdout)).toEqual({
      store: url.replace(PASSWORD, '***'),
      from: 1,
      to: 1,
    });

    for (const owner of ['cus_pg_1', 'cus_pg_2'])
      expect((await cst(['create', '--owner-id', owner, '--owner-name', 'PG'], first)).code).toBe(
        0,
      );
    const second = await runner(url);
    const listed = await cst(['list', '--field', 'owner_id'], second);
    expect([listed.code, listed.stdout]).toEqual([0, 'cus_pg_2\ncus_pg_1\n']);
    const path = await cst(['ledger', 'path'], second);
    expect(path.stdout).toBe(`${url.replace(PASSWORD, '***')}\n`);
    // An outcome one runner learns, the other knows.
    const refreshed = await cst(['list', '--refresh', '--field', 'state'], second);
    expect(refreshed.stdout).toBe('pending\npending\n');
    const reissued = await cst(
      ['create', '--from-session', '1', '--field', 'origin_owner_id'],
      second,
    );
    expect([reissued.code, reissued.stdout.trim()]).toEqual([0, 'cus_pg_1']);
    const summary = await cst(['list', '--summary', '--json'], first);
    expect(JSON.parse(summary.stdout)).toMatchObject([{ issued: 3 }]);
  });

  it('push, pull, export and import move state with one record per session: a second time adds nothing', async () => {
    const url = await cluster.database(`state_${++databases}`);
    // A runner that issued with local state only.
    const offline = await runner();
    for (const owner of ['cus_mv_1', 'cus_mv_2'])
      expect((await cst(['create', '--owner-id', owner, '--owner-name', 'M'], offline)).code).toBe(
        0,
      );
    const online = { ...offline, CST_STATE_URL: url };
    const pushed = await cst(['state', 'push', '--json'], online);
    expect(JSON.parse(pushed.stdout)).toMatchObject({
      added: { sessions: 2, outcomes: 0 },
      present: { sessions: 0, outcomes: 0 },
    });
    const again = await cst(['state', 'push'], online);
    expect(again.stderr).toMatch(/^pushed 0 sessions and 0 outcomes into \S+; 2 already there\n$/);

    const elsewhere = await runner(url);
    const exported = await cst(['state', 'export'], elsewhere);
    const lines = exported.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { session?: { owner_id: string } });
    expect(lines.map((line) => line.session?.owner_id)).toEqual(['cus_mv_1', 'cus_mv_2']);
    const laptop = await runner();
    const file = join(laptop.HOME!, 'state.ndjson');
    await writeFile(file, exported.stdout);
    const imported = await cst(['state', 'import', file, '--json'], laptop);
    expect(JSON.parse(imported.stdout)).toMatchObject({ added: { sessions: 2 } });
    expect(
      JSON.parse((await cst(['state', 'import', file, '--json'], laptop)).stdout),
    ).toMatchObject({
      added: { sessions: 0 },
      present: { sessions: 2 },
    });
    expect((await cst(['list', '--field', 'owner_id'], laptop)).stdout).toBe(
      'cus_mv_2\ncus_mv_1\n',
    );
    await writeFile(file, `${exported.stdout}{"session": {"id": "x"}}\n`);
    const bad = await cst(['state', 'import', file], laptop);
    expect([bad.code, bad.stderr.split('\n')[0]]).toEqual([
      2,
      `error: ${file}, line 3: not a line of 'cst state export'`,
    ]);

    const fresh = await runner();
    const pulled = await cst(['state', 'pull'], { ...fresh, CST_STATE_URL: url });
    expect(pulled.code).toBe(0);
    expect((await cst(['list', '--field', 'owner_id'], fresh)).stdout).toBe('cus_mv_2\ncus_mv_1\n');
  });

  it.each([
    [
      'a wrong password',
      (db: string) => cluster.url(db, 'not-the-password'),
      /password authentication failed/,
    ],
    [
      'a database that does not exist',
      () => cluster.url('no_such_database'),
      /database "no_such_database" does not exist/,
    ],
  ])('%s: exit 3 before anything is sent, the password nowhere', async (_, urlOf, reason) => {
    const db = `state_${++databases}`;
    await cluster.database(db);
    const env = await runner(urlOf(db));
    const owner = `cus_refused_${databases}`;
    const result = await cst(['create', '--owner-id', owner, '--owner-name', 'R', '--debug'], env);
    expect([result.code, result.stdout]).toEqual([3, '']);
    const line = result.stderr.split('\n').find((l) => l.startsWith('error:'))!;
    expect(line).toMatch(
      /^error: cannot use the state store postgres:\/\/\S*@127\.0\.0\.1:\d+\/\w+: /,
    );
    expect(line).toMatch(reason);
    expect(result.stderr).not.toContain(PASSWORD);
    expect(result.stderr).not.toContain('not-the-password');
    expect(await sessionsOf(owner)).toBe(0);
  });

  it('a schema newer than this cst: refused with a clear message, nothing sent', async () => {
    const db = `state_${++databases}`;
    const env = await runner(await cluster.database(db));
    expect((await cst(['state', 'migrate'], env)).code).toBe(0);
    cluster.psql('UPDATE cst_schema SET version = 99', db);
    const result = await cst(['create', '--owner-id', 'cus_future', '--owner-name', 'F'], env);
    expect([result.code, result.stdout]).toEqual([3, '']);
    expect(result.stderr).toMatch(
      /^error: the state store postgres:\/\/\S+ is at schema version 99, newer than this cst knows \(1\): it will not write there\nhint: upgrade cst/,
    );
    expect(await sessionsOf('cus_future')).toBe(0);
    const doctor = await cst(['doctor', '--json'], env);
    const store = (
      JSON.parse(doctor.stdout) as { check: string; status: string; detail: string }[]
    ).find((row) => row.check === 'state store');
    expect(store).toMatchObject({ status: 'fail' });
    expect(store?.detail).toMatch(
      /is at schema version 99, newer than this cst \(1\): upgrade cst$/,
    );
    expect(doctor.stdout).not.toContain(PASSWORD);
  });

  it('doctor names the store in use and its schema version, never the password', async () => {
    const db = `state_${++databases}`;
    const env = await runner(await cluster.database(db));
    expect((await cst(['state', 'migrate'], env)).code).toBe(0);
    const rows = async (e: Record<string, string>) =>
      JSON.parse((await cst(['doctor', '--json'], e)).stdout) as {
        check: string;
        status: string;
        detail: string;
      }[];
    const shared = (await rows(env)).find((row) => row.check === 'state store');
    expect(shared).toMatchObject({ status: 'ok' });
    expect(shared?.detail).toMatch(
      /^postgres:\/\/\S+@127\.0\.0\.1:\d+\/state_\d+, schema version 1$/,
    );
    expect(shared?.detail).not.toContain(PASSWORD);
    const local = (await rows(await runner())).find((row) => row.check === 'state store');
    expect(local).toEqual({
      check: 'state store',
      status: 'ok',
      detail: 'local files in the state dir (CST_STATE_URL unset)',
    });
  });
});
