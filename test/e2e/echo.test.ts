// A server that echoes everything it received (the Authorization header, the key it decodes to,
// the body) in its error message: no output of cst, in any format or file, may carry the key.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HostileServer, hostileServer } from '../helpers/hostile-server.js';
import { cst, isolatedEnv } from './cli.js';
import { terminal } from './pty.js';

const KEY = 'KEYSECRET_abcdef0123456789';
const BASIC = Buffer.from(`${KEY}:`).toString('base64');
const CSV = 'owner_id,owner_name\na,b\n';

/** Every file under a directory, as text. */
async function everyFile(dir: string): Promise<string> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  const texts = await Promise.all(
    entries
      .filter((entry) => entry.isFile())
      .map((entry) => readFile(join(entry.parentPath, entry.name), 'utf8')),
  );
  return texts.join('\n');
}

function expectNoKey(text: string) {
  expect(text).not.toContain(KEY);
  expect(text).not.toContain(BASIC);
  expect(text).not.toContain(BASIC.slice(0, 12));
}

describe.concurrent.each([400, 500])('a server echoing the request in a %i', (status) => {
  let server: HostileServer;
  beforeAll(async () => {
    server = await hostileServer({ echo: status });
  });
  afterAll(() => server.close());
  const env = () => isolatedEnv({ CST_BASE_URL: server.baseUrl, CST_API_KEY: KEY });

  it.each([[[]], [['-o', 'csv']], [['--json']]])(
    'bulk %j: stdout, stderr, the results file, the journal and the ledger hold no key',
    async (format) => {
      const e = await env();
      const results = join(e.HOME!, 'r.nd');
      const result = await cst(
        [
          'create',
          '--from-file',
          '-',
          '--journal',
          join(e.HOME!, 'j'),
          '--results',
          results,
          '--debug',
          ...format,
        ],
        e,
        CSV,
      );
      expect(result.code).toBe(9);
      // The echo did arrive, redacted: the message is still there to read.
      expect(result.stdout + result.stderr).toContain(
        'bad request from Basic [redacted] key=[redacted]',
      );
      expectNoKey(result.stdout);
      expectNoKey(result.stderr);
      expectNoKey(await everyFile(e.HOME!));
    },
  );

  it('bulk on a terminal: the failed-row line holds no key', async () => {
    const e = await env();
    const input = join(e.HOME!, 'in.csv');
    await writeFile(input, CSV);
    const term = terminal(
      [
        'create',
        '--from-file',
        input,
        '--journal',
        join(e.HOME!, 'j'),
        '--results',
        join(e.HOME!, 'r'),
      ],
      e,
    );
    const { code, screen } = await term.exit();
    expect(code).toBe(9);
    expect(screen).toContain('key=[redacted]');
    expectNoKey(screen);
  });

  it('single create: the one error line holds no key', async () => {
    const e = await env();
    const result = await cst(['create', '--owner-id', 'a', '--owner-name', 'b', '--debug'], e);
    expect(result.code).toBe(status === 400 ? 12 : 8);
    expect(result.stderr).toContain('key=[redacted]');
    expectNoKey(result.stderr + result.stdout);
  });
});
