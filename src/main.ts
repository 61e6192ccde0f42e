// Runs cst: the only place that turns errors into exit codes and one-line messages, and the
// only place that touches the process (signals, a closed stdout).
import type { CommandContext } from './connection/connection.js';
import type { Context, OutputStream, StopSignal } from './core/context.js';
import type * as Errors from './core/errors.js';
import type { UsageFailure } from './program.js';

declare const __CST_VERSION__: string;

/** What the process that loads cst offers it (bin/cst.js: its code cache). */
export interface Host {
  /** Called once, just before cst changes V8's flags (see api/undici.ts). */
  beforeV8Flags?: () => void;
}

/** Runs cst and returns the exit code. Never throws. */
export async function main(argv: string[], host: Host = {}): Promise<number> {
  const [{ createContext }, errors, { onBeforeV8Flags }] = await Promise.all([
    import('./core/context.js'),
    import('./core/errors.js'),
    import('./core/runtime.js'),
  ]);
  if (host.beforeV8Flags) onBeforeV8Flags(host.beforeV8Flags);
  const { EXIT } = errors;
  const jsonErrors = wantsJson(argv);
  const base = createContext({
    argv,
    ...(process.argv[1] === undefined ? {} : { executable: process.argv[1] }),
    jsonMessages: jsonErrors,
    // Opening stdin costs start-up time, and most commands never read it.
    stdin: () => process.stdin,
    stdout: trackedStdout(process.stdout),
    stderr: process.stderr,
    env: process.env,
    version: __CST_VERSION__,
    prompter: (ctx) => import('./core/prompter.js').then((m) => m.createPrompter(ctx)),
  });
  // Talking to StackOne loads undici and the config: only when a command first asks.
  const ctx: CommandContext = Object.assign(base, {
    connect: ((flags, options) =>
      import('./connection/connection.js').then((m) =>
        m.connect(ctx, flags, options),
      )) satisfies CommandContext['connect'],
  });
  const detach = attachProcessHandlers(ctx, jsonErrors, errors);
  try {
    const { buildProgram } = await import('./program.js');
    await buildProgram(ctx).parseAsync(tokenAsOperand(argv), { from: 'user' });
    await errors.flushStdout(ctx.stdout);
    return EXIT.ok;
  } catch (error) {
    // --help (and a group's help) ends in commander's exit 0: it still has to reach stdout.
    if (isCommanderError(error) && error.exitCode === 0)
      return errors.flushStdout(ctx.stdout).then(
        () => EXIT.ok,
        (failed: unknown) => report(ctx, failed, jsonErrors, errors),
      );
    return report(ctx, error, jsonErrors, errors);
  } finally {
    detach();
  }
}

function report(ctx: Context, error: unknown, json: boolean, errors: typeof Errors): number {
  const { CliError, EXIT } = errors;
  // A wait's status line or a run's progress, drawn when Ctrl-C came: the error gets its own line.
  ctx.status.clear();
  if (isCommanderError(error)) {
    if (error.exitCode === 0) return EXIT.ok;
    // A command group run without its subcommand: commander has already shown the help.
    if (error.code === 'commander.help') return EXIT.usage;
    // One line: commander puts its "(Did you mean …?)" on a line of its own.
    const message = error.message
      .replace(/^error: /, '')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '')
      .join(' ')
      .replace('(Did you mean', '(did you mean');
    // A token can begin with '-' and then reads as an option: never echo it.
    const tokenLike = TOKEN_AS_OPTION.test(message);
    const command = error.commandPath ?? 'cst';
    write(
      ctx,
      json,
      {
        code: 'usage',
        message: tokenLike ? 'a token was read as an option (it begins with "-")' : message,
        exit: EXIT.usage,
        hint: tokenLike
          ? 'pass the token after --, or better, pipe it in with --token-stdin'
          : `run '${command} --help' for usage`,
      },
      errors,
    );
    return EXIT.usage;
  }
  if (error instanceof CliError) {
    write(
      ctx,
      json,
      {
        code: error.code,
        message: error.message,
        exit: error.exitCode,
        status: error.status,
        hint: error.hint,
      },
      errors,
    );
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  write(ctx, json, { code: 'unexpected', message, exit: EXIT.unexpected }, errors);
  return EXIT.unexpected;
}

/**
 * Commander's complaint about an "option" that is a token: one dash and a long base64url run, or
 * two dashes and a run longer than any flag of cst.
 */
const TOKEN_AS_OPTION = /^unknown option '(-\w[\w-]{19,}|--[\w-]{40,})'/;

/** The commands that take a token as their operand. */
const TAKES_TOKEN = new Set(['inspect', 'wait', 'sandbox link']);
const TOKEN_SHAPE = /^(-\w[\w-]{19,}|--[\w-]{40,})$/;
/** Global flags that take a value, so that `--ca-file x inspect` finds the command. */
const GLOBAL_VALUES = new Set(['--ca-file', '--color']);

