// Level B: the accounts runners in-process, their connection handed to a scripted StackOne on
// loopback through the context (no environment, no config).
import { afterEach, describe, expect, it } from 'vitest';
import {
  parseAccountDeleteOptions,
  parseAccountOptions,
  parseAccountsListOptions,
  parseAccountUpdateOptions,
} from '../../../src/commands/accounts/options.js';
import { META_FIELDS } from '../../../src/cmdutil/fields.js';
import {
  runAccountDelete,
  runAccountGet,
  runAccountMeta,
  runAccountsList,
  runAccountUpdate,
} from '../../../src/commands/accounts/run.js';
import { CliError } from '../../../src/core/errors.js';
import { testContext } from '../../helpers/context.js';
import { type Reply, scriptedServer, type ScriptedServer } from '../../helpers/scripted-server.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const ACCOUNT = {
  id: 'acc_1',
  provider: 'bamboohr',
  provider_name: 'BambooHR',
  status: 'active',
  origin_owner_id: 'cus_1',
  origin_owner_name: 'Acme Ltd',
  label: 'Acme HR',
  credentials: { api_key: 'provider-secret-1' },
  setup_information: { subdomain: 'acme' },
  created_at: '2026-11-20T10:00:00.000Z',
  updated_at: '2026-11-21T10:00:00.000Z',
};
const flags = { timeout: '5s', pageSize: '25', limit: '50' };

async function against(replies: Reply[], tty = false) {
  server = await scriptedServer(replies);
  return testContext({ api: { baseUrl: server.baseUrl }, tty, env: { NO_COLOR: '1' } });
}

const failure = (promise: Promise<void>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as CliError,
  );

