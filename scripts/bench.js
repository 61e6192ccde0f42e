// npm run bench: start-up and request cost of the built CLI and of what a user would use
// instead, in one interleaved run, as medians and as ratios to `node -e 0` measured in the same
// run (absolute times mean nothing across machines). CPU time is shown beside wall time: the
// machines are shared, and CPU time is the steadier of the two.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { benchMcp } from './bench-mcp.js';
import { benchRefresh } from './bench-refresh.js';
import { benchState } from './bench-state.js';
import { startSandbox } from './bench-sandbox.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 21);
const BASE = 'node -e 0';
const CREATE = 'cst create --json (sandbox)';
const NODE_HTTP = 'peer: node:http script';
const SDK = '@stackone/stackone-client-ts@4.28.0';
const bin = fileURLToPath(new URL('../bin/cst.js', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'cst-bench-'));
// 100k-record ledgers and a cache per cold run: nothing of it outlives the run.
process.on('exit', () => rmSync(root, { recursive: true, force: true }));
const env = {
  PATH: process.env.PATH,
  HOME: root,
  CST_CONFIG_DIR: join(root, 'config'),
  CST_STATE_DIR: join(root, 'state'),
  CST_CACHE_DIR: join(root, 'cache'),
};

const sandbox = await startSandbox(bin, env);
const key = sandbox.projects[0].api_key;
const requestEnv = { ...env, CST_BASE_URL: sandbox.base_url, CST_API_KEY: key };
const peers = await buildPeers();

// A session the customer has linked already: cst wait answers after one poll.
const linkedToken = issue('wait-linked');
// `--` ends the options: a token may start with '-'.
run([bin, 'sandbox', 'link', '--provider', 'bamboohr', '--', linkedToken], requestEnv);

// 100k ledger records, as a year of busy provisioning would leave.
const bigState = join(root, 'big-state');
writeLedger(join(bigState, 'ledger.jsonl'), 100_000);
const bigEnv = { ...env, CST_STATE_DIR: bigState };
const bigRequestEnv = { ...requestEnv, CST_STATE_DIR: bigState };

/** Each run of a create case names a new owner, as a provisioning job does. */
const create = (prefix) => (run) => [
  bin,
  'create',
  '--owner-id',
  `${prefix}-${run}`,
  '--owner-name',
  'Bench',
  '--json',
];
/** A fresh, empty cache directory for each run: the first run after an install or upgrade. */
const coldCache = (caseEnv) => () => ({
  ...caseEnv,
  CST_CACHE_DIR: mkdtempSync(join(root, 'cold-cache-')),
});

const ownCases = [
  { name: BASE, command: [process.execPath, '-e', '0'], env },
  { name: 'cst --version', command: [process.execPath, bin, '--version'], env, target: 1.1 },
  {
    name: 'cst create --help',
    command: [process.execPath, bin, 'create', '--help'],
    env,
    target: 1.3,
  },
  {
    name: 'cst create --help (cache cold)',
    command: [process.execPath, bin, 'create', '--help'],
    env: coldCache(env),
  },
  {
    name: CREATE,
    command: (run) => [process.execPath, ...create('fresh')(run)],
    env: requestEnv,
    target: 2.5,
    vs: { name: NODE_HTTP, target: 1.5 },
  },
  {
    name: 'cst create --json (cache cold)',
    command: (run) => [process.execPath, ...create('cold')(run)],
    env: coldCache(requestEnv),
  },
  {
    name: 'cst create --json (100k-record ledger)',
    command: (run) => [process.execPath, ...create('big')(run)],
    env: bigRequestEnv,
    vs: { name: CREATE, target: 1.05 },
  },
  {
    name: 'cst wait (linked session: one poll)',
    command: [process.execPath, bin, 'wait', '--json', '--', linkedToken],
    env: requestEnv,
  },
  {
    name: 'cst list (100k-record ledger)',
    command: [process.execPath, bin, 'list'],
    env: bigEnv,
    target: 2.5,
    rssLimitMb: 100,
  },
  {
    name: 'cst list --owner-id (100k-record ledger)',
    command: [process.execPath, bin, 'list', '--owner-id', 'cus_4242'],
    env: bigEnv,
    rssLimitMb: 100,
  },
  ...peers,
];

// BENCH_AGAINST=<another build's bin/cst.js> (say, a worktree of main): each cst case runs for
// that build too, right after this one's, with its own code cache; the table adds this build's
// time over that one's. The honest way to say "nothing got slower" on a shared machine.
const AGAINST = process.env.BENCH_AGAINST;
// BENCH_ONLY=<regular expression>: only the cases it matches (and the baseline), for a closer look.
const only = new RegExp(process.env.BENCH_ONLY ?? '');
const chosen = ownCases.filter((c) => c.name === BASE || only.test(c.name));
const cases =
  AGAINST === undefined
    ? chosen
    : chosen.flatMap((c) => (c.name.startsWith('cst ') ? [c, twin(c)] : [c]));

