// A throwaway PostgreSQL cluster for the tests and the benchmarks: Debian's server binaries, a cluster made with initdb in
// a temporary directory, listening on a loopback port, removed when the tests are done.
// PostgreSQL refuses to run as root: as root, the cluster belongs to the `postgres` user and
// every server command runs through `runuser`.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = '/usr/lib/postgresql';
/** The superuser's password over TCP: a test's, never a real one. */
export const PASSWORD = 'pg-test-secret-7f3a';

/** The newest installed server's bin directory, or undefined. */
function binDir() {
  if (!existsSync(ROOT)) return undefined;
  const versions = readdirSync(ROOT)
    .filter((name) => existsSync(join(ROOT, name, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(ROOT, versions[0], 'bin');
}

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A running cluster; see postgres-cluster.d.ts for what it offers. */
export async function startCluster() {
  const bin = binDir();
  if (!bin) throw new Error(`no PostgreSQL server under ${ROOT}: apt-get install postgresql`);
  const root = process.getuid?.() === 0;
  // The postgres user must reach it: not under a test run's private temporary directory.
  const dir = mkdtempSync(join(root ? '/tmp' : tmpdir(), 'cst-pg-'));
  chmodSync(dir, 0o755);
  const data = join(dir, 'data');
  if (root) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    chownSync(dir, uid, gid);
  }
  const as = (command, args) => {
    const [file, argv] = root
      ? ['runuser', ['-u', 'postgres', '--', join(bin, command), ...args]]
      : [join(bin, command), args];
    const result = spawnSync(file, argv, { encoding: 'utf8', cwd: dir });
    if (result.status !== 0)
      throw new Error(`${command} failed: ${result.stderr || result.stdout}`);
  };
  // Over TCP, as cst connects, a password is asked (so tests can get it wrong); over the
  // cluster's own socket, as the tests' psql connects, none.
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, `${PASSWORD}\n`, { mode: 0o644 });
  as('initdb', [
    '-D',
    data,
    '-U',
    'cst',
    `--pwfile=${pwfile}`,
    '--auth-host=scram-sha-256',
    '--auth-local=trust',
    '--no-sync',
    '-E',
    'UTF8',
  ]);
  const port = await freePort();
  // No fsync (a test cluster outlives no power cut), but commits written before they return:
  // tests stop the server at will, and an immediate stop must not undo what cst was told.
  const options = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c full_page_writes=off`;
  const running = () => {
    try {
      as('pg_ctl', ['-D', data, 'status']);
      return true;
    } catch {
      return false;
    }
  };
  /** Starts the server, unless it runs already. */
  const start = () => {
    if (running()) return;
    try {
      as('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', 'start']);
    } catch (error) {
      // The server's own log says why; the tail of it goes with the error.
      const log = readFileSync(join(dir, 'log'), 'utf8').trim().split('\n').slice(-5).join('\n');
      throw new Error(`${error.message}\n${log}`);
    }
  };
  start();
  const url = (database = 'postgres', password = PASSWORD) =>
    `postgres://cst:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  const ask = (sql, database = 'postgres') => {
    const result = spawnSync(
      join(bin, 'psql'),
      [
        '-h',
        dir,
        '-p',
        String(port),
        '-U',
        'cst',
        '-d',
        database,
        '-v',
        'ON_ERROR_STOP=1',
        '-qAtc',
        sql,
      ],
      { encoding: 'utf8' },
    );
    if (result.status !== 0) throw new Error(`psql failed: ${result.stderr}`);
    return result.stdout;
  };
  const psql = (sql, database) => void ask(sql, database);
  const stop = () => {
    try {
      as('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // Already stopped: a test stopped it on purpose.
    }
  };
  return {
    database(name) {
      psql(`CREATE DATABASE "${name}"`);
      return Promise.resolve(url(name));
    },
    url,
    psql,
    count: (sql, database) => Number(ask(sql, database).trim()),
    start,
    stop,
    remove() {
      stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
