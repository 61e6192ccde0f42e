// Level C: proxies and --debug through the built binary, with a real proxy process.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cst, firstLine, isolatedEnv, serve, type Served } from './cli.js';

let served: Served;
let env: Record<string, string>;
beforeAll(async () => {
  env = await isolatedEnv();
  served = await serve(env);
});
afterAll(async () => {
  await served.stop();
});

const owner = ['--owner-id', 'cus_p', '--owner-name', 'Proxied'];

async function proxy() {
  const child = spawn(
    process.execPath,
    [fileURLToPath(new URL('../helpers/forward-proxy.mjs', import.meta.url))],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const port = Number((await firstLine(child)).split(' ')[1]);
  let seen = '';
  child.stdout?.on('data', (chunk: Buffer) => (seen += chunk.toString()));
  return { url: `http://127.0.0.1:${port}`, seen: () => seen, stop: () => child.kill('SIGTERM') };
}

describe('network hygiene', () => {
  it('sends http requests through HTTP_PROXY, forwarded rather than tunnelled', async () => {
    const forward = await proxy();
    try {
      const result = await cst(['create', ...owner, '--field', 'id'], {
        ...env,
        CST_BASE_URL: served.baseUrl,
        CST_API_KEY: served.projects[0]!.api_key,
        HTTP_PROXY: forward.url,
      });
      expect(result.code).toBe(0);
      expect(forward.seen()).toContain(`FORWARD POST ${served.baseUrl}/connect_sessions\n`);
    } finally {
      forward.stop();
    }
  });

  it('goes direct for hosts in NO_PROXY', async () => {
    const forward = await proxy();
    try {
      const result = await cst(['create', ...owner, '--field', 'id'], {
        ...env,
        CST_BASE_URL: served.baseUrl,
        CST_API_KEY: served.projects[0]!.api_key,
        http_proxy: forward.url,
        NO_PROXY: '127.0.0.1',
      });
      expect(result.code).toBe(0);
      expect(forward.seen()).toBe('');
    } finally {
      forward.stop();
    }
  });

  it('reports a refused proxy as the proxy’s fault, without its credentials', async () => {
    const result = await cst(['create', ...owner], {
      ...env,
      CST_BASE_URL: served.baseUrl,
      CST_API_KEY: served.projects[0]!.api_key,
      HTTP_PROXY: 'http://user:hunter22@127.0.0.1:9',
    });
    expect(result.code).toBe(10);
    expect(result.stderr).toContain(
      `error: the proxy http://127.0.0.1:9 refused the connection (POST /connect_sessions to ${served.baseUrl})\nhint: check HTTPS_PROXY / HTTP_PROXY, or exempt the host with NO_PROXY\n`,
    );
    expect(result.stderr).not.toContain('hunter22');
  });

  it('never sends plain http to loopback through a remote proxy; --sandbox never uses one', async () => {
    // Were either sent through this proxy, the name would not resolve and the create would fail.
    const remote = { HTTP_PROXY: 'http://proxy.invalid:3128', HTTPS_PROXY: 'proxy.invalid:3128' };
    const local = await cst(['create', ...owner, '--debug', '--field', 'id'], {
      ...env,
      ...remote,
      CST_BASE_URL: served.baseUrl,
      CST_API_KEY: served.projects[0]!.api_key,
    });
    expect(local.code).toBe(0);
    expect(local.stderr).toContain(`at ${served.baseUrl}, proxy: none`);
    const sandbox = await cst(['create', '--sandbox', ...owner, '--field', 'id'], {
      ...env,
      ...remote,
    });
    expect(sandbox.code).toBe(0);
  });

  it('--debug shows requests and responses with every secret redacted', async () => {
    const key = served.projects[0]!.api_key;
    const base = { ...env, CST_BASE_URL: served.baseUrl, CST_API_KEY: key };
    const created = await cst(['create', ...owner, '--json', '--debug'], base);
    const session = JSON.parse(created.stdout) as { token: string; auth_link_url: string };
    const inspected = await cst(
      ['inspect', '--token-stdin', '--debug'],
      { ...base, CST_DEBUG: '1' },
      session.token,
    );
    const wrongKey = await cst(['create', ...owner, '--debug'], {
      ...base,
      CST_API_KEY: `${key}x`,
    });
    const linked = await cst(
      ['sandbox', 'link', '--token-stdin', '--provider', 'bamboohr', '--json'],
      base,
      session.token,
    );
    const accountId = (JSON.parse(linked.stdout) as { id: string }).id;
    const account = await cst(['accounts', 'get', accountId, '--debug'], base);
    const listed = await cst(['list', '--linked', '--debug'], base);
    const logs = [created, inspected, wrongKey, account, listed].map((r) => r.stderr).join('\n');
    expect(created.stderr).toContain('debug: → POST');
    expect(created.stderr).toContain('debug: ← 201 POST /connect_sessions');
    expect(account.stderr).toContain('debug: ← 200 GET /accounts/');
    const secrets = [
      key,
      `${key}x`,
      Buffer.from(`${key}:`).toString('base64'),
      Buffer.from(`${key}x:`).toString('base64'),
      session.token,
      session.auth_link_url,
      'sandbox_provider_secret_',
    ];
    for (const secret of secrets) expect(logs).not.toContain(secret);
    expect(account.stdout).not.toContain('sandbox_provider_secret_');
  });
});
