// Every file cst writes is private: 0600 inside a 0700 directory, whatever the umask (mode
// arguments are filtered by the umask, so the modes are set again explicitly).
import { randomBytes } from 'node:crypto';
import {
  constants,
  existsSync,
  fchmodSync,
  fstatSync,
  ftruncateSync,
  openSync,
  writeSync,
} from 'node:fs';
import { chmod, mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export async function ensurePrivateDir(dir: string): Promise<void> {
  const created = await makeDirs(dir);
  if (created === undefined) return;
  for (let current = dir; ; current = dirname(current)) {
    await chmod(current, 0o700);
    if (current === created || current === dirname(current)) return;
  }
}

/**
 * mkdir -p, returning the first directory it created. Node's recursive mkdir reports ENOENT for
 * any failure below an existing parent (a read-only file system, a parent cst may not write),
 * so the first missing directory is made alone, which fails with what is actually wrong.
 */
async function makeDirs(dir: string): Promise<string | undefined> {
  try {
    return await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    let missing = dir;
    while (dirname(missing) !== missing && !existsSync(dirname(missing)))
      missing = dirname(missing);
    await mkdir(missing, { mode: 0o700 });
    // It could be made after all (a parent that appeared meanwhile): the rest follows.
    return (await mkdir(dir, { recursive: true, mode: 0o700 })) ?? missing;
  }
}

/** Temp file + fsync + rename: readers see the old or the new content, never half of one. */
export async function writeFileAtomic(
  path: string,
  data: string,
  options: { durable?: boolean } = {},
): Promise<void> {
  await ensurePrivateDir(dirname(path));
  const temp = join(dirname(path), `.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.chmod(0o600);
    await handle.writeFile(data);
    if (options.durable !== false) await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  await rename(temp, path);
}

/**
 * Opens a file cst owns for appending: created 0600, its mode set again on the descriptor, and
 * never through a symbolic link, which someone else could have planted to point anywhere.
 */
export function openPrivateAppend(path: string): number {
  let fd: number;
  try {
    fd = openSync(
      path,
      constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND | constants.O_NOFOLLOW,
      0o600,
    );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP')
      throw new Error(`it is a symbolic link, which cst does not follow for its own files`, {
        cause: error,
      });
    throw error;
  }
  fchmodSync(fd, 0o600);
  return fd;
}

/**
 * Appends all of `text` to a descriptor opened for appending, or nothing: a short write (a disk
 * filling up) goes on with the rest, and a write that fails cuts the file back to where this
 * one began, so no torn line is left behind and the caller learns the real reason.
 */
export function appendWhole(fd: number, text: string): void {
  let done = 0;
  try {
    // A string write allocates no buffer; only a short one goes on in bytes.
    done = writeSync(fd, text);
    const length = Buffer.byteLength(text);
    if (done < length) {
      const bytes = Buffer.from(text);
      while (done < length) done += writeSync(fd, bytes, done, length - done);
    }
  } catch (error) {
    if (done > 0) {
      try {
        ftruncateSync(fd, fstatSync(fd).size - done);
      } catch {
        // The disk refuses even that: readers skip a torn line.
      }
    }
    throw error;
  }
}
