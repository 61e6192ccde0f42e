import { Command } from 'commander';
import type { Context } from '../../context.js';
import { examples } from '../shared.js';

export const DEFAULT_SANDBOX_PORT = 4141;

export interface ServeFlags {
  port: string;
  json?: boolean;
}

export function serveCommand(ctx: Context): Command {
  return new Command('serve')
    .description('Serve the sandbox on 127.0.0.1 in the foreground until Ctrl-C')
    .option('--port <port>', 'port to listen on (0: any free port)', String(DEFAULT_SANDBOX_PORT))
    .option('--json', 'print the base URL and keys as JSON')
    .addHelpText(
      'after',
      examples([
        'cst sandbox serve',
        'cst sandbox serve --port 0 --json',
        'CST_BASE_URL=http://127.0.0.1:4141 CST_API_KEY=<key> cst create -c hris --owner-id c1 --owner-name "C1"',
      ]),
    )
    .action(async (flags: ServeFlags) => {
      const { runServe } = await import('./run-serve.js');
      await runServe(flags, ctx);
    });
}
