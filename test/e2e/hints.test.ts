// Level C: every hint that names a command names it runnable as printed. Each scenario below
// provokes a hint through the binary, then runs the command it names, exactly as printed, in
// the same environment: it must not be a usage error.
import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BIN, cst, finish, isolatedEnv, printedLine, type Result, start } from './cli.js';

/** The one command a hint names, as words: `'cst create --from-session 1 --sandbox' issues…`. */
function hinted(stderr: string): string[] {
  const hint = stderr.split('\n').find((line) => line.startsWith('hint: '));
  const named = hint && /'cst ([^']+)'/.exec(hint)?.[1];
  expect({ stderr, named }).toEqual({ stderr, named: expect.any(String) as unknown });
  return named!.split(' ');
}

/** Runs what the hint names; a usage error (exit 2) means the hint could not be pasted. */
async function runHint(result: Result, env: Record<string, string>, expected = 0) {
  const args = hinted(result.stderr);
  const again = await cst(args, env);
  expect({ args, code: again.code, stderr: again.stderr }).toMatchObject({ args, code: expected });
  return again;
}

/** `create --wait` on the sandbox, with the token it printed for the test to act on. */
async function createWaiting(env: Record<string, string>, owner: string, ...more: string[]) {
  const child = start(
    [
      'create',
      '--sandbox',
      '--owner-id',
      owner,
      '--owner-name',
      owner,
      '--wait',
      '-o',
      'tsv',
    ].concat('--interval', '1s', ...more),
    env,
  );
  const done = finish(child, 30_000);
  const token = (await printedLine(child, 'token\t')).slice('token\t'.length);
  return { token, done };
}

describe('hints name commands runnable as printed', () => {
  it.each(['error', 'cancelled'])(
    'a sandbox link that ended %s: the --from-session hint runs',
    async (outcome) => {
      const env = await isolatedEnv();
      const { token, done } = await createWaiting(env, `cus_${outcome}`);
      const link = await cst(
        ['sandbox', 'link', '--outcome', outcome, '--token-stdin'],
        env,
        token,
      );
      expect(link.code).toBe(0);
      const result = await done;
      expect(result.code).toBe(13);
      expect(hinted(result.stderr)).toEqual(['create', '--from-session', '1', '--sandbox']);
      await runHint(result, env);
    },
  );

  it('a wait that timed out: the cst wait --session hint runs, and finds the account', async () => {
    const env = await isolatedEnv();
    const { token, done } = await createWaiting(env, 'cus_slow', '--wait-timeout', '1s');
    const result = await done;
    expect(result.code).toBe(15);
    expect(hinted(result.stderr)).toEqual(['wait', '--session', '1', '--sandbox']);
    // The customer links later; the hint, run then, sees it.
    const link = await cst(
      ['sandbox', 'link', '--provider', 'bamboohr', '--token-stdin'],
      env,
      token,
    );
    expect([link.code, link.stderr]).toEqual([0, '']);
    await runHint(result, env);
  });

  it('a link that expired: the --from-session hint runs', async () => {
    const env = await isolatedEnv();
    const created = await cst(
      [
        'create',
        '--sandbox',
        '--owner-id',
        'cus_late',
        '--owner-name',
        'Late',
        '--expires-in',
        '1s',
      ],
      env,
    );
    expect(created.code).toBe(0);
    const waited = await cst(['wait', '--session', '1', '--sandbox', '--interval', '1s'], env);
    expect(waited.code).toBe(14);
    expect(hinted(waited.stderr)).toEqual(['create', '--from-session', '1', '--sandbox']);
    await runHint(waited, env);
  });

  it('a session the ledger does not have, and a token stdout could not take: both hints run', async () => {
    const env = await isolatedEnv();
    const missing = await cst(['wait', '--session', '9', '--sandbox'], env);
    expect(missing.code).toBe(2);
    expect(hinted(missing.stderr)).toEqual(['list', '--sandbox']);
    await runHint(missing, env);
    const child = spawn(
      process.execPath,
      [BIN, 'create', '--sandbox', '--owner-id', 'c1', '--owner-name', 'C1'],
      { env, stdio: ['ignore', openSync('/dev/full', 'w'), 'pipe'] },
    );
    const full = await finish(child);
    expect(full.code).toBe(16);
    await runHint(full, env);
  });
});
