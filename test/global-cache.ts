// One code cache for the whole suite, as a user's machine has one: spawned cst processes start
// warm after the first, and the directory goes when the run ends. Tests of the cache itself use
// their own directories.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default async function setup(): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), 'cst-test-cache-'));
  process.env.CST_TEST_CACHE_DIR = dir;
  return () => rm(dir, { recursive: true, force: true });
}
