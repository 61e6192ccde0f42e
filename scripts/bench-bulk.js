// Bulk provisioning benchmarks (npm run bench runs them after the start-up ones):
// - 2000 rows against a sandbox answering in 25 ms, concurrency 16, no pacing: cst's wall time
//   against `xargs -P16 curl` over the same rows, in the same run;
// - a sandbox limited to 1200 requests/min, with cst paced at that limit: the achieved rate;
// - peak RSS for 10k and 100k rows.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSandbox } from './bench-sandbox.js';

const bin = fileURLToPath(new URL('../bin/cst.js', import.meta.url));
let failed = false;

async function sandbox(args) {
  const root = mkdtempSync(join(tmpdir(), 'cst-bench-bulk-'));
  process.on('exit', () => rmSync(root, { recursive: true, force: true }));
  const env = {
    PATH: process.env.PATH,
    HOME: root,
    CST_CONFIG_DIR: join(root, 'config'),
    CST_STATE_DIR: join(root, 'state'),
  };
  const served = await startSandbox(bin, env, args);
  const key = served.projects[0].api_key;
  return {
    root,
    key,
    baseUrl: served.base_url,
    env: { ...env, CST_BASE_URL: served.base_url, CST_API_KEY: key },
    stats: async () => (await fetch(`${served.base_url}/_sandbox/stats`)).json(),
    stop: served.stop,
  };
}

/** Runs cst create over a CSV of rows; returns the wall time and the process result. */
function runCst(s, csv, args, extraNodeArgs = []) {
  return timed(
    process.execPath,
    [
      ...extraNodeArgs,
      bin,
      'create',
      '--from-file',
      csv,
      '--concurrency',
      '16',
      '--results',
      join(s.root, 'r.csv'),
      ...args,
    ],
    { env: s.env },
  );
}

function rows(root, count, prefix) {
  const csv = join(root, `${prefix}.csv`);
  const ids = join(root, `${prefix}.ids`);
  const lines = ['owner_id,owner_name'];
  const plain = [];
  for (let i = 0; i < count; i++) {
    lines.push(`${prefix}_${i},Customer ${i}`);
    plain.push(`${prefix}_${i}`);
  }
  writeFileSync(csv, `${lines.join('\n')}\n`);
  writeFileSync(ids, `${plain.join('\n')}\n`);
  return { csv, ids };
}

function timed(command, args, options) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { ...options, maxBuffer: 1 << 30 });
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, result };
}

function summary(stderr) {
  return (
    /issued (\d+), failed (\d+), skipped (\d+), unknown (\d+)/
      .exec(stderr.toString())
      ?.slice(1)
      .map(Number) ?? []
  );
}

// 1. Throughput against curl.
{
  const s = await sandbox(['--latency', '25ms', '--rate-limit', '0']);
  const cstRows = rows(s.root, 2000, 'cst');
  const curlRows = rows(s.root, 2000, 'curl');
  const cstRun = runCst(s, cstRows.csv, ['--rate', '0']);
  const body = '{"origin_owner_id":"{}","origin_owner_name":"Customer"}';
  const curlRun = timed(
    'sh',
    [
      '-c',
      `xargs -P16 -I{} curl -s -o /dev/null -w '%{http_code}\\n' -u '${s.key}:' -H 'content-type: application/json' -d '${body}' ${s.baseUrl}/connect_sessions < ${curlRows.ids}`,
    ],
    {},
  );
  const [issued, bad1, , unknown] = summary(cstRun.result.stderr);
  const curlOk = curlRun.result.stdout
    .toString()
    .split('\n')
    .filter((code) => code === '201').length;
  const ratio = cstRun.ms / curlRun.ms;
  if (ratio > 1 || issued !== 2000) failed = true;
  console.log(
    `2000 rows, 25 ms latency, concurrency 16: cst ${(cstRun.ms / 1000).toFixed(2)} s (${issued} issued, ${bad1} failed, ${unknown} unknown), xargs -P16 curl ${(curlRun.ms / 1000).toFixed(2)} s (${curlOk} created): ${ratio.toFixed(2)}× (target ≤ 1.0×)`,
  );
  s.stop();
}

// 2. Pacing at a server's limit.
{
  const count = Number(process.env.BENCH_PACED_ROWS ?? 400);
  const s = await sandbox(['--rate-limit', '1200/min']);
  const paced = rows(s.root, count, 'paced');
  const run = runCst(s, paced.csv, ['--rate', '1200/min']);
  const [issued, bad] = summary(run.result.stderr);
  const stats = await s.stats();
  const duplicates = Object.values(stats.by_owner).filter((n) => n > 1).length;
  const achieved = issued / (run.ms / 60000);
  const share = achieved / 1200;
  if (share < 0.95 || bad !== 0 || duplicates !== 0) failed = true;
  console.log(
    `paced at a 1200/min sandbox, ${count} rows: ${achieved.toFixed(0)}/min = ${(share * 100).toFixed(1)}% of the limit (target ≥ 95%), ${bad} failed, ${duplicates} duplicates`,
  );
  s.stop();
}

// 3. Memory as rows grow.
{
  const peaks = [];
  for (const count of [10_000, Number(process.env.BENCH_BIG_ROWS ?? 100_000)]) {
    const s = await sandbox(['--rate-limit', '0']);
    const big = rows(s.root, count, `m${count}`);
    const report =
      "process.on('exit', () => process.stderr.write('\\nmaxrss=' + process.resourceUsage().maxRSS))";
    const run = runCst(
      s,
      big.csv,
      ['--rate', '0', '-o', 'tsv'],
      ['--import', `data:text/javascript,${encodeURIComponent(report)}`],
    );
    const mb = Number(/maxrss=(\d+)/.exec(run.result.stderr.toString())[1]) / 1024;
    const [issued] = summary(run.result.stderr);
    peaks.push(mb);
    console.log(
      `${count} rows: peak RSS ${mb.toFixed(0)} MB, ${issued} issued in ${(run.ms / 1000).toFixed(1)} s`,
    );
    s.stop();
  }
  const ratio = peaks[1] / peaks[0];
  if (ratio > 1.2 || peaks[1] > 150) failed = true;
  console.log(
    `peak RSS ratio, largest to 10k rows: ${ratio.toFixed(2)} (target ≤ 1.2, and under 150 MB)`,
  );
}

if (failed) process.exitCode = 1;
