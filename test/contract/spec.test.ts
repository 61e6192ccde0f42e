// Contract: what cst sends and what the sandbox answers, validated against StackOne's own
// schemas (test/fixtures, copied from the spec) with a JSON-schema validator, not against
// cst's zod schemas.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCreateOptions } from '../../src/commands/create/options.js';
import { runCreate } from '../../src/commands/create/run.js';
import { finishAttempt, type Outcome } from '../../src/sandbox/hub.js';
import { type RunningSandbox, startSandbox } from '../../src/sandbox/server.js';
import { testContext } from '../helpers/context.js';
import { call } from '../helpers/http.js';
import { SESSION_BODY, scriptedServer } from '../helpers/scripted-server.js';

const spec = nullableWithoutType(
  JSON.parse(
    await readFile(new URL('../fixtures/stackone-platform-spec.json', import.meta.url), 'utf8'),
  ),
);
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
ajv.addSchema(spec as object, 'spec');

/** OpenAPI's `nullable` beside `allOf` (no `type`) is spelled for JSON Schema as anyOf null. */
function nullableWithoutType(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(nullableWithoutType);
  if (typeof node !== 'object' || node === null) return node;
  const entries = Object.entries(node).map(([k, v]) => [k, nullableWithoutType(v)] as const);
  const { nullable, ...rest } = Object.fromEntries(entries) as Record<string, unknown>;
  if (nullable === true && !('type' in rest)) return { anyOf: [rest, { type: 'null' }] };
  return nullable === undefined ? rest : { ...rest, nullable };
}

function expectValid(schema: string, value: unknown): void {
  const validate = ajv.getSchema(`spec#/components/schemas/${schema}`);
  if (!validate) throw new Error(`no schema ${schema}`);
  const valid = validate(value);
  expect(valid ? [] : validate.errors, `${schema}`).toEqual([]);
}

let sandbox: RunningSandbox;
let key: string;
beforeAll(async () => {
  sandbox = await startSandbox({
    stateDir: join(await mkdtemp(join(tmpdir(), 'cst-contract-')), 'state'),
  });
  key = (await sandbox.store.read()).organizations[0]!.projects[0]!.apiKey;
});
afterAll(() => sandbox.close());

describe('requests cst sends', () => {
  it.each<[string, Record<string, unknown>]>([
    ['the minimum', {}],
    [
      'every flag',
      {
        categories: ['hris,ats,hrisLegacy,stackOne'],
        provider: 'bamboohr',
        username: 'admin@acme.test',
        accountId: 'acc_1',
        label: 'Main',
        expiresIn: '12h',
        metadata: ['plan=pro'],
        metadataJson: '{"seats":40}',
        multiple: true,
        type: 'test',
        connectorProfile: 'cp_1',
      },
    ],
    ['the deprecated integration id', { integrationId: 'int_1' }],
  ])('ConnectSessionCreate: %s', async (_name, flags) => {
    // A connector profile is looked up first: the project's profiles, one page.
    const profiles = {
      status: 200,
      body: { data: [], page: 1, page_size: 100, total: 0 },
    };
    const server = await scriptedServer([
      ...(flags.connectorProfile === undefined ? [] : [profiles]),
      { status: 201, body: SESSION_BODY },
    ]);
    try {
      const { ctx } = testContext({ env: { CST_API_KEY: 'k', CST_BASE_URL: server.baseUrl } });
      await runCreate(
        parseCreateOptions({ timeout: '5s', ownerId: 'c1', ownerName: 'Acme', ...flags }),
        ctx,
      );
      const body = JSON.parse(server.requests.at(-1)?.body ?? '') as unknown;
      expectValid('ConnectSessionCreate', body);
    } finally {
      await server.close();
    }
  });
});

