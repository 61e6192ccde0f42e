// The shared store (CST_STATE_URL) against local state, on a throwaway PostgreSQL cluster, in one
// run (issue 19's three measures):
// - a bulk run of 2,000 rows against the sandbox: PostgreSQL state over local state (≤ 1.15);
// - the same 2,000 rows split across 4 runners on PostgreSQL, against a sandbox answering in
//   50 ms, each at --concurrency 4, over one runner with the same settings (≤ 0.4);
// - `cst list` over 100,000 records: from PostgreSQL over from the local file (≤ 1.5), medians.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster } from './postgres-cluster.js';
import { startSandbox } from './bench-sandbox.js';

const ROWS = 2000;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** A machine of its own: HOME and state directory under the run's root. */
function machine(root, name, extra = {}) {
  const home = join(root, name);
  return {
    PATH: process.env.PATH,
    HOME: home,
    CST_CONFIG_DIR: join(home, 'config'),
    CST_STATE_DIR: join(home, 'state'),
    ...extra,
  };
}

function csv(root, prefix) {
  const path = join(root, `${prefix}.csv`);
  const lines = ['owner_id,owner_name'];
  for (let i = 0; i < ROWS; i++) lines.push(`${prefix}_${i},Customer ${i}`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

/** Resolves with the wall milliseconds of a cst run; rejects unless it exits 0. */
function timed(bin, args, env) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [bin, ...args], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (code === 0) resolve(ms);
      else reject(new Error(`cst ${args.join(' ')}: exit ${code}: ${stderr.trim()}`));
    });
  });
}

const bulk = (file, root, name, more = []) => [
  'create',
  '--from-file',
  file,
  '--results',
  join(root, `${name}.results.csv`),
  '--rate',
  '0',
  ...more,
];

