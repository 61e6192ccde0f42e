// Level C: tables at real terminal widths (a pseudo-terminal of 60, 80, 100 and 200 columns).
// Every line fits, no id is ever split, what was left out is said, and piped output is the same
// whatever the width.
import { describe, expect, it } from 'vitest';
import { cst, isolatedEnv } from './cli.js';
import { plain, terminal } from './pty.js';

const WIDTHS = [60, 80, 100, 200];

async function screen(args: string[], env: Record<string, string>, columns: number) {
  const term = terminal(args, { ...env, NO_COLOR: '1' }, { columns });
  const { code, screen: text } = await term.exit(20_000);
  expect(code).toBe(0);
  return plain(text).replace(/\r/g, '').trimEnd().split('\n');
}

describe('tables fit the terminal', () => {
  it('list --linked, accounts list and config list, at 60, 80, 100 and 200 columns', async () => {
    const env = await isolatedEnv();
    const ids: string[] = [];
    for (let i = 1; i <= 3; i++) {
      const created = await cst(
        [
          'create',
          '--sandbox',
          '--owner-id',
          `cus_00000${i}`,
          '--owner-name',
          `Customer Number ${i} Limited`,
          '-c',
          'hris,ats,crm',
          '--label',
          `quarterly onboarding batch ${i}`,
          '--field',
          'token',
        ],
        env,
      );
      const linked = await cst(
        ['sandbox', 'link', '--provider', 'bamboohr', '--json', '--token-stdin'],
        env,
        created.stdout,
      );
      ids.push((JSON.parse(linked.stdout) as { id: string }).id);
    }
    await cst(['config', 'add', '--org', 'acme', '--project', 'prod', '--key-env', 'K'], env);
    const commands = [
      ['list', '--sandbox', '--linked'],
      ['accounts', 'list', '--sandbox'],
      ['config', 'list'],
    ];
    for (const args of commands) {
      const piped = await cst(args, env);
      for (const columns of WIDTHS) {
        const lines = await screen(args, env, columns);
        const notes = lines.filter((line) => /to fit; -o wide shows all$/.test(line));
        const table = lines.filter((line) => !notes.includes(line));
        for (const line of table)
          expect({ args, columns, line, fits: line.length <= columns }).toMatchObject({
            fits: true,
          });
        // Account ids are whole wherever their column is shown (list --linked may leave it out).
        const hidLinked = notes.some((n) => /^hid [^;]*\bLINKED\b/.test(n));
        if (args[0] !== 'config' && !hidLinked)
          for (const id of ids) expect(table.join('\n')).toContain(id);
        // A hidden column is named, and is really gone from the header.
        for (const hidden of notes.flatMap(
          (n) => /^hid ([^;]*?)(;| to fit)/.exec(n)?.[1]?.split(', ') ?? [],
        ))
          expect(table[0]!.split(/ {2,}/)).not.toContain(hidden);
        // Piped output does not depend on the terminal at all.
        expect((await cst(args, { ...env, COLUMNS: String(columns) })).stdout).toBe(piped.stdout);
      }
    }
    const narrow = await screen(['list', '--sandbox'], env, 60);
    expect(narrow.at(-1)).toMatch(/^hid LABEL, CATEGORIES, .* to fit; -o wide shows all$/);
    const wide = await screen(['list', '--sandbox', '-o', 'wide'], env, 60);
    expect(wide[0]).toMatch(/^ID +ORGANIZATION\/PROJECT +OWNER +CATEGORIES +CREATED +EXPIRES/);
  });

  it('ids are never cut: UUID owners at 60 columns, account ids in list --linked at 80 and 120', async () => {
    const env = await isolatedEnv();
    const owners = ['3f2b8c1e-9d4a-4e7b-8a6f-1c2d3e4f5a6b', '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d'];
    const accounts: string[] = [];
    for (const owner of owners) {
      const token = await cst(
        [
          'create',
          '--sandbox',
          '--owner-id',
          owner,
          '--owner-name',
          'A Customer With A Long Legal Name Limited',
          '-c',
          'hris',
          '--label',
          'quarterly onboarding batch',
          '--field',
          'token',
        ],
        env,
      );
      const linked = await cst(
        ['sandbox', 'link', '--provider', 'bamboohr', '--json', '--token-stdin'],
        env,
        token.stdout,
      );
      accounts.push((JSON.parse(linked.stdout) as { id: string }).id);
    }
    const narrow = await screen(['list', '--sandbox'], env, 60);
    expect(narrow[0]!.split(/ {2,}/)).toEqual(['ID', 'OWNER', 'EXPIRES', 'STATE']);
    for (const owner of owners) expect(narrow.some((line) => line.includes(owner))).toBe(true);
    expect(narrow.slice(0, -1).every((line) => line.length <= 60)).toBe(true);
    for (const columns of [80, 120]) {
      const lines = await screen(['list', '--sandbox', '--linked'], env, columns);
      expect(lines[0]).toContain('LINKED');
      // Each owner's row holds its whole id and its whole account id.
      owners.forEach((owner, i) => {
        const row = lines.find((line) => line.includes(owner));
        expect({ columns, has: row?.includes(accounts[i]!) }).toEqual({ columns, has: true });
      });
      expect(lines.slice(0, -1).every((line) => line.length <= columns)).toBe(true);
    }
  });

  it('create shows the token and the auth link whole, each on a line of its own', async () => {
    const env = await isolatedEnv();
    for (const columns of [60, 200]) {
      const lines = await screen(
        [
          'create',
          '--sandbox',
          '-c',
          'hris',
          '--owner-id',
          `cus_${columns}`,
          '--owner-name',
          'Acme',
        ],
        env,
        columns,
      );
      const token = lines[lines.indexOf('token:') + 1]!;
      const link = lines[lines.indexOf('auth_link_url:') + 1]!;
      expect(token).toMatch(/^[\w-]{43}$/);
      expect(link).toBe(`${link.split('?')[0]}?token=${token}`);
      expect(
        lines.filter((line) => !line.startsWith('http')).every((l) => l.length <= columns),
      ).toBe(true);
    }
  });
});
