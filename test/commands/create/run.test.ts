// Level B: runCreate with test streams, against real HTTP on loopback.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCreateOptions, type CreateFlags } from '../../../src/commands/create/options.js';
import { runCreate } from '../../../src/commands/create/run.js';
import { CliError } from '../../../src/core/errors.js';
import { testContext, type TestContextOptions } from '../../helpers/context.js';
import { record } from '../../helpers/ledger-record.js';
import { SESSION_TABLE_60 } from '../../helpers/session-table.js';
import {
  SESSION_BODY,
  scriptedServer,
  type ScriptedServer,
} from '../../helpers/scripted-server.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function dirs() {
  const root = await mkdtemp(join(tmpdir(), 'cst-run-'));
  return { CST_CONFIG_DIR: join(root, 'config'), CST_STATE_DIR: join(root, 'state') };
}

async function run(flags: Partial<CreateFlags>, options: TestContextOptions = {}) {
  const io = testContext(options);
  const error = await runCreate(parseCreateOptions({ timeout: '5s', ...flags }), io.ctx).then(
    () => undefined,
    (e: unknown) => e as CliError,
  );
  return { ...io, error };
}

const owner = { ownerId: 'cus_1', ownerName: 'Acme Ltd' };

/** A server scripted for creates: one by default, `[]` for a run that must send nothing. */
async function scripted(body: unknown = SESSION_BODY, creates = 1) {
  server = await scriptedServer(Array.from({ length: creates }, () => ({ status: 201, body })));
  return { ...(await dirs()), CST_API_KEY: 'key_live_123', CST_BASE_URL: server.baseUrl };
}

describe('runCreate output', () => {
  it('prints field<TAB>value lines when piped', async () => {
    const { stdout, stderr, error } = await run(owner, { env: await scripted() });
    expect(error).toBeUndefined();
    expect(stderr()).toBe('');
    expect(stdout()).toBe(
      [
        'id\t42',
        'organization_id\t1001',
        'project_id\tproj-1',
        'categories\thris,ats',
        'provider\t',
        'origin_owner_id\tcus_1',
        'origin_owner_name\tAcme Ltd',
        'origin_username\t',
        'account_id\t',
        'label\tMain HR',
        'created_at\t2026-11-25T10:00:00.000Z',
        'metadata\t{"plan":"pro"}',
        'external_trigger_token\t',
        'type\tproduction',
        'integration_id\t',
        'connector_profile_id\t',
        'latest_connection_attempt\t',
        'token\ttok_abc123',
        'auth_link_url\thttps://app.stackone.com/connect?token=tok_abc123',
        'expires_at\t2026-11-25T10:30:00.000Z',
        '',
      ].join('\n'),
    );
  });

  it('prints a table on a terminal, the token and link whole below it, a note on stderr', async () => {
    const env = { ...(await scripted()), CST_NO_INPUT: '1', NO_COLOR: '1' };
    const { stdout, stderr } = await run(owner, { tty: true, columns: 60, env });
    expect(stdout()).toBe([...SESSION_TABLE_60, ''].join('\n'));
    expect(stderr()).toBe('cst keeps no copy of this token: save it now if you need it.\n');
  });

  it('prints the API object as JSON, snake_case keys, nothing around it', async () => {
    const { stdout } = await run({ ...owner, json: true }, { env: await scripted() });
    expect(JSON.parse(stdout())).toEqual({
      ...SESSION_BODY,
      external_trigger_token: null,
      expires_at: '2026-11-25T10:30:00.000Z',
    });
  });

  it('passes through fields newer than cst, validating the ones it knows', async () => {
    const attempt = {
      id: 'att_1',
      created_at: '2026-11-25T10:01:00.000Z',
      updated_at: '2026-11-25T10:02:00.000Z',
      status: 'pending',
      account_secure_id: null,
      oauth_error_code: null,
      oauth_error_description: null,
      future_detail: 'kept',
    };
    const body = {
      ...SESSION_BODY,
      connector_profile_id: 'cp_1',
      latest_connection_attempt: attempt,
      future_field: { nested: [1, 2] },
    };
    const { stdout } = await run({ ...owner, json: true }, { env: await scripted(body) });
    expect(JSON.parse(stdout())).toEqual({
      ...body,
      external_trigger_token: null,
      expires_at: '2026-11-25T10:30:00.000Z',
    });
  });

  it('prints YAML', async () => {
    const { stdout } = await run({ ...owner, output: 'yaml' }, { env: await scripted() });
    expect(stdout()).toBe(
      [
        'id: 42',
        'organization_id: "1001"',
        'project_id: proj-1',
        'categories:',
        '  - hris',
        '  - ats',
        'provider: null',
        'origin_owner_id: cus_1',
        'origin_owner_name: "Acme Ltd"',
        'origin_username: null',
        'account_id: null',
        'label: "Main HR"',
        'created_at: "2026-11-25T10:00:00.000Z"',
        'metadata:',
        '  plan: pro',
        'external_trigger_token: null',
        'type: production',
        'integration_id: null',
        'connector_profile_id: null',
        'latest_connection_attempt: null',
        'token: tok_abc123',
        'auth_link_url: "https://app.stackone.com/connect?token=tok_abc123"',
        'expires_at: "2026-11-25T10:30:00.000Z"',
        '',
      ].join('\n'),
    );
  });

  it('prints one field alone, with a newline only on a terminal', async () => {
    expect((await run({ ...owner, field: 'token' }, { env: await scripted() })).stdout()).toBe(
      'tok_abc123',
    );
    const env = { ...(await scripted()), CST_NO_INPUT: '1' };
    expect((await run({ ...owner, field: 'auth_link_url' }, { tty: true, env })).stdout()).toBe(
      'https://app.stackone.com/connect?token=tok_abc123\n',
    );
  });

  it('colours only when the stream decides so', async () => {
    const env = { ...(await scripted(SESSION_BODY, 2)), CST_NO_INPUT: '1', FORCE_COLOR: '1' };
    const { stdout } = await run(owner, { tty: true, env });
    expect(stdout()).toContain('\u001b[1mcreated_at\u001b[22m');
    expect(stdout()).toContain('\u001b[2mtoken:\u001b[22m');
    const plain = await run(owner, { tty: true, env: { ...env, NO_COLOR: '1' } });
    expect(plain.stdout()).not.toContain('\u001b[');
  });
});

