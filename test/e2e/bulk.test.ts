// Level C: bulk provisioning through the built binary against `cst sandbox serve` with faults:
// every row ends in exactly one outcome, re-runs never duplicate, signals stop cleanly.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { SESSION_BODY, scriptedServer } from '../helpers/scripted-server.js';
import { type Line, parse, stats } from './bulk-output.js';
import {
  BIN,
  cst,
  finish,
  firstLine,
  isolatedEnv,
  serve,
  type Served,
  start,
  pointedAt,
} from './cli.js';

// Each test has its own sandbox and state: they run side by side, and the sandboxes stop when
// the file is done.
const running: Served[] = [];
/** The heaviest runs, side by side on two cores, get room: a hang still fails, later. */
const SLOW_MS = 60_000;
const SLOW = { timeout: 2 * SLOW_MS + 10_000 };
afterAll(async () => {
  await Promise.all(running.map((s) => s.stop()));
});

async function sandbox(
  env: Record<string, string>,
  extra: string[] = [],
): Promise<{ served: Served; env: Record<string, string> }> {
  const served = await serve(env, extra);
  running.push(served);
  return {
    served,
    env: pointedAt(served, env),
  };
}

async function csv(env: Record<string, string>, rows: number, name = 'rows.csv'): Promise<string> {
  const path = join(env.HOME!, name);
  const lines = ['owner_id,owner_name,categories'];
  for (let i = 1; i <= rows; i++) lines.push(`cus_${i},"Customer ${i}, Ltd",hris;ats`);
  await writeFile(path, `${lines.join('\n')}\n`);
  return path;
}

function counts(lines: Line[]) {
  const result = { issued: 0, failed: 0, skipped: 0, unknown: 0, undelivered: 0 };
  for (const line of lines) result[line.status]++;
  return result;
}

const bulk = (file: string, ...more: string[]) => [
  'create',
  '--from-file',
  file,
  '--rate',
  '0',
  '--concurrency',
  '8',
  ...more,
];

