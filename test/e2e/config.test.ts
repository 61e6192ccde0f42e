// Level C: cst config through the binary, with no OS keyring reachable (as on CI machines).
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyFileName } from '../../src/commands/config/run.js';
import { cst, isolatedEnv } from './cli.js';

const KEY = 'sk_live_0123456789abcdef';

/** Adds a project whose key is read from stdin now and kept in a file. */
const addKeyFile = (
  env: Record<string, string>,
  org: string,
  project: string,
  key: string,
  ...more: string[]
) =>
  cst(
    [
      'config',
      'add',
      '--org',
      org,
      '--project',
      project,
      '--api-key-stdin',
      '--storage',
      'file',
      ...more,
    ],
    env,
    key,
  );
const addWithFile = (
  env: Record<string, string>,
  org: string,
  project: string,
  ...more: string[]
) => addKeyFile(env, org, project, KEY, ...more);

describe('cst config', () => {
  it('falls back to a 0600 key file with one plain warning when no keyring answers, and uses it', async () => {
    const env = await isolatedEnv();
    const added = await cst(
      [
        'config',
        'add',
        '--org',
        'acme',
        '--project',
        'prod',
        '--api-key-stdin',
        '--project-id',
        'acme-production',
      ],
      env,
      `${KEY}\n`,
    );
    expect(added.code).toBe(0);
    const lines = added.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    // One plain line: the keyring library's own text (a D-Bus error) is for --debug.
    expect(lines[0]).toBe('warning: no OS keyring is reachable; keys are stored in 0600 files');
    expect(lines[1]).toBe(`saved acme/prod in ${join(env.CST_CONFIG_DIR!, 'config.json')}`);
    const keyFile = join(env.CST_CONFIG_DIR!, 'keys', keyFileName('acme/prod'));
    expect(await readFile(keyFile, 'utf8')).toBe(`${KEY}\n`);
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    expect((await stat(join(env.CST_CONFIG_DIR!, 'config.json'))).mode & 0o777).toBe(0o600);
    expect(await readFile(join(env.CST_CONFIG_DIR!, 'config.json'), 'utf8')).not.toContain(KEY);
  });

  it('--storage file skips the keyring; --storage keyring fails without one', async () => {
    const env = await isolatedEnv();
    const file = await addWithFile(env, 'a', 'p');
    expect([file.code, file.stderr]).toEqual([
      0,
      `saved a/p in ${join(env.CST_CONFIG_DIR!, 'config.json')}\n`,
    ]);
    const keyring = await cst(
      ['config', 'add', '--org', 'a', '--project', 'q', '--api-key-stdin', '--storage', 'keyring'],
      env,
      KEY,
    );
    expect(keyring.code).toBe(2);
    expect(keyring.stderr).toBe(
      "error: --storage keyring: no OS keyring is reachable\nhint: 'cst doctor --verbose' says why; --storage file keeps the key in a 0600 file\n",
    );
    const debug = await cst(
      ['config', 'add', '--org', 'a', '--project', 'r', '--api-key-stdin', '--debug'],
      env,
      KEY,
    );
    expect(debug.code).toBe(0);
    const raw = debug.stderr.split('\n').filter((line) => line.startsWith('debug: keyring: '));
    expect(raw).toHaveLength(1);
    expect(raw[0]!.length).toBeGreaterThan('debug: keyring: '.length);
    expect(debug.stderr).not.toContain(KEY);
  });

  it('lists projects with keys masked, first 6 and last 4', async () => {
    const env: Record<string, string> = {
      ...(await isolatedEnv()),
      ACME_CI_KEY: 'ci_key_abcdefghij_wxyz',
    };
    await addWithFile(env, 'acme', 'prod', '--default');
    await cst(
      [
        'config',
        'add',
        '--org',
        'acme',
        '--project',
        'ci',
        '--key-env',
        'ACME_CI_KEY',
        '--base-url',
        'https://api.eu1.stackone.com',
      ],
      env,
    );
    const listed = await cst(['config', 'list'], env);
    expect(listed.stdout).toBe(
      `acme\tprod\ttrue\thttps://api.stackone.com\tsk_liv…cdef\tfile:${join(env.CST_CONFIG_DIR!, 'keys', keyFileName('acme/prod'))}\n` +
        'acme\tci\tfalse\thttps://api.eu1.stackone.com\tci_key…wxyz\tenv:ACME_CI_KEY\n',
    );
    expect(listed.stdout + listed.stderr).not.toContain(KEY);
  });

  it('use, remove and path', async () => {
    const env = await isolatedEnv();
    await addWithFile(env, 'acme', 'prod');
    await cst(['config', 'add', '--org', 'acme', '--project', 'dev', '--key-env', 'X'], env);
    expect((await cst(['config', 'use', 'acme'], env)).stderr).toBe(
      'error: missing required flag: project\nhint: acme has prod, dev\n',
    );
    expect((await cst(['config', 'use', 'acme', 'dev'], env)).code).toBe(0);
    expect(
      JSON.parse(await readFile(join(env.CST_CONFIG_DIR!, 'config.json'), 'utf8')),
    ).toMatchObject({ default: { org: 'acme', project: 'dev' } });
    expect(await cst(['config', 'remove', 'acme', 'prod'], env)).toMatchObject({
      code: 2,
      stderr: 'error: removing acme/prod needs --yes without a terminal\nhint: add --yes\n',
    });
    expect((await cst(['config', 'remove', 'acme', 'prod', '--yes'], env)).code).toBe(0);
    await expect(
      stat(join(env.CST_CONFIG_DIR!, 'keys', keyFileName('acme/prod'))),
    ).rejects.toThrow();
    expect((await cst(['config', 'path'], env)).stdout).toBe(
      `${join(env.CST_CONFIG_DIR!, 'config.json')}\n`,
    );
  });

  it('replaces an existing project only with --force, and removes the key it replaced', async () => {
    const env = await isolatedEnv();
    expect((await addWithFile(env, 'acme', 'prod')).code).toBe(0);
    const keyFile = join(env.CST_CONFIG_DIR!, 'keys', keyFileName('acme/prod'));
    const again = ['config', 'add', '--org', 'acme', '--project', 'prod', '--key-env', 'ACME_KEY'];
    expect(await cst(again, env)).toMatchObject({
      code: 2,
      stderr:
        `error: acme/prod is already configured in ${join(env.CST_CONFIG_DIR!, 'config.json')}\n` +
        'hint: add --force to replace it (the key cst stored for it goes too)\n',
    });
    expect(await readFile(keyFile, 'utf8')).toBe(`${KEY}\n`);
    // Replaced by a file in the same place: the new key is kept.
    expect((await addWithFile(env, 'acme', 'prod', '--force')).code).toBe(0);
    expect(await readFile(keyFile, 'utf8')).toBe(`${KEY}\n`);
    // Replaced by an environment variable: the stored key goes.
    expect((await cst([...again, '--force'], env)).code).toBe(0);
    await expect(stat(keyFile)).rejects.toThrow();
    expect(
      JSON.parse(await readFile(join(env.CST_CONFIG_DIR!, 'config.json'), 'utf8')),
    ).toMatchObject({ organizations: { acme: { projects: { prod: { key_env: 'ACME_KEY' } } } } });
  });

  it('without a terminal, names every missing flag', async () => {
    const result = await cst(['config', 'add'], await isolatedEnv());
    expect([result.code, result.stderr]).toEqual([
      2,
      'error: missing required flags: --org, --project, --api-key-stdin, --key-env or --key-file\n',
    ]);
  });

  it('warns when the config or a key file can be read by others, with the chmod to run', async () => {
    const env = await isolatedEnv();
    await addWithFile(env, 'acme', 'prod');
    const config = join(env.CST_CONFIG_DIR!, 'config.json');
    const keyFile = join(env.CST_CONFIG_DIR!, 'keys', keyFileName('acme/prod'));
    await chmod(config, 0o644);
    await chmod(keyFile, 0o640);
    const result = await cst(['create', '--owner-id', 'c', '--owner-name', 'C', '--dry-run'], env);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      `warning: ${config} can be read by others (mode 644); run: chmod 600 ${config}\n` +
        `warning: ${keyFile} can be read by others (mode 640); run: chmod 600 ${keyFile}\n`,
    );
  });

  it('a key kept in an unreachable keyring is a credentials error, exit 3', async () => {
    const env = await isolatedEnv();
    const { mkdir } = await import('node:fs/promises');
    await mkdir(env.CST_CONFIG_DIR!, { recursive: true });
    await writeFile(
      join(env.CST_CONFIG_DIR!, 'config.json'),
      JSON.stringify({ organizations: { acme: { projects: { prod: { key_store: 'keyring' } } } } }),
      { mode: 0o600 },
    );
    const result = await cst(['create', '--owner-id', 'c', '--owner-name', 'C'], env);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(
      /^error: the key of project acme\/prod is in the OS keyring, which is not reachable\nhint: add the project again with --storage file, or export CST_API_KEY \('cst doctor --verbose' says why\)\n$/,
    );
  });

  it('gives every pair its own key file: a__b/c and a/b__c no longer share one', async () => {
    const env = await isolatedEnv();
    const keys = join(env.CST_CONFIG_DIR!, 'keys');
    for (const [org, project, key] of [
      ['a__b', 'c', 'sk_first_0123456789'],
      ['a', 'b__c', 'sk_second_0123456789'],
      ['A', 'b__c', 'sk_third_0123456789'],
    ] as const) {
      expect((await addKeyFile(env, org, project, key)).code).toBe(0);
    }
    const [first, second, third] = ['a__b/c', 'a/b__c', 'A/b__c'].map((name) =>
      join(keys, keyFileName(name)),
    ) as [string, string, string];
    expect(new Set([first, second, third].map((file) => file.toLowerCase())).size).toBe(3);
    expect(await readFile(first, 'utf8')).toBe('sk_first_0123456789\n');
    expect((await cst(['config', 'remove', 'a', 'b__c', '--yes'], env)).code).toBe(0);
    await expect(stat(second)).rejects.toThrow();
    expect(await readFile(first, 'utf8')).toBe('sk_first_0123456789\n');
    expect(await readFile(third, 'utf8')).toBe('sk_third_0123456789\n');
  });

  it('a config of the old file names keeps working, and a shared old file stays while named', async () => {
    const env = await isolatedEnv();
    const shared = join(env.CST_CONFIG_DIR!, 'keys', 'a__b__c.key');
    expect((await addWithFile(env, 'a', 'p')).code).toBe(0);
    const path = join(env.CST_CONFIG_DIR!, 'config.json');
    const config = JSON.parse(await readFile(path, 'utf8')) as {
      organizations: Record<string, { projects: Record<string, unknown> }>;
    };
    config.organizations = {
      a__b: { projects: { c: { key_file: shared } } },
      a: { projects: { b__c: { key_file: shared } } },
    };
    await writeFile(path, JSON.stringify(config), { mode: 0o600 });
    await writeFile(shared, `${KEY}\n`, { mode: 0o600 });
    const used = await cst(
      [
        'create',
        '--org',
        'a',
        '--project',
        'b__c',
        '--owner-id',
        'c',
        '--owner-name',
        'C',
        '--dry-run',
      ],
      env,
    );
    expect([used.code, used.stderr]).toEqual([0, '']);
    expect(await cst(['config', 'remove', 'a', 'b__c', '--yes'], env)).toMatchObject({
      code: 0,
      stderr: `the key file ${shared} stays: a__b/c uses it too\nremoved a/b__c\n`,
    });
    expect(await readFile(shared, 'utf8')).toBe(`${KEY}\n`);
    expect((await cst(['config', 'remove', 'a__b', '--yes'], env)).code).toBe(0);
    await expect(stat(shared)).rejects.toThrow();
  });

  it('refuses a plain-http base URL off loopback at add time, with the hint every call would give', async () => {
    const env = await isolatedEnv();
    const add = (url: string) =>
      cst(
        ['config', 'add', '--org', 'a', '--project', 'p', '--key-env', 'K', '--base-url', url],
        env,
      );
    expect(await add('http://example.com')).toMatchObject({
      code: 2,
      stderr:
        'error: --base-url: refusing to send the API key over plain http to example.com\n' +
        'hint: use an https:// base URL (plain http is allowed only for loopback addresses)\n',
    });
    await expect(stat(join(env.CST_CONFIG_DIR!, 'config.json'))).rejects.toThrow();
    expect((await add('http://127.0.0.1:4010')).code).toBe(0);
  });

  it('config use and remove take org/project, as cst prints it, as well as org project', async () => {
    const env = await isolatedEnv();
    await addWithFile(env, 'acme', 'prod');
    await cst(['config', 'add', '--org', 'acme', '--project', 'dev', '--key-env', 'X'], env);
    expect((await cst(['config', 'use', 'acme/dev'], env)).code).toBe(0);
    expect(
      JSON.parse(await readFile(join(env.CST_CONFIG_DIR!, 'config.json'), 'utf8')),
    ).toMatchObject({ default: { org: 'acme', project: 'dev' } });
    expect(await cst(['config', 'use', 'acme/dev', 'prod'], env)).toMatchObject({
      code: 2,
      stderr: 'error: "acme/dev prod" is not org/project or org project\n',
    });
    expect((await cst(['config', 'remove', 'acme/prod', '--yes'], env)).stderr).toBe(
      'removed acme/prod\n',
    );
    expect((await cst(['config', 'list', '--field', 'project'], env)).stdout).toBe('dev\n');
  });

  it('add, use and remove print what they changed as one JSON object under --json', async () => {
    const env = await isolatedEnv();
    const path = join(env.CST_CONFIG_DIR!, 'config.json');
    const added = await cst(
      ['config', 'add', '--org', 'acme', '--project', 'prod', '--key-env', 'K', '--json'],
      env,
    );
    expect([added.code, added.stderr]).toEqual([0, '']);
    expect(JSON.parse(added.stdout)).toEqual({
      saved: { organization: 'acme', project: 'prod', key_source: 'env:K' },
      replaced: false,
      default: false,
      config: path,
    });
    await cst(['config', 'add', '--org', 'acme', '--project', 'dev', '--key-env', 'K'], env);
    const used = await cst(['config', 'use', 'acme/dev', '--json'], env);
    expect(JSON.parse(used.stdout)).toEqual({
      default: { organization: 'acme', project: 'dev' },
      previous: null,
    });
    const again = await cst(['config', 'use', 'acme', 'prod', '--json'], env);
    expect(JSON.parse(again.stdout)).toEqual({
      default: { organization: 'acme', project: 'prod' },
      previous: { organization: 'acme', project: 'dev' },
    });
    const removed = await cst(['config', 'remove', 'acme', '--yes', '--json'], env);
    expect([removed.code, removed.stderr]).toEqual([0, '']);
    expect(JSON.parse(removed.stdout)).toEqual({
      removed: [
        { organization: 'acme', project: 'prod' },
        { organization: 'acme', project: 'dev' },
      ],
      default_cleared: true,
    });
  });
});