function twin(c) {
  // A create gets its own owners too: one for an owner with a live session costs a warning
  // line. A list asks the same question of the same ledger as this build does.
  const swap = (command) =>
    command.map((arg, i) =>
      arg === bin
        ? AGAINST
        : command.includes('create') && command[i - 1] === '--owner-id'
          ? `${arg}-against`
          : arg,
    );
  const ownCache = (caseEnv) => ({ ...caseEnv, CST_CACHE_DIR: join(root, 'cache-against') });
  return {
    name: `${c.name} [against]`,
    command: typeof c.command === 'function' ? (run) => swap(c.command(run)) : swap(c.command),
    // A cold-cache case keeps its fresh directory; the others get the other build's own cache.
    env: typeof c.env === 'function' ? c.env : ownCache(c.env),
    twinOf: c.name,
  };
}

const wall = cases.map(() => []);
const cpu = cases.map(() => []);
for (let i = 0; i < RUNS; i++) {
  // Interleaved, so drift in machine load touches every case alike.
  cases.forEach((c, k) => {
    const sample = time(c, i);
    wall[k].push(sample.wall);
    cpu[k].push(sample.cpu);
  });
}
const pollRate = waitRate();

const medians = new Map(
  cases.map((c, k) => [c.name, { wall: median(wall[k]), cpu: median(cpu[k]) }]),
);
const base = medians.get(BASE);
let failed = false;
console.log(`runs per case: ${RUNS}; medians; ratios to ${BASE} in this run`);
const width = Math.max(...cases.map((c) => c.name.length)) + 1;
console.log(
  `${'case'.padEnd(width)} ${'wall ms'.padStart(8)} ${'ratio'.padStart(7)} ${'cpu ms'.padStart(8)} ${'ratio'.padStart(7)}  target`,
);
for (const c of cases) {
  const m = medians.get(c.name);
  const ratio = m.wall / base.wall;
  const verdicts = [];
  if (c.target !== undefined) verdicts.push(verdict(ratio, c.target, `≤ ${c.target}×`));
  // A peer left out by BENCH_ONLY leaves nothing to compare with.
  if (c.vs !== undefined && medians.has(c.vs.name)) {
    const other = medians.get(c.vs.name);
    const against = m.wall / other.wall;
    verdicts.push(verdict(against, c.vs.target, `${against.toFixed(2)}× ${c.vs.name}`));
  }
  if (c.rssLimitMb !== undefined) {
    const mb = peakRssMb(c);
    verdicts.push(verdict(mb / c.rssLimitMb, 1, `peak RSS ${mb.toFixed(0)} MB ≤ ${c.rssLimitMb}`));
  }
  if (c.note) verdicts.push(c.note);
  if (c.twinOf !== undefined) {
    const own = medians.get(c.twinOf);
    verdicts.push(
      `this build ${(own.wall / m.wall).toFixed(2)}× wall, ${(own.cpu / m.cpu).toFixed(2)}× cpu of it`,
    );
  }
  console.log(
    `${c.name.padEnd(width)} ${m.wall.toFixed(1).padStart(8)} ${`${ratio.toFixed(2)}×`.padStart(7)} ${m.cpu.toFixed(1).padStart(8)} ${`${(m.cpu / base.cpu).toFixed(2)}×`.padStart(7)}  ${verdicts.join('; ')}`,
  );
}
console.log(pollRate);
if (only.test('cst mcp')) await benchMcp(bin, requestEnv, RUNS);
sandbox.stop();
if (only.test('cst list --refresh') && !(await benchRefresh(bin))) failed = true;
if (only.test('state store') && !(await benchState(bin, RUNS))) failed = true;
if (failed) process.exitCode = 1;

if (process.env.BENCH_BULK !== '0') await import('./bench-bulk.js');

function verdict(value, limit, label) {
  if (value <= limit) return `ok (${label})`;
  failed = true;
  return `OVER (${label})`;
}

/**
 * One run: wall time between two bash clock readings around the command, and the CPU time of
 * the command and its children from bash's `times`.
 */
function time(c, runIndex) {
  const command = typeof c.command === 'function' ? c.command(runIndex) : c.command;
  const caseEnv = typeof c.env === 'function' ? c.env() : c.env;
  const script =
    'start=$EPOCHREALTIME; "$@" >/dev/null 2>"$BENCH_ERR"; status=$?; end=$EPOCHREALTIME; ' +
    'echo "$status $start $end"; times';
  const errFile = join(root, 'stderr');
  const result = spawnSync('bash', ['-c', script, 'bench', ...command], {
    env: { ...caseEnv, BENCH_ERR: errFile },
    encoding: 'utf8',
  });
  const [first, , children] = result.stdout.trim().split('\n');
  const [status, start, end] = first.split(' ').map(Number);
  if (status !== (c.status ?? 0)) {
    throw new Error(`${c.name}: exit ${status}, expected ${c.status ?? 0}`);
  }
  const [user, system] = children.split(' ').map(seconds);
  return { wall: (end - start) * 1000, cpu: (user + system) * 1000 };
}

