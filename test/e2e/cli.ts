// Spawning the built bin/cst.js, as users and CI do: real processes, real pipes, a clean
// environment with its own config and state directories.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ERROR_CODES, type ErrorCode } from '../../src/core/errors.js';

export const BIN = fileURLToPath(new URL('../../bin/cst.js', import.meta.url));

export interface Result {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export async function isolatedEnv(
  extra: Record<string, string> = {},
): Promise<Record<string, string>> {
  const root = await mkdtemp(join(tmpdir(), 'cst-e2e-'));
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: root,
    CST_CONFIG_DIR: join(root, 'config'),
    CST_STATE_DIR: join(root, 'state'),
    ...(process.env.CST_TEST_CACHE_DIR ? { CST_CACHE_DIR: process.env.CST_TEST_CACHE_DIR } : {}),
    ...extra,
  };
}

export function start(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
}

export function finish(child: ChildProcess, timeoutMs = 15_000): Promise<Result> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`cst did not finish in ${timeoutMs} ms; stderr so far: ${stderr}`));
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const leak = rawError(stderr);
      if (leak)
        reject(
          new Error(`cst printed a raw Node error, a stack line or an undeclared code: ${leak}`),
        );
      else resolve({ code, signal, stdout, stderr });
    });
  });
}

/**
 * Every message cst prints is its own words: a Node error code or a stack-trace line on stderr
 * fails the test that caused it, whatever it asserts. `--debug` lines may name codes.
 */
const RAW_ERROR =
  /\b(?:E(?:NOENT|ISDIR|NOTDIR|ACCES|PERM|CONNREFUSED|CONNRESET|PIPE)|ERR_[A-Z_]+)\b|^\s+at .*:\d+:\d+\)?$/;

function rawError(stderr: string): string | undefined {
  return stderr
    .split('\n')
    .find((line) => (!line.startsWith('debug: ') && RAW_ERROR.test(line)) || undeclaredExit(line));
}

/** A JSON error line whose exit code is not one src/core/errors.ts declares for its code. */
function undeclaredExit(line: string): boolean {
  if (!line.startsWith('{"error":')) return false;
  const { error } = JSON.parse(line) as { error: { code: string; exit: number } };
  const declared = ERROR_CODES[error.code as ErrorCode] as { exit: readonly number[] } | undefined;
  return declared === undefined || !declared.exit.includes(error.exit);
}

export function cst(
  args: string[],
  env: Record<string, string>,
  input = '',
  timeoutMs?: number,
): Promise<Result> {
  const child = start(args, env);
  // cst may exit (a usage error, say) before it reads its input: that pipe closing is no failure.
  child.stdin?.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  child.stdin?.end(input);
  return finish(child, timeoutMs);
}

/** Resolves with the first line a child prints on stdout. */
export function firstLine(child: ChildProcess, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error('no output in time')), timeoutMs);
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const end = buffered.indexOf('\n');
      if (end >= 0) {
        clearTimeout(timer);
        resolve(buffered.slice(0, end));
      }
    });
    child.on('exit', () => reject(new Error('exited before printing a line')));
  });
}

export interface Served {
  baseUrl: string;
  child: ChildProcess;
  projects: {
    organization: string;
    organization_id: string;
    project: string;
    project_id: string;
    api_key: string;
    default: boolean;
  }[];
  stop(): Promise<Result>;
}

/** `cst sandbox serve --port 0 --json`, stopped with SIGTERM. */
export async function serve(env: Record<string, string>, extra: string[] = []): Promise<Served> {
  const child = start(['sandbox', 'serve', '--port', '0', '--json', ...extra], env);
  const info = JSON.parse(await firstLine(child)) as {
    base_url: string;
    projects: Served['projects'];
  };
  return {
    baseUrl: info.base_url,
    child,
    projects: info.projects,
    stop: () => {
      const done = finish(child);
      child.kill('SIGTERM');
      return done;
    },
  };
}

/** Resolves with the first stdout line of a running child that starts with `prefix`. */
export function printedLine(
  child: ChildProcess,
  prefix: string,
  timeoutMs = 15_000,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error(`no ${prefix} line printed`)), timeoutMs);
    child.stdout?.on('data', (chunk: string | Buffer) => {
      buffered += chunk.toString();
      const line = buffered.split('\n').find((l) => l.startsWith(prefix));
      if (line !== undefined) {
        clearTimeout(timer);
        resolve(line);
      }
    });
  });
}

/** An environment pointed at a running `cst sandbox serve`, with its default project's key. */
export function pointedAt(served: Served, env: Record<string, string>): Record<string, string> {
  return { ...env, CST_BASE_URL: served.baseUrl, CST_API_KEY: served.projects[0]!.api_key };
}

/** `cst create --sandbox --wait -o tsv` running, and the auth link it printed. */
export async function createAndWait(
  owner: { id: string; name: string; categories: string },
  timeoutMs = 30_000,
): Promise<{ link: string; done: Promise<Result> }> {
  const env = await isolatedEnv();
  const child = start(
    [
      'create',
      '--sandbox',
      '-c',
      owner.categories,
      '--owner-id',
      owner.id,
      '--owner-name',
      owner.name,
      '--wait',
      '--interval',
      '1s',
      '-o',
      'tsv',
    ],
    env,
  );
  const done = finish(child, timeoutMs);
  const link = (await printedLine(child, 'auth_link_url\t')).slice('auth_link_url\t'.length);
  return { link, done };
}
