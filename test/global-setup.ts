// One temporary root for the whole run: every test's mkdtemp(tmpdir()) lands in it (TMPDIR is
// set before the workers start), and it is removed when the run ends, passed or failed. It also
// holds one code cache for the suite, as a user's machine has one: spawned cst processes start
// warm after the first. Tests of the cache itself use their own directories.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default async function setup(): Promise<() => Promise<void>> {
  const root = await mkdtemp(join(tmpdir(), 'cst-test-'));
  const cache = join(root, 'code-cache');
  await mkdir(cache);
  process.env.TMPDIR = root;
  process.env.CST_TEST_CACHE_DIR = cache;
  return () => rm(root, { recursive: true, force: true });
}
