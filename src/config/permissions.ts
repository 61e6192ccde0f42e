import { stat } from 'node:fs/promises';
import type { Context } from '../context.js';
import { warn } from '../output/messages.js';

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
