// Level C: `cst sandbox serve` for a person: an export line to paste, and a line per request on
// stderr that never holds a key or a token.
import { describe, expect, it } from 'vitest';
import { cst, finish, firstLine, isolatedEnv, start } from './cli.js';

describe('cst sandbox serve', () => {
  it('prints an export line to paste, and logs each request without secrets', async () => {
    const env = await isolatedEnv();
    const child = start(['sandbox', 'serve', '--port', '0'], env);
    const done = finish(child);
    const line = await firstLine(child);
    const match =
      /^export CST_BASE_URL=(http:\/\/127\.0\.0\.1:\d+) CST_API_KEY=([\w-]+) {3}# \S+$/.exec(line);
    expect(match).not.toBeNull();
    const [, baseUrl, key] = match!;
    const pointed = { ...env, CST_BASE_URL: baseUrl!, CST_API_KEY: key! };
    const created = await cst(
      ['create', '--owner-id', 'cus_1', '--owner-name', 'Acme', '--field', 'auth_link_url'],
      pointed,
    );
    expect(created.code).toBe(0);
    const hub = await fetch(created.stdout);
    expect(hub.status).toBe(200);
    const token = new URL(created.stdout).searchParams.get('token')!;
    child.kill('SIGTERM');
    const result = await done;
    expect(result.code).toBe(0);
    // The other projects, commented out so that pasting the block is harmless.
    const rest = result.stdout.trimEnd().split('\n').slice(1);
    expect(rest.length).toBeGreaterThan(0);
    for (const other of rest) expect(other).toMatch(/^# \S+ +CST_API_KEY=[\w-]+$/);
    const log = result.stderr.trimEnd().split('\n');
    expect(log[0]).toMatch(
      /^sandbox listening on http:\/\/127\.0\.0\.1:\d+ \(state: .*\); Ctrl-C stops it$/,
    );
    expect(log.slice(1)).toEqual([
      expect.stringMatching(/^POST \/connect_sessions 201 \d+ms$/) as unknown,
      expect.stringMatching(/^GET \/connect 200 \d+ms$/) as unknown,
    ]);
    expect(result.stderr).not.toContain(token);
    expect(result.stderr).not.toContain(key);
  });
});

describe('cst sandbox reset', () => {
  it('needs --yes without a terminal, then forgets sessions and the sandbox ledger', async () => {
    const env = await isolatedEnv();
    const owner = ['--owner-id', 'cus_1', '--owner-name', 'Acme'];
    expect((await cst(['create', '--sandbox', ...owner], env)).code).toBe(0);
    expect(await cst(['sandbox', 'reset'], env)).toMatchObject({
      code: 2,
      stderr: 'error: resetting the sandbox needs --yes without a terminal\nhint: add --yes\n',
    });
    expect((await cst(['list', '--sandbox', '--field', 'id'], env)).stdout).toBe('1\n');
    expect((await cst(['sandbox', 'reset', '--yes'], env)).code).toBe(0);
    expect((await cst(['list', '--sandbox', '--field', 'id'], env)).stdout).toBe('');
  });
});
