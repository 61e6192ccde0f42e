// Level C: a path given to a flag that is missing, a directory or unreadable is exit 2 with one
// line naming the path and the problem, in words; a failed start leaves nothing behind.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cst, isolatedEnv } from './cli.js';

const owner = ['--owner-id', 'cus_1', '--owner-name', 'Acme'];

describe('paths given to flags', () => {
  it.each<[string, (dir: string) => string[], RegExp]>([
    [
      '--from-file that does not exist',
      (dir) => ['--from-file', join(dir, 'nope.csv'), '--results', join(dir, 'out.csv')],
      /^error: --from-file: .*nope\.csv: no such file or directory$/,
    ],
    [
      '--from-file that is a directory',
      (dir) => ['--from-file', dir, '--results', join(dir, 'out.csv')],
      /^error: --from-file: .*: is a directory$/,
    ],
    [
      '--results in a directory that does not exist',
      (dir) => ['--from-file', join(dir, 'rows.csv'), '--results', join(dir, 'no', 'out.csv')],
      /^error: --results: .*out\.csv: no such file or directory$/,
    ],
    [
      '--results that is a directory',
      (dir) => ['--from-file', join(dir, 'rows.csv'), '--results', join(dir, 'sub')],
      /^error: --results: .*sub: is a directory$/,
    ],
    [
      '--journal in a directory that does not exist',
      (dir) => [
        '--from-file',
        join(dir, 'rows.csv'),
        '--results',
        join(dir, 'out.csv'),
        '--journal',
        join(dir, 'no', 'journal'),
      ],
      /^error: --journal: .*journal: no such file or directory$/,
    ],
    [
      '--ca-file that does not exist',
      (dir) => ['--ca-file', join(dir, 'ca.pem'), ...owner],
      /^error: --ca-file: .*ca\.pem: no such file or directory$/,
    ],
    [
      '--ca-file that is a directory',
      (dir) => ['--ca-file', dir, ...owner],
      /^error: --ca-file: .*: is a directory$/,
    ],
  ])('%s: exit 2, one line, nothing left behind', async (_, args, message) => {
    const env = await isolatedEnv();
    const dir = join(env.HOME!, 'work');
    await mkdir(join(dir, 'sub'), { recursive: true });
    await writeFile(join(dir, 'rows.csv'), 'owner_id,owner_name\ncus_1,Acme\n');
    const before = await readdir(dir);
    const result = await cst(['create', '--sandbox', ...args(dir)], env);
    expect(result.code).toBe(2);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(message);
    expect(lines.slice(1).every((line) => line.startsWith('hint: '))).toBe(true);
    expect(await readdir(dir)).toEqual(before);
  });

  it('config add --key-file that does not exist: exit 2 naming it', async () => {
    const env = await isolatedEnv();
    const missing = join(env.HOME!, 'key.txt');
    const result = await cst(
      ['config', 'add', '--org', 'acme', '--project', 'prod', '--key-file', missing],
      env,
    );
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe(
      `error: --key-file: ${missing}: no such file or directory`,
    );
  });

  it('a base URL without a scheme: exit 3 invalid_base_url', async () => {
    const env = await isolatedEnv({ CST_BASE_URL: 'api.stackone.com', CST_API_KEY: 'k' });
    const result = await cst(['create', ...owner, '--json'], env);
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stderr.split('\n')[0]!)).toMatchObject({
      error: { code: 'invalid_base_url', exit: 3 },
    });
  });
});
