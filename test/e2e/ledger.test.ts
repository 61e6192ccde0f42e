// Level C: the ledger, list, inspect, reissue and accounts through the built binary.
import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, cst, finish, isolatedEnv } from './cli.js';
import { realClock, record } from '../helpers/ledger-record.js';

const create = (env: Record<string, string>, owner: string, ...more: string[]) =>
  cst(
    ['create', '--sandbox', '--owner-id', owner, '--owner-name', `Name of ${owner}`, ...more],
    env,
  );

describe('the ledger through the binary', () => {
  it('N parallel creates leave N intact records', async () => {
    const env = await isolatedEnv();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => create(env, `par_${i}`, '--field', 'id')),
    );
    expect(results.map((r) => r.code)).toEqual(Array(8).fill(0));
    const lines = (await readFile(join(env.CST_STATE_DIR!, 'ledger-sandbox.jsonl'), 'utf8'))
      .trim()
      .split('\n');
    const records = lines.map((line) => JSON.parse(line) as { id: number; owner_id: string });
    expect(records.map((r) => r.id).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(new Set(records.map((r) => r.owner_id)).size).toBe(8);
  });

  it('holds no token and no auth link', async () => {
    const env = await isolatedEnv();
    const session = JSON.parse((await create(env, 'c1', '--json')).stdout) as {
      token: string;
      auth_link_url: string;
    };
    const ledger = await readFile(join(env.CST_STATE_DIR!, 'ledger-sandbox.jsonl'), 'utf8');
    expect(ledger).not.toContain(session.token);
    expect(ledger).not.toContain('connect?token');
  });

  it('a failed ledger write still prints the token, then exits 17 naming the session', async () => {
    const env = await isolatedEnv();
    await mkdir(join(env.CST_STATE_DIR!, 'ledger-sandbox.jsonl'), { recursive: true });
    const result = await create(env, 'c1', '--field', 'token');
    expect(result.code).toBe(17);
    expect(result.stdout).toMatch(/^[\w-]{43}$/);
    expect(result.stderr).toBe(
      `error: cannot write the record of session 1 to the ledger ${join(env.CST_STATE_DIR!, 'ledger-sandbox.jsonl')}: is a directory\n` +
        'hint: a directory is in its place: move it, or point CST_STATE_DIR elsewhere\n',
    );
  });

  it('a token that cannot be written to stdout: exit 16 naming the session, which the ledger keeps', async () => {
    const env = await isolatedEnv();
    const child = spawn(
      process.execPath,
      [BIN, 'create', '--sandbox', '--owner-id', 'c1', '--owner-name', 'C1'],
      {
        env,
        stdio: ['ignore', openSync('/dev/full', 'w'), 'pipe'],
      },
    );
    const result = await finish(child);
    expect(result.code).toBe(16);
    expect(result.stderr).toBe(
      'error: session 1 for owner c1 was created, but its token could not be written to stdout: no space left on device\n' +
        "hint: 'cst create --from-session 1 --sandbox' issues a new one once stdout works\n",
    );
    const listed = await cst(['list', '--sandbox', '--field', 'id'], env);
    expect(listed.stdout).toBe('1\n');
  });

  it('ends quietly, exit 0, when the reader of stdout goes away (`| head -1`)', async () => {
    const env = await isolatedEnv();
    // Far more than a pipe holds: list is still writing when the reader is gone.
    await mkdir(env.CST_STATE_DIR!, { recursive: true, mode: 0o700 });
    await appendFile(
      join(env.CST_STATE_DIR!, 'ledger.jsonl'),
      Array.from({ length: 3000 }, (_, i) => `${JSON.stringify(record(i + 1))}\n`).join(''),
      { mode: 0o600 },
    );
    for (const args of [
      ['list', '--limit', '3000'],
      ['create', '--help'],
    ]) {
      const child = spawn(process.execPath, [BIN, ...args], { env });
      // The read end closes before cst writes a byte, so every write fails with EPIPE.
      child.stdout.destroy();
      const result = await finish(child);
      expect({ args, code: result.code, stderr: result.stderr }).toEqual({
        args,
        code: 0,
        stderr: '',
      });
    }
  });

  it('a ledger that cannot be read: exit 17 state_unreadable, naming it', async () => {
    const env = await isolatedEnv();
    await mkdir(join(env.CST_STATE_DIR!, 'ledger.jsonl'), { recursive: true });
    const result = await cst(['list', '--json'], env);
    expect(result.code).toBe(17);
    expect(JSON.parse(result.stderr)).toEqual({
      error: {
        code: 'state_unreadable',
        message: `cannot read the ledger ${join(env.CST_STATE_DIR!, 'ledger.jsonl')}: is a directory`,
        exit: 17,
      },
    });
  });

  it('a create whose reader went away: exit 16 naming the session, which the ledger keeps', async () => {
    const env = await isolatedEnv();
    const child = spawn(
      process.execPath,
      [BIN, 'create', '--sandbox', '--owner-id', 'gone', '--owner-name', 'Gone Ltd'],
      { env },
    );
    child.stdout.destroy();
    const result = await finish(child);
    expect(result.code).toBe(16);
    expect(result.stderr).toBe(
      'error: session 1 for owner gone was created, but its token could not be written to stdout: its reader went away (a closed pipe)\n' +
        "hint: 'cst create --from-session 1 --sandbox' issues a new one once stdout works\n",
    );
    expect((await cst(['list', '--sandbox', '--field', 'owner_id'], env)).stdout).toBe('gone\n');
  });

  it('lists, warns about a torn line, and says what it left out', async () => {
    const env = await isolatedEnv();
    for (const owner of ['a', 'b', 'c'])
      expect((await create(env, owner, '-c', 'hris')).code).toBe(0);
    await appendFile(join(env.CST_STATE_DIR!, 'ledger-sandbox.jsonl'), '{"v":1,"id":9');
    const result = await cst(['list', '--sandbox', '--limit', '2', '--field', 'owner_id'], env);
    expect([result.code, result.stdout]).toEqual([0, 'c\nb\n']);
    // --limit asked for the rows left out: no note about them.
    expect(result.stderr.split('\n')).toEqual([
      expect.stringMatching(/^warning: skipped 1 unreadable line in /),
      '',
    ]);
    const real = await cst(['list'], env);
    expect([real.code, real.stdout, real.stderr]).toEqual([0, '', '']);
  });

  it('warns when the owner already has an active session', async () => {
    const env = await isolatedEnv();
    await create(env, 'dup');
    const second = await create(env, 'dup', '--field', 'id');
    expect(second.stderr).toMatch(
      /^warning: dup already has an active session 1 \(expires .*\); issuing another\n$/,
    );
    expect(second.stdout).toBe('2');
  });

  it('reissues from a ledger record; flags override', async () => {
    const env = await isolatedEnv();
    await create(
      env,
      'cus_r',
      '-c',
      'hris,ats',
      '--label',
      'HR',
      '--type',
      'test',
      '--provider',
      'bamboohr',
      '--org',
      'globex',
      '--project',
      'staging',
    );
    const result = await cst(
      ['create', '--sandbox', '--from-session', '1', '--label', 'HR again', '--json'],
      env,
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      id: 2,
      project_id: 'globex-staging',
      origin_owner_id: 'cus_r',
      origin_owner_name: 'Name of cus_r',
      categories: ['hris', 'ats'],
      provider: 'bamboohr',
      type: 'test',
      label: 'HR again',
    });
    const missing = await cst(['create', '--sandbox', '--from-session', '99'], env);
    expect([missing.code, missing.stderr]).toEqual([
      2,
      "error: --from-session: no session 99 in the sandbox ledger\nhint: 'cst list --sandbox' shows the sessions cst issued\n",
    ]);
  });

  it('inspects a live token from stdin, and exits 6 for an unknown one', async () => {
    const env = await isolatedEnv();
    const token = (await create(env, 'cus_i', '--field', 'token')).stdout;
    const found = await cst(
      ['inspect', '--sandbox', '--token-stdin', '--field', 'origin_owner_id'],
      env,
      token,
    );
    expect([found.code, found.stdout]).toEqual([0, 'cus_i']);
    const unknown = await cst(['inspect', '--sandbox', '--token-stdin'], env, 'not-a-token\n');
    expect([unknown.code, unknown.stdout, unknown.stderr]).toEqual([
      6,
      '',
      'error: token unknown or expired\n',
    ]);
  });

  it('inspects a session by its id, through the project that issued it', async () => {
    const env = await isolatedEnv();
    const token = (await create(env, 'cus_s', '--field', 'token')).stdout;
    await cst(['sandbox', 'link', '--token-stdin', '--provider', 'bamboohr'], env, token);
    const found = await cst(['inspect', '--sandbox', '--session', '1', '--json'], env);
    expect(found.code).toBe(0);
    expect(JSON.parse(found.stdout)).toMatchObject({
      id: 1,
      origin_owner_id: 'cus_s',
      latest_connection_attempt: {
        status: 'authenticated',
        account_secure_id: expect.any(String) as string,
      },
    });
    expect(found.stdout).not.toContain(token);
    const missing = await cst(['inspect', '--sandbox', '--session', '99'], env);
    expect([missing.code, missing.stdout]).toEqual([6, '']);
    expect(missing.stderr).toMatch(/^error: no session 99 in acme\/production\nhint: /);
    // Another project's key cannot read it: StackOne answers 404, as for any other id.
    const elsewhere = await cst(
      ['inspect', '--sandbox', '--org', 'globex', '--project', 'staging', '--session', '1'],
      env,
    );
    expect([elsewhere.code, elsewhere.stderr.split('\n')[0]]).toEqual([
      6,
      'error: no session 1 in globex/staging',
    ]);
    const both = await cst(['inspect', '--sandbox', '--session', '1', '--token-stdin'], env, 't');
    expect([both.code, both.stderr]).toEqual([
      2,
      'error: give one of: a token, --token-stdin, or --session <id>\n',
    ]);
    const bad = await cst(['inspect', '--sandbox', '--session', 'abc'], env);
    expect([bad.code, bad.stderr]).toEqual([
      2,
      'error: --session: "abc" is not a session id (a number)\n',
    ]);
  });

  it('list --refresh reads each open session back, records it, and --summary counts exactly', async () => {
    const env = await isolatedEnv();
    const tokens = [];
    for (const owner of ['cus_a', 'cus_b', 'cus_c'])
      tokens.push((await create(env, owner, '--field', 'token')).stdout);
    await cst(['sandbox', 'link', '--token-stdin', '--provider', 'bamboohr'], env, tokens[0]);
    await cst(['sandbox', 'link', '--token-stdin', '--outcome', 'error'], env, tokens[1]);
    const before = await cst(['list', '--sandbox', '--summary', '--json'], env);
    expect(JSON.parse(before.stdout)).toMatchObject([{ issued: 3, linked: 0, pending: 3 }]);
    const refreshed = await cst(['list', '--sandbox', '--refresh', '--field', 'state'], env);
    expect([refreshed.code, refreshed.stderr]).toEqual([0, '']);
    expect(refreshed.stdout.split('\n')).toEqual(['pending', 'failed', 'linked', '']);
    const after = await cst(['list', '--sandbox', '--summary', '--json'], env);
    expect(JSON.parse(after.stdout)).toMatchObject([
      { issued: 3, linked: 1, pending: 1, failed: 1 },
    ]);
    // Decided sessions are not asked again: one read, for the one still pending.
    const again = await cst(['list', '--sandbox', '--refresh', '--debug'], env);
    expect(again.stderr.match(/→ GET \S+\/connect_sessions\/\d+/g)).toEqual([
      expect.stringMatching(/\/connect_sessions\/3$/) as string,
    ]);
  });

  it('links an account and joins it in list --linked', async () => {
    const env = await isolatedEnv();
    const token = (await create(env, 'cus_l', '--field', 'token')).stdout;
    await create(env, 'cus_n');
    const linked = await cst(
      ['sandbox', 'link', '--token-stdin', '--provider', 'bamboohr', '--json'],
      env,
      token,
    );
    expect(linked.code).toBe(0);
    const account = JSON.parse(linked.stdout) as {
      id: string;
      credentials: Record<string, string>;
    };
    expect(account.credentials).toEqual({ api_key: '[redacted]' });
    const list = await cst(['list', '--sandbox', '--linked', '--json'], env);
    expect(list.code).toBe(0);
    const rows = JSON.parse(list.stdout) as { owner_id: string; linked: unknown }[];
    expect(rows.map((r) => [r.owner_id, r.linked])).toEqual([
      ['cus_n', { account: null }],
      [
        'cus_l',
        {
          account: {
            id: account.id,
            provider: 'bamboohr',
            status: 'active',
            created_at: expect.any(String) as string,
          },
        },
      ],
    ]);
  });

  it('accounts: get redacts credentials unless asked; delete needs --yes without a terminal', async () => {
    const env = await isolatedEnv();
    const token = (await create(env, 'cus_a', '--field', 'token')).stdout;
    const id = (
      JSON.parse(
        (
          await cst(
            ['sandbox', 'link', '--token-stdin', '--provider', 'hibob', '--json'],
            env,
            token,
          )
        ).stdout,
      ) as { id: string }
    ).id;
    expect(
      (await cst(['accounts', 'get', id, '--sandbox', '--field', 'credentials'], env)).stdout,
    ).toBe('{"api_key":"[redacted]"}');
    expect(
      (
        await cst(
          ['accounts', 'get', id, '--sandbox', '--show-credentials', '--field', 'credentials'],
          env,
        )
      ).stdout,
    ).toMatch(/^\{"api_key":"sandbox_provider_secret_[0-9a-f]+"\}$/);
    const meta = await cst(['accounts', 'meta', id, '--sandbox', '--json'], env);
    expect([meta.code, meta.stderr]).toEqual([
      0,
      `${JSON.stringify({ warning: { message: "GET /accounts/{id}/meta is legacy in StackOne's newest SDKs; 'cst accounts get' is the lasting way" } })}\n`,
    ]);
    expect(JSON.parse(meta.stdout)).toMatchObject({ provider: 'hibob' });
    const refused = await cst(['accounts', 'delete', id, '--sandbox'], env);
    expect([refused.code, refused.stderr]).toEqual([
      2,
      `error: deleting account ${id} needs --yes without a terminal\nhint: add --yes, or --dry-run to see what it would delete\n`,
    ]);
    const dry = await cst(
      ['accounts', 'delete', id, '--sandbox', '--dry-run', '--field', 'id'],
      env,
    );
    expect([dry.code, dry.stdout, dry.stderr]).toEqual([
      0,
      id,
      `would delete account ${id} (hibob, owner cus_a); nothing deleted\n`,
    ]);
    const dryJson = await cst(['accounts', 'delete', id, '--sandbox', '--dry-run', '--json'], env);
    expect(JSON.parse(dryJson.stdout)).toMatchObject({ id, dry_run: true });
    expect(dryJson.stderr).toBe(
      `${JSON.stringify({ note: { message: `would delete account ${id} (hibob, owner cus_a); nothing deleted` } })}\n`,
    );
    expect((await cst(['accounts', 'get', id, '--sandbox'], env)).code).toBe(0);
    expect(
      (await cst(['accounts', 'delete', id, '--sandbox', '--yes', '--field', 'id'], env)).stdout,
    ).toBe(id);
    expect((await cst(['accounts', 'get', id, '--sandbox'], env)).code).toBe(6);
  });

  it('ledger path and prune', async () => {
    const env = await isolatedEnv();
    await create(env, 'old');
    expect((await cst(['ledger', 'path', '--sandbox'], env)).stdout).toBe(
      `${join(env.CST_STATE_DIR!, 'ledger-sandbox.jsonl')}\n`,
    );
    const prune = ['ledger', 'prune', '--sandbox', '--before', '0s', '--json'];
    expect(await cst(prune, env)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining(
        'pruning the ledger needs --yes without a terminal',
      ) as unknown,
    });
    const dry = await cst([...prune, '--dry-run'], env);
    expect([dry.code, dry.stdout]).toEqual([0, '{"would_remove":1,"kept":0}\n']);
    const pruned = await cst([...prune, '--yes'], env);
    expect([pruned.code, pruned.stdout]).toEqual([0, '{"removed":1,"kept":0}\n']);
    const again = await cst([...prune, '--yes'], env);
    expect([again.code, again.stdout]).toEqual([0, '{"removed":0,"kept":0}\n']);
  });

  it('list --org or --project naming nothing configured or in the ledger: exit 2 with did-you-mean', async () => {
    const env = await isolatedEnv();
    expect((await create(env, 'o1', '--org', 'acme', '--project', 'staging')).code).toBe(0);
    expect(await cst(['list', '--sandbox', '--org', 'acmee'], env)).toMatchObject({
      code: 2,
      stdout: '',
      stderr:
        'error: --org: no organization "acmee" is in the sandbox or its ledger (did you mean "acme"?)\nhint: known: acme, globex\n',
    });
    expect(
      await cst(['list', '--sandbox', '--org', 'acme', '--project', 'stagin'], env),
    ).toMatchObject({
      code: 2,
      stderr:
        'error: --project: no project "stagin" is in the sandbox or its ledger (did you mean "staging"?)\nhint: known: production, staging\n',
    });
    // Known names that match no session are an empty answer, not an error.
    expect(await cst(['list', '--sandbox', '--org', 'globex', '--field', 'id'], env)).toMatchObject(
      { code: 0, stdout: '' },
    );
    expect(
      await cst(['list', '--sandbox', '--project', 'staging', '--field', 'owner_id'], env),
    ).toMatchObject({ code: 0, stdout: 'o1\n' });
    // Off the sandbox: the config's names and the ledger's count; with neither, nothing is known.
    expect(await cst(['list', '--org', 'acme'], env)).toMatchObject({
      code: 2,
      stderr:
        'error: --org: no organization "acme" is configured or in the ledger\nhint: known: none\n',
    });
    const add = ['config', 'add', '--org', 'initech', '--project', 'prod', '--key-env', 'K'];
    expect((await cst(add, env)).code).toBe(0);
    expect(await cst(['list', '--org', 'initech'], env)).toMatchObject({ code: 0, stdout: '' });
    expect(await cst(['list', '--org', 'initek'], env)).toMatchObject({
      code: 2,
      stderr:
        'error: --org: no organization "initek" is configured or in the ledger (did you mean "initech"?)\nhint: known: initech\n',
    });
  });

  it('a token that begins with "-" is taken as the token by inspect, sandbox link and wait, never echoed', async () => {
    const env = await isolatedEnv();
    const { SandboxStore, hashToken } = await import('../../src/sandbox/state.js');
    const store = new SandboxStore(env.CST_STATE_DIR!, realClock);
    const organization = (await store.read()).organizations[0]!;
    const token = '-nk0J8AUhyduGYmvm601whxpdYyyPKpG7P1Kvw3ltBs';
    const now = Date.now();
    await store.addSession((id) => ({
      id,
      organizationId: organization.id,
      projectId: organization.projects[0]!.id,
      tokenHash: hashToken(token),
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + 1_800_000).toISOString(),
      fields: { origin_owner_id: 'cus_dash', origin_owner_name: 'Dash Ltd' },
    }));
    const history =
      'warning: a token given as an argument lands in shell history; prefer --token-stdin\n';
    const inspected = await cst(['inspect', '--sandbox', token, '--field', 'origin_owner_id'], env);
    expect([inspected.code, inspected.stdout, inspected.stderr]).toEqual([0, 'cus_dash', history]);
    const linked = await cst(['sandbox', 'link', token, '--provider', 'bamboohr', '--json'], env);
    expect(linked.code).toBe(0);
    expect(linked.stderr).not.toContain(token);
    const waited = await cst(
      ['--no-input', 'wait', token, '--sandbox', '--field', 'owner_id'],
      env,
    );
    expect([waited.code, waited.stdout, waited.stderr]).toEqual([0, 'cus_dash', history]);
    // Where no token is taken, it is still never echoed.
    const create = await cst(['create', '--sandbox', token], env);
    expect(create.code).toBe(2);
    expect(create.stderr).not.toContain(token.slice(1));
  });
});
