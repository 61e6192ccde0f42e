// Level C: the built binary against `cst sandbox serve` and a scripted server, every exit code.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Reply, SESSION_BODY, scriptedServer } from '../helpers/scripted-server.js';
import { cst, finish, isolatedEnv, serve, type Served, start } from './cli.js';
import { plain, terminal } from './pty.js';

const owner = ['--owner-id', 'cus_1', '--owner-name', 'Acme Ltd'];

let served: Served;
let env: Record<string, string>;
beforeAll(async () => {
  env = await isolatedEnv();
  served = await serve(env);
});
afterAll(async () => {
  const stopped = await served.stop();
  expect(stopped.code).toBe(0);
});

function against(key = served.projects[0]!.api_key) {
  return { ...env, CST_BASE_URL: served.baseUrl, CST_API_KEY: key };
}

async function scripted(reply: Reply | Reply[], args: string[] = []) {
  const server = await scriptedServer(Array.isArray(reply) ? reply : [reply]);
  try {
    return await cst(['create', ...owner, ...args], {
      ...(await isolatedEnv()),
      CST_BASE_URL: server.baseUrl,
      CST_API_KEY: 'k',
    });
  } finally {
    await server.close();
  }
}

describe('cst create, end to end', () => {
  it('issues a session against a running sandbox: --json parses, stderr stays empty', async () => {
    const result = await cst(['create', ...owner, '-c', 'hris,ats', '--json'], against());
    expect([result.code, result.stderr]).toEqual([0, '']);
    const session = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(session).toMatchObject({
      organization_id: '1001',
      project_id: 'acme-production',
      categories: ['hris', 'ats'],
      origin_owner_name: 'Acme Ltd',
    });
    expect(session.auth_link_url).toBe(`${served.baseUrl}/connect?token=${String(session.token)}`);
  });

  it('--field token prints the token alone, which the sandbox then authenticates', async () => {
    const result = await cst(['create', ...owner, '--field', 'token'], against());
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^[\w-]{43}$/);
    const { request } = await import('undici');
    const answer = await request(`${served.baseUrl}/connect_sessions/authenticate`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${served.projects[0]!.api_key}:`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ token: result.stdout }),
    });
    expect(answer.statusCode).toBe(201);
    expect(((await answer.body.json()) as { origin_owner_id: string }).origin_owner_id).toBe(
      'cus_1',
    );
  });

  it('--field takes every field --json prints, expires_at included', async () => {
    const json = await cst(['create', ...owner, '--json'], against());
    const printed = Object.keys(JSON.parse(json.stdout) as object);
    expect(printed).toContain('expires_at');
    const expires = await cst(
      ['create', '--owner-id', 'cus_exp', '--owner-name', 'Exp', '--field', 'expires_at'],
      against(),
    );
    expect([expires.code, expires.stderr]).toEqual([0, '']);
    expect(Date.parse(expires.stdout)).toBeGreaterThan(Date.now());
    const help = await cst(['create', '--help'], env);
    expect(help.stdout.replace(/\s+/g, ' ')).toContain(
      '--field <name> print one field alone (which: cst help fields)',
    );
    // The topic lists what create's --field takes: every field --json printed.
    const topic = (await cst(['help', 'fields'], env)).stdout;
    const createLine = topic.slice(topic.indexOf('\n  create'), topic.indexOf('\n  inspect'));
    const listed = createLine.replace(/^\s+create\s+/, '').split(/[\s,]+/);
    expect(new Set(listed)).toEqual(new Set(printed));
  });

  it('--sandbox needs no server, no key, and leaves no process behind', async () => {
    const result = await cst(
      ['create', '--sandbox', '-c', 'hris', ...owner, '--field', 'project_id'],
      await isolatedEnv(),
    );
    expect([result.code, result.stdout, result.stderr]).toEqual([0, 'acme-production', '']);
  });

  it('without a terminal and without owner flags: exit 2 at once, naming both', async () => {
    const result = await cst(['create', '--sandbox'], await isolatedEnv());
    expect([result.code, result.stdout, result.stderr]).toEqual([
      2,
      '',
      'error: missing required flags: --owner-id, --owner-name\n',
    ]);
  });

  it('ends quietly when the reader of its output goes away', async () => {
    const child = start(['create', '--sandbox', ...owner], await isolatedEnv());
    child.stdout?.once('data', () => child.stdout?.destroy());
    const result = await finish(child);
    expect([result.code, result.stderr]).toEqual([0, '']);
  });

  it.each([[[]], [['config']]])(
    'a bare %j (someone looking around) prints its help on stdout, exit 0',
    async (args) => {
      const result = await cst(args, env);
      expect([result.code, result.stderr]).toEqual([0, '']);
      expect(result.stdout).toMatch(new RegExp(`^Usage: cst${args.map((a) => ` ${a}`).join('')} `));
    },
  );

  it('a command group without its subcommand shows its help on stdout, exit 0', async () => {
    const result = await cst(['accounts'], env);
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toMatch(
      /^Usage: cst accounts \[options\] \[command\]\n[\s\S]*Examples:\n  cst accounts list --owner-id cus_42\n  cst accounts get acc_123\n+$/,
    );
  });

  it('--version and --help exit 0 on stdout', async () => {
    const version = await cst(['--version'], env);
    expect([version.code, version.stdout]).toEqual([
      0,
      `${process.env.npm_package_version ?? '0.1.0'}\n`,
    ]);
    const help = await cst(['create', '--help'], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: cst create [options]');
  });
});

describe('cst create --help', () => {
  it('fits a screen at 80 columns: flags under headings, the rest of bulk in cst help bulk', async () => {
    const term = terminal(
      ['create', '--help'],
      { ...(await isolatedEnv()), NO_COLOR: '1' },
      {
        columns: 80,
      },
    );
    const { code, screen } = await term.exit();
    expect(code).toBe(0);
    const lines = plain(screen).trimEnd().split('\n');
    expect(lines.length).toBeLessThan(60);
    expect(lines.filter((line) => [...line].length > 80)).toEqual([]);
    expect(lines.filter((line) => /^[A-Z][\w -]*( \(.*\))?:$/.test(line))).toEqual([
      'Session options:',
      'Hand-off options:',
      'Wait options:',
      'Bulk options (all of them: cst help bulk):',
      'Target options:',
      'Output options:',
      'Global Options:',
      'Examples:',
    ]);
    // What the help leaves out is in the topic it names, and still works.
    const bulk = (await cst(['help', 'bulk'], env)).stdout;
    for (const flag of ['--from-file', '--results', '--columns', '--strict', '--concurrency'])
      expect(bulk).toContain(`  ${flag}`);
    for (const flag of ['--retry-unknown', '--journal <path>', '--max-network-failures <n>'])
      expect(bulk).toContain(flag);
    expect((await cst(['help', 'categories'], env)).stdout).toContain('\n  hris-legacy\n');
  });
});

describe('exit codes through the binary', () => {
  it('17: state_unreadable, when the state dir is a file', async () => {
    const base = await isolatedEnv();
    await writeFile(join(base.HOME!, 'file'), '');
    const result = await cst(['create', '--sandbox', ...owner], {
      ...base,
      CST_STATE_DIR: join(base.HOME!, 'file'),
    });
    expect(result.code).toBe(17);
    expect(result.stderr).toBe(
      `error: cannot read the sandbox state ${join(base.HOME!, 'file', 'sandbox.json')}: a part of the path is not a directory\n`,
    );
  });

  it('2: an unknown flag, as a JSON line in JSON mode', async () => {
    const result = await cst(['create', '--owner', 'x', '--json'], env);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stderr)).toEqual({
      error: {
        code: 'usage',
        message: "unknown option '--owner' (did you mean --owner-id?)",
        exit: 2,
        hint: "run 'cst create --help' for usage",
      },
    });
  });

  it("a command's help lists the global flags it takes, in their own section", async () => {
    for (const command of [['create'], ['config', 'add'], ['list']]) {
      const help = (await cst([...command, '--help'], env)).stdout;
      const global = help.slice(help.indexOf('\nGlobal Options:\n'));
      expect(global).toMatch(/^\nGlobal Options:\n/);
      for (const flag of ['--no-input', '--debug', '--ca-file <pem>', '--color <when>'])
        expect(global).toContain(flag);
    }
  });

  it('2: a usage error names the help of the command that was given, in one line', async () => {
    expect(await cst(['config', 'add', '--bogus'], env)).toMatchObject({
      code: 2,
      stderr: "error: unknown option '--bogus'\nhint: run 'cst config add --help' for usage\n",
    });
    expect(await cst(['creat'], env)).toMatchObject({
      code: 2,
      stderr:
        "error: unknown command 'creat' (did you mean create?)\nhint: run 'cst --help' for usage\n",
    });
  });

  it('3: no credentials, with the hint', async () => {
    const result = await cst(['create', ...owner], await isolatedEnv());
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(
      /^error: no API key: no project is configured and CST_API_KEY is not set\nhint: add a project with 'cst config add --org <org> --project <project> --api-key-stdin', or export CST_API_KEY; to try cst without a key, add --sandbox\n$/,
    );
  });

  it('4: a key the sandbox does not know', async () => {
    const result = await cst(['create', ...owner, '--json'], against('sk_sandbox_wrong'));
    expect(result.code).toBe(4);
    expect(JSON.parse(result.stderr)).toEqual({
      error: {
        code: 'auth_rejected',
        message: 'API key rejected (HTTP 401 from POST /connect_sessions): Unauthorized',
        status: 401,
        exit: 4,
        hint: `the key came from CST_API_KEY and went to ${served.baseUrl}: check it belongs there`,
      },
    });
  });

  it.each<[number, Reply, string]>([
    [
      5,
      { status: 403, body: { statusCode: 403, message: 'Forbidden', timestamp: 't' } },
      'error: forbidden (HTTP 403 from POST /connect_sessions): Forbidden\n',
    ],
    [
      6,
      { status: 404, body: { statusCode: 404, message: 'Not Found', timestamp: 't' } },
      'error: not found (HTTP 404 from POST /connect_sessions): Not Found\n',
    ],
    [
      8,
      { status: 500, body: { statusCode: 500, message: 'Boom', timestamp: 't' } },
      'error: server error (HTTP 500 from POST /connect_sessions): Boom\nhint: the server may have acted on the request; check before running it again\n',
    ],
    [
      11,
      { status: 201, body: { ...SESSION_BODY, created_at: 5 } },
      'error: invalid response from POST /connect_sessions (HTTP 201): field "created_at": expected string\n' +
        "hint: a session may exist: session 42 for owner cus_1, recorded in the ledger as undelivered; 'cst create --from-session 42' issues a new one\n",
    ],
  ])('%i: scripted answer', async (code, reply, stderr) => {
    const result = await scripted(reply);
    expect([result.code, result.stdout, result.stderr]).toEqual([code, '', stderr]);
  });

  it('7: still rate limited after the retries', async () => {
    const tooMany = {
      status: 429,
      headers: { 'retry-after': '0' },
      body: { statusCode: 429, message: 'Too many requests', timestamp: 't' },
    };
    // The first attempt and three retries, exactly.
    const result = await scripted([tooMany, tooMany, tooMany, tooMany]);
    expect(result.code).toBe(7);
    expect(result.stderr.split('\n').filter((line) => line.startsWith('warning:'))).toHaveLength(3);
    expect(result.stderr).toContain(
      'error: rate limited (HTTP 429 from POST /connect_sessions): Too many requests\nhint: StackOne allows 1000 requests per minute per API key\n',
    );
  });

  it('10: connection refused', async () => {
    const server = await scriptedServer([]);
    await server.close();
    const result = await cst(['create', ...owner], {
      ...(await isolatedEnv()),
      CST_BASE_URL: server.baseUrl,
      CST_API_KEY: 'k',
    });
    expect(result.code).toBe(10);
    expect(
      result.stderr.endsWith(
        `error: connection refused by ${server.baseUrl} (POST /connect_sessions)\n` +
          "hint: nothing is listening there: is 'cst sandbox serve' running? (or use --sandbox)\n",
      ),
    ).toBe(true);
  });

  it('12: the API rejects the request', async () => {
    const args = [
      '--owner-id',
      'cus_12',
      '--owner-name',
      'Twelve',
      '--body-json',
      '{"expires_in":-5}',
    ];
    const result = await cst(['create', ...args], against());
    expect(result.code).toBe(12);
    expect(result.stderr).toBe(
      'warning: --body-json sets expires_in as given, unchecked by cst\nerror: request rejected (HTTP 400 from POST /connect_sessions): expires_in must be a positive number\n',
    );
  });

  it.each<[NodeJS.Signals, number]>([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ])('%s during a create: exit %i, saying the session may exist', async (signal, code) => {
    const server = await scriptedServer([{ hang: true }]);
    try {
      const child = start(['create', ...owner], {
        ...(await isolatedEnv()),
        CST_BASE_URL: server.baseUrl,
        CST_API_KEY: 'k',
      });
      const done = finish(child);
      while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      child.kill(signal);
      const result = await done;
      expect([result.code, result.stdout, result.stderr]).toEqual([
        code,
        '',
        'error: interrupted while the session was being created\n' +
          'hint: the server may have acted on the request; check before running it again\n',
      ]);
    } finally {
      await server.close();
    }
  });
});

describe('a 2xx create whose body cst cannot use', () => {
  const { token: _token, ...withoutToken } = SESSION_BODY;
  it.each<[string, Reply, string, number | undefined]>([
    ['not JSON', { status: 201, raw: '{"id": 42, "tok' }, 'body is not JSON', undefined],
    ['null', { status: 201, body: null }, 'field "(body)": expected object', undefined],
    [
      'an array',
      { status: 201, body: [SESSION_BODY] },
      'field "(body)": expected object',
      undefined,
    ],
    ['no token', { status: 201, body: withoutToken }, 'field "token": expected string', 42],
    [
      'a token that is not a string, an id as digits',
      { status: 201, body: { ...SESSION_BODY, id: '43', token: 7 } },
      'field "id": expected number',
      43,
    ],
  ])(
    '%s: exit 11, a session may exist, and a readable id is in the ledger as undelivered',
    async (_, reply, problem, id) => {
      const server = await scriptedServer([reply]);
      const home = { ...(await isolatedEnv()), CST_BASE_URL: server.baseUrl, CST_API_KEY: 'k' };
      let result;
      try {
        result = await cst(['create', ...owner, '-c', 'hris'], home);
      } finally {
        await server.close();
      }
      const hint =
        id === undefined
          ? 'hint: a session may exist for owner cus_1; the response held no readable id, so it is not in the ledger'
          : `hint: a session may exist: session ${id} for owner cus_1, recorded in the ledger as undelivered; 'cst create --from-session ${id}' issues a new one`;
      expect([result.code, result.stdout, result.stderr]).toEqual([
        11,
        '',
        `error: invalid response from POST /connect_sessions (HTTP 201): ${problem}\n${hint}\n`,
      ]);
      const listed = await cst(['list', '--all', '--json'], home);
      expect(listed.code).toBe(0);
      const rows = JSON.parse(listed.stdout) as Record<string, unknown>[];
      if (id === undefined) expect(rows).toEqual([]);
      else
        expect(rows).toEqual([
          expect.objectContaining({
            id,
            owner_id: 'cus_1',
            owner_name: 'Acme Ltd',
            categories: ['hris'],
            organization_id: '1001',
            state: 'undelivered',
            undelivered: true,
          }),
        ]);
      const undelivered = await cst(['list', '--state', 'undelivered', '--field', 'id'], home);
      expect(undelivered.stdout).toBe(id === undefined ? '' : `${id}\n`);
    },
  );
});
