// Level C: with --json, stderr is JSON lines too: warnings, notes, summaries and errors, so a
// script that reads stderr line by line never meets plain text.
import { join } from 'node:path';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { cst, isolatedEnv } from './cli.js';

function jsonLines(stderr: string): unknown[] {
  return stderr
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as unknown);
}

describe('stderr in JSON mode', () => {
  it('warnings, notes, a bulk summary and errors are each one JSON line', async () => {
    const env = await isolatedEnv();
    const create = ['create', '--sandbox', '--owner-id', 'cus_1', '--owner-name', 'Acme', '--json'];
    expect((await cst(create, env)).code).toBe(0);
    const again = await cst(create, env);
    expect(again.code).toBe(0);
    expect(jsonLines(again.stderr)).toEqual([
      {
        warning: {
          message: expect.stringMatching(
            /^cus_1 already has an active session 1 \(expires /,
          ) as unknown,
        },
      },
    ]);

    // 52 sessions in the ledger: the default limit of 50 leaves two out, and says so.
    const ledger = join(env.CST_STATE_DIR!, 'ledger-sandbox.jsonl');
    const [first] = (await readFile(ledger, 'utf8')).split('\n');
    const more = Array.from({ length: 50 }, (_, i) =>
      JSON.stringify({ ...(JSON.parse(first!) as object), id: 100 + i }),
    );
    await appendFile(ledger, `${more.join('\n')}\n`);
    const listed = await cst(['list', '--sandbox', '--json'], env);
    expect(jsonLines(listed.stderr)).toEqual([
      { note: { message: 'showing 50 of 52; use --all', shown: 50, total: 52 } },
    ]);

    const rows = join(env.HOME!, 'rows.csv');
    await writeFile(rows, 'owner_id,owner_name\ncus_9,Nine\n');
    const bulk = await cst(
      [
        'create',
        '--sandbox',
        '--from-file',
        rows,
        '--results',
        join(env.HOME!, 'out.csv'),
        '--json',
      ],
      env,
    );
    expect(bulk.code).toBe(0);
    expect(jsonLines(bulk.stderr)).toEqual([
      {
        summary: expect.objectContaining({ issued: 1, failed: 0, in_flight: 0 }) as unknown,
      },
    ]);

    const failed = await cst(['list', '--since', 'soon', '--json'], env);
    expect(failed.code).toBe(2);
    expect(jsonLines(failed.stderr)).toEqual([
      { error: expect.objectContaining({ code: 'usage', exit: 2 }) as unknown },
    ]);
  });
});
