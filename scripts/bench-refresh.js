// `cst list --refresh` over 1,000 pending sessions against a sandbox at its default rate limit
// (StackOne's 1000 requests a minute per key): the achieved read rate as a share of the limit
// (goal ≥ 90%), never over it (no 429 answered), and the wall time. The sessions are issued by
// a sandbox without a limit on the same port and state, so that the creates do not count
// against the minute the refresh is measured in.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SESSIONS = 1000;
const LIMIT_PER_MINUTE = 1000;

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** `cst sandbox serve` on `port`; resolves once it listens, with its key and its request log. */
async function serve(bin, env, port, args) {
  const child = spawn(
    process.execPath,
    [bin, 'sandbox', 'serve', '--port', String(port), '--json', ...args],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => (log += chunk));
  const first = await new Promise((resolve, reject) => {
    let text = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      text += chunk;
      if (text.includes('\n')) resolve(text.slice(0, text.indexOf('\n')));
    });
    child.on('exit', () => reject(new Error(`sandbox exited: ${log}`)));
  });
  const served = JSON.parse(first);
  return {
    baseUrl: served.base_url,
    key: served.projects[0].api_key,
    log: () => log,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}

export async function benchRefresh(bin) {
  const root = mkdtempSync(join(tmpdir(), 'cst-bench-refresh-'));
  process.on('exit', () => rmSync(root, { recursive: true, force: true }));
  const env = {
    PATH: process.env.PATH,
    HOME: root,
    CST_CONFIG_DIR: join(root, 'config'),
    CST_STATE_DIR: join(root, 'state'),
  };
  const port = await freePort();
  const unlimited = await serve(bin, env, port, ['--quiet', '--rate-limit', '0']);
  const requestEnv = { ...env, CST_BASE_URL: unlimited.baseUrl, CST_API_KEY: unlimited.key };
  const csv = join(root, 'rows.csv');
  const lines = ['owner_id,owner_name'];
  for (let i = 0; i < SESSIONS; i++) lines.push(`refresh_${i},Customer ${i}`);
  writeFileSync(csv, `${lines.join('\n')}\n`);
  const issued = spawnSync(
    process.execPath,
    [
      bin,
      'create',
      '--from-file',
      csv,
      '--concurrency',
      '16',
      '--rate',
      '0',
      '--results',
      join(root, 'r.csv'),
    ],
    { env: requestEnv, encoding: 'utf8' },
  );
  await unlimited.stop();
  if (issued.status !== 0) throw new Error(`issuing the sessions failed: ${issued.stderr}`);

  const limited = await serve(bin, env, port, []);
  const start = process.hrtime.bigint();
  const refreshed = spawnSync(
    process.execPath,
    [bin, 'list', '--refresh', '--all', '--field', 'state'],
    { env: requestEnv, encoding: 'utf8', maxBuffer: 1 << 26 },
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await limited.stop();
  const requests = limited
    .log()
    .split('\n')
    .filter((line) => line.includes('/connect_sessions/'))
    .map((line) => JSON.parse(line));
  const refused = requests.filter((r) => r.status === 429).length;
  const pending = refreshed.stdout.split('\n').filter((state) => state === 'pending').length;
  const perMinute = (requests.length / seconds) * 60;
  const share = perMinute / LIMIT_PER_MINUTE;
  const ok = refreshed.status === 0 && pending === SESSIONS && share >= 0.9 && refused === 0;
  console.log(
    `cst list --refresh, ${SESSIONS} pending sessions, sandbox at its default ${LIMIT_PER_MINUTE}/min: ${requests.length} reads in ${seconds.toFixed(1)} s = ${perMinute.toFixed(0)}/min, ${(share * 100).toFixed(1)}% of the limit (goal ≥ 90%), ${refused} answered 429 (goal 0), exit ${refreshed.status}, ${pending} listed pending: ${ok ? 'ok' : 'OVER'}`,
  );
  return ok;
}
