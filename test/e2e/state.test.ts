// Level C: the ledger in PostgreSQL through the built binary: a throwaway cluster, a sandbox, and
// runners with homes of their own (separate machines as far as cst can tell) sharing what they
// issued; and a store that cannot be used refused before anything is sent, its password nowhere.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../src/ledger/postgres.js';
import { SESSION_BODY, scriptedServer } from '../helpers/scripted-server.js';
import { pendingLeases } from '../helpers/state-store.js';
import { type Cluster, PASSWORD, startCluster } from '../../scripts/postgres-cluster.js';
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
      `migrated state store ${url.replace(PASSWORD, '***')} from schema version 0 to ${SCHEMA_VERSION}\n`,
    ]);
    const again = await cst(['state', 'migrate', '--json'], first);
    expect(JSON.parse(again.stdout)).toEqual({
      store: url.replace(PASSWORD, '***'),
      from: SCHEMA_VERSION,
      to: SCHEMA_VERSION,
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

  it('the config can name the variable that holds the URL: state.url_env', async () => {
    const url = await cluster.database(`state_${++databases}`);
    const issuer = await runner(url);
    expect((await cst(['create', '--owner-id', 'cus_cfg', '--owner-name', 'C'], issuer)).code).toBe(
      0,
    );
    const configured = await runner();
    await mkdir(configured.CST_CONFIG_DIR!, { recursive: true });
    await writeFile(
      join(configured.CST_CONFIG_DIR!, 'config.json'),
      JSON.stringify({ state: { url_env: 'ACME_CST_STATE' } }),
      { mode: 0o600 },
    );
    const listed = await cst(['list', '--field', 'owner_id'], {
      ...configured,
      ACME_CST_STATE: url,
    });
    expect([listed.code, listed.stdout]).toEqual([0, 'cus_cfg\n']);
    const unset = await cst(['list'], configured);
    expect([unset.code, unset.stderr.split('\n')[0]]).toEqual([
      3,
      'error: the config keeps state in the store named by ACME_CST_STATE, which is not set',
    ]);
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

  it.each([
    ['garbage', 'it does not parse'],
    ['mysql://cst:secret@db/cst', 'it starts mysql://'],
  ])('CST_STATE_URL=%s: exit 3, said plainly, before anything is sent', async (url, reason) => {
    const env = await runner(url);
    const result = await cst(['create', '--owner-id', 'cus_url', '--owner-name', 'U'], env);
    expect([result.code, result.stdout, result.stderr.split('\n')[0]]).toEqual([
      3,
      '',
      `error: CST_STATE_URL is not a PostgreSQL URL: ${reason}`,
    ]);
    expect(result.stderr).not.toContain('secret');
    expect(await sessionsOf('cus_url')).toBe(0);
  });

  it('a schema newer than this cst: refused with a clear message, nothing sent', async () => {
    const db = `state_${++databases}`;
    const env = await runner(await cluster.database(db));
    expect((await cst(['state', 'migrate'], env)).code).toBe(0);
    cluster.psql('UPDATE cst_schema SET version = 99', db);
    const result = await cst(['create', '--owner-id', 'cus_future', '--owner-name', 'F'], env);
    expect([result.code, result.stdout]).toEqual([3, '']);
    expect(result.stderr).toMatch(
      new RegExp(
        `^error: the state store postgres://\\S+ is at schema version 99, newer than this cst knows \\(${SCHEMA_VERSION}\\): it will not write there\nhint: upgrade cst`,
      ),
    );
    expect(await sessionsOf('cus_future')).toBe(0);
    const doctor = await cst(['doctor', '--json'], env);
    const store = (
      JSON.parse(doctor.stdout) as { check: string; status: string; detail: string }[]
    ).find((row) => row.check === 'state store');
    expect(store).toMatchObject({ status: 'fail' });
    expect(store?.detail).toMatch(
      new RegExp(
        `is at schema version 99, newer than this cst \\(${SCHEMA_VERSION}\\): upgrade cst$`,
      ),
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
      new RegExp(
        `^postgres://\\S+@127\\.0\\.0\\.1:\\d+/state_\\d+, schema version ${SCHEMA_VERSION}$`,
      ),
    );
    expect(shared?.detail).not.toContain(PASSWORD);
    const local = (await rows(await runner())).find((row) => row.check === 'state store');
    expect(local).toEqual({
      check: 'state store',
      status: 'ok',
      detail: 'local files in the state dir (CST_STATE_URL unset)',
    });
  });

  it('a store lost while a session is created: the session is kept locally, pushed by the next run', async () => {
    const url = await cluster.database(`state_${++databases}`);
    // A StackOne that takes the database down as it answers: the session exists, the store is gone.
    let creates = 0;
    const stackone = await scriptedServer(() => {
      if (++creates === 1) cluster.stop();
      return {
        status: 201,
        body: { ...SESSION_BODY, id: 100 + creates, created_at: new Date().toISOString() },
      };
    });
    try {
      const env = {
        ...(await isolatedEnv()),
        CST_BASE_URL: stackone.baseUrl,
        CST_API_KEY: 'k',
        CST_STATE_URL: url,
      };
      expect((await cst(['state', 'migrate'], env)).code).toBe(0);
      const lost = await cst(
        ['create', '--owner-id', 'cus_1', '--owner-name', 'A', '--field', 'id'],
        env,
      );
      expect([lost.code, lost.stdout.trim()]).toEqual([0, '101']);
      expect(lost.stderr).toMatch(
        /^warning: the state store could not take session 101 \(.*\); kept in \S+ledger-spill\.jsonl \(with any more this run\), pushed there by the next cst that reaches it\n$/,
      );
      cluster.start();
      const listed = await cst(['list', '--field', 'id'], env);
      expect([listed.code, listed.stdout]).toEqual([0, '101\n']);
      expect(listed.stderr).toMatch(
        /^pushed 1 session and 0 outcomes kept locally while the state store was down into /,
      );
      const again = await cst(['list', '--field', 'id'], env);
      expect([again.stdout, again.stderr]).toEqual(['101\n', '']);
    } finally {
      cluster.start();
      await stackone.close();
    }
  });

  it('--shard auto needs a shared store; with one, stdin needs no --journal', async () => {
    const url = await cluster.database(`state_${++databases}`);
    const local = await runner();
    const rows = 'owner_id,owner_name\ncus_sh_1,S\n';
    const results = join(local.HOME!, 'r.csv');
    const refused = await cst(
      [
        'create',
        '--from-file',
        '-',
        '--journal',
        join(local.HOME!, 'j'),
        '--results',
        results,
        '--shard',
        'auto',
      ],
      local,
      rows,
    );
    expect([refused.code, refused.stderr.split('\n')[0]]).toEqual([
      2,
      'error: --shard splits rows through a shared state store: set CST_STATE_URL',
    ]);
    const unknown = await cst(
      ['create', '--from-file', '-', '--results', results, '--shard', 'half'],
      local,
      rows,
    );
    expect([unknown.code, unknown.stderr.split('\n')[0]]).toEqual([
      2,
      'error: --shard: "half" is not a mode: auto is the one there is',
    ]);
    const shared = { ...local, CST_STATE_URL: url };
    const sent = await cst(
      ['create', '--from-file', '-', '--results', results, '--shard', 'auto'],
      shared,
      rows,
    );
    expect(sent.code).toBe(0);
    expect(sent.stderr).toMatch(/^issued 1, failed 0, skipped 0, unknown 0 in /m);
    const again = await cst(['create', '--from-file', '-', '--results', results], shared, rows);
    expect(again.stderr).toMatch(/^issued 0, failed 0, skipped 1, unknown 0 in /m);
  });

  it('a store lost mid-run: rows in flight finish, exit 9 with the resume line; the resumed run goes on', async () => {
    const url = await cluster.database(`state_${++databases}`);
    const owners: string[] = [];
    const stackone = await scriptedServer((request) => {
      const owner = (JSON.parse(request.body) as { origin_owner_id: string }).origin_owner_id;
      owners.push(owner);
      // The fifth create takes the database down before it answers.
      if (owners.length === 5) cluster.stop();
      return {
        status: 201,
        body: {
          ...SESSION_BODY,
          id: owners.length,
          origin_owner_id: owner,
          created_at: new Date().toISOString(),
        },
      };
    });
    try {
      const env: Record<string, string> = {
        ...(await isolatedEnv()),
        CST_BASE_URL: stackone.baseUrl,
        CST_API_KEY: 'k',
        CST_STATE_URL: url,
      };
      const file = join(env.HOME!, 'rows.csv');
      await writeFile(
        file,
        ['owner_id,owner_name', ...Array.from({ length: 20 }, (_, i) => `cus_l${i},L`)].join('\n'),
      );
      const args = [
        'create',
        '--from-file',
        file,
        '--results',
        join(env.HOME!, 'r.csv'),
        '--concurrency',
        '1',
        '--lease',
        '1s',
      ];
      const stopped = await cst(args, env);
      expect(stopped.code).toBe(9);
      expect(stopped.stderr).toMatch(
        /error: stopped: the state store \S+ failed to record a row: /,
      );
      expect(stopped.stderr).toContain('resume with: cst create --from-file');
      const results = await readFile(join(env.HOME!, 'r.csv'), 'utf8');
      expect(results.trim().split('\n')).toHaveLength(1 + 5);
      cluster.start();
      while (pendingLeases(cluster, url) > 0) await new Promise((r) => setTimeout(r, 100));
      const resumed = await cst(args, env);
      // The fifth row's answer never reached the journal: unknown, not sent again.
      expect(resumed.code).toBe(9);
      expect(resumed.stderr).toMatch(/issued 15, failed 0, skipped 4, unknown 1 in /);
      expect(resumed.stderr).toContain('pushed 1 session and 0 outcomes kept locally');
      expect(new Set(owners).size).toBe(owners.length);
      expect(owners).toHaveLength(20);
    } finally {
      cluster.start();
      await stackone.close();
    }
  });
});
