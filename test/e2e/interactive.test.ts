// Level C: prompts on a real pseudo-terminal, answered with keystrokes.
import { mkdir, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyFileName } from '../../src/commands/config/run.js';
import { isolatedEnv, serve, type Served } from './cli.js';
import { KEY, plain, terminal } from './pty.js';

let served: Served;
let env: Record<string, string>;
beforeAll(async () => {
  env = await isolatedEnv();
  served = await serve(env);
  // Two organizations, no default: nothing decides, so cst must ask.
  const project = (org: string, name: string) => {
    const p = served.projects.find((x) => x.organization === org && x.project === name)!;
    env[`KEY_${org}_${name}`.toUpperCase()] = p.api_key;
    return {
      id: p.project_id,
      base_url: served.baseUrl,
      key_env: `KEY_${org}_${name}`.toUpperCase(),
    };
  };
  const config = {
    organizations: {
      acme: {
        id: '1001',
        projects: {
          production: project('acme', 'production'),
          staging: project('acme', 'staging'),
        },
      },
      globex: { id: '1002', projects: { production: project('globex', 'production') } },
    },
  };
  await mkdir(env.CST_CONFIG_DIR!, { recursive: true });
  await writeFile(`${env.CST_CONFIG_DIR}/config.json`, JSON.stringify(config), { mode: 0o600 });
});
afterAll(async () => {
  await served.stop();
});

