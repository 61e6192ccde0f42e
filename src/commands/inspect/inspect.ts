// `cst inspect`: flags and help only.
import { Command } from 'commander';
import type { CommandContext } from '../../connection.js';
import { addOutputOptions, addTargetOptions, examples } from '../shared.js';
import type { InspectFlags } from './run.js';

export function inspectCommand(ctx: CommandContext): Command {
  const command = new Command('inspect')
    .description('Show the session a token belongs to (POST /connect_sessions/authenticate)')
    .argument('[token]', 'the token (prefer --token-stdin: arguments land in shell history)')
    .option('--token-stdin', 'read the token from stdin');
  addTargetOptions(command);
  addOutputOptions(command);
  return command
    .addHelpText(
      'after',
      examples([
        'pbpaste | cst inspect --token-stdin',
        'cst inspect --token-stdin --json < token.txt',
      ]),
    )
    .action(async (token: string | undefined, flags: InspectFlags) => {
      const { runInspect } = await import('./run.js');
      await runInspect(token, flags, ctx);
    });
}
