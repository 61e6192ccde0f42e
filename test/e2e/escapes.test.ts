// Terminal escapes in server and ledger text (a window title, a screen clear, a clipboard write)
// never act on a terminal, whatever the format; in a pipe the bytes stay exactly as they came.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostileServer, SESSION } from '../helpers/hostile-server.js';
import { cst, isolatedEnv } from './cli.js';
import { terminal } from './pty.js';

const EVIL = 'x\u001b]0;pwned\u0007\u001b[2J\u001b]52;c;ZXZpbA==\u0007\u009b2Jy';
const KEY = 'sk_escape_key_0123456789';

/** No escape acts; `shown`: the text is there, each control written out. */
function expectInert(screen: string, shown = true) {
  expect(screen).not.toContain('\u001b]');
  expect(screen).not.toContain('\u001b[2J');
  expect(screen).not.toContain('\u009b');
  expect(screen).toContain('pwned');
  if (shown)
    expect(screen).toContain('x\\x1b]0;pwned\\x07\\x1b[2J\\x1b]52;c;ZXZpbA==\\x07\\x9b2Jy');
}

/** A ledger holding a session whose label is EVIL. */
async function ledgerWithEvilLabel() {
  const server = await hostileServer({ json: { ...SESSION, label: EVIL } });
  const env = await isolatedEnv({ CST_BASE_URL: server.baseUrl, CST_API_KEY: KEY });
  const created = await cst(
    ['create', '-c', 'hris', '--owner-id', 'cus_1', '--owner-name', 'Acme', '--json'],
    env,
  ).finally(() => server.close());
  expect(created.code).toBe(0);
  return env;
}

describe.concurrent('escape sequences from the server', () => {
  it.each([[['--field', 'label']], [['-o', 'csv']], [['-o', 'tsv']], [['--json']]])(
    'cst list %j at a terminal shows them; in a pipe, exact bytes',
    async (format) => {
      const env = await ledgerWithEvilLabel();
      const args = ['list', ...format];
      const { code, screen } = await terminal(args, env).exit();
      expect(code).toBe(0);
      // TSV and JSON escape C0 controls in their own way; every control is inert all the same.
      const exact = format[0] === '--field' || format[1] === 'csv';
      expectInert(screen, exact);
      const piped = await cst(args, env);
      expect(piped.code).toBe(0);
      if (exact) expect(piped.stdout).toContain(EVIL);
    },
  );

  it('cst accounts list --field provider at a terminal shows them; in a pipe, exact bytes', async () => {
    const account = {
      id: 'acc_1',
      provider: EVIL,
      status: 'active',
      origin_owner_id: 'cus_1',
      origin_owner_name: 'Acme',
      created_at: '2026-11-20T10:00:00.000Z',
      updated_at: '2026-11-21T10:00:00.000Z',
    };
    const server = await hostileServer({ json: [account], status: 200 });
    try {
      const env = await isolatedEnv({ CST_BASE_URL: server.baseUrl, CST_API_KEY: KEY });
      const { code, screen } = await terminal(
        ['accounts', 'list', '--field', 'provider'],
        env,
      ).exit();
      expect(code).toBe(0);
      expectInert(screen);
      const piped = await cst(['accounts', 'list', '--field', 'provider'], env);
      expect(piped.stdout).toBe(`${EVIL}\n`);
    } finally {
      await server.close();
    }
  });

  it.each([['csv'], ['tsv'], ['ndjson']])(
    'bulk -o %s at a terminal shows them in a failed row',
    async (format) => {
      const message = { statusCode: 400, message: EVIL, timestamp: 'now' };
      const server = await hostileServer({ json: message, status: 400 });
      try {
        const env = await isolatedEnv({ CST_BASE_URL: server.baseUrl, CST_API_KEY: KEY });
        const input = join(env.HOME!, 'in.csv');
        await writeFile(input, 'owner_id,owner_name\na,b\n');
        const args = [
          'create',
          '--from-file',
          input,
          '--results',
          join(env.HOME!, 'r'),
          '-o',
          format,
        ];
        const { code, screen } = await terminal(args, env).exit();
        expect(code).toBe(9);
        expect(screen).not.toContain('\u001b]');
        expect(screen).not.toContain('\u009b');
        expect(screen).toContain('pwned');
      } finally {
        await server.close();
      }
    },
  );
});