describe('sandbox responses', () => {
  it('POST /connect_sessions → ConnectSessionTokenAuthLink; authenticate → ConnectSession', async () => {
    const created = await call(sandbox.baseUrl, 'POST', '/connect_sessions', key, {
      origin_owner_id: 'c1',
      origin_owner_name: 'Acme',
      categories: ['hris', 'hris-legacy'],
      provider: 'bamboohr',
      origin_username: 'u',
      account_id: 'a',
      label: 'L',
      metadata: { plan: 'pro' },
      type: 'production',
      integration_id: 'i',
    });
    expect(created.status).toBe(201);
    expectValid('ConnectSessionTokenAuthLink', created.body);
    const found = await call(sandbox.baseUrl, 'POST', '/connect_sessions/authenticate', key, {
      token: (created.body as { token: string }).token,
    });
    expect(found.status).toBe(201);
    expectValid('ConnectSession', found.body);
  });

  it.each<Outcome>(['authenticated', 'error', 'cancelled'])(
    'authenticate after the Hub says %s → ConnectSession with latest_connection_attempt',
    async (outcome) => {
      const created = await call(sandbox.baseUrl, 'POST', '/connect_sessions', key, {
        origin_owner_id: `c_${outcome}`,
        origin_owner_name: 'Acme',
        connector_profile_id: 'cp_1',
      });
      expectValid('ConnectSessionTokenAuthLink', created.body);
      const { token } = created.body as { token: string };
      await finishAttempt(sandbox.store, token, { outcome, provider: 'bamboohr' }, new Date());
      const found = await call(sandbox.baseUrl, 'POST', '/connect_sessions/authenticate', key, {
        token,
      });
      expectValid('ConnectSession', found.body);
      expect(found.body).toMatchObject({
        connector_profile_id: 'cp_1',
        latest_connection_attempt: { status: outcome },
      });
    },
  );

  it('GET /connect_sessions/{id} → ConnectSession, the same session authenticate reads', async () => {
    const operation = (spec as { paths: Record<string, Record<string, { responses: object }>> })
      .paths['/connect_sessions/{id}']!.get!;
    expect(Object.keys(operation.responses)).toContain('200');
    const created = await call(sandbox.baseUrl, 'POST', '/connect_sessions', key, {
      origin_owner_id: 'c_read',
      origin_owner_name: 'Acme',
    });
    const { id, token } = created.body as { id: number; token: string };
    await finishAttempt(
      sandbox.store,
      token,
      { outcome: 'authenticated', provider: 'bamboohr' },
      new Date(),
    );
    const read = await call(sandbox.baseUrl, 'GET', `/connect_sessions/${id}`, key);
    expect(read.status).toBe(200);
    expectValid('ConnectSession', read.body);
    const authenticated = await call(
      sandbox.baseUrl,
      'POST',
      '/connect_sessions/authenticate',
      key,
      {
        token,
      },
    );
    expect(read.body).toEqual(authenticated.body);
    const unknown = await call(sandbox.baseUrl, 'GET', '/connect_sessions/999999', key);
    expect(unknown.status).toBe(404);
    expectValid('NotFoundResponse', unknown.body);
    const notNumber = await call(sandbox.baseUrl, 'GET', '/connect_sessions/abc', key);
    expect(notNumber.status).toBe(400);
    expectValid('BadRequestResponse', notNumber.body);
  });

  it('a connection attempt with a null status, as the 2026-06 SDK allows, is spec-valid', () => {
    expectValid('ConnectionAttempt', {
      id: 'att_1',
      created_at: '2026-06-01T00:00:00.000Z',
      updated_at: '2026-06-01T00:00:00.000Z',
      status: null,
    });
  });

  it.each<[string, string, string | undefined, unknown]>([
    ['BadRequestResponse', '/connect_sessions', 'key', { origin_owner_id: 'c1' }],
    [
      'UnauthorizedResponse',
      '/connect_sessions',
      undefined,
      { origin_owner_id: 'c1', origin_owner_name: 'A' },
    ],
    ['NotFoundResponse', '/connect_sessions/authenticate', 'key', { token: 'unknown' }],
  ])('errors → %s', async (schema, path, useKey, body) => {
    const answer = await call(sandbox.baseUrl, 'POST', path, useKey && key, body);
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expectValid(schema, answer.body);
  });

  it('errors → TooManyRequestsResponse', async () => {
    const limited = await startSandbox({
      stateDir: join(await mkdtemp(join(tmpdir(), 'cst-contract-')), 'state'),
      rateLimitPerMinute: 1,
    });
    try {
      const limitedKey = (await limited.store.read()).organizations[0]!.projects[0]!.apiKey;
      await call(limited.baseUrl, 'POST', '/connect_sessions', limitedKey, {
        origin_owner_id: 'c',
        origin_owner_name: 'n',
      });
      const answer = await call(limited.baseUrl, 'POST', '/connect_sessions', limitedKey, {
        origin_owner_id: 'c',
        origin_owner_name: 'n',
      });
      expect(answer.status).toBe(429);
      expectValid('TooManyRequestsResponse', answer.body);
    } finally {
      await limited.close();
    }
  });
});

