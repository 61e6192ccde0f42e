// Builds the program, runs it, and is the only place that turns errors into exit codes and
// one-line messages. Commands are registered here; their heavy code loads when they run.
import { Command, CommanderError, Option } from 'commander';
import { createCommand, type CreateRunner } from './commands/create/create.js';
import { sandboxCommand } from './commands/sandbox/sandbox.js';
import {
  type ColorMode,
  type Context,
  type ContextInit,
  createContext,
  type StopSignal,
} from './context.js';
import { CliError, EXIT, InterruptedError } from './errors.js';

declare const __CST_VERSION__: string;

/** Tests replace runners to see the typed options a command line turns into. */
export interface Runners {
  create?: CreateRunner;
}

export function buildProgram(ctx: Context, runners: Runners = {}): Command {
  const program = new Command('cst')
    .description('Issue and manage StackOne connect session tokens')
    .version(ctx.version, '-V, --version', 'print the version')
    .option('--no-input', 'never prompt; fail on anything missing (env: CST_NO_INPUT=1)')
    .option('--no-color', 'no colour (env: NO_COLOR)')
    .addOption(
      new Option('--color <when>', 'when to use colour').choices(['auto', 'always', 'never']),
    )
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.stdout.write(text),
      writeErr: (text) => ctx.stderr.write(text),
      outputError: () => undefined,
    })
    .hook('preAction', (_program, action) => {
      const globals = action.optsWithGlobals<{
        input: boolean;
        color: boolean | ColorMode | undefined;
      }>();
      ctx.noInput = !globals.input;
      ctx.colorMode =
        globals.color === false
          ? 'never'
          : typeof globals.color === 'string'
            ? globals.color
            : 'auto';
    });
  program.addCommand(createCommand(ctx, runners.create));
  program.addCommand(sandboxCommand(ctx));
  for (const command of program.commands) inheritSettings(command, program);
  return program;
}

function inheritSettings(command: Command, program: Command): void {
  command.exitOverride().configureOutput(program.configureOutput()).showSuggestionAfterError(true);
  for (const child of command.commands) inheritSettings(child, program);
}

/** Runs cst and returns the exit code. Never throws. */
export async function main(argv: string[], init?: Partial<ContextInit>): Promise<number> {
  const ctx = createContext({
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    version: __CST_VERSION__,
    ...init,
  });
  const jsonErrors = wantsJson(argv);
  const detach = init?.stdout ? () => undefined : attachProcessHandlers(ctx, jsonErrors);
  try {
    await buildProgram(ctx).parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    return report(ctx, error, jsonErrors);
  } finally {
    detach();
  }
}

function report(ctx: Context, error: unknown, json: boolean): number {
  if (error instanceof CommanderError) {
    if (error.exitCode === 0) return EXIT.ok;
    const message = error.message.replace(/^error: /, '');
    write(ctx, json, {
      code: 'usage',
      message,
      exit: EXIT.usage,
      hint: "run 'cst --help' for usage",
    });
    return EXIT.usage;
  }
  if (error instanceof CliError) {
    write(ctx, json, {
      code: error.code,
      message: error.message,
      exit: error.exitCode,
      status: error.status,
      hint: error.hint,
    });
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  write(ctx, json, { code: 'unexpected', message, exit: EXIT.unexpected });
  return EXIT.unexpected;
}

interface Report {
  code: string;
  message: string;
  exit: number;
  status?: number | undefined;
  hint?: string | undefined;
}

function write(ctx: Context, json: boolean, report: Report): void {
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
  ctx.stderr.write(`error: ${report.message}\n`);
  if (report.hint) ctx.stderr.write(`hint: ${report.hint}\n`);
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

/** Signals and a closed stdout, for a real process only. */
function attachProcessHandlers(ctx: Context, json: boolean): () => void {
  let received = 0;
  const onSignal = (signal: StopSignal) => {
    received++;
    if (received === 1 && ctx.deliverSignal(signal)) return;
    const error = new InterruptedError(signal);
    process.exit(report(ctx, error, json));
  };
  const onStdoutError = (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok);
    throw error;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.stdout.on('error', onStdoutError);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.stdout.off('error', onStdoutError);
  };
}
