import { statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Context } from '../core/context.js';
import { warn } from '../core/output/messages.js';

/** A config or key file that group or others can read is worth a warning with the fix. */
export async function warnIfShared(ctx: Context, path: string): Promise<void> {
  try {
    const { mode } = await stat(path);
    if ((mode & 0o077) !== 0)
      warn(
        ctx,
        `${path} can be read by others (mode ${(mode & 0o777).toString(8)}); run: chmod 600 ${path}`,
      );
  } catch {
    // Missing files are reported by whoever needs them.
  }
}

/**
 * A config or state directory that another user owns, or that others may write to, lets them
 * swap cst's files (a planted key file, a ledger link): worth a warning with the fix.
 */
export function warnIfUnsafeDir(ctx: Context, dir: string): void {
  try {
    // Synchronous: one stat, on every API command's path, costs less than a thread-pool trip.
    const { uid, mode } = statSync(dir);
    const me = process.getuid?.();
    if (me !== undefined && uid !== me)
      warn(ctx, `${dir} belongs to another user (uid ${uid}); cst's files there are not safe`);
    else if ((mode & 0o022) !== 0 && (mode & 0o1000) === 0)
      warn(
        ctx,
        `${dir} can be written by others (mode ${(mode & 0o777).toString(8)}); run: chmod 700 ${dir}`,
      );
  } catch {
    // Not there yet: cst creates it 0700.
  }
}
