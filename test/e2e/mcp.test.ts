// Level C: `cst mcp --sandbox` through the built binary, driven by the official MCP client over
// stdio as an agent's host drives it, and once by the MCP Inspector's command line, a client
// nobody here wrote. Raw JSON-RPC lines check what the client never sends: malformed input.
import { spawn } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, cst, finish, isolatedEnv, start } from './cli.js';

const open: Client[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((client) => client.close().catch(() => undefined)));
});

interface Server {
  client: Client;
  env: Record<string, string>;
  stderr: () => string;
}

async function server(
  flags: string[] = [],
  capabilities: ConstructorParameters<typeof Client>[1] = {},
  env?: Record<string, string>,
): Promise<Server> {
  env ??= await isolatedEnv();
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, 'mcp', '--sandbox', '--interval', '1s', ...flags],
    env,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const client = new Client({ name: 'cst-test', version: '1.0.0' }, capabilities);
  await client.connect(transport);
  open.push(client);
  return { client, env, stderr: () => stderr };
}

type Structured = Record<string, unknown>;

async function call(client: Client, name: string, args: Structured = {}) {
  const result = await client.callTool({ name, arguments: args });
  return {
    ...result,
    data: result.structuredContent as Structured,
    text: (result.content as { type: string; text: string }[]).map((c) => c.text).join('\n'),
  };
}

async function createSession(client: Client, owner = 'cus_42') {
  const created = await call(client, 'create_connect_session', {
    origin_owner_id: owner,
    origin_owner_name: 'Acme Ltd',
    categories: ['hris'],
  });
  expect(created.isError, created.text).toBeFalsy();
  return created.data as { session_id: number; auth_link_url: string; token?: string };
}

/** The customer: what `cst sandbox link` does with the token inside the auth link. */
async function link(env: Record<string, string>, authLink: string, ...flags: string[]) {
  const token = new URL(authLink).searchParams.get('token')!;
  const result = await cst(['sandbox', 'link', '--token-stdin', '--json', ...flags], env, token);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as { id?: string; account_id?: string };
}

