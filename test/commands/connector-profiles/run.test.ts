// Level B: the connector-profiles runners in-process against a scripted StackOne on loopback:
// the query cst sends, a listing that never ends, and an unpin StackOne answers with no body.
import { afterEach, describe, expect, it } from 'vitest';
import {
  parsePinOptions,
  parseProfilesListOptions,
} from '../../../src/commands/connector-profiles/options.js';
import { runProfilePin, runProfilesList } from '../../../src/commands/connector-profiles/run.js';
import type { CliError } from '../../../src/core/errors.js';
import { testContext } from '../../helpers/context.js';
import {
  connectorProfile,
  type Reply,
  scriptedServer,
  type ScriptedServer,
} from '../../helpers/scripted-server.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function against(replies: Reply[] | ((r: { url: string }) => Reply), env = {}) {
  server = await scriptedServer(replies);
  return testContext({ api: { baseUrl: server.baseUrl }, env });
}

describe('connector-profiles runners', () => {
  it('list: the filters as the query, pages walked by total, fields newer than cst kept', async () => {
    const io = await against([
      {
        status: 200,
        body: {
          data: [connectorProfile('cp_1'), connectorProfile('cp_2')],
          page: 1,
          page_size: 2,
          total: 3,
        },
      },
      { status: 200, body: { data: [connectorProfile('cp_3')], page: 2, page_size: 2, total: 3 } },
    ]);
    await runProfilesList(
      parseProfilesListOptions({
        timeout: '5s',
        connector: 'bamboohr',
        disabled: true,
        pageSize: '2',
        all: true,
        json: true,
      }),
      io.ctx,
    );
    const queries = server!.requests.map((r) =>
      Object.fromEntries(new URL(r.url, 'http://x').searchParams),
    );
    expect(queries).toEqual([
      { connector_key: 'bamboohr', enabled: 'false', page: '1', page_size: '2' },
      { connector_key: 'bamboohr', enabled: 'false', page: '2', page_size: '2' },
    ]);
    const listed = JSON.parse(io.stdout()) as { id: string; region: string }[];
    expect(listed.map((p) => [p.id, p.region])).toEqual([
      ['cp_1', 'eu'],
      ['cp_2', 'eu'],
      ['cp_3', 'eu'],
    ]);
  });

  it('list: a server whose pages never end is cut off at CST_MAX_PAGES, exit 11', async () => {
    let page = 0;
    const io = await against(
      () => ({
        status: 200,
        body: { data: [connectorProfile(`cp_${++page}`)], page, page_size: 1, total: 1e9 },
      }),
      { CST_MAX_PAGES: '3' },
    );
    const error = await runProfilesList(
      parseProfilesListOptions({ timeout: '5s', pageSize: '1', all: true }),
      io.ctx,
    ).then(
      () => undefined,
      (e: unknown) => e as CliError,
    );
    expect([error?.code, error?.exitCode]).toEqual(['page_limit', 11]);
    expect(error?.message).toBe(
      'GET /connector_profiles still had more after 3 pages of 1; stopped',
    );
    expect(server!.requests).toHaveLength(3);
  });

  it('unpin: a 204 with no body is success', async () => {
    const io = await against([{ status: 204, raw: '' }]);
    await runProfilePin(
      parsePinOptions('cp_1', undefined, { timeout: '5s', yes: true, json: true }),
      io.ctx,
    );
    expect(server!.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'DELETE /connector_profiles/cp_1/pinned_version',
    ]);
    expect(JSON.parse(io.stdout())).toEqual({ connector_profile_id: 'cp_1', pinned_version: null });
  });
});
