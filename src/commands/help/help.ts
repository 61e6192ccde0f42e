// `cst help [command|topic]`: commander's help for commands, and a few topics besides.
import { Command } from 'commander';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { examples } from '../shared.js';

export const TOPIC_NAMES = ['environment', 'exit-codes', 'formatting'] as const;

export function helpCommand(ctx: Context, program: () => Command): Command {
  return new Command('help')
    .description(`Help for a command, or a topic: ${TOPIC_NAMES.join(', ')}`)
    .argument('[name...]', 'a command (e.g. "accounts list") or a topic')
    .addHelpText('after', examples(['cst help exit-codes', 'cst help accounts list']))
    .action(async (names: string[]) => {
      if (names.length === 1 && (TOPIC_NAMES as readonly string[]).includes(names[0]!)) {
        const { TOPICS } = await import('./topics.js');
        ctx.stdout.write(TOPICS[names[0]!]!);
        return;
      }
      let command = program();
      for (const name of names) {
        const sub = command.commands.find((c) => c.name() === name || c.aliases().includes(name));
        if (!sub)
          throw new UsageError(`no command or help topic "${names.join(' ')}"`, {
            hint: `topics: ${TOPIC_NAMES.join(', ')}`,
          });
        command = sub;
      }
      ctx.stdout.write(command.helpInformation());
    });
}
