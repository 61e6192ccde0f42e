// `cst inspect`: flags and help only.
import { Command } from 'commander';
import {
  addOutputOptions,
  addTargetOptions,
  type Dispatch,
  examples,
} from '../../cmdutil/shared.js';
import type { InspectFlags } from './options.js';

export function inspectCommand(run: Dispatch): Command {
  const command = new Command('inspect')
    .description(
      'Show the session a token belongs to (POST /connect_sessions/authenticate), or a session by its id',
    )
    .argument('[token]', 'the token (prefer --token-stdin: arguments land in shell history)')
    .option('--token-stdin', 'read the token from stdin')
    .option(
      '--session <id>',
      'read a session back by its id instead (GET /connect_sessions/{id}): no token needed',
    );
  addTargetOptions(command);
  addOutputOptions(command);
  return command
    .addHelpText(
      'after',
      examples([
        'pbpaste | cst inspect --token-stdin',
        'cst inspect --token-stdin --json < token.txt',
        'cst inspect --session 1234 --field latest_connection_attempt',
      ]),
    )
    .action(async (token: string | undefined, flags: InspectFlags) => {
      const { parseInspectOptions } = await import('./options.js');
      await run(
        'inspect',
        parseInspectOptions(token, flags),
        async () => (await import('./run.js')).runInspect,
      );
    });
}
