// Level B: the lock file, raced by real processes. A lock left by a dead process is taken over
// by exactly one of the processes that find it; no two ever hold it at once.
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleModule } from '../helpers/bundle.js';

let lockModule: string;
beforeAll(async () => {
  lockModule = await bundleModule('util/lock.ts');
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
const release = await acquireLock(lock, 10000);
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
});