describe('cst create on a terminal', () => {
  it('asks for organization, project, categories, a connector profile and owner, then prints the table', async () => {
    const term = terminal(['create'], { ...env, NO_COLOR: '1' });
    await term.waitFor('Organization');
    term.type(KEY.enter);
    await term.waitFor('Project');
    term.type(KEY.down + KEY.enter);
    await term.waitFor('Categories');
    term.type(KEY.down + KEY.space + KEY.down + KEY.space + KEY.enter);
    // The project's enabled profiles for those categories, after "none".
    await term.waitFor('Connector profile');
    await term.waitFor('(bamboohr: cp_acme-staging_bamboohr)');
    term.type(KEY.down + KEY.enter);
    await term.waitFor('Owner id');
    term.type(`cus_9${KEY.enter}`);
    await term.waitFor('Owner name');
    term.type(`Nine Ltd${KEY.enter}`);
    const { code, screen } = await term.exit();
    expect(code).toBe(0);
    const text = plain(screen);
    expect(text).toMatch(/│ project_id\s+│ acme-staging\s+│/);
    expect(text).toMatch(/│ categories\s+│ hris,hris-legacy\s+│/);
    expect(text).toMatch(/│ connector_profile_id\s+│ cp_acme-staging_bamboohr\s+│/);
    expect(text).not.toContain('workday');
    expect(text).toMatch(/│ origin_owner_id\s+│ cus_9\s+│/);
    expect(text).toMatch(/│ origin_owner_name\s+│ Nine Ltd\s+│/);
    expect(text).toContain('cst keeps no copy of this token: save it now if you need it.');
  });

  it('never asks for what flags gave', async () => {
    const term = terminal(['create', '--org', 'globex', '-c', 'ats', '--owner-id', 'c2'], {
      ...env,
      NO_COLOR: '1',
    });
    await term.waitFor('Owner name');
    term.type(`Two${KEY.enter}`);
    const { code, screen } = await term.exit();
    expect(code).toBe(0);
    const text = plain(screen);
    expect(text).not.toContain('Organization');
    expect(text).not.toContain('Categories');
    expect(text).toMatch(/│ project_id\s+│ globex-production\s+│/);
  });

  it('Ctrl-C in a prompt exits 130 with one line, no stack trace', async () => {
    const term = terminal(['create'], { ...env, NO_COLOR: '1' });
    await term.waitFor('Organization');
    term.type(KEY.ctrlC);
    const { code, screen } = await term.exit();
    expect(code).toBe(130);
    const after = plain(screen).slice(plain(screen).indexOf('Organization'));
    expect(after).toContain('error: cancelled\n');
    expect(after).not.toMatch(/\n\s+at /);
  });

  it('Ctrl-C during --wait clears the status line: the error stands on a line of its own', async () => {
    const term = terminal(
      ['create', '--sandbox', '-c', 'hris', '--owner-id', 'c9', '--owner-name', 'Nine', '--wait'],
      { ...env, NO_COLOR: '1' },
    );
    await term.waitFor('waiting for Nine (c9): not opened');
    term.type(KEY.ctrlC);
    const { code, screen } = await term.exit();
    expect(code).toBe(130);
    // What the terminal shows of each line: an erase-line drops all drawn before it.
    const lines = screen.split('\n').map((line) => plain(line.split('\u001b[2K').pop()!));
    const error = lines.find((line) => line.includes('error: '));
    expect(error).toBe('error: interrupted');
    expect(lines.filter((line) => line.includes('waiting for'))).toEqual([]);
  });

  it.each<[string, string[], Record<string, string>]>([
    ['--no-input', ['--no-input'], {}],
    ['CST_NO_INPUT=1', [], { CST_NO_INPUT: '1' }],
    ['CI=true', [], { CI: 'true' }],
  ])(
    'never prompts with %s, even on a terminal: names every missing flag',
    async (_name, args, extra) => {
      const term = terminal(['create', ...args], { ...env, NO_COLOR: '1' }, { keep: extra });
      const { code, screen } = await term.exit();
      expect(code).toBe(2);
      expect(plain(screen)).toBe(
        'error: missing required flags: --org, --project, --owner-id, --owner-name\n' +
          `hint: ${env.CST_CONFIG_DIR}/config.json has acme/production, acme/staging, globex/production\n`,
      );
    },
  );

  it('a bulk run draws a progress line on a terminal', async () => {
    const { writeFile: write } = await import('node:fs/promises');
    const file = `${env.HOME}/progress.csv`;
    await write(
      file,
      `owner_id,owner_name\n${Array.from({ length: 30 }, (_, i) => `p${i},P ${i}`).join('\n')}\n`,
    );
    const term = terminal(
      [
        'create',
        '--from-file',
        file,
        '--results',
        `${env.HOME}/r.csv`,
        '--rate',
        '10/s',
        '--org',
        'acme',
        '--project',
        'production',
      ],
      { ...env, NO_COLOR: '1' },
    );
    await term.waitFor('rows: ');
    const { code, screen } = await term.exit(20_000);
    expect(code).toBe(0);
    expect(plain(screen)).toMatch(
      /\d+ rows: \d+ issued, 0 failed, 0 unknown, 0 skipped · [\d.]+\/s/,
    );
    expect(plain(screen)).toMatch(/issued 30, failed 0, skipped 0, unknown 0 in /);
  });

  it('a bulk run on a terminal prints the rows that failed, readable, not NDJSON', async () => {
    const { writeFile: write } = await import('node:fs/promises');
    const file = `${env.HOME}/mixed.csv`;
    await write(file, 'owner_id,owner_name,expires_in\nm1,M 1,\nm2,M 2,soon\nm3,M 3,\n');
    const term = terminal(
      ['create', '--from-file', file, '--results', `${env.HOME}/m.csv`, '--sandbox'],
      { ...env, NO_COLOR: '1' },
    );
    const { code, screen } = await term.exit(20_000);
    expect(code).toBe(9);
    const text = plain(screen);
    expect(text).toMatch(
      /^failed +line 3 {2}m2: invalid_row: expires_in: "soon" is not a duration/m,
    );
    expect(text).not.toContain('{"row"');
    expect(text).not.toMatch(/^issued +line/m);
    expect(text).toMatch(/issued 2, failed 1, skipped 0, unknown 0 in /);
  });

  it('config add asks for what is missing, and the key prompt does not echo it', async () => {
    const { isolatedEnv: fresh } = await import('./cli.js');
    const home = await fresh();
    const term = terminal(['config', 'add', '--storage', 'file'], { ...home, NO_COLOR: '1' });
    await term.waitFor('Organization name');
    term.type(`initech${KEY.enter}`);
    await term.waitFor('Project name');
    term.type(`prod${KEY.enter}`);
    await term.waitFor('API key (hidden)');
    term.type(`sk_live_typed_secret_42${KEY.enter}`);
    const { code, screen } = await term.exit();
    expect(code).toBe(0);
    expect(plain(screen)).toContain(`saved initech/prod in ${home.CST_CONFIG_DIR}/config.json`);
    expect(screen).not.toContain('sk_live_typed_secret_42');
    const { readFile } = await import('node:fs/promises');
    expect(
      await readFile(`${home.CST_CONFIG_DIR}/keys/${keyFileName('initech/prod')}`, 'utf8'),
    ).toBe('sk_live_typed_secret_42\n');
  });
});

describe('destructive commands on a terminal', () => {
  it('ask first: "n" deletes nothing and exits 0, "y" goes ahead', async () => {
    const { isolatedEnv: fresh, cst } = await import('./cli.js');
    const home = { ...(await fresh()), NO_COLOR: '1' };
    const add = ['config', 'add', '--org', 'acme', '--project', 'prod', '--key-env', 'X'];
    expect((await cst(add, home)).code).toBe(0);
    const declined = terminal(['config', 'remove', 'acme', 'prod'], home);
    await declined.waitFor('Remove acme/prod from');
    declined.type(`n${KEY.enter}`);
    const no = await declined.exit();
    expect([no.code, plain(no.screen)]).toEqual([0, expect.stringContaining('nothing deleted')]);
    expect((await cst(['config', 'list', '--field', 'project'], home)).stdout).toBe('prod\n');
    const accepted = terminal(['config', 'remove', 'acme', 'prod'], home);
    await accepted.waitFor('Remove acme/prod from');
    accepted.type(`y${KEY.enter}`);
    const yes = await accepted.exit();
    expect([yes.code, plain(yes.screen)]).toEqual([
      0,
      expect.stringContaining('removed acme/prod'),
    ]);
  });
});