/**
 * A token that begins with '-' (base64url tokens do, one in 64) would read as an unknown option:
 * for a command that takes a token, an argument of a token's shape is its operand, moved after
 * `--`. Never an option of cst: no flag is that long.
 */
function tokenAsOperand(argv: readonly string[]): readonly string[] {
  if (argv.includes('--')) return argv;
  let at = 0;
  while (at < argv.length && argv[at]!.startsWith('-')) at += GLOBAL_VALUES.has(argv[at]!) ? 2 : 1;
  const command = argv[at] === 'sandbox' ? `sandbox ${argv[at + 1]}` : argv[at];
  if (command === undefined || !TAKES_TOKEN.has(command)) return argv;
  const tokens = argv.filter((arg, i) => i > at && TOKEN_SHAPE.test(arg));
  if (tokens.length !== 1) return argv;
  return [...argv.filter((arg) => arg !== tokens[0]), '--', tokens[0]!];
}

/** Commander's parse errors, recognised without loading commander on every path. */
function isCommanderError(
  error: unknown,
): error is Error & UsageFailure & { code: string; exitCode: number } {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' && code.startsWith('commander.');
}

interface Report {
  code: string;
  message: string;
  exit: number;
  status?: number | undefined;
  hint?: string | undefined;
}

function write(ctx: Context, json: boolean, unsafe: Report, { visible }: typeof Errors): void {
  // Error messages can quote URLs and server text: never let a secret through.
  const report = {
    ...unsafe,
    message: ctx.redactor.text(unsafe.message),
    hint: unsafe.hint && ctx.redactor.text(unsafe.hint),
  };
  if (json) {
    const { hint, status, ...rest } = report;
    const error = {
      code: rest.code,
      message: rest.message,
      ...(status === undefined ? {} : { status }),
      exit: rest.exit,
      ...(hint === undefined ? {} : { hint }),
    };
    ctx.stderr.write(`${JSON.stringify({ error })}\n`);
    return;
  }
  // Messages can quote a server or a file: no escape sequence of theirs reaches a terminal.
  ctx.stderr.write(`error: ${visible(report.message)}\n`);
  if (report.hint) ctx.stderr.write(`hint: ${visible(report.hint)}\n`);
}

/** JSON-mode errors are decided from argv itself, since they must work when parsing fails. */
function wantsJson(argv: string[]): boolean {
  return argv.some(
    (arg, i) =>
      arg === '--json' ||
      arg === '--output=json' ||
      arg === '-ojson' ||
      ((arg === '-o' || arg === '--output') && argv[i + 1] === 'json'),
  );
}

/** process.stdout, with a way to know that what was written arrived. */
function trackedStdout(stream: NodeJS.WriteStream): OutputStream {
  let outstanding = 0;
  let failure: Error | undefined;
  /** The EPIPE of a reader that went away: what is written after it is dropped. */
  let closed: Error | undefined;
  const waiters: (() => void)[] = [];
  const settle = (error?: Error | null) => {
    outstanding--;
    if ((error as NodeJS.ErrnoException | null | undefined)?.code === 'EPIPE') closed ??= error!;
    else if (error && !closed) failure ??= error;
    if (outstanding === 0) for (const wake of waiters.splice(0)) wake();
  };
  return {
    write(chunk) {
      if (closed) return true;
      outstanding++;
      return stream.write(chunk, settle);
    },
    get isTTY() {
      return stream.isTTY;
    },
    get columns() {
      return stream.columns;
    },
    /** Rejects with EPIPE too: a create must know its token did not arrive. */
    async flush() {
      if (outstanding > 0) await new Promise<void>((resolve) => waiters.push(resolve));
      if (failure) throw failure;
      if (closed) throw closed;
    },
  };
}

/** Signals and a closed stdout, for a real process only. */
function attachProcessHandlers(ctx: Context, json: boolean, errors: typeof Errors): () => void {
  let received = 0;
  const onSignal = (signal: StopSignal) => {
    received++;
    if (received === 1 && ctx.deliverSignal(signal)) return;
    const error = new errors.InterruptedError(signal);
    process.exit(report(ctx, error, json, errors));
  };
  // A reader that went away (`| head -1`): a command that stops gracefully (a bulk run, serve)
  // hears of it as SIGPIPE; any other keeps going with its output dropped and finishes its books
  // (a create then says the token was not delivered, and the ledger still has the session).
  // After main has returned, the error ends the process quietly; so this handler stays for good.
  let running = true;
  const onWriteError = (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' && !running) process.exit(process.exitCode ?? errors.EXIT.ok);
  };
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' && ctx.deliverSignal('SIGPIPE')) return;
    onWriteError(error);
  });
  process.stderr.on('error', onWriteError);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    running = false;
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