export async function benchState(bin, runs) {
  const root = mkdtempSync(join(tmpdir(), 'cst-bench-state-'));
  const cluster = await startCluster();
  process.on('exit', () => {
    cluster.remove();
    rmSync(root, { recursive: true, force: true });
  });
  let failed = false;
  const verdict = (value, limit) => (value <= limit ? 'ok' : ((failed = true), 'OVER'));
  let databases = 0;
  const store = async () => cluster.database(`bench_${++databases}`);

  // 1. One bulk run, local state against PostgreSQL state, each on fresh state.
  {
    const sandbox = await startSandbox(bin, machine(root, 'sandbox-1'), ['--rate-limit', '0']);
    const point = { CST_BASE_URL: sandbox.base_url, CST_API_KEY: sandbox.projects[0].api_key };
    const local = [];
    const shared = [];
    for (let i = 0; i < Math.max(3, Math.min(runs, 5)); i++) {
      const l = `local${i}`;
      local.push(await timed(bin, bulk(csv(root, l), root, l), machine(root, l, point)));
      const s = `shared${i}`;
      const url = await store();
      shared.push(
        await timed(
          bin,
          bulk(csv(root, s), root, s),
          machine(root, s, { ...point, CST_STATE_URL: url }),
        ),
      );
    }
    sandbox.stop();
    const ratio = median(shared) / median(local);
    console.log(
      `bulk ${ROWS} rows, sandbox: PostgreSQL state ${(median(shared) / 1000).toFixed(2)} s, local state ${(median(local) / 1000).toFixed(2)} s: ${ratio.toFixed(2)}× (goal ≤ 1.15): ${verdict(ratio, 1.15)}`,
    );
  }

  // 2. Four runners against one, the sandbox answering in 50 ms, each at --concurrency 4.
  {
    const sandbox = await startSandbox(bin, machine(root, 'sandbox-2'), [
      '--rate-limit',
      '0',
      '--latency',
      '50ms',
    ]);
    const point = { CST_BASE_URL: sandbox.base_url, CST_API_KEY: sandbox.projects[0].api_key };
    const alone = await store();
    const one = await timed(
      bin,
      bulk(csv(root, 'one'), root, 'one', ['--concurrency', '4']),
      machine(root, 'one', { ...point, CST_STATE_URL: alone }),
    );
    const together = await store();
    const file = csv(root, 'four');
    const started = process.hrtime.bigint();
    await Promise.all(
      [0, 1, 2, 3].map((i) =>
        timed(
          bin,
          bulk(file, root, `four${i}`, ['--concurrency', '4']),
          machine(root, `four${i}`, { ...point, CST_STATE_URL: together }),
        ),
      ),
    );
    const four = Number(process.hrtime.bigint() - started) / 1e6;
    sandbox.stop();
    const ratio = four / one;
    console.log(
      `bulk ${ROWS} rows at 50 ms latency, --concurrency 4: 4 runners on PostgreSQL ${(four / 1000).toFixed(2)} s, 1 runner ${(one / 1000).toFixed(2)} s: ${ratio.toFixed(2)}× (goal ≤ 0.4): ${verdict(ratio, 0.4)}`,
    );
  }

  // 3. cst list over 100k records: the same records in the local file and in PostgreSQL.
  {
    const url = await store();
    const count = 100_000;
    const file = machine(root, 'list-file');
    const db = machine(root, 'list-db', { CST_STATE_URL: url });
    // The schema first, through cst; then the records, made by the database itself.
    spawnSync(process.execPath, [bin, 'state', 'migrate'], { env: db });
    const database = new URL(url).pathname.slice(1);
    cluster.psql(
      `INSERT INTO cst_ledger (target, id, org, project, owner_id, token_fp, created_at, expires_at, record)
       SELECT r->>'target', (r->>'id')::float8, r->>'org', r->>'project', r->>'owner_id', r->>'token_fp',
              (r->>'created_at')::timestamptz, (r->>'expires_at')::timestamptz, r::json
       FROM (SELECT json_build_object(
         'v', 1, 'id', i, 'target', 'https://api.stackone.com#0123456789ab', 'org', 'acme',
         'project', 'prod', 'organization_id', '1001', 'project_id', 'p1',
         'owner_id', 'cus_' || (i % 5000), 'owner_name', 'Customer ' || (i % 5000),
         'username', null, 'categories', json_build_array('hris', 'ats'), 'provider', null,
         'label', null, 'account_id', null, 'type', null,
         'created_at', to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
         'expires_at', to_char((t + interval '30 minutes') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
         'token_fp', lpad(to_hex(i), 16, '0')
       )::jsonb AS r
       FROM generate_series(1, ${count}) AS i,
            LATERAL (SELECT now() - (${count} - i) * interval '1 minute' AS t) AS times) AS rows`,
      database,
    );
    // The local file: the same records, exported by cst from the database, oldest first.
    const exported = spawnSync(process.execPath, [bin, 'state', 'export'], {
      env: db,
      maxBuffer: 1 << 30,
      encoding: 'utf8',
    });
    const records = exported.stdout
      .split('\n')
      .filter((line) => line.startsWith('{"session":'))
      .map((line) => JSON.stringify(JSON.parse(line).session));
    if (records.length !== count) throw new Error(`exported ${records.length} of ${count} records`);
    mkdirSync(file.CST_STATE_DIR, { recursive: true, mode: 0o700 });
    writeFileSync(join(file.CST_STATE_DIR, 'ledger.jsonl'), `${records.join('\n')}\n`, {
      mode: 0o600,
    });
    const fromFile = [];
    const fromDb = [];
    for (let i = 0; i < runs; i++) {
      fromFile.push(await timed(bin, ['list'], file));
      fromDb.push(await timed(bin, ['list'], db));
    }
    const ratio = median(fromDb) / median(fromFile);
    console.log(
      `cst list over ${count} records: PostgreSQL ${median(fromDb).toFixed(1)} ms, local file ${median(fromFile).toFixed(1)} ms: ${ratio.toFixed(2)}× (goal ≤ 1.5): ${verdict(ratio, 1.5)}; medians of ${runs}`,
    );
  }
  return !failed;
}