describe('accounts runners', () => {
  it('list: GET /accounts with the filters, one line per account, credentials never shown', async () => {
    const io = await against([{ status: 200, body: [ACCOUNT, { ...ACCOUNT, id: 'acc_2' }] }]);
    await runAccountsList(
      parseAccountsListOptions({ ...flags, ownerId: ['cus_1'], org: 'acme', project: 'prod' }),
      io.ctx,
    );
    const request = server!.requests[0]!;
    expect(request.method).toBe('GET');
    const query = new URL(request.url, 'http://x').searchParams;
    expect(query.getAll('origin_owner_ids')).toEqual(['cus_1']);
    expect(query.get('page_size')).toBe('25');
    expect(request.headers.authorization).toBe(
      `Basic ${Buffer.from('key_test_123:').toString('base64')}`,
    );
    expect(request.headers['user-agent']).toMatch(/^cst\/0\.0\.0-test \(node /);
    // The flags reached the context's connect as the target they name.
    expect(io.connects).toEqual([
      { flags: { org: 'acme', project: 'prod' }, options: { timeoutMs: 5000 } },
    ]);
    expect(io.stdout().split('\n')).toEqual([
      'acc_1\tbamboohr\tcus_1\tactive\tAcme HR\t2026-11-20T10:00:00.000Z',
      'acc_2\tbamboohr\tcus_1\tactive\tAcme HR\t2026-11-20T10:00:00.000Z',
      '',
    ]);
    expect(io.stdout()).not.toContain('provider-secret-1');
  });

  it('list: a limit below what came back says so', async () => {
    const io = await against([{ status: 200, body: [ACCOUNT, { ...ACCOUNT, id: 'acc_2' }] }]);
    await runAccountsList(parseAccountsListOptions({ ...flags, limit: '1', json: true }), io.ctx);
    expect(JSON.parse(io.stdout())).toHaveLength(1);
    expect(io.stderr()).toContain('showing the first 1; use --all for every page');
  });

  it('get: the account, credentials redacted unless asked for', async () => {
    const io = await against([
      { status: 200, body: ACCOUNT },
      { status: 200, body: ACCOUNT },
    ]);
    await runAccountGet(parseAccountOptions('acc_1', { ...flags, json: true }), io.ctx);
    const hidden = JSON.parse(io.stdout()) as Record<string, unknown>;
    expect(hidden.id).toBe('acc_1');
    expect(JSON.stringify(hidden)).not.toContain('provider-secret-1');
    const shown = testContext({ api: { baseUrl: server!.baseUrl } });
    await runAccountGet(
      parseAccountOptions('acc_1', { ...flags, json: true, showCredentials: true }),
      shown.ctx,
    );
    expect(shown.stdout()).toContain('provider-secret-1');
    expect(server!.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /accounts/acc_1',
      'GET /accounts/acc_1',
    ]);
  });

  it('list, get and meta pass fields newer than cst through, as sessions do', async () => {
    const newer = {
      ...ACCOUNT,
      categories: ['hris'],
      connector_profile_id: 'cp_1',
      shared: true,
      region: 'eu',
      credentials: { api_key: 'provider-secret-1', nested: { token: 'provider-secret-2' } },
    };
    const io = await against([
      { status: 200, body: [newer] },
      { status: 200, body: newer },
      { status: 200, body: { provider: 'bamboohr', category: 'hris', models: {}, since: 'x' } },
    ]);
    await runAccountsList(parseAccountsListOptions({ ...flags, json: true }), io.ctx);
    await runAccountGet(parseAccountOptions('acc_1', { ...flags, output: 'yaml' }), io.ctx);
    await runAccountMeta(
      parseAccountOptions('acc_1', { ...flags, json: true }, META_FIELDS),
      io.ctx,
    );
    const [listed] = JSON.parse(io.stdout().slice(0, io.stdout().indexOf(']\n') + 1)) as [
      Record<string, unknown>,
    ];
    expect(listed).toMatchObject({
      categories: ['hris'],
      connector_profile_id: 'cp_1',
      shared: true,
      region: 'eu',
      credentials: { api_key: '[redacted]', nested: '[redacted]' },
    });
    expect(io.stdout()).toContain('region: eu');
    expect(io.stdout()).toContain('"since": "x"');
    expect(io.stdout()).not.toContain('provider-secret');
  });

  it('get: an unknown account is not_found, exit 6', async () => {
    const io = await against([
      { status: 404, body: { statusCode: 404, message: 'Not Found', timestamp: '' } },
    ]);
    const error = await failure(runAccountGet(parseAccountOptions('acc_x', flags), io.ctx));
    expect([error?.code, error?.exitCode]).toEqual(['not_found', 6]);
  });

  it('meta: says the route is legacy, prints the meta', async () => {
    const io = await against([
      { status: 200, body: { provider: 'bamboohr', category: 'hris', models: {} } },
    ]);
    await runAccountMeta(
      parseAccountOptions('acc_1', { ...flags, field: 'category' }, META_FIELDS),
      io.ctx,
    );
    expect(io.stdout()).toBe('hris');
    expect(io.stderr()).toContain("legacy in StackOne's newest SDKs");
    expect(server!.requests[0]!.url).toBe('/accounts/acc_1/meta');
  });

  it('update: PATCH with the label and nothing else', async () => {
    const io = await against([{ status: 200, body: { ...ACCOUNT, label: 'New' } }]);
    await runAccountUpdate(
      parseAccountUpdateOptions('acc_1', { ...flags, label: 'New', field: 'label' }),
      io.ctx,
    );
    expect(server!.requests[0]!.method).toBe('PATCH');
    expect(JSON.parse(server!.requests[0]!.body)).toEqual({ label: 'New' });
    expect(io.stdout()).toBe('New');
  });

  it('update: a connector profile and sharing go as connector_profile_id and shared', async () => {
    const io = await against([{ status: 200, body: { ...ACCOUNT, shared: true } }]);
    await runAccountUpdate(
      parseAccountUpdateOptions('acc_1', { ...flags, connectorProfile: 'cp_1', shared: true }),
      io.ctx,
    );
    expect(JSON.parse(server!.requests[0]!.body)).toEqual({
      connector_profile_id: 'cp_1',
      shared: true,
    });
  });

  it('list --connector-profile: every page read, then only that profile’s accounts', async () => {
    const page = (ids: string[], profile: string | null) =>
      ids.map((id) => ({ ...ACCOUNT, id, connector_profile_id: profile }));
    const io = await against([
      { status: 200, body: [...page(['acc_1'], 'cp_2'), ...page(['acc_2'], 'cp_1')] },
      { status: 200, body: page(['acc_3'], 'cp_1') },
    ]);
    await runAccountsList(
      parseAccountsListOptions({
        ...flags,
        pageSize: '2',
        limit: '1',
        connectorProfile: 'cp_1',
        field: 'id',
      }),
      io.ctx,
    );
    expect(server!.requests).toHaveLength(2);
    expect(io.stdout()).toBe('acc_2\n');
    expect(io.stderr()).toContain('showing the first 1; use --all for every page');
  });

  it('delete: without --yes and without a terminal, nothing is sent (exit 2)', async () => {
    const io = await against([]);
    const error = await failure(
      runAccountDelete(parseAccountDeleteOptions('acc_1', flags), io.ctx),
    );
    expect([error?.code, error?.exitCode]).toEqual(['usage', 2]);
    expect(io.connects).toEqual([]);
  });

  it('delete --dry-run reads the account and deletes nothing; --yes deletes it', async () => {
    const io = await against([
      { status: 200, body: ACCOUNT },
      { status: 200, body: ACCOUNT },
    ]);
    await runAccountDelete(
      parseAccountDeleteOptions('acc_1', { ...flags, dryRun: true, field: 'id' }),
      io.ctx,
    );
    await runAccountDelete(
      parseAccountDeleteOptions('acc_1', { ...flags, yes: true, field: 'id' }),
      io.ctx,
    );
    expect(server!.requests.map((r) => r.method)).toEqual(['GET', 'DELETE']);
  });
});