describe('accounts', () => {
  it('sandbox answers validate as LinkedAccount, a bare array of them, and LinkedAccountMeta', async () => {
    const created = await call(sandbox.baseUrl, 'POST', '/connect_sessions', key, {
      origin_owner_id: 'c9',
      origin_owner_name: 'Nine',
      categories: ['ats'],
      label: 'L',
    });
    const { account } = await finishAttempt(
      sandbox.store,
      (created.body as { token: string }).token,
      { outcome: 'authenticated', provider: 'greenhouse' },
      new Date(),
    );
    const listed = await call(
      sandbox.baseUrl,
      'GET',
      '/accounts?origin_owner_ids=c9&page=1&page_size=5',
      key,
    );
    expect(listed.status).toBe(200);
    expect(Array.isArray(listed.body)).toBe(true);
    for (const item of listed.body as unknown[]) expectValid('LinkedAccount', item);
    expectValid(
      'LinkedAccount',
      (await call(sandbox.baseUrl, 'GET', `/accounts/${account!.id}`, key)).body,
    );
    expectValid(
      'LinkedAccountMeta',
      (await call(sandbox.baseUrl, 'GET', `/accounts/${account!.id}/meta`, key)).body,
    );
    expectValid(
      'NotFoundResponse',
      (await call(sandbox.baseUrl, 'GET', '/accounts/acc_nope', key)).body,
    );
  });

  it('the query cst sends for GET /accounts uses only the spec parameters', async () => {
    const server = await scriptedServer([{ status: 200, body: [] }]);
    try {
      const { ctx } = testContext({ api: { baseUrl: server.baseUrl } });
      const { runAccountsList } = await import('../../src/commands/accounts/run.js');
      const { parseAccountsListOptions } = await import('../../src/commands/accounts/options.js');
      await runAccountsList(
        parseAccountsListOptions({
          timeout: '5s',
          pageSize: '25',
          limit: '50',
          provider: ['a', 'b'],
          ownerId: ['o'],
          accountId: ['x'],
          status: ['active'],
        }),
        ctx,
      );
      const query = new URL(server.requests[0]?.url ?? '', 'http://x').searchParams;
      const parameters = (
        spec as { paths: Record<string, { get: { parameters: { name: string }[] } }> }
      ).paths['/accounts']!.get.parameters.map((p) => p.name);
      expect([...new Set(query.keys())].filter((name) => !parameters.includes(name))).toEqual([]);
      expect(query.getAll('providers')).toEqual(['a', 'b']);
    } finally {
      await server.close();
    }
  });
});

