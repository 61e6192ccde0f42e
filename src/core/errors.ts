// The error taxonomy. Every failure a user can meet is one of these; src/main.ts turns them into
// one line on stderr (or one JSON line) and an exit code. Nothing else decides exit codes.

// Re-exported from here, the module every path loads, so that it costs no chunk of its own.
export { visible, visibleLines } from './output/visible.js';

export const EXIT = {
  ok: 0,
  unexpected: 1,
  usage: 2,
  config: 3,
  authRejected: 4,
  forbidden: 5,
  notFound: 6,
  rateLimited: 7,
  server: 8,
  partial: 9,
  network: 10,
  invalidResponse: 11,
  rejected: 12,
  linkFailed: 13,
  sessionExpired: 14,
  waitTimeout: 15,
  undelivered: 16,
  stateUnwritable: 17,
  interrupted: 130,
  outputClosed: 141,
  terminated: 143,
} as const;

/**
 * What each exit code means, in the words README's exit-code table and `cst help exit-codes`
 * use: both are checked against (or made from) this and ERROR_CODES.
 */
export const EXIT_MEANINGS: Record<(typeof EXIT)[keyof typeof EXIT], string> = {
  0: 'success',
  1: 'unexpected error; output that could not be written; a journal in use by another run; a failed `cst doctor` check',
  2: 'usage: bad flags or arguments, a missing value that could not be prompted for',
  3: 'configuration or credentials, including a key that belongs to another project',
  4: 'API key rejected (HTTP 401)',
  5: 'forbidden (HTTP 403)',
  6: 'not found (HTTP 404)',
  7: 'still rate limited (HTTP 429) after retries',
  8: 'server or upstream error (5xx), or request timeout (HTTP 408)',
  9: 'a bulk run with rows failed or unknown, or bad rows with `--strict`',
  10: 'network: connection refused, DNS, TLS, no complete response within `--timeout`, connection lost',
  11: "invalid response: the body does not match StackOne's spec, is over `CST_MAX_RESPONSE_SIZE`, or a listing never ends",
  12: 'request rejected by the API (HTTP 400, 409, 422 and other 4xx)',
  13: "`cst wait`: the customer's link failed or was cancelled",
  14: '`cst wait`: the link expired before an account was linked',
  15: '`cst wait`: still pending at `--wait-timeout`',
  16: 'a session was created but its token could not be delivered (stdout or the `--results` file); the message names the session and owner',
  17: "cst's own state could not be written or read (ledger, journal, lock, sandbox state): a full or read-only disk, a directory in its place",
  130: 'interrupted (SIGINT, Ctrl-C)',
  141: 'a bulk run stopped because stdout was closed (its reader went away)',
  143: 'terminated (SIGTERM)',
};

/**
 * Every code that can appear in an error line (`{"error":{"code":…}}`), with the exit codes it
 * goes with and what it means. README's exit-code table and `cst help exit-codes` are checked
 * against this by a test; CliError takes nothing else.
 */
