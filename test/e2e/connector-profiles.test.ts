// Level C: cst connector-profiles through the built binary against the sandbox: the listing in
// its formats and filters, a pin and an unpin seen by the next listing, and each refusal as one
// line with its exit code.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cst, isolatedEnv } from './cli.js';

const BAMBOO = 'cp_acme-production_bamboohr';

describe('cst connector-profiles', () => {
  it('lists the project’s profiles, filtered by connector and by enabled, in every format', async () => {
    const env = await isolatedEnv();
    const all = await cst(['connector-profiles', 'list', '--sandbox', '--field', 'id'], env);
    expect([all.code, all.stderr]).toEqual([0, '']);
    expect(all.stdout.trim().split('\n')).toHaveLength(5);
    const enabled = await cst(
      ['connector-profiles', 'list', '--sandbox', '--enabled', '--json'],
      env,
    );
    const rows = JSON.parse(enabled.stdout) as { active: boolean; categories: string[] }[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row.active)).toBe(true);
    const disabled = await cst(
      ['connector-profiles', 'list', '--sandbox', '--disabled', '--field', 'active'],
      env,
    );
    expect(new Set(disabled.stdout.trim().split('\n'))).toEqual(new Set(['false']));
    const csv = await cst(
      ['connector-profiles', 'list', '--sandbox', '--connector', 'bamboohr', '-o', 'csv'],
      env,
    );
    expect(csv.stdout.split('\r\n')[0]).toBe('id,connector,name,categories,enabled,version');
    expect(csv.stdout.split('\r\n')[1]).toBe(
      `${BAMBOO},bamboohr,BambooHR (production),"hris,hris-legacy",true,2.0.0`,
    );
    // Another project's key sees its own profiles only.
    const globex = await cst(
      [
        'connector-profiles',
        'list',
        '--sandbox',
        '--org',
        'globex',
        '--project',
        'staging',
        '--field',
        'id',
      ],
      env,
    );
    expect(globex.stdout).not.toContain('acme');
    // Paged by what the answers' total says: two at a time still lists all five.
    const paged = await cst(
      ['connector-profiles', 'list', '--sandbox', '--page-size', '2', '--all', '--field', 'id'],
      env,
    );
    expect(paged.stdout).toBe(all.stdout);
    const limited = await cst(
      ['connector-profiles', 'list', '--sandbox', '--limit', '2', '--field', 'id'],
      env,
    );
    expect(limited.stdout.trim().split('\n')).toHaveLength(2);
    expect(limited.stderr).toBe('showing 2 of 5; use --all\n');
  });

  it('pins and unpins a version: confirmed with --yes, seen by versions and list; --dry-run sends nothing', async () => {
    const env = await isolatedEnv();
    const dry = await cst(
      [
        'connector-profiles',
        'pin',
        BAMBOO,
        '1.1.0',
        '--owner',
        'stackone',
        '--sandbox',
        '--dry-run',
        '--json',
      ],
      env,
    );
    expect(JSON.parse(dry.stdout)).toEqual({
      dry_run: true,
      method: 'PUT',
      path: `/connector_profiles/${BAMBOO}/pinned_version`,
      body: { pinned_version: '1.1.0', owner: 'stackone' },
    });
    const unasked = await cst(['connector-profiles', 'pin', BAMBOO, '1.1.0', '--sandbox'], env);
    expect([unasked.code, unasked.stderr]).toEqual([
      2,
      `error: pinning ${BAMBOO} needs --yes without a terminal\nhint: add --yes, or --dry-run to see the request\n`,
    ]);
    const versionsBefore = await cst(
      ['connector-profiles', 'versions', BAMBOO, '--sandbox', '--json'],
      env,
    );
    expect((JSON.parse(versionsBefore.stdout) as { pinned: boolean }[]).some((v) => v.pinned)).toBe(
      false,
    );

    const pinned = await cst(
      ['connector-profiles', 'pin', BAMBOO, '1.1.0', '--sandbox', '--yes', '--json'],
      env,
    );
    expect(pinned.code).toBe(0);
    expect(JSON.parse(pinned.stdout)).toMatchObject({
      connector_profile_id: BAMBOO,
      pinned_version: '1.1.0',
    });
    const versions = await cst(
      ['connector-profiles', 'versions', BAMBOO, '--sandbox', '-o', 'tsv'],
      env,
    );
    expect(versions.stdout).toContain('1.1.0\tstackone\ttrue\ttrue\n');
    const listed = await cst(
      [
        'connector-profiles',
        'list',
        '--sandbox',
        '--connector',
        'bamboohr',
        '--field',
        'connector_pinned_version',
      ],
      env,
    );
    expect(listed.stdout).toBe('1.1.0\n');

    const unpinned = await cst(['connector-profiles', 'unpin', BAMBOO, '--sandbox', '--yes'], env);
    expect([unpinned.code, unpinned.stdout, unpinned.stderr]).toEqual([
      0,
      '',
      `unpinned connector profile ${BAMBOO}\n`,
    ]);
    const after = await cst(
      [
        'connector-profiles',
        'list',
        '--sandbox',
        '--connector',
        'bamboohr',
        '--field',
        'connector_pinned_version',
      ],
      env,
    );
    expect(after.stdout).toBe('\n');
  });

  it('a --connector-profile the project does not list: warned once and sent, or with --strict refused unsent', async () => {
    const env = await isolatedEnv();
    const create = (...more: string[]) =>
      cst(
        [
          'create',
          '--sandbox',
          '--owner-id',
          'cus_p',
          '--owner-name',
          'P',
          '--field',
          'id',
          ...more,
        ],
        env,
      );
    const sent = await create('--connector-profile', 'cp_gone');
    expect([sent.code, sent.stdout.trim(), sent.stderr]).toEqual([
      0,
      '1',
      "warning: --connector-profile: cp_gone names no connector profile of acme/production; sending anyway (StackOne's list may lag; --strict refuses)\n",
    ]);
    const refused = await create('--connector-profile', 'cp_gone', '--strict');
    expect([refused.code, refused.stdout, refused.stderr.split('\n')[0]]).toEqual([
      2,
      '',
      'error: --connector-profile: cp_gone names no connector profile of acme/production',
    ]);
    const known = await create('--connector-profile', BAMBOO);
    expect([known.code, known.stdout.trim()]).toEqual([0, '2']);
    expect(known.stderr).not.toContain('connector profile');
    // Nothing reached the sandbox for the refused one.
    const listed = await cst(['list', '--sandbox', '--field', 'id'], env);
    expect(listed.stdout).toBe('2\n1\n');

    const rows = join(env.HOME!, 'rows.csv');
    await writeFile(
      rows,
      'owner_id,owner_name,connector_profile_id\na,A,cp_gone\nb,B,cp_gone\nc,C,cp_other\n',
    );
    const bulk = await cst(
      ['create', '--sandbox', '--from-file', rows, '--results', join(env.HOME!, 'r.csv')],
      env,
    );
    expect(bulk.code).toBe(0);
    const warnings = bulk.stderr.split('\n').filter((line) => line.startsWith('warning:'));
    expect(warnings).toEqual([
      "warning: --connector-profile: cp_gone names no connector profile of acme/production; sending anyway (StackOne's list may lag; --strict refuses)",
      "warning: --connector-profile: cp_other names no connector profile of acme/production; sending anyway (StackOne's list may lag; --strict refuses)",
    ]);
  });

  it.each([
    [
      'both --enabled and --disabled',
      ['list', '--enabled', '--disabled'],
      2,
      'error: give --enabled or --disabled, not both',
    ],
    [
      'a page size the server rejects',
      ['list', '--page-size', '500'],
      12,
      'error: request rejected (HTTP 400 from GET /connector_profiles): page_size must not be greater than 100',
    ],
    [
      'a pin of a profile that does not exist',
      ['pin', 'cp_nope', '1.0.0', '--yes'],
      6,
      'error: not found (HTTP 404 from PUT /connector_profiles/cp_nope/pinned_version): Connector profile cp_nope not found',
    ],
    [
      'a version that does not exist',
      ['pin', BAMBOO, '9.9', '--yes'],
      12,
      `error: request rejected (HTTP 422 from PUT /connector_profiles/${BAMBOO}/pinned_version): version 9.9 does not exist; versions: 1.0.0, 1.1.0, 2.0.0`,
    ],
    [
      'versions of an unknown profile',
      ['versions', 'cp_nope'],
      6,
      'error: not found (HTTP 404 from GET /connector_profiles/cp_nope/versions): Connector profile cp_nope not found',
    ],
  ])('%s: one line and its exit code', async (_, args, code, line) => {
    const result = await cst(['connector-profiles', ...args, '--sandbox'], await isolatedEnv());
    expect([result.code, result.stdout, result.stderr.split('\n')[0]]).toEqual([code, '', line]);
  });
});
