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

export interface CliErrorOptions {
  hint?: string | undefined;
  status?: number | undefined;
  cause?: unknown;
}

export class CliError extends Error {
  readonly hint: string | undefined;
  readonly status: number | undefined;

  constructor(
    message: string,
    readonly code: string,
    readonly exitCode: number,
    options: CliErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.hint = options.hint;
    this.status = options.status;
  }
}

/** Bad flags, bad arguments, a missing value that could not be prompted for. */
export class UsageError extends CliError {
  constructor(message: string, options: CliErrorOptions = {}) {
    super(message, 'usage', EXIT.usage, options);
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
  constructor(message: string, code = 'config', options: CliErrorOptions = {}) {
    super(message, code, EXIT.config, options);
  }
}

/** The server answered, and the answer was no. */
export class ApiError extends CliError {}

/** The request failed below HTTP: refused, DNS, TLS, timeout, reset. */
export class NetworkError extends CliError {
  constructor(message: string, code = 'network', options: CliErrorOptions = {}) {
    super(message, code, EXIT.network, options);
  }
}

/** The server answered something that does not match the spec. */
export class InvalidResponseError extends CliError {
  constructor(message: string, options: CliErrorOptions & { code?: string } = {}) {
    super(message, options.code ?? 'invalid_response', EXIT.invalidResponse, options);
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
    super(
      message,
      signal === 'SIGPIPE' ? 'output_closed' : 'interrupted',
      signal === 'SIGINT'
        ? EXIT.interrupted
        : signal === 'SIGPIPE'
          ? EXIT.outputClosed
          : EXIT.terminated,
      options,
    );
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
};

/** A command's output could not be written where it was going. */
export class OutputError extends CliError {
  constructor(where: string, cause: unknown) {
    super(`cannot write to ${where}: ${ioReason(cause)}`, 'output_failed', EXIT.unexpected, {
      cause,
    });
  }
}

/** The server created a session whose token cst could not put where the user asked. */
export class UndeliveredError extends CliError {
  constructor(message: string, options: CliErrorOptions = {}) {
    super(message, 'undelivered', EXIT.undelivered, options);
  }
}

/** cst's own state (ledger, journal, lock) could not be written: a full or read-only disk. */
export class StateWriteError extends CliError {
  constructor(what: string, path: string, cause: unknown, options: CliErrorOptions = {}) {
    super(
      `cannot write ${what} ${path}: ${ioReason(cause)}`,
      'state_unwritable',
      EXIT.stateUnwritable,
      {
        cause,
        ...options,
      },
    );
  }
}
