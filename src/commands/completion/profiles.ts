// TAB after --connector-profile: the project's profile ids, from StackOne. Kept a few minutes in
// the cache directory (ids only, in a file named by the target's fingerprint, never the key),
// and never holding the shell up: whatever has not come back within a second is not offered.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { listConnectorProfiles } from '../../api/connector-profiles.js';
import { cacheDir } from '../../config/paths.js';
import { type CommandContext, maxPages } from '../../connection/connection.js';
import { ensurePrivateDir, writeFileAtomic } from '../../core/util/private-files.js';
import type { TargetFlags } from '../../options/target.js';

const FRESH_MS = 5 * 60_000;
const BUDGET_MS = 1000;

export async function profileIds(ctx: CommandContext, flags: TargetFlags): Promise<string[]> {
  const stop = new AbortController();
  const deadline = ctx.timer.after(BUDGET_MS, () => stop.abort());
  try {
    return await Promise.race([
      lookup(ctx, flags, stop.signal),
      new Promise<string[]>((resolve) => stop.signal.addEventListener('abort', () => resolve([]))),
    ]);
  } catch {
    // Completion says nothing: a TAB that fails offers nothing.
    return [];
  } finally {
    deadline();
    stop.abort();
  }
}

async function lookup(ctx: CommandContext, flags: TargetFlags, signal: AbortSignal) {
  const connection = await ctx.connect(flags, { timeoutMs: BUDGET_MS, prompt: false });
  try {
    const dir = join(cacheDir(ctx.env), 'completion');
    const file = join(
      dir,
      `profiles-${createHash('sha256').update(connection.id).digest('hex').slice(0, 16)}.json`,
    );
    const cached = await readFile(file, 'utf8')
      .then((text) => JSON.parse(text) as { at: number; ids: string[] })
      .catch(() => undefined);
    const now = ctx.now().getTime();
    if (cached && now - cached.at < FRESH_MS && Array.isArray(cached.ids)) return cached.ids;
    const { profiles } = await listConnectorProfiles(
      connection.client.until(signal),
      {},
      { pageSize: 100, limit: Infinity, maxPages: Math.min(10, maxPages(ctx)) },
    );
    const ids = profiles.map((profile) => profile.id);
    await ensurePrivateDir(dir);
    await writeFileAtomic(file, JSON.stringify({ at: now, ids }), { durable: false });
    return ids;
  } finally {
    await connection.destroy();
  }
}
