// Level C: the V8 code cache bin/cst.js keeps. Whatever state the cache is in, a run prints the
// same as a run without one; a cache it cannot trust is rebuilt, one it can is left alone.
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import {
  chmod,
  copyFile,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  stat,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, cst, finish, isolatedEnv } from './cli.js';

const HEADER = 4 + 20;

/** An isolated environment whose cache is its own, under HOME (not the suite's shared one). */
async function ownCache(): Promise<Record<string, string>> {
  const { CST_CACHE_DIR: _, ...env } = await isolatedEnv();
  return env;
}

async function cacheEnv(): Promise<Record<string, string>> {
  const env = await ownCache();
  return { ...env, CST_CACHE_DIR: join(env.HOME!, 'cache') };
}

/** The one cache file under a cache directory, if there is one. */
async function cacheFile(env: Record<string, string>): Promise<string | undefined> {
  const root = join(env.CST_CACHE_DIR!, 'code-cache');
  const builds = await readdir(root).catch(() => []);
  if (builds.length === 0) return undefined;
  expect(builds).toHaveLength(1);
  const files = await readdir(join(root, builds[0]!));
  expect(files).toHaveLength(1);
  return join(root, builds[0]!, files[0]!);
}

/** Rewrites the cache file's data and seals it with a matching digest, as cst would. */
async function reseal(file: string, change: (data: Buffer) => void): Promise<void> {
  const content = await readFile(file);
  const data = Buffer.from(content.subarray(HEADER));
  change(data);
  const digest = createHash('sha1').update(data).digest();
  await writeFile(file, Buffer.concat([content.subarray(0, 4), digest, data]));
}

const help = ['create', '--help'];

describe('the code cache', () => {
  it('is made by the first run, then used as it is, with the same output', async () => {
    const env = await cacheEnv();
    const cold = await cst(help, env);
    const file = await cacheFile(env);
    expect(file).toMatch(/[/]help-[0-9a-f]{8}\.bin$/);
    const made = await stat(file!);
    expect([made.mode & 0o777, (await stat(join(file!, '..'))).mode & 0o777]).toEqual([
      0o600, 0o700,
    ]);
    const warm = await cst(help, env);
    expect(warm).toEqual(cold);
    expect(cold).toMatchObject({ code: 0, stderr: '' });
    // Not rewritten: the same file, untouched.
    expect((await stat(file!)).ino).toBe(made.ino);
    expect((await stat(file!)).mtimeMs).toBe(made.mtimeMs);
  });

  it.each([
    ['a flipped byte', (file: string) => flip(file, 0.6)],
    ['a file cut short', async (file: string) => truncateHalf(file)],
    ['a header flipped', (file: string) => flip(file, 0)],
    // The V8 version hash sits after V8's magic number: a cache from another Node release.
    [
      'a cache from another V8',
      (file: string) =>
        reseal(file, (data) => {
          data[4]! ^= 0xff;
        }),
    ],
    ['a cache others could have written', (file: string) => chmod(file, 0o666)],
  ])('is rebuilt from %s, and the run prints the same', async (_, spoil) => {
    const env = await cacheEnv();
    const expected = await cst(help, env);
    const file = (await cacheFile(env))!;
    await spoil(file);
    const spoilt = await stat(file);
    expect(await cst(help, env)).toEqual(expected);
    const rebuilt = await stat(file);
    expect(rebuilt.ino).not.toBe(spoilt.ino);
    expect(rebuilt.mode & 0o777).toBe(0o600);
    // And the rebuilt one is taken as it is.
    expect(await cst(help, env)).toEqual(expected);
    expect((await stat(file)).ino).toBe(rebuilt.ino);
  });

  it('is rebuilt when it was made under other V8 flags', async () => {
    const env = await cacheEnv();
    const expected = await cst(help, env);
    const file = (await cacheFile(env))!;
    // A cache made by a process started with --no-lazy, put where this process looks.
    const otherEnv = await cacheEnv();
    const child = spawn(process.execPath, ['--no-lazy', BIN, ...help], { env: otherEnv });
    expect((await finish(child)).code).toBe(0);
    await copyFile((await cacheFile(otherEnv))!, file);
    const foreign = await stat(file);
    expect(await cst(help, env)).toEqual(expected);
    expect((await stat(file)).ino).not.toBe(foreign.ino);
  });

  it('never stands in the way: unwritable, read-only or turned off', async () => {
    const env = await ownCache();
    const expected = await cst(help, { ...env, CST_NO_CACHE: '1' });
    expect(expected).toMatchObject({ code: 0, stderr: '' });
    // CST_NO_CACHE=1 writes nothing.
    expect(await readdir(join(env.HOME!, '.cache')).catch(() => [])).toEqual([]);
    // A cache directory that cannot be made: its parent is a file.
    const blocker = join(env.HOME!, 'file');
    await writeFile(blocker, '');
    expect(await cst(help, { ...env, CST_CACHE_DIR: join(blocker, 'cache') })).toEqual(expected);
    // A cache directory cst may not write into (root may write anywhere: then it is only made).
    const readOnly = join(env.HOME!, 'read-only');
    await mkdir(readOnly, { mode: 0o500 });
    expect(await cst(help, { ...env, CST_CACHE_DIR: readOnly })).toEqual(expected);
  });

  it('lives under XDG_CACHE_HOME, or ~/.cache, when CST_CACHE_DIR is not set', async () => {
    const env = await ownCache();
    const xdg = join(env.HOME!, 'xdg');
    expect((await cst(help, { ...env, XDG_CACHE_HOME: xdg })).code).toBe(0);
    expect(await readdir(join(xdg, 'cst', 'code-cache'))).toHaveLength(1);
    expect((await cst(help, env)).code).toBe(0);
    expect(await readdir(join(env.HOME!, '.cache', 'cst', 'code-cache'))).toHaveLength(1);
  });
});

describe('bin/cst.js', () => {
  it('answers --version without the bundle, and says so when the bundle is missing', async () => {
    const root = await mkdtemp(join(tmpdir(), 'cst-unbuilt-'));
    await mkdir(join(root, 'bin'));
    for (const file of ['bin/cst.js', 'bin/package.json', 'package.json'])
      await copyFile(join(BIN, '..', '..', file), join(root, file));
    const run = (args: string[]) =>
      finish(spawn(process.execPath, [join(root, 'bin', 'cst.js'), ...args]));
    const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(await run(['--version'])).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
    expect(await run(help)).toEqual({
      code: 1,
      signal: null,
      stdout: '',
      stderr: "error: cst is not built (dist/ is missing); run 'npm run build'\n",
    });
  });
});

async function flip(file: string, at: number): Promise<void> {
  const content = await readFile(file);
  const position = Math.floor(content.length * at);
  for (let i = position; i < position + 8; i++) content[i]! ^= 0xff;
  await writeFile(file, content);
}

async function truncateHalf(file: string): Promise<void> {
  const content = await readFile(file);
  await writeFile(file, content.subarray(0, content.length >> 1));
}