describe('cst mcp: tools', () => {
  it('lists read tools by default, marked read-only, and the write tools only with --allow-writes', async () => {
    const { client } = await server();
    const { tools } = await client.listTools();
    const names = tools.map((tool) => tool.name);
    expect(names).toEqual([
      'create_connect_session',
      'get_session_status',
      'wait_for_link',
      'list_sessions',
      'session_summary',
      'list_accounts',
      'get_account',
      'list_connector_profiles',
    ]);
    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    expect(byName.get('list_accounts')?.annotations?.readOnlyHint).toBe(true);
    expect(byName.get('create_connect_session')?.annotations?.readOnlyHint).toBe(false);
    expect(byName.get('create_connect_session')?.inputSchema.required).toEqual([
      'origin_owner_id',
      'origin_owner_name',
    ]);

    const writer = await server(['--allow-writes']);
    const all = new Map((await writer.client.listTools()).tools.map((tool) => [tool.name, tool]));
    expect(all.get('delete_account')?.annotations).toMatchObject({
      destructiveHint: true,
      readOnlyHint: false,
    });
    expect(all.get('update_account')?.annotations?.destructiveHint).toBe(false);
  });

  it('lists the project’s connector profiles, whose ids a create then takes', async () => {
    const { client } = await server();
    const listed = await call(client, 'list_connector_profiles', {
      connector: 'bamboohr',
      enabled: true,
    });
    expect(listed.isError).toBeFalsy();
    const { profiles, total } = listed.structuredContent as {
      profiles: { id: string; active: boolean; connector_key: string }[];
      total: number;
    };
    expect(total).toBe(1);
    expect(profiles).toMatchObject([{ connector_key: 'bamboohr', active: true }]);
    const created = await call(client, 'create_connect_session', {
      origin_owner_id: 'cus_cp',
      origin_owner_name: 'Profiled Ltd',
      connector_profile_id: profiles[0]!.id,
    });
    expect(created.isError).toBeFalsy();
  });

  it('creates a session and returns its link but not its token, recorded in the ledger', async () => {
    const { client, env, stderr } = await server();
    const created = await call(client, 'create_connect_session', {
      origin_owner_id: 'cus_1',
      origin_owner_name: 'One Ltd',
      categories: ['hris', 'ats'],
      expires_in: 600,
    });
    expect(created.isError).toBeFalsy();
    expect(created.data).toMatchObject({
      origin_owner_id: 'cus_1',
      categories: ['hris', 'ats'],
      warnings: [],
    });
    expect(created.data).not.toHaveProperty('token');
    expect(String(created.data.auth_link_url)).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/connect\?token=/,
    );
    expect(created.text).toContain(String(created.data.auth_link_url));
    const listed = await cst(['list', '--sandbox', '--json'], env);
    expect(JSON.parse(listed.stdout)).toMatchObject([
      { id: created.data.session_id, owner_id: 'cus_1', state: 'pending' },
    ]);
    // The sandbox's keys appear nowhere: not in results, logs or the audit log.
    const state = await readFile(join(env.CST_STATE_DIR!, 'sandbox.json'), 'utf8');
    const keys = [...state.matchAll(/"api_?[kK]ey":\s*"([^"]+)"/g)].map((m) => m[1]!);
    expect(keys.length).toBeGreaterThan(0);
    const audit = await readFile(join(env.CST_STATE_DIR!, 'mcp-audit.jsonl'), 'utf8');
    for (const key of keys) {
      expect(JSON.stringify(created)).not.toContain(key);
      expect(stderr()).not.toContain(key);
      expect(audit).not.toContain(key);
    }
  });

  it('returns the token with --expose-tokens', async () => {
    const { client } = await server(['--expose-tokens']);
    const created = await createSession(client);
    expect(created.token).toBe(new URL(created.auth_link_url).searchParams.get('token'));
  });

  it('waits for the link with progress notifications, and the result names the account', async () => {
    const { client, env } = await server();
    const created = await createSession(client);
    const progress: { progress: number; message?: string | undefined }[] = [];
    let customer: Promise<{ id?: string; account_id?: string }> | undefined;
    const result = await client.callTool(
      { name: 'wait_for_link', arguments: { session_id: created.session_id, timeout_seconds: 60 } },
      {
        onprogress: (update) => {
          progress.push(update);
          // The customer connects once the wait has polled at least once.
          customer ??= link(env, created.auth_link_url, '--provider', 'bamboohr');
        },
      },
    );
    const linked = await customer!;
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({
      outcome: 'linked',
      session_id: created.session_id,
      account_id: linked.id ?? linked.account_id,
      provider: 'bamboohr',
    });
    expect(progress.length).toBeGreaterThan(0);
    expect(progress[0]!.message).toBe('not opened');
    const status = await call(client, 'get_session_status', { session_id: created.session_id });
    expect(status.data).toMatchObject({ session: { state: 'linked' } });
    const summary = await call(client, 'session_summary');
    expect(summary.data).toMatchObject({ summary: [{ issued: 1, linked: 1, link_rate: 1 }] });
  });

  it('stops a wait the client cancels, and serves on', async () => {
    const { client, env } = await server();
    const created = await createSession(client);
    const controller = new AbortController();
    const waiting = client.callTool(
      { name: 'wait_for_link', arguments: { session_id: created.session_id } },
      { signal: controller.signal, onprogress: () => controller.abort('the user clicked Stop') },
    );
    await expect(waiting).rejects.toThrow(/Stop|abort/i);
    const listed = await call(client, 'list_sessions');
    expect(listed.data).toMatchObject({ total: 1, sessions: [{ state: 'pending' }] });
    // The audit log says the call was cancelled, and it is the owner's alone.
    const path = join(env.CST_STATE_DIR!, 'mcp-audit.jsonl');
    await expect.poll(() => readFile(path, 'utf8')).toContain('"outcome":"cancelled"');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('reports a link that failed as an outcome, not a tool error', async () => {
    const { client, env } = await server();
    const created = await createSession(client);
    await link(env, created.auth_link_url, '--outcome', 'error');
    const result = await call(client, 'wait_for_link', {
      session_id: created.session_id,
      timeout_seconds: 30,
    });
    expect(result.isError).toBeFalsy();
    expect(result.data).toMatchObject({ outcome: 'failed', account_id: null });
  });

  it('gives cst errors as tool errors with their code, and schema messages for bad arguments', async () => {
    const { client } = await server();
    const missing = await call(client, 'get_session_status', { session_id: 999 });
    expect(missing.isError).toBe(true);
    expect(missing.text).toContain('error (usage): no session 999');
    expect(missing._meta).toMatchObject({ 'cst/error': { code: 'usage', exit: 2 } });
    const account = await call(client, 'get_account', { account_id: 'acc_nope' });
    expect(account.text).toMatch(/^error \(not_found\): /);
    const bad = await call(client, 'create_connect_session', {
      origin_owner_id: '',
      origin_owner_name: 'X',
      categories: ['nope'],
    });
    expect(bad.isError).toBe(true);
    expect(bad.text).toContain('origin_owner_id: must not be empty');
    expect(bad.text).toContain('unknown category "nope"');
  });
});

describe('cst mcp: writes', () => {
  async function linkedAccount(capabilities = {}) {
    const served = await server(['--allow-writes'], capabilities);
    const created = await createSession(served.client);
    const linked = await link(served.env, created.auth_link_url, '--provider', 'hibob');
    return { ...served, accountId: (linked.id ?? linked.account_id)! };
  }

  it('has no delete_account without --allow-writes', async () => {
    const { client } = await server();
    await expect(
      client.callTool({ name: 'delete_account', arguments: { account_id: 'a', confirm: 'a' } }),
    ).rejects.toThrow('Tool delete_account not found');
  });

  it('refuses a delete whose confirm is missing or is not the account id', async () => {
    const { client, accountId } = await linkedAccount();
    const without = await call(client, 'delete_account', { account_id: accountId });
    expect(without.isError).toBe(true);
    expect(without.text).toMatch(/confirm/);
    const wrong = await call(client, 'delete_account', { account_id: accountId, confirm: 'yes' });
    expect(wrong.text).toContain(`confirm must be the account id (${accountId})`);
    expect((await call(client, 'get_account', { account_id: accountId })).isError).toBeFalsy();
  });

  it('asks through elicitation where the client can, and deletes only on yes', async () => {
    const answers = [
      { action: 'decline' as const },
      { action: 'accept' as const, content: { confirm: true } },
    ];
    const asked: string[] = [];
    const served = await linkedAccount({ capabilities: { elicitation: { form: {} } } });
    served.client.setRequestHandler('elicitation/create', (request) => {
      asked.push(String(request.params.message));
      return answers.shift()!;
    });
    const args = { account_id: served.accountId, confirm: served.accountId };
    const declined = await call(served.client, 'delete_account', args);
    expect(declined.data).toEqual({ deleted: false, account: null });
    const deleted = await call(served.client, 'delete_account', args);
    expect(deleted.data).toMatchObject({ deleted: true, account: { id: served.accountId } });
    expect(asked).toEqual([
      `Delete linked account ${served.accountId}? The customer will have to connect again.`,
      `Delete linked account ${served.accountId}? The customer will have to connect again.`,
    ]);
  });

  it('relabels an account', async () => {
    const { client, accountId } = await linkedAccount();
    const result = await call(client, 'update_account', { account_id: accountId, label: 'Prod' });
    expect(result.data).toMatchObject({ account: { id: accountId, label: 'Prod' } });
  });
});

describe('cst mcp: the server', () => {
  it('offers only the tools --tools names, and refuses a write tool there without --allow-writes', async () => {
    const { client } = await server(['--tools', 'create_connect_session,wait_for_link']);
    expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual([
      'create_connect_session',
      'wait_for_link',
    ]);
    const env = await isolatedEnv();
    const refused = await cst(['mcp', '--sandbox', '--tools', 'delete_account'], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      '--tools: delete_account changes StackOne: add --allow-writes',
    );
    const typo = await cst(['mcp', '--sandbox', '--tools', 'list_session'], env);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('unknown list_session');
  });

  it('answers malformed JSON-RPC with a parse error and keeps serving; exits 0 when stdin closes', async () => {
    const env = await isolatedEnv();
    const child = start(['mcp', '--sandbox'], env);
    const done = finish(child);
    const lines: string[] = [];
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const parts = buffered.split('\n');
      buffered = parts.pop()!;
      lines.push(...parts);
    });
    const send = (line: string) => child.stdin!.write(`${line}\n`);
    send('{"jsonrpc":"2.0","id":1,"method":');
    send('[1,2,3]');
    send(
      JSON.stringify({
        jsonrpc: '2.0',
        id: 2,
        method: 'initialize',
        params: {
          protocolVersion: '2025-11-25',
          capabilities: {},
          clientInfo: { name: 'raw', version: '1' },
        },
      }),
    );
    await expect.poll(() => lines.length).toBe(3);
    child.stdin!.end();
    const result = await done;
    expect(result.code).toBe(0);
    const [parse, invalid, init] = lines.map((line) => JSON.parse(line) as Structured);
    expect(parse).toEqual({
      jsonrpc: '2.0',
      id: null,
      error: { code: -32700, message: 'Parse error: the line is not JSON' },
    });
    expect(invalid).toMatchObject({ id: null, error: { code: -32600 } });
    expect(init).toMatchObject({ id: 2, result: { serverInfo: { name: 'cst' } } });
    expect(result.stderr).toContain('cst mcp serving acme/production on stdio');
  });

  it('fails before serving when no target can be chosen', async () => {
    const result = await cst(['mcp'], await isolatedEnv());
    expect(result.code).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^error: /);
  });
});