export const ERROR_CODES = {
  unexpected: { exit: [EXIT.unexpected], meaning: 'a bug, or a failure cst did not foresee' },
  output_failed: { exit: [EXIT.unexpected], meaning: 'output that could not be written' },
  journal_locked: { exit: [EXIT.unexpected], meaning: 'a journal in use by another run' },
  doctor_failed: { exit: [EXIT.unexpected], meaning: 'cst doctor: a check failed' },
  usage: { exit: [EXIT.usage], meaning: 'bad flags or arguments, or a value that was missing' },
  config: { exit: [EXIT.config], meaning: 'a config file or setting that cannot be used' },
  no_credentials: { exit: [EXIT.config], meaning: 'no API key, or one that cannot be read' },
  project_mismatch: { exit: [EXIT.config], meaning: 'the key belongs to another project' },
  insecure_base_url: { exit: [EXIT.config], meaning: 'plain http to a host not on loopback' },
  invalid_base_url: { exit: [EXIT.config], meaning: 'a base URL that is not http(s)' },
  auth_rejected: { exit: [EXIT.authRejected], meaning: 'API key rejected (HTTP 401)' },
  forbidden: { exit: [EXIT.forbidden], meaning: 'forbidden (HTTP 403)' },
  not_found: { exit: [EXIT.notFound], meaning: 'not found (HTTP 404), or an unknown token' },
  rate_limited: { exit: [EXIT.rateLimited], meaning: 'still rate limited after the retries' },
  server_error: { exit: [EXIT.server], meaning: 'a 5xx, or an unexpected redirect' },
  request_timeout: { exit: [EXIT.server], meaning: 'HTTP 408 from the server' },
  partial_failure: { exit: [EXIT.partial], meaning: 'a bulk run with rows failed or unknown' },
  connection_refused: { exit: [EXIT.network], meaning: 'connection refused' },
  dns: { exit: [EXIT.network], meaning: 'the host name does not resolve' },
  connect_timeout: { exit: [EXIT.network], meaning: 'no connection within the time limit' },
  tls: { exit: [EXIT.network], meaning: 'a TLS handshake or certificate failure' },
  unreachable: { exit: [EXIT.network], meaning: 'no route to the server' },
  network_after_send: { exit: [EXIT.network], meaning: 'the connection failed after sending' },
  timeout: { exit: [EXIT.network], meaning: 'no complete response within --timeout' },
  proxy: { exit: [EXIT.network], meaning: 'the proxy refused or could not be reached' },
  invalid_response: { exit: [EXIT.invalidResponse], meaning: "a body not per StackOne's spec" },
  response_too_large: { exit: [EXIT.invalidResponse], meaning: 'over CST_MAX_RESPONSE_SIZE' },
  page_limit: { exit: [EXIT.invalidResponse], meaning: 'a listing that never ends' },
  request_rejected: { exit: [EXIT.rejected], meaning: 'HTTP 400, 409, 422 and other 4xx' },
  link_failed: { exit: [EXIT.linkFailed], meaning: "cst wait: the customer's link failed" },
  link_cancelled: { exit: [EXIT.linkFailed], meaning: 'cst wait: the customer cancelled' },
  session_expired: { exit: [EXIT.sessionExpired], meaning: 'cst wait: the link expired' },
  wait_timeout: { exit: [EXIT.waitTimeout], meaning: 'cst wait: still pending at the limit' },
  undelivered: { exit: [EXIT.undelivered], meaning: 'a session created, its token not delivered' },
  state_unwritable: { exit: [EXIT.stateUnwritable], meaning: "cst's own state not writable" },
  state_unreadable: { exit: [EXIT.stateUnwritable], meaning: "cst's own state not readable" },
  interrupted: {
    exit: [EXIT.interrupted, EXIT.terminated],
    meaning: 'interrupted (SIGINT) or terminated (SIGTERM)',
  },
  output_closed: { exit: [EXIT.outputClosed], meaning: "a bulk run's stdout was closed" },
} as const satisfies Record<string, { exit: readonly number[]; meaning: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * What a poll outlives: the network, a 5xx or 408, a 429 after the client's own retries. A wait
 * polls again after these, by code, until its deadline; any other code ends it.
 */
export const PASSING_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'connection_refused',
  'dns',
  'connect_timeout',
  'tls',
  'unreachable',
  'network_after_send',
  'timeout',
  'proxy',
  'server_error',
  'request_timeout',
  'rate_limited',
]);

/**
 * What a failed request did at the server, as far as cst can know: `not_sent` (it never got
 * there: safe to send again), `rejected` (the server answered no: nothing was created), or
 * `may_have_acted` (lost or cut short after it was sent, or answered in a way cst cannot read:
 * a session may exist). Set by the API client on every error a request ends in.
 */
export type RequestFate = 'not_sent' | 'rejected' | 'may_have_acted';

export interface CliErrorOptions {
  hint?: string | undefined;
  status?: number | undefined;
  /** The server's Retry-After (on a 429 or 408), in milliseconds from when it answered. */
  retryAfterMs?: number | undefined;
  cause?: unknown;
  fate?: RequestFate | undefined;
}

/** The exit codes cst ends with, by error code: ERROR_CODES decides, never the thrower. */
export type ExitOf<C extends ErrorCode> = (typeof ERROR_CODES)[C]['exit'][number];

export class CliError extends Error {
  readonly hint: string | undefined;
  /** The HTTP status, for errors from an API response. */
  readonly status: number | undefined;
  /** Only on errors a request ended in: see RequestFate. */
  readonly fate: RequestFate | undefined;
  readonly retryAfterMs: number | undefined;
  /** The code's exit, from ERROR_CODES: its first, or the one `exit` picks among its own. */
  readonly exitCode: number;