describe('connector profiles (StackOne since 2026-06)', () => {
  const BAMBOO = 'cp_acme-production_bamboohr';

  it('sandbox answers validate as the page, a profile, its versions and its pin', async () => {
    const page = await call(sandbox.baseUrl, 'GET', '/connector_profiles?page=1&page_size=2', key);
    expect(page.status).toBe(200);
    expectValid('ConnectorProfilePage', page.body);
    const versions = await call(
      sandbox.baseUrl,
      'GET',
      `/connector_profiles/${BAMBOO}/versions`,
      key,
    );
    for (const version of versions.body as unknown[])
      expectValid('ConnectorProfileVersion', version);
    const body = { pinned_version: '1.0.0', owner: 'stackone' };
    expectValid('ConnectorProfilePinnedVersionUpdate', body);
    const pinned = await call(
      sandbox.baseUrl,
      'PUT',
      `/connector_profiles/${BAMBOO}/pinned_version`,
      key,
      body,
    );
    expect(pinned.status).toBe(200);
    expectValid('ConnectorProfilePinnedVersion', pinned.body);
    const read = await call(
      sandbox.baseUrl,
      'GET',
      `/connector_profiles/${BAMBOO}/pinned_version`,
      key,
    );
    expectValid('ConnectorProfilePinnedVersion', read.body);
    const listed = await call(
      sandbox.baseUrl,
      'GET',
      '/connector_profiles?connector_key=bamboohr',
      key,
    );
    expectValid('ConnectorProfilePage', listed.body);
    expect((listed.body as { data: { connector_pinned_version: string }[] }).data[0]).toMatchObject(
      {
        connector_pinned_version: '1.0.0',
      },
    );
    const unpinned = await call(
      sandbox.baseUrl,
      'DELETE',
      `/connector_profiles/${BAMBOO}/pinned_version`,
      key,
    );
    expect([unpinned.status, unpinned.body]).toEqual([204, undefined]);
    const missing = await call(sandbox.baseUrl, 'GET', '/connector_profiles/cp_nope/versions', key);
    expect(missing.status).toBe(404);
    expectValid('NotFoundResponse', missing.body);
    const badPage = await call(sandbox.baseUrl, 'GET', '/connector_profiles?page_size=0', key);
    expect(badPage.status).toBe(400);
    expectValid('BadRequestResponse', badPage.body);
  });

  it('what cst sends: the list query uses only the spec parameters, the pin its body', async () => {
    const server = await scriptedServer([
      { status: 200, body: { data: [], page: 1, page_size: 25, total: 0 } },
      {
        status: 200,
        body: {
          connector_profile_id: 'cp_1',
          pinned_version: '2.0.0',
          owner: null,
          created_at: '2026-06-01T00:00:00.000Z',
          updated_at: '2026-06-01T00:00:00.000Z',
        },
      },
    ]);
    try {
      const { ctx } = testContext({ api: { baseUrl: server.baseUrl } });
      const { runProfilesList, runProfilePin } =
        await import('../../src/commands/connector-profiles/run.js');
      const { parseProfilesListOptions, parsePinOptions } =
        await import('../../src/commands/connector-profiles/options.js');
      await runProfilesList(
        parseProfilesListOptions({ timeout: '5s', connector: 'bamboohr', enabled: true }),
        ctx,
      );
      await runProfilePin(
        parsePinOptions('cp_1', '2.0.0', { timeout: '5s', yes: true, owner: 'stackone' }),
        ctx,
      );
      const operation = (path: string) =>
        (spec as { paths: Record<string, { get: { parameters: { name: string }[] } }> }).paths[
          path
        ]!.get.parameters.map((p) => p.name);
      const query = new URL(server.requests[0]!.url, 'http://x').searchParams;
      expect(
        [...query.keys()].filter((name) => !operation('/connector_profiles').includes(name)),
      ).toEqual([]);
      expect(server.requests[1]!.method).toBe('PUT');
      expectValid('ConnectorProfilePinnedVersionUpdate', JSON.parse(server.requests[1]!.body));
    } finally {
      await server.close();
    }
  });

  it('an account update with a connector profile and sharing validates as PatchAccountExternalDto', async () => {
    const server = await scriptedServer([{ status: 200, body: { ...SESSION_ACCOUNT } }]);
    try {
      const { ctx } = testContext({ api: { baseUrl: server.baseUrl } });
      const { runAccountUpdate } = await import('../../src/commands/accounts/run.js');
      const { parseAccountUpdateOptions } = await import('../../src/commands/accounts/options.js');
      await runAccountUpdate(
        parseAccountUpdateOptions('acc_1', {
          timeout: '5s',
          pageSize: '25',
          limit: '50',
          // No label: the spec types it as an object, accounts carry a string, cst sends one.
          connectorProfile: 'cp_1',
          shared: false,
        }),
        ctx,
      );
      expectValid('PatchAccountExternalDto', JSON.parse(server.requests[0]!.body));
    } finally {
      await server.close();
    }
  });
});

const SESSION_ACCOUNT = {
  id: 'acc_1',
  provider: 'bamboohr',
  status: 'active',
  origin_owner_id: 'c1',
  origin_owner_name: 'A',
  created_at: '2026-06-01T00:00:00.000Z',
  updated_at: '2026-06-01T00:00:00.000Z',
};
