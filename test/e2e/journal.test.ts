// Level C: the journals of bulk runs, listed and started over, through the binary.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cst, isolatedEnv } from './cli.js';

describe('cst journal', () => {
  it('lists each journal with its input, target and rows by state, and starts one over', async () => {
    const env = await isolatedEnv();
    const input = join(env.HOME!, 'rows.csv');
    await writeFile(input, 'owner_id,owner_name,expires_in\nj1,J 1,\nj2,J 2,soon\nj3,J 3,\n');
    const run = [
      'create',
      '--sandbox',
      '--from-file',
      input,
      '--results',
      join(env.HOME!, 'r.csv'),
    ];
    expect((await cst(run, env)).code).toBe(9);

    const listed = await cst(['journal', 'list', '--json'], env);
    expect(listed.code).toBe(0);
    const [journal, ...others] = JSON.parse(listed.stdout) as {
      id: string;
      input: string;
      target: string;
      rows: number;
      states: Record<string, number>;
    }[];
    expect(others).toEqual([]);
    expect(journal).toMatchObject({
      input,
      target: 'sandbox',
      // A row that fails validation is never sent, so never journaled.
      rows: 2,
      states: { issued: 2, failed: 0, unknown: 0, pending: 0, undelivered: 0 },
    });
    expect((await cst(['journal', 'list'], env)).stdout).toMatch(
      new RegExp(`^${journal!.id}\\t${input}\\tsandbox\\t2\\t0\\t0\\t0\\t0\\t\\S+\\n$`),
    );

    // Without a terminal, starting over needs --yes; then the next run sends every row again.
    expect(await cst(['journal', 'reset', journal!.id], env)).toMatchObject({ code: 2 });
    const reset = await cst(['journal', 'reset', journal!.id, '--yes', '--json'], env);
    expect([reset.code, reset.stderr]).toEqual([0, '']);
    expect(JSON.parse(reset.stdout)).toEqual({
      forgotten: { id: journal!.id, input, target: 'sandbox', path: expect.any(String) as unknown },
    });
    expect((await cst(['journal', 'list', '--json'], env)).stdout).toBe('[]\n');
    const again = await cst([...run, '--json'], env);
    expect(again.stderr).toContain('"issued":2,"failed":1');
    const journalId = (
      JSON.parse((await cst(['journal', 'list', '--json'], env)).stdout) as {
        id: string;
      }[]
    )[0]!.id;

    // The sandbox's journals go with its sessions, and --json says what went.
    const cleared = await cst(['sandbox', 'reset', '--yes', '--json'], env);
    expect([cleared.code, cleared.stderr]).toEqual([0, '']);
    expect(JSON.parse(cleared.stdout)).toEqual({
      cleared: { sessions: 4, accounts: 0, ledger: true, journals: [journalId] },
    });
    expect((await cst(['journal', 'list', '--json'], env)).stdout).toBe('[]\n');
    expect(await cst(['journal', 'reset', '0123456789abcdef', '--yes'], env)).toMatchObject({
      code: 2,
      stderr: "error: no journal 0123456789abcdef\nhint: 'cst journal list' shows their ids\n",
    });
  });
});
