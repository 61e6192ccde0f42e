// `cst mcp` benchmarks (npm run bench runs them after the start-up table, against its sandbox),
// each measured here from spawn or send to answer, interleaved, as medians:
// - start to the first `tools/list` answer, as a ratio to `cst --version` start to exit;
// - the round trip of `create_connect_session` on a running server, beside `cst create --json`
//   start to exit: what an agent saves by keeping one server instead of running the CLI.
import { spawn } from 'node:child_process';

const CLIENT = { name: 'cst-bench', version: '0' };

/** Resolves with the wall milliseconds from spawn to exit; rejects on a non-zero exit. */
function exitTime(bin, args, env) {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  child.stdout.resume();
  return new Promise((resolve, reject) => {
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (code === 0) resolve(ms);
      else reject(new Error(`cst ${args.join(' ')}: exit ${code}: ${stderr.trim()}`));
    });
  });
}

/** A `cst mcp` process spoken to line by line: `request` resolves with the answer's result. */
function server(bin, env) {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [bin, 'mcp'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  const waiting = new Map();
  let buffered = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    buffered += chunk;
    let end;
    while ((end = buffered.indexOf('\n')) >= 0) {
      const message = JSON.parse(buffered.slice(0, end));
      buffered = buffered.slice(end + 1);
      const answer = waiting.get(message.id);
      if (answer === undefined) continue;
      waiting.delete(message.id);
      if (message.error) answer.reject(new Error(`cst mcp: ${message.error.message}`));
      else if (message.result.isError) {
        answer.reject(new Error(`cst mcp: ${message.result.content[0].text}`));
      } else answer.resolve(message.result);
    }
  });
  const exited = new Promise((resolve) => child.on('close', resolve));
  exited.then(() => {
    for (const answer of waiting.values()) answer.reject(new Error(`cst mcp exited: ${stderr}`));
  });
  let id = 0;
  const send = (message) =>
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
  return {
    started,
    request(method, params) {
      id += 1;
      send({ id, method, params });
      return new Promise((resolve, reject) => waiting.set(id, { resolve, reject }));
    },
    notify: (method) => send({ method }),
    async close() {
      child.stdin.end();
      const code = await exited;
      if (code !== 0) throw new Error(`cst mcp: exit ${code}: ${stderr.trim()}`);
    },
  };
}

const since = (start) => Number(process.hrtime.bigint() - start) / 1e6;

/** One run of each measure, in turn. */
async function once(bin, env, run) {
  const version = await exitTime(bin, ['--version'], env);

  const mcp = server(bin, env);
  const initialized = mcp.request('initialize', {
    protocolVersion: '2025-11-25',
    capabilities: {},
    clientInfo: CLIENT,
  });
  mcp.notify('notifications/initialized');
  // Sent at once, as clients do: the answer comes when the server is up.
  await Promise.all([initialized, mcp.request('tools/list', {})]);
  const toFirstList = since(mcp.started);
  const sent = process.hrtime.bigint();
  await mcp.request('tools/call', {
    name: 'create_connect_session',
    arguments: { origin_owner_id: `mcp-${run}`, origin_owner_name: 'Bench' },
  });
  const roundTrip = since(sent);
  await mcp.close();

  const create = await exitTime(
    bin,
    ['create', '--owner-id', `mcp-cli-${run}`, '--owner-name', 'Bench', '--json'],
    env,
  );
  return { version, toFirstList, roundTrip, create };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Prints the two lines; `env` points cst at a running sandbox. */
export async function benchMcp(bin, env, runs) {
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(await once(bin, env, i));
  const m = (key) => median(samples.map((s) => s[key]));
  console.log(
    `cst mcp start to first tools/list answer: ${m('toFirstList').toFixed(1)} ms, ${(m('toFirstList') / m('version')).toFixed(2)}× cst --version (${m('version').toFixed(1)} ms); medians of ${runs}`,
  );
  console.log(
    `create_connect_session round trip on a running cst mcp: ${m('roundTrip').toFixed(1)} ms, ${(m('roundTrip') / m('create')).toFixed(2)}× cst create --json (${m('create').toFixed(1)} ms); medians of ${runs}`,
  );
}