describe('cst mcp: a second client', () => {
  // The Inspector is fetched by npx at its pinned version: a client nobody here wrote.
  it("is driven by the MCP Inspector's command line: tools/list and create_connect_session", async () => {
    const env = await isolatedEnv();
    const inspector = (args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(
          'npx',
          [
            '--yes',
            '@modelcontextprotocol/inspector@2.12.0',
            '--cli',
            // The Inspector hands its server a minimal environment: cst's directories by -e.
            '-e',
            `CST_STATE_DIR=${env.CST_STATE_DIR}`,
            '-e',
            `CST_CONFIG_DIR=${env.CST_CONFIG_DIR}`,
            process.execPath,
            BIN,
            'mcp',
            '--sandbox',
            ...args,
          ],
          {
            env: {
              ...env,
              ...(process.env.npm_config_cache
                ? { npm_config_cache: process.env.npm_config_cache }
                : { npm_config_cache: join(process.env.HOME ?? env.HOME!, '.npm') }),
              npm_config_update_notifier: 'false',
              // Its package asks for Node 22; its --cli mode runs on the Node 20 cst supports.
              npm_config_engine_strict: 'false',
              ...(process.env.npm_config_registry
                ? { npm_config_registry: process.env.npm_config_registry }
                : {}),
            },
          },
        );
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
    const listed = await inspector(['--method', 'tools/list']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(
      (JSON.parse(listed.stdout) as { tools: { name: string }[] }).tools.map((t) => t.name),
    ).toContain('create_connect_session');
    const created = await inspector([
      '--method',
      'tools/call',
      '--tool-name',
      'create_connect_session',
      '--tool-arg',
      'origin_owner_id=cus_9',
      '--tool-arg',
      'origin_owner_name=Nine',
    ]);
    expect(created.code, created.stderr).toBe(0);
    const result = JSON.parse(created.stdout) as { structuredContent: Record<string, unknown> };
    expect(result.structuredContent).toMatchObject({ origin_owner_id: 'cus_9' });
    expect(String(result.structuredContent.auth_link_url)).toContain('/connect?token=');
    const listedAfter = await cst(['list', '--sandbox', '--json'], env);
    expect(JSON.parse(listedAfter.stdout)).toMatchObject([{ owner_id: 'cus_9' }]);
  }, 180_000);
});
