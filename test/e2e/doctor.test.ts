// Level C: cst doctor through the binary.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cst, isolatedEnv, serve } from './cli.js';
import { scriptedServer } from '../helpers/scripted-server.js';

describe('cst doctor', () => {
  it('reports every setting with its source, keys masked, and exits 0 when all is well', async () => {
    const env = await isolatedEnv();
    const served = await serve(env);
    try {
      const key = served.projects[0]!.api_key;
      await mkdir(env.CST_CONFIG_DIR!, { recursive: true, mode: 0o700 });
      const config = {
        default: { org: 'acme', project: 'prod' },
        organizations: {
          acme: { projects: { prod: { base_url: served.baseUrl, key_env: 'ACME_KEY' } } },
        },
      };
      await writeFile(join(env.CST_CONFIG_DIR!, 'config.json'), JSON.stringify(config), {
        mode: 0o600,
      });
      const result = await cst(['doctor', '--json'], { ...env, ACME_KEY: key });
      const checks = JSON.parse(result.stdout) as {
        check: string;
        status: string;
        detail: string;
      }[];
      expect(result.stdout).not.toContain(key);
      expect(checks.filter((c) => c.status === 'fail')).toEqual([]);
      expect(result.code).toBe(0);
      expect(checks.find((c) => c.check === 'project')?.detail).toBe(
        'acme/prod (from config default)',
      );
      expect(checks.find((c) => c.check === 'api key')?.detail).toBe(
        `${key.slice(0, 6)}…${key.slice(-4)} (from $ACME_KEY (key_env of project acme/prod))`,
      );
      expect(checks.find((c) => c.check === 'reachable')?.detail).toMatch(
        new RegExp(`^${served.baseUrl}: HTTP 404 in \\d+ ms$`),
      );
      expect(checks.find((c) => c.check === 'key works')?.detail).toMatch(
        /^GET \/accounts accepted it in \d+ ms$/,
      );
      // No keyring on this machine: one plain line, and the library's text only when asked.
      const keyring = 'no OS keyring is reachable; keys are stored in 0600 files';
      expect(checks.find((c) => c.check === 'keyring')?.detail).toBe(keyring);
      const verbose = await cst(['doctor', '--json', '--verbose'], { ...env, ACME_KEY: key });
      const detail = (JSON.parse(verbose.stdout) as { check: string; detail: string }[]).find(
        (c) => c.check === 'keyring',
      )?.detail;
      expect(detail).toMatch(new RegExp(`^${keyring} \\(\\S.*\\)$`));
      // A key the server does not know: the key check fails, saying why.
      const wrong = await cst(['doctor', '--json'], { ...env, ACME_KEY: 'sk_sandbox_wrong' });
      expect(wrong.code).toBe(1);
      const failed = (JSON.parse(wrong.stdout) as { check: string; status: string }[]).filter(
        (c) => c.status === 'fail',
      );
      expect(failed).toEqual([
        {
          check: 'key works',
          status: 'fail',
          detail: expect.stringMatching(
            /^rejected \(HTTP 401\): the key is wrong or revoked; /,
          ) as unknown,
        },
      ]);
    } finally {
      await served.stop();
    }
  });

  it('exits 1 naming what failed', async () => {
    const result = await cst(['doctor'], {
      ...(await isolatedEnv()),
      CST_API_KEY: 'sk_test_0123456789',
      CST_BASE_URL: 'http://127.0.0.1:9',
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^fail\treachable\tconnection refused by http:\/\/127\.0\.0\.1:9 \(GET \/\) after \d+ ms$/m,
    );
    expect(result.stdout).toMatch(
      /^warn\tkey works\tnot checked: http:\/\/127\.0\.0\.1:9 is not reachable$/m,
    );
    expect(result.stdout).not.toContain('sk_test_0123456789');
    expect(result.stderr).toBe('error: 1 check failed\n');
  });

  it('explains a 403 as a key without the Platform API scope', async () => {
    const server = await scriptedServer((request) =>
      request.url.startsWith('/accounts')
        ? { status: 403, body: { statusCode: 403, message: 'Forbidden', timestamp: '' } }
        : { status: 404 },
    );
    try {
      const result = await cst(['doctor'], {
        ...(await isolatedEnv()),
        CST_API_KEY: 'sk_unified_only_0123456789',
        CST_BASE_URL: server.baseUrl,
      });
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(
        /^fail\tkey works\tforbidden \(HTTP 403\): the key lacks the Platform API scope/m,
      );
    } finally {
      await server.close();
    }
  });
});
