// A lock file holding the owner's pid. A lock left by a dead process is taken over, so a crash
// (even kill -9) never leaves the next command hanging; the takeover itself is guarded, so two
// processes that find the same dead lock can never both come away holding it.
import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';

const STALE_MS = 2_000;
const WAIT_MS = 10_000;

/**
 * Where a wait for a lock takes its time: the context's clock in cst, a fake one in tests. A
 * lock's age is the file system's (its mtime), so that one is always the real clock's.
 */
export interface LockClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** A context's clock (its `now` and its timer), as a lock's waits read it. */
export const lockClock = (time: {
  now(): Date;
  timer: { sleep(ms: number): Promise<void> };
}): LockClock => ({
  now: () => time.now().getTime(),
  sleep: (ms) => time.timer.sleep(ms),
});

export async function withLock<T>(
  path: string,
  clock: LockClock,
  fn: () => Promise<T>,
): Promise<T> {
  const release = await acquireLock(path, clock);
  try {
    return await fn();
  } finally {
    release();
  }
}

/** Takes the lock, waiting up to `waitMs` for a live holder; returns how to release it. */
export async function acquireLock(
  path: string,
  clock: LockClock,
  waitMs = WAIT_MS,
): Promise<() => void> {
  const deadline = clock.now() + waitMs;
  for (let delay = 2; ; delay = Math.min(delay * 2, 50)) {
    if (tryTake(path)) return () => rmSync(path, { force: true });
    if (takeOverIfStale(path)) continue;
    if (clock.now() > deadline) throw new LockBusyError(path, holder(path));
    await clock.sleep(delay);
  }
}

/** Takes the lock now or says who holds it: for a run that must not wait for another. */
export function takeLock(path: string): () => void {
  if (tryTake(path) || (takeOverIfStale(path) && tryTake(path)))
    return () => rmSync(path, { force: true });
  throw new LockBusyError(path, holder(path));
}

let sleeper: Int32Array | undefined;

/**
 * The same, for a critical section of a few synchronous calls (a ledger append). Its pauses
 * block the thread (Atomics.wait), so only the deadline is the clock's.
 */
export function acquireLockSync(path: string, clock: LockClock, waitMs = WAIT_MS): () => void {
  const deadline = clock.now() + waitMs;
  for (let delay = 1; ; delay = Math.min(delay * 2, 20)) {
    if (tryTake(path)) return () => rmSync(path, { force: true });
    if (takeOverIfStale(path)) continue;
    if (clock.now() > deadline) throw new LockBusyError(path, holder(path));
    // Made only when there is a wait: each one is external memory that V8 collects late.
    sleeper ??= new Int32Array(new SharedArrayBuffer(4));
    Atomics.wait(sleeper, 0, 0, delay);
  }
}

/** O_EXCL: exactly one creator wins, and a symbolic link at the path is never followed. */
function tryTake(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, String(process.pid));
  } catch (error) {
    // A full disk takes the empty file but not the pid: a lock without a pid looks held for
    // STALE_MS to everyone else, so it goes at once.
    closeSync(fd);
    rmSync(path, { force: true });
    throw error;
  }
  closeSync(fd);
  return true;
}

/**
 * Removes a lock whose holder is dead. Deciding "stale" and removing it must be one step, or a
 * second process could remove the lock the first one has just taken: only the holder of the
 * takeover guard may do it, and it decides again once it holds the guard.
 */
function takeOverIfStale(path: string): boolean {
  const guard = `${path}.takeover`;
  if (!tryTake(guard)) {
    // A taker that died inside this short section leaves its guard: old ones are removed.
    if (holderState(guard) === 'dead') rmSync(guard, { force: true });
    return false;
  }
  try {
    const state = holderState(path);
    // Gone: released meanwhile, and maybe taken again already: not ours to remove.
    if (state === 'live') return false;
    if (state === 'dead') rmSync(path, { force: true });
    return true;
  } finally {
    rmSync(guard, { force: true });
  }
}

function holderState(path: string): 'live' | 'dead' | 'gone' {
  try {
    const text = readFileSync(path, 'utf8');
    const pid = Number(text);
    // A lock without a pid is a holder caught between creating and writing it, or a crash there.
    if (!Number.isInteger(pid) || pid <= 0)
      return Date.now() - statSync(path).mtimeMs > STALE_MS ? 'dead' : 'live';
    process.kill(pid, 0);
    return 'live';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // EPERM: a live process of another user.
    return code === 'ESRCH' ? 'dead' : code === 'ENOENT' ? 'gone' : 'live';
  }
}

export class LockBusyError extends Error {
  constructor(
    readonly path: string,
    readonly pid: number | undefined,
  ) {
    super(`${path} is locked by another cst process${pid === undefined ? '' : ` (pid ${pid})`}`);
  }
}

function holder(path: string): number | undefined {
  let pid = NaN;
  try {
    pid = Number(readFileSync(path, 'utf8'));
  } catch {
    // Released meanwhile.
  }
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}
