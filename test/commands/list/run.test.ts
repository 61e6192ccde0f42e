// Level B: cst list against a ledger on disk, with an injected clock; whole outputs compared.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ListFlags, parseListOptions } from '../../../src/commands/list/options.js';
import { runList } from '../../../src/commands/list/run.js';
import { CliError } from '../../../src/core/errors.js';
import { appendOutcome, appendRecord, ledgerPath } from '../../../src/ledger/store.js';
import { testContext } from '../../helpers/context.js';
import { realClock, record } from '../../helpers/ledger-record.js';

const NOW = new Date(Date.parse(record(3).created_at) + 10 * 60_000);

async function stateWith(count: number) {
  const dir = await mkdtemp(join(tmpdir(), 'cst-list-'));
  for (let id = 1; id <= count; id++)
    await appendRecord(
      ledgerPath(dir, false),
      record(id, id === 2 ? { org: null, project: null } : {}),
      realClock,
    );
  return dir;
}

async function list(
  dir: string,
  flags: Partial<ListFlags>,
  tty = false,
  stdin?: string,
  columns = 120,
) {
  const io = testContext({
    tty,
    env: { CST_STATE_DIR: dir, NO_COLOR: '1' },
    now: () => NOW,
    columns,
  });
  if (stdin !== undefined) (io.ctx.stdin as unknown as { end: (text: string) => void }).end(stdin);
  const error = await runList(
    parseListOptions({ timeout: '5s', ...flags }, NOW.getTime()),
    io.ctx,
  ).then(
    () => undefined,
    (e: unknown) => e as CliError,
  );
  return { out: io.stdout(), err: io.stderr(), error };
}

