// `cst sandbox`: registers its subcommands only.
import { Command } from 'commander';
import type { Context } from '../../context.js';
import { serveCommand } from './serve.js';

export function sandboxCommand(ctx: Context): Command {
  return new Command('sandbox')
    .description('Run the built-in StackOne-compatible sandbox')
    .addCommand(serveCommand(ctx), { isDefault: true });
}