describe.concurrent('bulk create', () => {
  it('refuses to issue without somewhere safe for the secrets, before sending anything', async () => {
    const { served, env } = await sandbox(await isolatedEnv());
    const result = await cst(bulk(await csv(env, 3)), env);
    expect([result.code, result.stdout]).toEqual([2, '']);
    expect(result.stderr).toMatch(/^error: a bulk create needs --results <file>/);
    expect((await stats(served)).sessions).toBe(0);
  });

  it('keeps tokens out of stdout, in a 0600 results file, and in the ledger only as fingerprints', async () => {
    const { env } = await sandbox(await isolatedEnv());
    const results = join(env.HOME!, 'links.csv');
    const result = await cst(
      bulk(await csv(env, 5), '--results', results, '--columns', 'owner_id,auth_link_url,token'),
      env,
    );
    expect(result.code).toBe(0);
    const lines = parse(result);
    expect(lines.map((l) => l.status)).toEqual(Array(5).fill('issued'));
    const file = await readFile(results, 'utf8');
    const tokens = file
      .trim()
      .split('\r\n')
      .slice(1)
      .map((row) => row.split(',')[2]!);
    expect(file.split('\r\n')[0]).toBe('owner_id,auth_link_url,token');
    expect(tokens).toHaveLength(5);
    for (const token of tokens) {
      expect(result.stdout + result.stderr).not.toContain(token);
      expect(await readFile(join(env.CST_STATE_DIR!, 'ledger.jsonl'), 'utf8')).not.toContain(token);
    }
    const { stat } = await import('node:fs/promises');
    expect((await stat(results)).mode & 0o777).toBe(0o600);
    expect(result.stderr).toMatch(
      /^issued 5, failed 0, skipped 0, unknown 0 in [\d.]+s \([\d.]+ rows\/s\)\n$/,
    );
    const shown = await cst(bulk(await csv(env, 2, 'two.csv'), '--show-secrets'), env);
    expect(parse(shown).every((l) => typeof l.token === 'string')).toBe(true);
  });

  it('reports bad rows with their physical line and sends the rest; --strict sends nothing', async () => {
    const { served, env } = await sandbox(await isolatedEnv());
    const path = join(env.HOME!, 'mixed.csv');
    await writeFile(
      path,
      'Owner-Id,owner_name,categories,multiple\nc1,"One\nLine two",hris,yes\nc2,,ats,no\nc3,Three,hrs,1\nc4,"Fo"ur,ats,0\nc1,"One\nLine two",hris,true\nc5,Five,,maybe\nc6,Six,stackOne|hrisLegacy,false\n',
    );
    const strict = await cst(bulk(path, '--results', join(env.HOME!, 'r.jsonl'), '--strict'), env);
    expect(strict.code).toBe(9);
    expect((await stats(served)).sessions).toBe(0);
    const result = await cst(bulk(path, '--results', join(env.HOME!, 'r.jsonl')), env);
    expect(result.code).toBe(9);
    const lines = parse(result).sort((a, b) => a.row - b.row);
    expect(lines.map((l) => [l.row, l.status, l.error?.code ?? null])).toEqual([
      [2, 'issued', null],
      [4, 'failed', 'invalid_row'],
      [5, 'failed', 'invalid_row'],
      [6, 'failed', 'invalid_row'],
      [7, 'failed', 'duplicate_row'],
      [9, 'failed', 'invalid_row'],
      [10, 'issued', null],
    ]);
    expect(lines.find((l) => l.row === 4)?.error?.message).toBe('missing owner_name');
    expect(lines.find((l) => l.row === 6)?.error?.message).toBe(
      'bad quoting: text after a closing quote',
    );
    expect(lines.find((l) => l.row === 9)?.error?.message).toBe(
      'multiple: "maybe" is not true/false/1/0/yes/no',
    );
    expect((await stats(served)).sessions).toBe(2);
  });

  it('a row naming an unconfigured project fails alone, keeping its owner; the rest are sent', async () => {
    const { served, env } = await sandbox(await isolatedEnv());
    const path = join(env.HOME!, 'targets.csv');
    await writeFile(
      path,
      'owner_id,owner_name,org,project\nt1,T1,,\nt2,T2,nowhere,nothing\nt3,T3,,\n',
    );
    const result = await cst(bulk(path, '--results', join(env.HOME!, 'r.jsonl')), env);
    expect(result.code).toBe(9);
    const lines = parse(result).sort((a, b) => a.row - b.row);
    expect(lines.map((l) => [l.row, l.status, l.owner_id])).toEqual([
      [2, 'issued', 't1'],
      [3, 'failed', 't2'],
      [4, 'issued', 't3'],
    ]);
    expect(lines[1]?.error?.message).toMatch(
      /^org\/project "nowhere\/nothing": no projects are configured in /,
    );
    expect((await stats(served)).sessions).toBe(2);
  });

  it('a header with an unknown or repeated column fails once, before anything is written', async () => {
    const { served, env } = await sandbox(await isolatedEnv());
    const path = join(env.HOME!, 'header.csv');
    const results = join(env.HOME!, 'r.jsonl');
    await writeFile(path, 'owner_id,owner_name,pasword\nc1,C1,x\n');
    const unknown = await cst(bulk(path, '--results', results), env);
    expect([unknown.code, unknown.stdout, unknown.stderr]).toEqual([
      2,
      '',
      `error: ${path} line 1: unknown column "pasword"; known: owner_id, owner_name, categories, provider, username, account_id, label, expires_in, metadata, multiple, type, connector_profile_id, integration_id, org, project, row_key\n`,
    ]);
    await writeFile(path, '\r\nowner_id,Owner-Name,origin_owner_name\r\nc1,C1,C2\r\n');
    const repeated = await cst(bulk(path, '--results', results), env);
    expect([repeated.code, repeated.stderr]).toEqual([
      2,
      `error: ${path} line 2: columns 2 ("Owner-Name") and 3 ("origin_owner_name") both name owner_name\n`,
    ]);
    expect(existsSync(results)).toBe(false);
    expect(existsSync(join(env.CST_STATE_DIR!, 'journals'))).toBe(false);
    expect((await stats(served)).sessions).toBe(0);
  });

  it('reads NDJSON from stdin with a journal, reporting invalid lines', async () => {
    const { env } = await sandbox(await isolatedEnv());
    const input =
      '{"owner_id":"n1","owner_name":"N1","categories":["hris"],"expires_in":"1h"}\nnot json\n{"owner_id":"n2","owner_name":"N2","password":"x"}\n' +
      '{"owner_id":"n3","owner_name":"N3","expires_in":1e400}\n' +
      '{"owner_id":"n4","owner_name":"N4","expires_in":"100000000d"}\n' +
      '{"owner_id":"n5","owner_name":"N5","metadata":{"big":[1,-1e999]}}\n';
    const args = [
      'create',
      '--from-file',
      '-',
      '--journal',
      join(env.HOME!, 'j.jsonl'),
      '--results',
      join(env.HOME!, 'r.jsonl'),
      '--rate',
      '0',
    ];
    const result = await cst(args, env, input);
    expect(
      parse(result)
        .map((l) => [l.row, l.status, l.error?.message ?? null])
        .sort(),
    ).toEqual([
      [1, 'issued', null],
      [2, 'failed', 'invalid JSON'],
      [3, 'failed', 'unknown column "password"'],
      [4, 'failed', '"expires_in": a number too large to represent'],
      [5, 'failed', 'expires_in: "100000000d" must be from 1s to 2147483647s (about 68 years)'],
      [6, 'failed', '"metadata": a number too large to represent'],
    ]);
    const missing = await cst(['create', '--from-file', '-', '--results', 'r'], env, input);
    expect([missing.code, missing.stderr]).toEqual([
      2,
      'error: input from stdin needs --journal <path>, so that a re-run can resume\n',
    ]);
  });

  it(
    'fault matrix: every row ends in one outcome, and a re-run duplicates nothing',
    SLOW,
    async () => {
      const faults = [
        '408=0.04',
        '500=0.04',
        '502=0.04',
        '503=0.04',
        'reset-before=0.04',
        'reset-after=0.04',
        'truncated=0.04',
        'malformed=0.04',
        '429=0.02',
      ];
      const { served, env } = await sandbox(await isolatedEnv(), [
        '--seed',
        '7',
        ...faults.flatMap((f) => ['--fault', f]),
      ]);
      const file = await csv(env, 200);
      const args = bulk(
        file,
        '--results',
        join(env.HOME!, 'r.csv'),
        '--max-network-failures',
        '100',
      );
      const first = await cst(args, env, '', SLOW_MS);
      expect(first.code).toBe(9);
      const lines = parse(first);
      expect(lines.map((l) => l.row).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 200 }, (_, i) => i + 2),
      );
      const totals = counts(lines);
      expect(first.stderr).toContain(
        `issued ${totals.issued}, failed ${totals.failed}, skipped 0, unknown ${totals.unknown} in`,
      );
      expect(totals.issued).toBeGreaterThan(100);
      expect(totals.unknown).toBeGreaterThan(10);
      const byOwner = (await stats(served)).by_owner;
      for (const line of lines) {
        const sessions = byOwner[line.owner_id!] ?? 0;
        if (line.status === 'issued') expect(sessions).toBe(1);
        if (line.status === 'failed') expect(sessions).toBe(0);
        if (line.status === 'unknown') expect(sessions).toBeLessThanOrEqual(1);
      }
      const second = parse(await cst(args, env, '', SLOW_MS));
      const again = new Map(second.map((l) => [l.owner_id, l.status]));
      for (const line of lines) {
        if (line.status === 'issued') expect(again.get(line.owner_id)).toBe('skipped');
        if (line.status === 'unknown') expect(again.get(line.owner_id)).toBe('unknown');
      }
      const after = (await stats(served)).by_owner;
      expect(Object.values(after).every((n) => n <= 1)).toBe(true);
    },
  );

  it(
    'kill -9 mid-run, then a re-run finishes the rest without a duplicate session',
    SLOW,
    async () => {
      const { served, env } = await sandbox(await isolatedEnv(), ['--latency', '40ms']);
      const file = await csv(env, 300);
      const args = bulk(file, '--results', join(env.HOME!, 'r.csv'));
      const child = start(args, env);
      const done = finish(child, SLOW_MS);
      while ((await stats(served)).sessions < 40) await new Promise((r) => setTimeout(r, 20));
      child.kill('SIGKILL');
      await done;
      const rerun = await cst(args, env, '', SLOW_MS);
      const lines = parse(rerun);
      const totals = counts(lines);
      expect(lines).toHaveLength(300);
      expect(totals.failed).toBe(0);
      // Every session the sandbox had made was journaled: issued (skipped now) or pending (unknown).
      expect(totals.skipped + totals.unknown).toBeGreaterThanOrEqual(40);
      // Rows in flight at the kill are pending in the journal: reported unknown, not re-sent.
      expect(totals.unknown).toBeLessThanOrEqual(8);
      const { by_owner: byOwner, sessions } = await stats(served);
      expect(Object.values(byOwner).every((n) => n === 1)).toBe(true);
      expect(sessions).toBe(
        300 - lines.filter((l) => l.status === 'unknown' && !byOwner[l.owner_id!]).length,
      );
    },
  );

  it.each<[NodeJS.Signals, number]>([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ])(
    '%s stops taking rows, lets requests in flight finish, and exits %i',
    SLOW,
    async (signal, code) => {
      const { served, env } = await sandbox(await isolatedEnv(), ['--latency', '100ms']);
      const file = await csv(env, 200);
      const args = bulk(file, '--results', join(env.HOME!, 'r.csv'), '--concurrency', '4');
      const child = start(args, env);
      const done = finish(child, SLOW_MS);
      while ((await stats(served)).sessions < 8) await new Promise((r) => setTimeout(r, 20));
      child.kill(signal);
      const result = await done;
      expect(result.code).toBe(code);
      const lines = parse(result);
      expect(lines.length).toBeLessThan(200);
      expect(lines.every((l) => l.status === 'issued')).toBe(true);
      expect(result.stderr).toMatch(
        new RegExp(
          `^issued ${lines.length}, failed 0, skipped 0, unknown 0 in .*\\nerror: interrupted\\n` +
            `hint: ${200 - lines.length} rows were not sent; resume with: cst ${args.join(' ')}\\n$`,
        ),
      );
      const rerun = parse(await cst(args, env, '', SLOW_MS));
      expect(counts(rerun)).toEqual({
        issued: 200 - lines.length,
        failed: 0,
        skipped: lines.length,
        unknown: 0,
        undelivered: 0,
      });
      expect(Object.values((await stats(served)).by_owner).every((n) => n === 1)).toBe(true);
    },
  );

  it(
    'a closed stdout stops the run like a signal: books kept, exit 141, the resume line',
    SLOW,
    async () => {
      const { served, env } = await sandbox(await isolatedEnv(), ['--latency', '50ms']);
      const file = await csv(env, 40);
      const args = bulk(file, '--results', join(env.HOME!, 'r.csv'), '--concurrency', '2');
      const child = start(args, env);
      const done = finish(child, SLOW_MS);
      // `| head -1`: the reader takes the first line, then goes away.
      await firstLine(child);
      child.stdout!.destroy();
      const result = await done;
      expect(result.code).toBe(141);
      const [summaryLine, error, hint] = result.stderr.trimEnd().split('\n');
      expect(summaryLine).toMatch(/^issued \d+, failed 0, skipped 0, unknown 0 in /);
      expect(error).toBe('error: stopped: stdout was closed (its reader went away)');
      const issued = Number(/^issued (\d+)/.exec(summaryLine!)![1]);
      expect(issued).toBeLessThan(40);
      expect(hint).toBe(
        `hint: ${40 - issued} rows were not sent; resume with: cst ${args.join(' ')}`,
      );
      // Every session the sandbox made is in the results file, and a re-run issues the rest.
      expect((await stats(served)).sessions).toBe(issued);
      const rerun = parse(await cst(args, env, '', SLOW_MS));
      expect(counts(rerun)).toMatchObject({ issued: 40 - issued, skipped: issued });
    },
  );

  it('stops the whole run at the first 401', async () => {
    const { served, env } = await sandbox(await isolatedEnv());
    const file = await csv(env, 100);
    const result = await cst(bulk(file, '--results', join(env.HOME!, 'r.csv')), {
      ...env,
      CST_API_KEY: 'sk_sandbox_wrong',
    });
    expect(result.code).toBe(4);
    const lines = parse(result);
    expect(lines.length).toBeLessThanOrEqual(8);
    expect(lines.every((l) => l.status === 'failed' && l.error?.code === 'auth_rejected')).toBe(
      true,
    );
    expect(result.stderr).toContain(
      'error: stopped: API key rejected (HTTP 401 from POST /connect_sessions): Unauthorized\n' +
        `hint: the key came from CST_API_KEY and went to ${served.baseUrl}: check it belongs there. ` +
        `${100 - lines.length} rows were not sent; resume with: cst ${bulk(file, '--results', join(env.HOME!, 'r.csv')).join(' ')}\n`,
    );
    expect((await stats(served)).sessions).toBe(0);
  });

  // A smaller proof of what `npm run bench` measures at 10k and 100k rows (peak RSS ratio).
  it('10k rows stream through with old space capped at 64 MB', { timeout: 120_000 }, async () => {
    // A scripted server that answers every create at once: this measures cst, not the sandbox.
    let id = 0;
    const server = await scriptedServer((request) => {
      const body = JSON.parse(request.body) as {
        origin_owner_id: string;
        origin_owner_name: string;
      };
      return {
        status: 201,
        body: {
          ...SESSION_BODY,
          id: ++id,
          origin_owner_id: body.origin_owner_id,
          origin_owner_name: body.origin_owner_name,
        },
      };
    });
    try {
      const env: Record<string, string> = {
        ...(await isolatedEnv()),
        CST_BASE_URL: server.baseUrl,
        CST_API_KEY: 'k',
      };
      const report =
        "process.on('exit', () => process.stderr.write('maxrss=' + process.resourceUsage().maxRSS + '\\n'))";
      // With old space capped at 64 MB, a live set that grew with the rows would end in an
      // out-of-memory crash; peak RSS alone would also count garbage V8 has not collected yet.
      const child = spawn(
        process.execPath,
        [
          '--max-old-space-size=64',
          '--import',
          `data:text/javascript,${encodeURIComponent(report)}`,
          BIN,
          ...bulk(
            await csv(env, 10_000),
            '--concurrency',
            '16',
            '--results',
            join(env.HOME!, 'r.csv'),
            '-o',
            'tsv',
          ),
        ],
        { env, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      const result = await finish(child, 100_000);
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/^issued 10000, failed 0, skipped 0, unknown 0 in /);
      const peakMb = Number(/maxrss=(\d+)/.exec(result.stderr)?.[1]) / 1024;
      expect(peakMb).toBeLessThan(150);
    } finally {
      await server.close();
    }
  });

  it('--dry-run prints the exact requests and sends nothing', async () => {
    const { served, env } = await sandbox(await isolatedEnv());
    const result = await cst(
      ['create', '--from-file', await csv(env, 2), '--dry-run', '--label', 'L'],
      env,
    );
    expect(result.code).toBe(0);
    const [first] = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(first).toEqual({
      row: 2,
      method: 'POST',
      url: `${served.baseUrl}/connect_sessions`,
      headers: {
        authorization: 'Basic [redacted]',
        'content-type': 'application/json',
        'user-agent': expect.stringMatching(/^cst\//) as string,
      },
      body: {
        origin_owner_id: 'cus_1',
        origin_owner_name: 'Customer 1, Ltd',
        categories: ['hris', 'ats'],
        label: 'L',
      },
    });
    expect(result.stdout).not.toContain(served.projects[0]!.api_key);
    expect((await stats(served)).sessions).toBe(0);
  });
});