  constructor(
    message: string,
    readonly code: ErrorCode,
    /** `exit`: one of the code's own, for a code that has several (interrupted: 130 or 143). */
    options: CliErrorOptions & { exit?: ExitOf<ErrorCode> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    const exits: readonly number[] = ERROR_CODES[code].exit;
    if (options.exit !== undefined && !exits.includes(options.exit))
      throw new Error(`error code ${code} does not exit ${options.exit}`);
    this.exitCode = options.exit ?? exits[0]!;
    this.hint = options.hint;
    this.status = options.status;
    this.fate = options.fate;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** Bad flags, bad arguments, a missing value that could not be prompted for. */
export class UsageError extends CliError {
  constructor(message: string, options: CliErrorOptions = {}) {
    super(message, 'usage', options);
  }
}

/** Required values that were neither given nor could be asked for. */
export class MissingFlagsError extends UsageError {
  constructor(
    readonly flags: string[],
    options: CliErrorOptions = {},
  ) {
    super(`missing required flag${flags.length > 1 ? 's' : ''}: ${flags.join(', ')}`, options);
  }
}

/** Config file, credential or project-selection problems. */
export class ConfigError extends CliError {
  constructor(message: string, code: ErrorCode = 'config', options: CliErrorOptions = {}) {
    super(message, code, options);
  }
}

/** The server answered, and the answer was no. */
export class ApiError extends CliError {}

/** The request failed below HTTP: refused, DNS, TLS, timeout, reset. */
export class NetworkError extends CliError {
  constructor(message: string, code: ErrorCode, options: CliErrorOptions = {}) {
    super(message, code, options);
  }
}

/** The server answered something that does not match the spec. */
export class InvalidResponseError extends CliError {
  /**
   * The 2xx body that failed validation, parsed (undefined when it was not JSON), so that a
   * create can still learn which session it made. It can hold a token: never printed, and not
   * enumerable, so no serialisation of the error carries it.
   */
  declare readonly received: unknown;

  constructor(
    message: string,
    options: CliErrorOptions & { code?: ErrorCode; received?: unknown } = {},
  ) {
    super(message, options.code ?? 'invalid_response', options);
    Object.defineProperty(this, 'received', { value: options.received, enumerable: false });
  }
}

/** Ctrl-C in a prompt or during a request, or SIGTERM. */
export class InterruptedError extends CliError {
  constructor(
    signal: 'SIGINT' | 'SIGTERM' | 'SIGPIPE' = 'SIGINT',
    message = signal === 'SIGPIPE'
      ? 'stopped: stdout was closed (its reader went away)'
      : 'interrupted',
    options: CliErrorOptions = {},
  ) {
    super(message, signal === 'SIGPIPE' ? 'output_closed' : 'interrupted', {
      ...options,
      ...(signal === 'SIGTERM' ? { exit: EXIT.terminated } : {}),
    });
  }
}

/** What a failed write says, without Node's error code: "no space left on device". */
export function ioReason(error: unknown): string {
  const words = IO_WORDS[(error as NodeJS.ErrnoException | null)?.code ?? ''];
  if (words) return words;
  const message = error instanceof Error ? error.message : String(error);
  // Node's file-system messages read "ENOSPC: no space left on device, write".
  const match = /^[A-Z]+: ([^,]+)/.exec(message);
  return match?.[1] ?? message;
}

/** Where Node's own wording is cryptic ("illegal operation on a directory"). */
const IO_WORDS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ELOOP: 'is a symbolic link',
  EROFS: 'read-only file system',
  EPIPE: 'its reader went away (a closed pipe)',
};

/**
 * What to do about a file cst could not write, from what is actually wrong: a full disk is
 * freed, a read-only one or a symbolic link is not. `state`: a file of the state directory,
 * which CST_STATE_DIR moves; else a path the user gave. Undefined where cst cannot tell.
 */
export function ioRemedy(error: unknown, where: 'state' | 'path' = 'path'): string | undefined {
  const own = (error as NodeJS.ErrnoException | null)?.code;
  const code = own ?? (error as { cause?: NodeJS.ErrnoException } | null)?.cause?.code;
  const elsewhere = where === 'state' ? 'point CST_STATE_DIR elsewhere' : 'give another path';
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
    case 'EFBIG':
      return 'free the disk';
    case 'EROFS':
      return `the file system is read-only: ${elsewhere}`;
    case 'EACCES':
    case 'EPERM':
      return `cst may not write there: fix the permissions, or ${elsewhere}`;
    case 'ELOOP':
      return `remove the symbolic link, or ${elsewhere}`;
    case 'EISDIR':
      return `a directory is in its place: move it, or ${elsewhere}`;
    case 'ENOTDIR':
      return `a file is where a directory should be: move it, or ${elsewhere}`;
    default:
      return undefined;
  }
}

/** A command's output could not be written where it was going. */
class OutputError extends CliError {
  constructor(where: string, cause: unknown) {
    super(`cannot write to ${where}: ${ioReason(cause)}`, 'output_failed', { cause });
  }
}

/** Output that never arrived is a failure, not a success; a reader that stopped reading is not. */
export async function flushStdout(stdout: { flush?(): Promise<void> }): Promise<void> {
  try {
    await stdout.flush?.();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EPIPE') return;
    throw new OutputError('stdout', error);
  }
}

/** The server created a session whose token cst could not put where the user asked. */
export class UndeliveredError extends CliError {
  constructor(message: string, options: CliErrorOptions = {}) {
    super(message, 'undelivered', options);
  }
}

/**
 * cst's own state (ledger, journal, lock) could not be written: a full or read-only disk, a
 * symbolic link. The hint says what to do about the actual cause unless one is given.
 */
export class StateWriteError extends CliError {
  constructor(
    what: string,
    readonly path: string,
    cause: unknown,
    options: CliErrorOptions = {},
  ) {
    super(`cannot write ${what} ${path}: ${ioReason(cause)}`, 'state_unwritable', {
      cause,
      hint: ioRemedy(cause, 'state'),
      ...options,
    });
  }
}

/** cst's own state (ledger, sandbox state) exists but cannot be read: permissions, a directory. */
export class StateReadError extends CliError {
  constructor(what: string, path: string, cause: unknown) {
    super(`cannot read ${what} ${path}: ${ioReason(cause)}`, 'state_unreadable', {
      cause,
    });
  }
}
