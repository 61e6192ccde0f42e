// One src module bundled to plain JavaScript, for child processes that race each other over
// the same files: the races under test happen between processes, not inside one.
import { build } from 'esbuild';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export async function bundleModule(source: string): Promise<string> {
  const outfile = join(await mkdtemp(join(tmpdir(), 'cst-bundle-')), 'module.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL(`../../src/${source}`, import.meta.url))],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    logLevel: 'warning',
  });
  return outfile;
}
