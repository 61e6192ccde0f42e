// Level B: the GET /accounts walk against a scripted server on loopback.
import { Agent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { listAccounts } from '../../src/api/accounts.js';
import { ApiClient } from '../../src/api/client.js';
import {
  type Reply,
  scriptedServer,
  type ScriptedServer,
  type SeenRequest,
} from '../helpers/scripted-server.js';

export function account(id: number, owner = `cus_${id}`) {
  return {
    id: `acc_${id}`,
    provider: 'bamboohr',
    status: id % 5 === 0 ? 'future_status' : 'active',
    origin_owner_id: owner,
    origin_owner_name: `Customer ${id}`,
    created_at: '2026-11-01T00:00:00.000Z',
    updated_at: '2026-11-01T00:00:00.000Z',
    credentials: { api_key: 'secret' },
  };
}

let server: ScriptedServer | undefined;
let agent: Agent | undefined;
afterEach(async () => {
  await server?.close();
  await agent?.close();
});

async function walk(
  replies: (request: SeenRequest, page: number, size: number) => Reply,
  limit = Infinity,
  pageSize = 10,
  maxPages = 1000,
) {
  server = await scriptedServer((request) => {
    const query = new URL(request.url, 'http://x').searchParams;
    return replies(request, Number(query.get('page')), Number(query.get('page_size')));
  });
  agent = new Agent();
  const client = new ApiClient({
    baseUrl: server.baseUrl,
    apiKey: 'k',
    dispatcher: agent,
    userAgent: 'test',
    timeoutMs: 2000,
  });
  const accounts = await listAccounts(
    client,
    { originOwnerIds: ['a', 'b c'], providers: ['x'] },
    { pageSize, limit, maxPages },
  );
  return { ids: accounts.map((a) => a.id), urls: server.requests.map((r) => r.url) };
}

const pageOf =
  (total: number) =>
  (_request: SeenRequest, page: number, size: number): Reply => ({
    status: 200,
    body: Array.from({ length: Math.max(0, Math.min(size, total - (page - 1) * size)) }, (_, i) =>
      account((page - 1) * size + i + 1),
    ),
  });

describe('listAccounts', () => {
  it('walks 1-based pages to the last short page, sending arrays form-style', async () => {
    const { ids, urls } = await walk(pageOf(25));
    expect(ids).toEqual(Array.from({ length: 25 }, (_, i) => `acc_${i + 1}`));
    expect(urls).toEqual(
      [1, 2, 3].map(
        (page) =>
          `/accounts?providers=x&origin_owner_ids=a&origin_owner_ids=b+c&page=${page}&page_size=10`,
      ),
    );
  });

  it('stops after an empty page when the total is a multiple of the page size', async () => {
    const { ids, urls } = await walk(pageOf(20));
    expect([ids.length, urls.length]).toEqual([20, 3]);
  });

  it('stops when a server ignores page and repeats itself', async () => {
    const { ids, urls } = await walk(() => ({
      status: 200,
      body: Array.from({ length: 10 }, (_, i) => account(i + 1)),
    }));
    expect([ids.length, urls.length]).toEqual([10, 2]);
  });

  it('stops at the limit', async () => {
    const { ids, urls } = await walk(pageOf(100), 15);
    expect([ids.length, urls.length]).toEqual([15, 2]);
  });

  it('gives up after the page limit when a server keeps inventing new ids', async () => {
    let served = 0;
    const walking = walk(
      () => ({
        status: 200,
        body: Array.from({ length: 10 }, () => account(++served)),
      }),
      Infinity,
      10,
      5,
    );
    await expect(walking).rejects.toMatchObject({
      code: 'page_limit',
      exitCode: 11,
      message: 'GET /accounts still had more after 5 pages of 10; stopped',
    });
    expect(server!.requests).toHaveLength(5);
  });

  it('accepts a {data: [...]} envelope', async () => {
    const { ids } = await walk((request, page, size) => {
      const reply = pageOf(12)(request, page, size) as { status: number; body: unknown };
      return { status: 200, body: { data: reply.body } };
    });
    expect(ids).toHaveLength(12);
  });
});
