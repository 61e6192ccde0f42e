// Level C: cst doctor through the binary.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cst, isolatedEnv, serve } from './cli.js';

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
        `${key.slice(0, 6)}…${key.slice(-4)} (from env ACME_KEY)`,
      );
      expect(checks.find((c) => c.check === 'reachable')?.detail).toMatch(
        new RegExp(`^${served.baseUrl}: HTTP 404 in \\d+ ms$`),
      );
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
      /^fail\treachable\thttp:\/\/127\.0\.0\.1:9: ECONNREFUSED after \d+ ms$/m,
    );
    expect(result.stdout).not.toContain('sk_test_0123456789');
    expect(result.stderr).toBe('error: 1 check failed\n');
  });
});
