// A lock file holding the owner's pid. A lock left by a dead process is taken over, so a crash
// (even kill -9) never leaves the next command hanging.
import { open, readFile, rm, stat } from 'node:fs/promises';

const STALE_MS = 2_000;
const WAIT_MS = 10_000;

export async function withLock<T>(path: string, fn: () => Promise<T>): Promise<T> {
  await acquireLock(path);
  try {
    return await fn();
  } finally {
    await rm(path, { force: true });
  }
}

/** Takes the lock, waiting up to `waitMs` for a live holder; returns how to release it. */
export async function acquireLock(path: string, waitMs = WAIT_MS): Promise<() => Promise<void>> {
  const deadline = Date.now() + waitMs;
  for (let delay = 2; ; delay = Math.min(delay * 2, 50)) {
    try {
      const handle = await open(path, 'wx', 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (await isStale(path)) {
      await rm(path, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new LockBusyError(path, await holder(path));
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

async function isStale(path: string): Promise<boolean> {
  try {
    const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    const pid = Number(text);
    // A lock without a pid is a holder caught between creating and writing it, or a crash there.
    if (!Number.isInteger(pid) || pid <= 0) return Date.now() - info.mtimeMs > STALE_MS;
    process.kill(pid, 0);
    return false;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ESRCH: no such process. ENOENT: released while we looked.
    return code === 'ESRCH';
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

async function holder(path: string): Promise<number | undefined> {
  const pid = Number(await readFile(path, 'utf8').catch(() => ''));
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}
