// Level B: the lock file, raced by real processes. A lock left by a dead process is taken over
// by exactly one of the processes that find it; no two ever hold it at once.
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleModule } from '../../helpers/bundle.js';
import { acquireLock, LockBusyError, takeLock } from '../../../src/core/util/lock.js';

let lockModule: string;
beforeAll(async () => {
  lockModule = await bundleModule('core/util/lock.ts');
});

/** A pid that belonged to a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

/** Takes the lock, checks it is alone inside, holds it briefly; exit 3 if it was not alone. */
const CONTENDER = `
import { closeSync, openSync, rmSync } from 'node:fs';
const { acquireLock } = await import(process.argv[1]);
const [, , lock, inside] = process.argv;
const clock = { now: Date.now, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };
const release = await acquireLock(lock, clock, 10000);
let fd;
try { fd = openSync(inside, 'wx'); } catch { process.exit(3); }
closeSync(fd);
await new Promise((resolve) => setTimeout(resolve, 10));
rmSync(inside);
release();
`;

function contend(lock: string, inside: string): Promise<number | null> {
  const child = spawn(
    process.execPath,
    ['--input-type=module', '-e', CONTENDER, lockModule, lock, inside],
    { stdio: 'ignore' },
  );
  return new Promise((resolve) => child.on('exit', resolve));
}

describe('lock', () => {
  it('a stale lock found by several processes at once admits one holder at a time', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cst-lock-'));
    const pid = await deadPid();
    for (let trial = 0; trial < 8; trial++) {
      const lock = join(dir, `trial-${trial}.lock`);
      await writeFile(lock, String(pid));
      const codes = await Promise.all(
        Array.from({ length: 4 }, () => contend(lock, join(dir, `inside-${trial}`))),
      );
      expect(codes).toEqual([0, 0, 0, 0]);
    }
  });

  it('a wait for a held lock runs on the clock it is given, and ends busy at its deadline', async () => {
    const lock = join(await mkdtemp(join(tmpdir(), 'cst-lock-')), 'held.lock');
    const release = takeLock(lock);
    let now = 1_000_000;
    const slept: number[] = [];
    const clock = {
      now: () => now,
      sleep: (ms: number) => {
        slept.push(ms);
        now += ms;
        return Promise.resolve();
      },
    };
    const error = await acquireLock(lock, clock, 10_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockBusyError);
    expect((error as LockBusyError).pid).toBe(process.pid);
    // Backing off to 50 ms a try, until the clock, not the wall, passed the 10 s.
    expect(slept.slice(0, 6)).toEqual([2, 4, 8, 16, 32, 50]);
    expect(now - 1_000_000).toBeGreaterThan(10_000);
    expect(() => takeLock(lock)).toThrow(LockBusyError);
    release();
    takeLock(lock)();
  });
});