describe('cst list', () => {
  it('prints a table on a terminal: relative times, newest first', async () => {
    const { out, err } = await list(await stateWith(3), {}, true);
    expect(out).toBe(
      [
        'ID  ORGANIZATION/PROJECT                   OWNER               CATEGORIES  CREATED  EXPIRES  LABEL    STATE',
        '3   acme/prod                              cus_3 (Customer 3)  hris        10m ago  in 20m   label 3  pending',
        '2   https://api.stackone.com#0123456789ab  cus_2 (Customer 2)  ats,hris    11m ago  in 19m            pending',
        '1   acme/prod                              cus_1 (Customer 1)  hris        12m ago  in 18m            pending',
        '',
      ].join('\n'),
    );
    expect(err).toBe('');
  });

  it('fits a narrow terminal by leaving out the least important columns, never splitting a word', async () => {
    const { out, err } = await list(await stateWith(2), { limit: '1' }, true, undefined, 80);
    expect(out).toBe(
      [
        'ID  OWNER               CATEGORIES  CREATED  EXPIRES  LABEL  STATE',
        '2   cus_2 (Customer 2)  ats,hris    11m ago  in 19m          pending',
        '',
      ].join('\n'),
    );
    // The target holds a URL, never cut: its column goes whole, and the room it leaves brings
    // back the narrower columns left out before it.
    expect(err).toBe('hid ORGANIZATION/PROJECT to fit; -o wide shows all\n');
    const wide = await list(
      await stateWith(2),
      { limit: '1', output: 'wide' },
      true,
      undefined,
      80,
    );
    expect(wide.out.split('\n')[1]).toBe(
      '2   https://api.stackone.com#0123456789ab  cus_2 (Customer 2)  ats,hris    11m ago  in 19m          pending',
    );
  });

  it('prints tab-separated rows with RFC 3339 times when piped', async () => {
    const { out } = await list(await stateWith(2), {});
    expect(out).toBe(
      [
        '2\thttps://api.stackone.com#0123456789ab\tcus_2\tats,hris\t2026-11-01T00:02:00.000Z\t2026-11-01T00:32:00.000Z\tactive\t\tpending',
        '1\tacme/prod\tcus_1\thris\t2026-11-01T00:01:00.000Z\t2026-11-01T00:31:00.000Z\tactive\t\tpending',
        '',
      ].join('\n'),
    );
  });

  it('prints CSV with a header, JSON as one array, and one field per line', async () => {
    const dir = await stateWith(2);
    expect((await list(dir, { output: 'csv', limit: '1' })).out).toBe(
      'id,organization/project,owner,categories,created,expires,status,label,state\r\n2,https://api.stackone.com#0123456789ab,cus_2,"ats,hris",2026-11-01T00:02:00.000Z,2026-11-01T00:32:00.000Z,active,,pending\r\n',
    );
    const json = JSON.parse((await list(dir, { json: true })).out) as Record<string, unknown>[];
    expect(json.map((row) => [row.id, row.status, row.token_fp])).toEqual([
      [2, 'active', '0000000000000002'],
      [1, 'active', '0000000000000001'],
    ]);
    expect(json[0]).not.toHaveProperty('v');
    expect((await list(dir, { field: 'owner_id' })).out).toBe('cus_2\ncus_1\n');
  });

  it('says on stderr when the default limit left rows out, not when --limit asked for it', async () => {
    const dir = await stateWith(52);
    const { out, err } = await list(dir, {});
    expect(out.split('\n')).toHaveLength(51);
    expect(err).toBe('showing 50 of 52; use --all\n');
    const limited = await list(dir, { limit: '2' });
    expect([limited.out.split('\n').length, limited.err]).toEqual([3, '']);
    expect((await list(dir, { all: true })).err).toBe('');
  });

  it('filters by owner, status, category and time', async () => {
    const dir = await stateWith(20);
    const ids = async (flags: Partial<ListFlags>) =>
      (await list(dir, { ...flags, field: 'id' })).out
        .trim()
        .split('\n')
        .filter(Boolean)
        .map(Number);
    expect(await ids({ ownerId: 'cus_3' })).toEqual([17, 10, 3]);
    expect(await ids({ status: 'expired' })).toEqual([]);
    expect(await ids({ status: 'active', ownerId: 'cus_1' })).toEqual([15, 8, 1]);
    expect(await ids({ category: ['ats'], ownerId: 'cus_1' })).toEqual([8]);
    expect(await ids({ since: '2026-11-01T00:18:00Z' })).toEqual([20, 19, 18]);
    expect(await ids({ until: '2026-11-01T00:02:00Z' })).toEqual([2, 1]);
    expect(await ids({ org: 'acme', ownerId: 'cus_2' })).toEqual([16, 9]);
  });

  it('--status still filters for a release, with one warning that names --state', async () => {
    const dir = await stateWith(3);
    const active = await list(dir, { status: 'active', field: 'id' });
    expect([active.out, active.err]).toEqual([
      '3\n2\n1\n',
      'warning: --status is deprecated and goes in a later release; use --state: live sessions are --state pending (or pending,linked), the rest --state expired\n',
    ]);
    // Each flag's error points at the other when given the other's value.
    const usage = (flags: Partial<ListFlags>) => {
      try {
        parseListOptions({ timeout: '5s', ...flags }, 0);
      } catch (error) {
        return [(error as CliError).message, (error as CliError).hint];
      }
      return undefined;
    };
    expect(usage({ state: ['active'] })).toEqual([
      '--state: "active" is not one of pending, linked, failed, cancelled, expired, undelivered',
      '"active" was a value of the deprecated --status; live sessions are --state pending (or pending,linked), the rest --state expired',
    ]);
    expect(usage({ status: 'pending' })).toEqual([
      '--status: "pending" is not one of active, expired, all',
      '"pending" is a state: --state pending',
    ]);
  });

  it('--expiring leaves out owners who linked since, through a newer session', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cst-list-'));
    const ledger = ledgerPath(dir, false);
    // cus_a: pending session 1, then linked through session 3. cus_b: linked through session 2,
    // then issued session 4, still pending: that newer one is still to chase.
    const owners = { 1: 'cus_a', 2: 'cus_b', 3: 'cus_a', 4: 'cus_b' } as const;
    for (const [id, owner] of Object.entries(owners))
      await appendRecord(ledger, record(Number(id), { owner_id: owner }), realClock);
    for (const id of [2, 3])
      await appendOutcome(
        ledger,
        {
          v: 1,
          session_id: id,
          target: record(id).target,
          outcome: 'linked',
          account_id: `acc_${id}`,
          at: NOW.toISOString(),
        },
        realClock,
      );
    const chase = await list(dir, { expiring: '1h', field: 'id' });
    expect(chase.out).toBe('4\n');
    // Without --expiring, the pending session is listed as it is.
    expect((await list(dir, { state: ['pending'], field: 'id' })).out).toBe('4\n1\n');
  });

  it('knows each session’s state from the outcomes cst wait recorded', async () => {
    // Sessions a minute apart, each live for 30 minutes: at NOW all six are live.
    const dir = await stateWith(6);
    const ledger = ledgerPath(dir, false);
    const linkedAt = (id: number) => new Date(Date.parse(record(id).created_at) + 60_000 * id);
    for (const [id, outcome, account] of [
      [1, 'linked', 'acc_1'],
      [2, 'failed', null],
      [3, 'linked', 'acc_3'],
      [4, 'cancelled', null],
    ] as const)
      await appendOutcome(
        ledger,
        {
          v: 1,
          session_id: id,
          target: record(id).target,
          outcome,
          account_id: account,
          at: linkedAt(id).toISOString(),
        },
        realClock,
      );
    const states = JSON.parse((await list(dir, { json: true })).out) as Record<string, unknown>[];
    expect(states.map((row) => [row.id, row.state, row.linked_account_id])).toEqual([
      [6, 'pending', null],
      [5, 'pending', null],
      [4, 'cancelled', null],
      [3, 'linked', 'acc_3'],
      [2, 'failed', null],
      [1, 'linked', 'acc_1'],
    ]);
    const ids = async (flags: Partial<ListFlags>) =>
      (await list(dir, { ...flags, field: 'id' })).out.trim().split('\n').map(Number);
    expect(await ids({ state: ['linked'] })).toEqual([3, 1]);
    expect(await ids({ state: ['failed,cancelled'] })).toEqual([4, 2]);
    // Session 5 expires 30m after 00:05, 22 minutes from NOW; session 6 a minute later.
    expect(await ids({ expiring: '22m' })).toEqual([5]);
    expect((await list(dir, { state: ['linked'], limit: '1', field: 'id' })).out).toBe('3\n');
    const summary = JSON.parse((await list(dir, { summary: true, json: true })).out) as unknown;
    expect(summary).toEqual([
      {
        where: 'acme/prod',
        issued: 5,
        linked: 2,
        pending: 2,
        failed: 1,
        expired: 0,
        link_rate: 0.4,
        median_seconds_to_link: 120,
      },
      {
        where: 'https://api.stackone.com#0123456789ab',
        issued: 1,
        linked: 0,
        pending: 0,
        failed: 1,
        expired: 0,
        link_rate: 0,
        median_seconds_to_link: null,
      },
    ]);
    expect(() =>
      parseListOptions({ status: 'all', limit: '50', timeout: '5s', state: ['done'] }, 0),
    ).toThrow('--state: "done" is not one of pending, linked, failed, cancelled, expired');
  });

  it('finds sessions by the token on stdin, by its fingerprint', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cst-list-'));
    const fp = (await import('../../../src/ledger/fingerprint.js')).fingerprint('the-token');
    await appendRecord(ledgerPath(dir, false), record(1, { token_fp: fp }), realClock);
    await appendRecord(ledgerPath(dir, false), record(2), realClock);
    expect((await list(dir, { tokenStdin: true, field: 'id' }, false, 'the-token\n')).out).toBe(
      '1\n',
    );
  });

  it('an empty result exits 0, with a note on a terminal only', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cst-list-'));
    expect(await list(dir, {})).toEqual({ out: '', err: '', error: undefined });
    expect(await list(dir, {}, true)).toEqual({
      out: '',
      err: 'no sessions match (cst list --sandbox shows sandbox sessions)\n',
      error: undefined,
    });
  });

  it('warns once about torn lines and shows the rest', async () => {
    const dir = await stateWith(2);
    const { appendFile } = await import('node:fs/promises');
    await appendFile(ledgerPath(dir, false), '{"v":1,"id":3,"tar');
    const { out, err } = await list(dir, { field: 'id' });
    expect(out).toBe('2\n1\n');
    expect(err).toBe(
      `warning: skipped 1 unreadable line in ${ledgerPath(dir, false)} (a record torn by a crash mid-write?)\n`,
    );
  });

  it.each<[Partial<ListFlags>, string]>([
    [{ limit: '0' }, '--limit: "0" is not a positive whole number'],
    [
      { since: 'yesterday' },
      '--since: "yesterday" is neither a date (2026-11-01) nor a duration (7d)',
    ],
    [
      { field: 'token' },
      'unknown --field "token": use one of id, target, org, project, organization_id, project_id, owner_id, owner_name, username, categories, provider, label, account_id, type, created_at, expires_at, token_fp, status, state, linked_account_id, linked_at, linked',
    ],
    [
      { category: ['hrs'] },
      '--categories: unknown category "hrs" (did you mean "hris"?); valid: ats, hris, hris-legacy, crm, iam, marketing, lms, stackone, documents, ticketing, screening, messaging, accounting, scheduling',
    ],
  ])('%j is a usage error', (flags, message) => {
    expect(() => parseListOptions({ timeout: '5s', ...flags }, NOW.getTime())).toThrow(message);
  });
});
