// Level C: bulk runs on a disk that fills up mid-run, through the built binary. The file size
// limit (ulimit -f) makes writes past a size fail with EFBIG, as a full disk fails with ENOSPC,
// including a write torn halfway. Every created session is delivered or named as undelivered,
// no row is reported twice, and a re-run finishes the job without a duplicate.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse, stats } from './bulk-output.js';
import {
  BIN,
  cst,
  finish,
  isolatedEnv,
  type Result,
  serve,
  type Served,
  pointedAt,
} from './cli.js';

const running: Served[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

const ROWS = 40;
const LIMIT_KIB = 64;

async function setup() {
  const base = await isolatedEnv();
  const served = await serve(base);
  running.push(served);
  const env = pointedAt(served, base);
  const input = join(env.HOME!, 'rows.csv');
  const lines = ['owner_id,owner_name'];
  for (let i = 1; i <= ROWS; i++) lines.push(`cus_${i},Customer ${i}`);
  await writeFile(input, `${lines.join('\n')}\n`);
  return { served, env, input };
}

/** cst with writes past LIMIT_KIB failing, in every file it writes. */
function limited(args: string[], env: Record<string, string>): Promise<Result> {
  const child = spawn(
    'bash',
    ['-c', `ulimit -f ${LIMIT_KIB}; exec "$0" "$@"`, process.execPath, BIN, ...args],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return finish(child);
}

/** A file already this close to the limit: the next few rows' writes fail. */
async function nearlyFull(path: string, spareBytes: number, line: (i: number) => string) {
  let text = '';
  for (let i = 0; text.length < LIMIT_KIB * 1024 - spareBytes; i++) text += line(i);
  await writeFile(path, text.slice(0, LIMIT_KIB * 1024 - spareBytes));
}

describe('bulk on a disk that fills up', () => {
  it('a results file that stops taking writes: stops at once, each undelivered row named once', async () => {
    const { served, env, input } = await setup();
    const results = join(env.HOME!, 'results.jsonl');
    // Room for a few rows' lines, then a torn one.
    await nearlyFull(results, 1500, (i) => `${JSON.stringify({ earlier: i })}\n`);
    const before = (await readFile(results, 'utf8')).length;
    const args = ['create', '--from-file', input, '--results', results, '--rate', '0'];
    const first = await limited([...args, '--concurrency', '4'], env);
    expect(first.code).toBe(16);
    expect(first.stderr).not.toMatch(/\n\s+at |EFBIG/);
    const lines = parse(first);
    // Each row reported once.
    expect(new Set(lines.map((l) => l.row)).size).toBe(lines.length);
    const issued = lines.filter((l) => l.status === 'issued');
    const undelivered = lines.filter((l) => l.status === 'undelivered');
    expect(issued.length).toBeGreaterThan(0);
    expect(undelivered.length).toBeGreaterThan(0);
    expect(undelivered.every((l) => typeof l.session_id === 'number')).toBe(true);
    expect(undelivered[0]?.error?.message).toMatch(
      /^session \d+ was created, but its token could not be written to the results file .*: file too large$/,
    );
    // The server created exactly the sessions cst reports, and stopped sending at once.
    expect((await stats(served)).sessions).toBe(issued.length + undelivered.length);
    expect(issued.length + undelivered.length).toBeLessThan(ROWS);
    const summary = first.stderr.trimEnd().split('\n');
    expect(summary[0]).toMatch(
      new RegExp(
        `^issued ${issued.length}, failed 0, skipped 0, unknown 0, undelivered ${undelivered.length} in `,
      ),
    );
    expect(summary[1]).toMatch(
      /^error: stopped: \d+ sessions? (was|were) created but not delivered to the results file .*: file too large: session \d+ for cus_\d+ \(line \d+\)/,
    );
    // Whole lines only, and exactly the issued rows' tokens: nothing torn counts as delivered.
    const written = (await readFile(results, 'utf8')).slice(before);
    const tokens = written
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { session_id: number; token: string });
    expect(tokens.map((t) => t.session_id).sort()).toEqual(issued.map((l) => l.session_id).sort());

    // Room again: undelivered rows are issued anew, issued ones skipped, none twice.
    const second = await cst([...args, '--concurrency', '4'], env);
    expect(second.code).toBe(0);
    const again = parse(second);
    expect(again.filter((l) => l.status === 'skipped').length).toBe(issued.length);
    expect(again.filter((l) => l.status === 'issued').length).toBe(ROWS - issued.length);
    const byOwner = (await stats(served)).by_owner;
    for (const line of undelivered) expect(byOwner[line.owner_id!]).toBe(2);
    for (const line of issued) expect(byOwner[line.owner_id!]).toBe(1);
  });

  it('a journal that stops taking writes: exit 17 with the summary; a re-run duplicates nothing', async () => {
    const { served, env, input } = await setup();
    const journal = join(env.HOME!, 'journal.jsonl');
    await nearlyFull(
      journal,
      600,
      (i) =>
        `${JSON.stringify({ key: `other-${i}`, state: 'issued', line: i, at: '2026-01-01T00:00:00.000Z' })}\n`,
    );
    const results = join(env.HOME!, 'results.csv');
    const args = ['create', '--from-file', input, '--results', results, '--journal', journal];
    const first = await limited([...args, '--rate', '0', '--concurrency', '2'], env);
    expect(first.code).toBe(17);
    const stderr = first.stderr.trimEnd().split('\n');
    expect(stderr[0]).toMatch(/^issued \d+, failed 0, skipped 0, unknown 0 /);
    expect(stderr[1]).toBe(`error: cannot write the journal ${journal}: file too large`);
    expect(stderr[2]).toMatch(
      /^hint: free the disk; the journal knows every row it recorded\. \d+ rows? (was|were) not sent; resume with: cst create --from-file /,
    );
    const issued = parse(first).filter((l) => l.status === 'issued');
    expect((await stats(served)).sessions).toBeGreaterThanOrEqual(issued.length);

    // Rows whose 'issued' record did not make it are unknown, never silently sent twice.
    const second = await cst([...args, '--rate', '0'], env);
    const again = parse(second);
    const unknown = again.filter((l) => l.status === 'unknown').length;
    expect(second.code).toBe(unknown > 0 ? 9 : 0);
    expect(again.filter((l) => l.status !== 'failed')).toHaveLength(ROWS);
    const byOwner = (await stats(served)).by_owner;
    expect(Object.keys(byOwner)).toHaveLength(ROWS);
    expect(Object.values(byOwner).every((n) => n === 1)).toBe(true);
  });
});

/**
 * A real full disk: a 64 KiB tmpfs, in a mount namespace of its own (root, or an unprivileged
 * user namespace, can make one; a machine that allows neither skips these tests, saying so).
 */
const TMPFS = (() => {
  const probe = spawnSync('unshare', ['-rm', 'sh', '-c', 'mount -t tmpfs -o size=64k tmpfs /mnt'], {
    stdio: 'ignore',
  });
  return probe.status === 0;
})();

/**
 * cst with its state directory on a tmpfs filled to `spareKiB`; after it exits, what is left in
 * that directory (its listing, the ledger) is copied to `report`, since the tmpfs goes with it.
 */
function onFullStateDir(
  args: string[],
  env: Record<string, string>,
  spareKiB: number,
  report: string,
) {
  const script = [
    'set -e',
    'mount -t tmpfs -o size=64k tmpfs "$CST_STATE_DIR"',
    `head -c ${(64 - spareKiB) * 1024} /dev/zero > "$CST_STATE_DIR/filler"`,
    'set +e',
    '"$@"; code=$?',
    `ls -A "$CST_STATE_DIR" > "${report}.ls"`,
    `(cat "$CST_STATE_DIR/ledger.jsonl" 2>/dev/null || true) > "${report}.ledger"`,
    'exit $code',
  ].join('\n');
  const child = spawn(
    'unshare',
    ['-rm', 'bash', '-c', script, 'bash', process.execPath, BIN, ...args],
    {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return finish(child, 60_000);
}

describe.skipIf(!TMPFS)('bulk with its state directory on a full tmpfs', () => {
  it.each([
    ['full from the start: the lock takes no pid', 0],
    ['filling mid-run: a record torn halfway', 8],
  ])(
    '%s: stops at the first ledger append that fails, exit 17, no lock or torn line left',
    async (_, spareKiB) => {
      const { served, env, input } = await setup();
      const stateDir = await mkdtemp(join(tmpdir(), 'cst-full-'));
      const report = join(env.HOME!, 'report');
      const results = join(env.HOME!, 'results.jsonl');
      const journal = join(env.HOME!, 'journal.jsonl');
      const args = ['create', '--from-file', input, '--results', results, '--journal', journal];
      const first = await onFullStateDir(
        [...args, '--rate', '0', '--concurrency', '1'],
        { ...env, CST_STATE_DIR: stateDir },
        spareKiB,
        report,
      );
      expect(first.code).toBe(17);
      const stderr = first.stderr.trimEnd().split('\n');
      expect(stderr).toHaveLength(3);
      expect(stderr[0]).toMatch(/^issued \d+, failed 0, skipped 0, unknown 0 in /);
      expect(stderr[1]).toBe(
        `error: cannot write every issued row to the ledger ${join(stateDir, 'ledger.jsonl')}: no space left on device`,
      );
      expect(stderr[2]).toMatch(
        /^hint: free the disk; every issued token was delivered and the journal knows every row, only the ledger \(cst list\) misses some\. \d+ rows were not sent; resume with: /,
      );
      // Whole records only: a record the disk cut short is cut off again.
      const ledger = await readFile(`${report}.ledger`, 'utf8');
      expect(ledger.endsWith('\n') || ledger === '').toBe(true);
      // The run stopped at the first failed append: the row in hand was issued, no other was sent.
      const issued = (await readFile(results, 'utf8')).trim().split('\n');
      const ledgerLines = ledger.split('\n').filter(Boolean).length;
      expect(issued.length).toBe(ledgerLines + 1);
      expect(issued.length).toBeLessThan(ROWS);
      expect((await stats(served)).sessions).toBe(issued.length);
      // No lock whose pid could not be written, no takeover guard: the next command waits for none.
      const left = (await readFile(`${report}.ls`, 'utf8')).split('\n').filter(Boolean);
      expect(left.filter((name) => name !== 'filler' && name !== 'ledger.jsonl')).toEqual([]);
    },
  );
});

describe.skipIf(!TMPFS)('a read-only state directory (a real read-only tmpfs)', () => {
  it.each([
    ['the directory itself', ''],
    ['a directory to be made inside it', '/sub'],
  ])(
    '%s: exit 17 naming the read-only file system, never "free the disk" or "no such file"',
    async (_, below) => {
      const env = await isolatedEnv();
      const stateDir = await mkdtemp(join(tmpdir(), 'cst-ro-'));
      const script = `mount -t tmpfs -o ro,size=64k tmpfs "${stateDir}" && exec "$@"`;
      const run = (args: string[]) =>
        finish(
          spawn('unshare', ['-rm', 'bash', '-c', script, 'bash', process.execPath, BIN, ...args], {
            env: { ...env, CST_STATE_DIR: `${stateDir}${below}` },
            stdio: ['ignore', 'pipe', 'pipe'],
          }),
        );
      const sandboxState = join(`${stateDir}${below}`, 'sandbox.json');
      const single = await run(['create', '--sandbox', '--owner-id', 'c1', '--owner-name', 'C1']);
      expect([single.code, single.stdout, single.stderr]).toEqual([
        17,
        '',
        `error: cannot write the sandbox state ${sandboxState}: read-only file system\n` +
          'hint: the file system is read-only: point CST_STATE_DIR elsewhere\n',
      ]);
      const input = join(env.HOME!, 'rows.csv');
      await writeFile(input, 'owner_id,owner_name\nc1,C1\nc2,C2\n');
      const results = join(env.HOME!, 'results.jsonl');
      const bulk = await run(['create', '--sandbox', '--from-file', input, '--results', results]);
      expect(bulk.code).toBe(17);
      const lines = bulk.stderr.trimEnd().split('\n');
      expect(lines[1]).toBe(
        `error: stopped: cannot write the sandbox state ${sandboxState}: read-only file system`,
      );
      expect(lines[2]).toMatch(
        /^hint: the file system is read-only: point CST_STATE_DIR elsewhere\. /,
      );
      expect(bulk.stderr).not.toMatch(/free the disk|no such file/);
    },
  );
});
