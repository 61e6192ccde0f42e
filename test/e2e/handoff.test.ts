// Level C: handing the auth link over at a terminal, on a real pseudo-terminal: --copy writes
// OSC 52 to the terminal, --open runs the system opener; in a pipe or in CI, neither happens and
// a warning says so.
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostileServer, SESSION } from '../helpers/hostile-server.js';
import { cst, isolatedEnv } from './cli.js';
import { plain, terminal } from './pty.js';

const create = ['create', '--sandbox', '-c', 'hris', '--owner-id', 'c1', '--owner-name', 'C1'];

/** A stand-in xdg-open first on PATH, writing the URL it was given to a file. */
async function fakeOpener(env: Record<string, string>) {
  const bin = join(env.HOME!, 'bin');
  const opened = join(env.HOME!, 'opened.txt');
  await mkdir(bin);
  await writeFile(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s' "$1" > '${opened}'\n`);
  await chmod(join(bin, 'xdg-open'), 0o755);
  return { env: { ...env, PATH: `${bin}:${env.PATH}` }, opened };
}

describe('at a terminal', () => {
  it('--copy puts the auth link on the clipboard through the terminal', async () => {
    const env = await isolatedEnv();
    const term = terminal([...create, '--copy', '--json'], env);
    const { code, screen } = await term.exit();
    expect(code).toBe(0);
    const link = /"auth_link_url": "([^"]+)"/.exec(screen)?.[1];
    expect(link).toBeDefined();
    expect(screen).toContain(`\u001b]52;c;${Buffer.from(link!).toString('base64')}\u0007`);
    expect(screen).toContain(
      'the auth link copied to the clipboard (through the terminal: OSC 52)',
    );
  });

  it('--copy in a pipe: a warning, and no escape byte anywhere', async () => {
    const result = await cst([...create, '--copy', '--field', 'token'], await isolatedEnv());
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^[\w-]{43}$/);
    expect(result.stderr).toBe('warning: --copy needs a terminal outside CI: nothing copied\n');
  });

  it('--open runs the system opener with the link, at a terminal only', async () => {
    const { env, opened } = await fakeOpener(await isolatedEnv());
    const term = terminal([...create, '--open', '--field', 'auth_link_url', '--debug'], env);
    const { code, screen } = await term.exit();
    expect(code).toBe(0);
    expect(plain(screen)).toContain('debug: running xdg-open with the auth link');
    const link = plain(screen)
      .split(/\r?\n/)
      .find((line) => line.startsWith('http'))!;
    for (let i = 0; i < 100 && !existsSync(opened); i++)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await readFile(opened, 'utf8')).toBe(link);
  });

  it('--open in CI: a warning, and no browser', async () => {
    const { env, opened } = await fakeOpener(await isolatedEnv());
    const term = terminal([...create, '--open', '--field', 'id', '--debug'], env, {
      keep: { CI: 'true' },
    });
    const { code, screen } = await term.exit();
    expect(code).toBe(0);
    expect(plain(screen)).toContain(
      'warning: --open needs a terminal outside CI: open the link yourself',
    );
    // The opener is started (or not) before cst exits: its debug line is the event.
    expect(plain(screen)).not.toContain('running xdg-open');
    expect(existsSync(opened)).toBe(false);
  });

  it('cst wait draws one status line on a terminal, updated in place and cleared at the end', async () => {
    const env = await isolatedEnv();
    const token = (await cst([...create, '--field', 'token', '--no-input'], env)).stdout;
    const term = terminal(
      // `--` ends the options: a token may start with '-'.
      ['wait', '--sandbox', '--interval', '1s', '--wait-timeout', '2s', '--', token],
      env,
    );
    await term.waitFor('waiting for C1 (c1): not opened · ');
    await term.waitFor('link expires in 2');
    const { code, screen } = await term.exit();
    expect(code).toBe(15);
    // Each redraw returns to the start of the line and erases it; the last one is erased too.
    expect(screen).toMatch(
      /\r\u001b\[2Kwaiting for C1 \(c1\): not opened · \ds · link expires in /,
    );
    expect(screen).toMatch(
      /\r\u001b\[2K(\u001b\[\d+m)?error: still waiting for the customer after /,
    );
  });
});

describe.concurrent('a link from a hostile server', () => {
  it.each([
    ['file:///etc/passwd', 'a file: link'],
    ['/usr/bin/id', 'something that is not a URL'],
    ['javascript:alert(1)', 'a javascript: link'],
    ['data:text/html,<script>alert(1)</script>', 'a data: link'],
    ['ssh://attacker.example/x', 'a ssh: link'],
    ['http://attacker.example/x', 'a plain http: link to another machine'],
    ['https://x.example/\n rm -rf ~', 'a link with control characters'],
  ])('%j is neither opened nor copied; the session is still printed', async (link, named) => {
    const server = await hostileServer({ json: { ...SESSION, auth_link_url: link } });
    try {
      const { env, opened } = await fakeOpener(
        await isolatedEnv({ CST_BASE_URL: server.baseUrl, CST_API_KEY: 'sk_hostile_key_0123' }),
      );
      const args = [
        'create',
        '-c',
        'hris',
        '--owner-id',
        'cus_1',
        '--owner-name',
        'Acme',
        '--field',
        'id',
        '--debug',
      ];
      const term = terminal([...args, '--open', '--copy'], env);
      const { code, screen } = await term.exit();
      expect(code).toBe(0);
      expect(plain(screen)).toMatch(/^(debug: .*\r?\n)*7\r?\n/m);
      expect(plain(screen)).toContain(`--open: the server sent ${named}`);
      expect(plain(screen)).toContain(`--copy: the server sent ${named}`);
      expect(screen).not.toContain('\u001b]52;');
      expect(plain(screen)).not.toContain('running xdg-open');
      expect(existsSync(opened)).toBe(false);
    } finally {
      await server.close();
    }
  });

  it('--copy with CI set: nothing copied, even at a terminal', async () => {
    const term = terminal([...create, '--copy', '--field', 'id'], await isolatedEnv(), {
      keep: { CI: 'true' },
    });
    const { code, screen } = await term.exit();
    expect(code).toBe(0);
    expect(screen).not.toContain('\u001b]52;');
    expect(plain(screen)).toContain('warning: --copy needs a terminal outside CI: nothing copied');
  });
});