describe('runCreate requests', () => {
  it('sends exactly the fields the user set, body-json last with a warning', async () => {
    const env = await scripted();
    const { stderr } = await run(
      {
        ...owner,
        categories: ['hris'],
        expiresIn: '1h',
        metadata: ['plan=pro'],
        multiple: false,
        bodyJson: '{"shared":true,"label":"x"}',
        label: 'L',
      },
      { env },
    );
    expect(JSON.parse(server?.requests[0]?.body ?? '')).toEqual({
      origin_owner_id: 'cus_1',
      origin_owner_name: 'Acme Ltd',
      categories: ['hris'],
      label: 'x',
      expires_in: 3600,
      metadata: { plan: 'pro' },
      multiple: false,
      shared: true,
    });
    expect(stderr()).toBe('warning: --body-json sets shared, label as given, unchecked by cst\n');
  });

  it('fails at once without a terminal, naming every missing flag', async () => {
    const { error } = await run({}, { env: await scripted(SESSION_BODY, 0) });
    expect([error?.exitCode, error?.message]).toEqual([
      2,
      'missing required flags: --owner-id, --owner-name',
    ]);
    expect(server?.requests).toHaveLength(0);
  });

  it('exits 3 when the key belongs to another project, after showing the session', async () => {
    const env = await dirs();
    await writeConfig(env.CST_CONFIG_DIR, {
      organizations: {
        acme: {
          id: '999',
          projects: {
            prod: { id: 'proj-1', base_url: (await scripted()).CST_BASE_URL, key_env: 'ACME_KEY' },
          },
        },
      },
    });
    const { stdout, error } = await run(
      { ...owner, field: 'id' },
      { env: { ...env, ACME_KEY: 'k' } },
    );
    expect(stdout()).toBe('42');
    expect([error?.exitCode, error?.code, error?.message]).toEqual([
      3,
      'project_mismatch',
      'the API key of acme/prod belongs to another project: the session above was created in organization 1001 (expected 999)',
    ]);
  });

  it('--integration-id still works, with one line naming --connector-profile', async () => {
    const { stderr, error } = await run(
      { ...owner, integrationId: 'int_1' },
      { env: await scripted() },
    );
    expect(error).toBeUndefined();
    expect(stderr()).toBe(
      'warning: --integration-id is deprecated by StackOne: use --connector-profile\n',
    );
    expect(JSON.parse(server!.requests[0]!.body)).toMatchObject({ integration_id: 'int_1' });
  });

  it('--from-session sends camelCase categories a server echoed as wire values', async () => {
    const env = await dirs();
    await mkdir(env.CST_STATE_DIR, { recursive: true });
    const reissued = record(7, {
      categories: ['hrisLegacy', 'stackOne', 'ats'],
      org: null,
      project: null,
    });
    await writeFile(join(env.CST_STATE_DIR, 'ledger.jsonl'), `${JSON.stringify(reissued)}\n`);
    const { stdout, error } = await run(
      { fromSession: '7', dryRun: true },
      { env: { ...env, CST_API_KEY: 'k', CST_BASE_URL: 'https://api.example.com' } },
    );
    expect(error).toBeUndefined();
    expect((JSON.parse(stdout()) as { body: unknown }).body).toEqual({
      origin_owner_id: 'cus_0',
      origin_owner_name: 'Customer 0',
      categories: ['hris-legacy', 'stackone', 'ats'],
    });
  });
});

describe('runCreate against the sandbox', () => {
  it('issues a session in the default project, and the sandbox knows its token', async () => {
    const env = await dirs();
    const { stdout, error } = await run(
      { ...owner, sandbox: true, json: true, categories: ['hris,ats'] },
      { env },
    );
    expect(error).toBeUndefined();
    const session = JSON.parse(stdout()) as Record<string, unknown>;
    expect(session).toMatchObject({
      id: 1,
      organization_id: '1001',
      project_id: 'acme-production',
      categories: ['hris', 'ats'],
      origin_owner_id: 'cus_1',
    });
    expect(session.auth_link_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/connect\?token=/);
    const second = await run(
      { ...owner, sandbox: true, org: 'globex', project: 'staging', field: 'project_id' },
      { env },
    );
    expect(second.stdout()).toBe('globex-staging');
  });

  it('turns a sandbox 400 into exit 12 with its message', async () => {
    const { error } = await run(
      { ...owner, sandbox: true, bodyJson: '{"expires_in":-5}' },
      { env: await dirs() },
    );
    expect([error?.exitCode, error?.message]).toEqual([
      12,
      'request rejected (HTTP 400 from POST /connect_sessions): expires_in must be a positive number',
    ]);
  });
});

async function writeConfig(dir: string, config: unknown) {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'config.json'), JSON.stringify(config), { mode: 0o600 });
}
