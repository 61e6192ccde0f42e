// npm run bench: start-up and request cost of the built CLI, as medians and as ratios to
// `node -e 0` measured in the same run (absolute times mean nothing across machines).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { startSandbox } from './bench-sandbox.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 21);
const bin = fileURLToPath(new URL('../bin/cst.js', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'cst-bench-'));
const env = {
  PATH: process.env.PATH,
  HOME: root,
  CST_CONFIG_DIR: join(root, 'config'),
  CST_STATE_DIR: join(root, 'state'),
};

const sandbox = await startSandbox(bin, env);
const key = sandbox.projects[0].api_key;
const floor = await bundleFloor();
const requestEnv = { ...env, CST_BASE_URL: sandbox.base_url, CST_API_KEY: key };

// A session the customer has linked already: cst wait answers after one poll.
const linkedToken = issue('wait-linked');
// `--` ends the options: a token may start with '-'.
run([bin, 'sandbox', 'link', '--provider', 'bamboohr', '--', linkedToken], requestEnv);

// 100k ledger records, as a year of busy provisioning would leave.
const listState = join(root, 'list-state');
writeLedger(join(listState, 'ledger.jsonl'), 100_000);
const listEnv = { ...env, CST_STATE_DIR: listState };

const cases = [
  { name: 'node -e 0', args: ['-e', '0'], env },
  { name: 'cst --version', args: [bin, '--version'], env, target: 1.3 },
  { name: 'cst create --help', args: [bin, 'create', '--help'], env, target: 1.3 },
  { name: 'one bundled undici request (floor)', args: [floor, sandbox.base_url, key], env },
  {
    name: 'cst create --json (running sandbox)',
    args: [bin, 'create', '--owner-id', 'b1', '--owner-name', 'Bench', '--json'],
    env: requestEnv,
    target: 2.5,
  },
  {
    name: 'cst wait (linked session: one poll)',
    args: [bin, 'wait', '--json', '--', linkedToken],
    env: requestEnv,
  },
  {
    name: 'cst list (100k-record ledger)',
    args: [bin, 'list'],
    env: listEnv,
    target: 3,
    rssLimitMb: 100,
  },
  {
    name: 'cst list --owner-id (100k-record ledger)',
    args: [bin, 'list', '--owner-id', 'cus_4242'],
    env: listEnv,
    target: 3,
    rssLimitMb: 100,
  },
];

const samples = cases.map(() => []);
for (let run = 0; run < RUNS; run++) {
  // Interleaved, so drift in machine load touches every case alike.
  cases.forEach((c, i) => samples[i].push(time(c)));
}
const pollRate = waitRate();
sandbox.stop();

const baseline = median(samples[0]);
let failed = false;
console.log(`runs per case: ${RUNS}; baseline node -e 0: ${baseline.toFixed(1)} ms (median)`);
cases.forEach((c, i) => {
  const ms = median(samples[i]);
  const ratio = ms / baseline;
  const verdict =
    c.target === undefined
      ? ''
      : ratio <= c.target
        ? `  ok (target ≤ ${c.target}×)`
        : `  OVER target ${c.target}×`;
  if (c.target !== undefined && ratio > c.target) failed = true;
  let memory = '';
  if (c.rssLimitMb !== undefined) {
    const mb = peakRssMb(c);
    if (mb > c.rssLimitMb) failed = true;
    memory = `  peak RSS ${mb.toFixed(0)} MB (limit ${c.rssLimitMb})`;
  }
  console.log(
    `${c.name.padEnd(44)} ${ms.toFixed(1).padStart(7)} ms  ${ratio.toFixed(2)}×${verdict}${memory}`,
  );
});
console.log(pollRate);
if (failed) process.exitCode = 1;

if (process.env.BENCH_BULK !== '0') await import('./bench-bulk.js');

function time({ args, env: caseEnv }) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, {
    env: caseEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed: ${result.stderr}`);
  return ms;
}

function run(args, caseEnv) {
  const result = spawnSync(process.execPath, args, { env: caseEnv, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

function issue(owner) {
  return run(
    [bin, 'create', '--owner-id', owner, '--owner-name', 'Bench', '--field', 'token'],
    requestEnv,
  );
}

/** Requests per minute of a cst wait at the default interval, counted from its debug lines. */
function waitRate() {
  const seconds = 30;
  const token = issue('wait-pending');
  const start = process.hrtime.bigint();
  const result = spawnSync(
    process.execPath,
    [bin, 'wait', '--debug', '--wait-timeout', `${seconds}s`, '--', token],
    { env: requestEnv, encoding: 'utf8' },
  );
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  const requests = result.stderr.split('\n').filter((line) => line.includes('→ POST')).length;
  const perMinute = (requests / elapsed) * 60;
  return `cst wait at the default interval (3s): ${requests} requests in ${elapsed.toFixed(1)} s = ${perMinute.toFixed(1)}/min, ${((perMinute / 1000) * 100).toFixed(1)}% of StackOne's 1000/min per key (exit ${result.status}, 15 expected)`;
}

function peakRssMb({ args, env: caseEnv }) {
  const report =
    "process.on('exit', () => process.stderr.write('\\nmaxrss=' + process.resourceUsage().maxRSS))";
  const result = spawnSync(
    process.execPath,
    ['--import', `data:text/javascript,${encodeURIComponent(report)}`, ...args],
    { env: caseEnv, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return Number(/maxrss=(\d+)/.exec(result.stderr.toString())[1]) / 1024;
}

function writeLedger(path, count) {
  mkdirSync(join(path, '..'), { recursive: true, mode: 0o700 });
  const start = Date.now() - count * 60_000;
  const lines = [];
  for (let i = 0; i < count; i++) {
    const created = start + i * 60_000;
    lines.push(
      JSON.stringify({
        v: 1,
        id: i + 1,
        target: 'https://api.stackone.com#0123456789ab',
        org: 'acme',
        project: 'prod',
        organization_id: '1001',
        project_id: 'p1',
        owner_id: `cus_${i % 5000}`,
        owner_name: `Customer ${i % 5000}`,
        username: null,
        categories: ['hris', 'ats'],
        provider: null,
        label: i % 3 ? null : `batch ${i % 40}`,
        account_id: null,
        type: null,
        created_at: new Date(created).toISOString(),
        expires_at: new Date(created + 1_800_000).toISOString(),
        token_fp: i.toString(16).padStart(16, '0'),
      }),
    );
  }
  writeFileSync(path, `${lines.join('\n')}\n`, { mode: 0o600 });
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** The least a Node CLI can do for this path: one undici POST, bundled the same way. */
async function bundleFloor() {
  const source = join(root, 'floor.mjs');
  writeFileSync(
    source,
    `import { request } from 'undici';
const [baseUrl, key] = process.argv.slice(2);
const response = await request(baseUrl + '/connect_sessions', {
  method: 'POST',
  headers: { authorization: 'Basic ' + Buffer.from(key + ':').toString('base64'), 'content-type': 'application/json' },
  body: JSON.stringify({ origin_owner_id: 'b1', origin_owner_name: 'Bench' }),
});
process.stdout.write(await response.body.text());
`,
  );
  const outfile = join(root, 'floor.bundle.mjs');
  await build({
    entryPoints: [source],
    bundle: true,
    format: 'esm',
    platform: 'node',
    outfile,
    nodePaths: [fileURLToPath(new URL('../node_modules', import.meta.url))],
    logLevel: 'warning',
    banner: {
      js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);",
    },
  });
  return outfile;
}