function seconds(text) {
  const [, minutes, secs] = /(\d+)m([\d.]+)s/.exec(text);
  return Number(minutes) * 60 + Number(secs);
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

function peakRssMb(c) {
  const report =
    "process.on('exit', () => process.stderr.write('\\nmaxrss=' + process.resourceUsage().maxRSS))";
  const [node, ...args] = c.command;
  const result = spawnSync(
    node,
    ['--import', `data:text/javascript,${encodeURIComponent(report)}`, ...args],
    { env: c.env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return Number(/maxrss=(\d+)/.exec(result.stderr.toString())[1]) / 1024;
}

function writeLedger(path, count) {
  mkdirSync(join(path, '..'), { recursive: true, mode: 0o700 });
  const start = Date.now() - count * 60_000;
  const lines = [];
  for (let i = 0; i < count; i++) {
    const created = start + i * 60_000;
    const expires = new Date(created + 1_800_000).toISOString();
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
        expires_at: expires,
        token_fp: i.toString(16).padStart(16, '0'),
        // As cst writes it: every session before this one has expired by then.
        live_until: expires,
      }),
    );
  }
  writeFileSync(path, `${lines.join('\n')}\n`, { mode: 0o600 });
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** What a user could run instead of cst for the same one create, against the same sandbox. */
async function buildPeers() {
  const body = JSON.stringify({ origin_owner_id: 'b1', origin_owner_name: 'Bench' });
  const auth = `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
  const url = `${sandbox.base_url}/connect_sessions`;
  const list = [];
  if (spawnSync('curl', ['--version']).status === 0) {
    list.push({
      name: 'peer: curl',
      command: [
        'curl',
        '-sf',
        '-X',
        'POST',
        '-H',
        `authorization: ${auth}`,
        '-H',
        'content-type: application/json',
        '-d',
        body,
        url,
      ],
      env,
    });
  } else {
    console.log('peer: curl not installed; skipped');
  }
  const nodeHttp = join(root, 'node-http.mjs');
  writeFileSync(
    nodeHttp,
    `import { request } from 'node:http';
const req = request(${JSON.stringify(url)}, { method: 'POST', headers: { authorization: ${JSON.stringify(auth)}, 'content-type': 'application/json' } }, (res) => {
  let text = '';
  res.setEncoding('utf8').on('data', (c) => (text += c)).on('end', () => process.stdout.write(text));
});
req.end(${JSON.stringify(body)});
`,
  );
  list.push({ name: NODE_HTTP, command: [process.execPath, nodeHttp], env });

  // undici as cst takes it (two deep modules), bundled, with the flag cst sets.
  const undiciSource = join(root, 'undici.mjs');
  writeFileSync(
    undiciSource,
    `import { setFlagsFromString } from 'node:v8';
import Agent from 'undici/lib/dispatcher/agent.js';
import request from 'undici/lib/api/api-request.js';
setFlagsFromString('--liftoff-only');
request.call(new Agent(), { origin: ${JSON.stringify(sandbox.base_url)}, path: '/connect_sessions', method: 'POST', headers: { authorization: ${JSON.stringify(auth)}, 'content-type': 'application/json' }, body: ${JSON.stringify(body)} }).then(async (response) => {
  process.stdout.write(await response.body.text());
  process.exit(0);
});
`,
  );
  const undiciBundle = join(root, 'undici.bundle.cjs');
  await build({
    entryPoints: [undiciSource],
    bundle: true,
    format: 'cjs',
    platform: 'node',
    minify: true,
    outfile: undiciBundle,
    nodePaths: [fileURLToPath(new URL('../node_modules', import.meta.url))],
    logLevel: 'error',
  });
  list.push({
    name: 'peer: bundled undici (--liftoff-only)',
    command: [process.execPath, undiciBundle],
    env,
  });

  const sdk = installSdk();
  if (sdk) {
    const script = join(sdk, 'create.cjs');
    writeFileSync(
      script,
      `const { StackOne } = require('@stackone/stackone-client-ts');
const stackOne = new StackOne({ security: { username: ${JSON.stringify(key)}, password: '' }, serverURL: ${JSON.stringify(sandbox.base_url)} });
stackOne.connectSessions.createConnectSession({ originOwnerId: 'b1', originOwnerName: 'Bench' })
  .then(() => process.exit(0), () => process.exit(1));
`,
    );
    list.push({
      name: `peer: StackOne SDK ${SDK.split('@').at(-1)}`,
      command: [process.execPath, script],
      env,
      // It sends the request and reads the 201, then rejects today's string organization_id.
      status: 1,
      note: 'exits 1: its schema rejects the string organization_id',
    });
  }
  return list;
}

/** StackOne's TypeScript SDK, installed once into the user's cache directory, never a dependency. */
function installSdk() {
  const dir = join(
    process.env.XDG_CACHE_HOME ?? join(process.env.HOME ?? root, '.cache'),
    'cst-bench',
    SDK.replace(/[@/]/g, '_'),
  );
  if (existsSync(join(dir, 'node_modules', '@stackone', 'stackone-client-ts'))) return dir;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--silent', SDK], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  if (result.status === 0) return dir;
  console.log(
    `peer: ${SDK} could not be installed (${result.stderr.trim().split('\n')[0]}); skipped`,
  );
  return undefined;
}
