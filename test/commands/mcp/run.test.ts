// Level B: runMcp in-process, the official MCP client on one side and a scripted StackOne on
// the other: what the API's failures become for an agent, and that no key reaches it.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PassThrough } from 'node:stream';
import { Client } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it } from 'vitest';
import { runMcp } from '../../../src/commands/mcp/run.js';
import { parseMcpOptions } from '../../../src/commands/mcp/options.js';
import { MCP_TOOL_NAMES } from '../../../src/commands/mcp/mcp.js';
import { TOOLS } from '../../../src/commands/mcp/tools.js';
import { type Reply, scriptedServer } from '../../helpers/scripted-server.js';
import { testContext } from '../../helpers/context.js';

type Transport = Parameters<Client['connect']>[0];
const KEY = 'key_test_8d1f0c2b9a';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The client's end of the server's stdin and stdout, in one process. */
function pipe(stdin: PassThrough): { transport: Transport; feed: (chunk: string) => void } {
  let buffered = '';
  const transport: Transport = {
    start: () => Promise.resolve(),
    send: (message) => {
      stdin.write(`${JSON.stringify(message)}\n`);
      return Promise.resolve();
    },
    close: () => {
      stdin.end();
      transport.onclose?.();
      return Promise.resolve();
    },
  };
  const feed = (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) transport.onmessage?.(JSON.parse(line));
  };
  return { transport, feed };
}

async function serving(replies: Reply[]) {
  const api = await scriptedServer(replies);
  let feed: (chunk: string) => void = () => {};
  const io = testContext({
    api: { baseUrl: api.baseUrl, apiKey: KEY },
    env: { CST_STATE_DIR: await mkdtemp(join(tmpdir(), 'cst-mcp-')) },
    onStdout: (chunk) => feed(chunk),
  });
  const wire = pipe(io.ctx.stdin as PassThrough);
  feed = wire.feed;
  const running = runMcp(
    parseMcpOptions({ timeout: '5s', interval: '1s', org: 'acme', project: 'prod' }),
    io.ctx,
  );
  const client = new Client({ name: 'cst-test', version: '1.0.0' });
  await client.connect(wire.transport);
  cleanups.push(async () => {
    await client.close();
    await running;
    await api.close();
  });
  return { client, io, api };
}

describe('cst mcp in-process', () => {
  it('surfaces a 429 as a retryable tool error with the wait StackOne asked for', async () => {
    const { client } = await serving([
      {
        status: 429,
        headers: { 'retry-after': '120' },
        body: { statusCode: 429, message: 'Too Many Requests', timestamp: '' },
      },
    ]);
    const result = await client.callTool({ name: 'list_accounts', arguments: {} });
    expect(result.isError).toBe(true);
    const [content] = result.content as { text: string }[];
    expect(content!.text).toMatch(/^error \(rate_limited\): rate limited \(HTTP 429/);
    expect(content!.text).toContain('retryable: wait 120s before calling again');
    expect(result._meta).toMatchObject({
      'cst/error': { code: 'rate_limited', retryable: true, retry_after_seconds: 120, exit: 7 },
    });
  });

  it('never hands the key to the agent, even when a gateway echoes it back', async () => {
    const { client, io, api } = await serving([
      {
        status: 400,
        body: { statusCode: 400, message: `bad request from Basic ${KEY}`, timestamp: '' },
      },
    ]);
    const result = await client.callTool({ name: 'get_account', arguments: { account_id: 'a1' } });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result)).not.toContain(KEY);
    expect(JSON.stringify(result)).toContain('[redacted]');
    expect(io.stderr()).not.toContain(KEY);
    expect(api.requests[0]!.headers.authorization).toBe(
      `Basic ${Buffer.from(`${KEY}:`).toString('base64')}`,
    );
  });

  it('serves one target: the tools take no organization or project', async () => {
    const { client, io } = await serving([]);
    for (const tool of (await client.listTools()).tools) {
      const properties = Object.keys(tool.inputSchema.properties ?? {});
      expect(properties, tool.name).not.toContain('org');
      expect(properties, tool.name).not.toContain('project');
    }
    expect(io.stderr()).toContain('cst mcp serving env on stdio');
  });

  it('names in --help the tools it serves (help loads none of them)', () => {
    expect(MCP_TOOL_NAMES).toEqual(TOOLS.map((tool) => tool.name));
  });
});
