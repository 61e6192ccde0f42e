// The command tree. Commander and the command definitions only: every command's own code is
// imported when it runs, so `--help` stays fast.
import { Command, Help, Option } from 'commander';
import { accountsCommand } from './commands/accounts/accounts.js';
import { connectorProfilesCommand } from './commands/connector-profiles/connector-profiles.js';
import { completeCommand, completionCommand } from './commands/completion/completion.js';
import { helpCommand } from './commands/help/help.js';
import { type Dispatch, examples } from './cmdutil/shared.js';
import { configCommand } from './commands/config/config.js';
import { doctorCommand } from './commands/doctor/doctor.js';
import { createCommand } from './commands/create/create.js';
import { inspectCommand } from './commands/inspect/inspect.js';
import { waitCommand } from './commands/wait/wait.js';
import { journalCommand } from './commands/journal/journal.js';
import { ledgerCommand } from './commands/ledger/ledger.js';
import { listCommand } from './commands/list/list.js';
import { mcpCommand } from './commands/mcp/mcp.js';
import { stateCommand } from './commands/state/state.js';
import { sandboxCommand } from './commands/sandbox/sandbox.js';
import type { CommandContext } from './connection/connection.js';
import { type ColorMode, envValue } from './core/context.js';

/** Tests pass their own dispatch to see the typed options a command line turns into. */
export function buildProgram(ctx: CommandContext, dispatch?: Dispatch): Command {
  const run: Dispatch =
    dispatch ?? (async (_command, options, load) => (await load())(options, ctx));
  const program = new Command('cst')
    .description('Issue and manage StackOne connect session tokens')
    .version(ctx.version, '-V, --version', 'print the version')
    .option('--no-input', 'never prompt, fail instead (env: CST_NO_INPUT=1)')
    .option('--debug', 'requests on stderr, redacted (env: CST_DEBUG=1)')
    .option('--ca-file <pem>', 'also trust the CAs in this PEM file')
    .option('--no-color', 'no colour (env: NO_COLOR)')
    .addOption(new Option('--color <when>', 'colour').choices(['auto', 'always', 'never']))
    .showSuggestionAfterError(true)
    // A command's help also lists the flags every command takes (--debug, --no-input, …), but
    // not --version, which only `cst --version` answers.
    .configureHelp({
      showGlobalOptions: true,
      visibleGlobalOptions(command) {
        return Help.prototype.visibleGlobalOptions
          .call(this, command)
          .filter((option) => option.long !== '--version');
      },
    })
    .addHelpText(
      'after',
      examples([
        'cst create --sandbox -c hris,ats --owner-id cus_42 --owner-name "Acme Ltd"',
        'cst list --since 7d --linked',
        'cst create --from-file customers.csv --results links.csv',
        'cst help environment',
      ]),
    )
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
        debug?: boolean;
        caFile?: string;
      }>();
      const debugEnv = envValue(ctx.env, 'CST_DEBUG');
      ctx.start({
        caFile: globals.caFile,
        noInput: !globals.input,
        debug:
          globals.debug === true ||
          (debugEnv !== undefined && debugEnv !== '0' && debugEnv !== 'false'),
        color:
          globals.color === false
            ? 'never'
            : typeof globals.color === 'string'
              ? globals.color
              : 'auto',
      });
    });
  program.addCommand(createCommand(run));
  program.addCommand(listCommand(ctx, run));
  program.addCommand(inspectCommand(run));
  program.addCommand(waitCommand(run));
  program.addCommand(ledgerCommand(ctx, run));
  program.addCommand(journalCommand(run));
  program.addCommand(accountsCommand(run));
  program.addCommand(connectorProfilesCommand(run));
  program.addCommand(configCommand(run));
  program.addCommand(doctorCommand(run));
  program.addCommand(mcpCommand(run));
  program.addCommand(stateCommand(ctx, run));
  program.addCommand(completionCommand(ctx));
  program.addCommand(
    completeCommand(ctx, () => program),
    { hidden: true },
  );
  program.helpCommand(false);
  program.addCommand(helpCommand(ctx, () => program));
  program.addCommand(sandboxCommand(run));
  for (const command of program.commands) inheritSettings(command, program, 'cst');
  helpIsNotAnError(program);
  return program;
}

/**
 * A bare `cst`, `cst accounts` or `cst config` is someone looking around, not failing: its help
 * goes to stdout with exit 0, as gh does. Commander calls help({ error: true }) for a group
 * run without its subcommand; every other use of help stays as it is.
 */
function helpIsNotAnError(command: Command): void {
  if (command.commands.length === 0) return;
  const help = command.help.bind(command);
  command.help = ((context?: { error: boolean }) =>
    help(context?.error && command.args.length === 0 ? undefined : context)) as Command['help'];
  for (const sub of command.commands) helpIsNotAnError(sub);
}

/** A parse error, with the command line whose help would have helped ("cst config add"). */
export interface UsageFailure {
  commandPath?: string;
}

function inheritSettings(command: Command, program: Command, parentPath: string): void {
  const path = `${parentPath} ${command.name()}`;
  command
    .exitOverride((error) => {
      throw Object.assign(error, { commandPath: path } satisfies UsageFailure);
    })
    .configureOutput(program.configureOutput())
    .configureHelp(program.configureHelp())
    .showSuggestionAfterError(true);
  for (const child of command.commands) inheritSettings(child, program, path);
}
