// The error taxonomy. Every failure a user can meet is one of these; src/main.ts turns them into
// one line on stderr (or one JSON line) and an exit code. Nothing else decides exit codes.

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
  interrupted: 130,
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
  constructor(signal: 'SIGINT' | 'SIGTERM' = 'SIGINT', message = 'interrupted') {
    super(message, 'interrupted', signal === 'SIGINT' ? EXIT.interrupted : EXIT.terminated);
  }
}
