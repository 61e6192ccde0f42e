// Level C: files and names an attacker could plant, through the built binary. cst never writes
// through a symbolic link it did not ask for, never lets a name escape its directory, and says
// when a directory of its own is open to others.
import { chmod, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cst, isolatedEnv } from './cli.js';

const owner = ['--owner-id', 'cus_1', '--owner-name', 'Acme'];

describe('planted files and names', () => {
  it('a ledger that is a symbolic link is never written through', async () => {
    const env = await isolatedEnv();
    const elsewhere = join(env.HOME!, 'elsewhere');
    await writeFile(elsewhere, 'precious\n');
    await mkdir(env.CST_STATE_DIR!, { recursive: true, mode: 0o700 });
    await symlink(elsewhere, join(env.CST_STATE_DIR!, 'ledger-sandbox.jsonl'));
    const result = await cst(['create', '--sandbox', ...owner, '--field', 'id'], env);
    expect([result.code, result.stdout]).toEqual([17, '1']);
    expect(result.stderr).toBe(
      `error: cannot write the record of session 1 to the ledger ${join(env.CST_STATE_DIR!, 'ledger-sandbox.jsonl')}: it is a symbolic link, which cst does not follow for its own files\n` +
        'hint: remove the symbolic link, or point CST_STATE_DIR elsewhere\n',
    );
    expect(await readFile(elsewhere, 'utf8')).toBe('precious\n');
  });

  it('a journal that is a symbolic link: refused before anything is sent, the hint says why', async () => {
    const env = await isolatedEnv();
    const input = join(env.HOME!, 'rows.csv');
    await writeFile(input, 'owner_id,owner_name\nc1,C1\n');
    const elsewhere = join(env.HOME!, 'elsewhere');
    await writeFile(elsewhere, 'precious\n');
    const journal = join(env.HOME!, 'journal.jsonl');
    await symlink(elsewhere, journal);
    const results = join(env.HOME!, 'results.jsonl');
    const args = ['create', '--sandbox', '--from-file', input, '--journal', journal];
    const result = await cst([...args, '--results', results], env);
    expect(result.code).toBe(17);
    expect(result.stderr.split('\n').slice(1)).toEqual([
      `error: cannot write the journal ${journal}: it is a symbolic link, which cst does not follow for its own files`,
      'hint: remove the symbolic link, or give another path',
      '',
    ]);
    expect(result.stderr).not.toContain('free the disk');
    expect(await readFile(elsewhere, 'utf8')).toBe('precious\n');
    expect((await cst(['list', '--sandbox', '--all', '--field', 'id'], env)).stdout).toBe('');
  });

  it('--results through a symbolic link needs --force', async () => {
    const env = await isolatedEnv();
    const input = join(env.HOME!, 'rows.csv');
    await writeFile(input, 'owner_id,owner_name\nc1,C1\n');
    const target = join(env.HOME!, 'real.jsonl');
    const link = join(env.HOME!, 'link.jsonl');
    await symlink(target, link);
    const args = ['create', '--sandbox', '--from-file', input, '--results', link];
    const refused = await cst(args, env);
    expect([refused.code, refused.stdout]).toEqual([2, '']);
    expect(refused.stderr).toBe(
      `error: --results: ${link} is a symbolic link; refusing to write through it\n` +
        'hint: name the file itself, or pass --force to write where the link points\n',
    );
    const forced = await cst([...args, '--force'], env);
    expect(forced.code).toBe(0);
    expect(JSON.parse(await readFile(target, 'utf8'))).toMatchObject({ owner_id: 'c1' });
  });

  it('an organization or project name cannot escape the key directory', async () => {
    const env = await isolatedEnv();
    for (const [flag, name] of [
      ['--project', '../../../x'],
      ['--org', 'a/b'],
      ['--project', '.hidden'],
    ] as const) {
      const args = ['config', 'add', '--org', 'acme', '--project', 'p', '--storage', 'file'];
      args[args.indexOf(flag) + 1] = name;
      const result = await cst([...args, '--api-key-stdin'], env, 'sk_live_0123456789\n');
      expect([result.code, result.stderr]).toEqual([
        2,
        `error: ${flag}: "${name}" is not a valid name: up to 64 letters, digits, '.', '_' and '-', starting with a letter or digit\n`,
      ]);
    }
  });

  it('warns about a state directory others can write to', async () => {
    const env = await isolatedEnv();
    await mkdir(env.CST_STATE_DIR!, { recursive: true });
    await chmod(env.CST_STATE_DIR!, 0o777);
    const result = await cst(['create', '--sandbox', ...owner, '--field', 'id'], env);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      `warning: ${env.CST_STATE_DIR!} can be written by others (mode 777); run: chmod 700 ${env.CST_STATE_DIR!}\n`,
    );
  });
});
