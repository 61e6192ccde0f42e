// Level C: cst against hostile servers, through the real binary. Every run ends within --timeout
// plus a margin, under a fixed memory ceiling, with one error line and its exit code; a session
// the server created is printed, however strange the rest of the response.
import { describe, expect, it } from 'vitest';
import { type HostileServer, hostileServer, SESSION } from '../helpers/hostile-server.js';
import { cst, isolatedEnv } from './cli.js';

const TIMEOUT_S = 2;
/** Start-up of a node process on a busy two-core machine, plus the deadline's own slack. */
const MARGIN_MS = 5000;

async function createAgainst(behaviour: Parameters<typeof hostileServer>[0], extra: string[] = []) {
  const server: HostileServer = await hostileServer(behaviour);
  const env = await isolatedEnv({
    CST_BASE_URL: server.baseUrl,
    CST_API_KEY: 'sk_hostile_key_0123456789',
    // A fixed memory ceiling: growing past it kills the process, which the exit code shows.
    NODE_OPTIONS: '--max-old-space-size=64',
  });
  const started = Date.now();
  const result = await cst(
    [
      'create',
      '--owner-id',
      'cus_1',
      '--owner-name',
      'Acme Ltd',
      '--timeout',
      `${TIMEOUT_S}s`,
      ...extra,
    ],
    env,
  ).finally(() => server.close());
  return { ...result, elapsed: Date.now() - started };
}

function expectOneCleanError(stderr: string) {
  const lines = stderr.trimEnd().split('\n');
  expect(lines[0]).toMatch(/^error: /);
  expect(lines.slice(1).every((line) => line.startsWith('hint: '))).toBe(true);
  expect(stderr).not.toMatch(/\n\s+at |RangeError|TypeError/);
}

// Each case waits on its own server and deadline: they run side by side.
describe.concurrent('against a hostile server', () => {
  it.each([
    ['an endless body', 'endless-body' as const, 11, /larger than 16 MiB/],
    ['a 100 MB body', 'huge-body' as const, 11, /larger than 16 MiB/],
    ['a body dripped a byte at a time', 'drip-body' as const, 10, /within 2s/],
    ['headers that never end', 'endless-headers' as const, 10, /within 2s|header/i],
  ])('%s: ends in time with one line', async (_, behaviour, exit, message) => {
    const result = await createAgainst(behaviour);
    expect(result.code).toBe(exit);
    expect(result.stderr).toMatch(message);
    // A 2xx too big to read may still have created the session.
    expect(result.stderr).toMatch(
      exit === 11 ? /hint: a session may exist for owner / : /hint: the server may have acted/,
    );
    expectOneCleanError(result.stderr);
    expect(result.elapsed).toBeLessThan(TIMEOUT_S * 1000 + MARGIN_MS);
  });

  it('a deeply nested error body: one line, exit 8', async () => {
    const result = await createAgainst({
      status: 500,
      text: '['.repeat(100_000) + ']'.repeat(100_000),
    });
    expect(result.code).toBe(8);
    expectOneCleanError(result.stderr);
  });

  it('a 100 KB single-word field, with --debug: the token is printed, quickly', async () => {
    const result = await createAgainst({ json: { ...SESSION, label: 'x'.repeat(100_000) } }, [
      '--debug',
      '--json',
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ token: SESSION.token });
    expect(result.stderr).not.toContain(SESSION.token);
    expect(result.elapsed).toBeLessThan(TIMEOUT_S * 1000 + MARGIN_MS);
  });

  it.each([['--json'], ['-o', 'yaml'], ['-o', 'tsv']])(
    'metadata nested 10,000 deep and a created_at far in the future: %s still prints the token',
    async (...format) => {
      const metadata = '{"a":'.repeat(10_000) + '"leaf"' + '}'.repeat(10_000);
      const body = JSON.stringify({ ...SESSION, created_at: '+275760-09-13T00:00:00.000Z' });
      const result = await createAgainst(
        { text: body.replace('"metadata":null', `"metadata":${metadata}`) },
        format,
      );
      expect(result.stderr).not.toMatch(/\n\s+at |RangeError|TypeError/);
      expect(result.stdout).toContain(SESSION.token);
      expect(result.code).toBe(0);
    },
  );

  it('escape sequences in server text never reach the terminal raw', async () => {
    const message = '\u001b[2J\u001b]0;pwned\u0007bad \u009b31m';
    const rejected = await createAgainst({
      status: 400,
      json: { statusCode: 400, message, timestamp: '2026-11-25T10:00:00.000Z' },
    });
    expect(rejected.code).toBe(12);
    expect(rejected.stderr).toContain('\\x1b[2J\\x1b]0;pwned\\x07bad \\x9b31m');
    expect(rejected.stderr).not.toMatch(/[\u001b\u0007\u009b]/);
    const created = await createAgainst({ json: { ...SESSION, label: '\u001b[31mred' } }, [
      '-o',
      'tsv',
    ]);
    expect(created.stdout).toContain('label\t\\x1b[31mred\n');
    expect(created.stdout).not.toContain('\u001b');
  });

  it('--debug never prints a torn create body raw: size, type and a redacted start', async () => {
    const torn = JSON.stringify(SESSION).slice(0, -40);
    const result = await createAgainst({ text: torn }, ['--debug']);
    expect(result.code).toBe(11);
    expect(result.stderr).toContain(
      `debug:   body: ${torn.length} bytes of application/json, not JSON: `,
    );
    expect(result.stderr).not.toContain(SESSION.token);
  });

  it('an interim 100 Continue before the 201 is skipped', async () => {
    const result = await createAgainst('continue-then-201', ['--field', 'token']);
    expect([result.code, result.stdout, result.stderr]).toEqual([0, SESSION.token, '']);
  });
});
