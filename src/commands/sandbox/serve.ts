import { Command } from 'commander';
import { FAULTS } from '../../sandbox/faults.js';
import { collect, type Dispatch, examples } from '../../cmdutil/shared.js';
import type { ServeFlags } from './options.js';

const DEFAULT_SANDBOX_PORT = 4141;

export function serveCommand(run: Dispatch): Command {
  return new Command('serve')
    .description('Serve the sandbox on 127.0.0.1 in the foreground until Ctrl-C')
    .option('--port <port>', 'port to listen on (0: any free port)', String(DEFAULT_SANDBOX_PORT))
    .option('--json', 'print the base URL and keys as JSON')
    .option('--quiet', 'no line on stderr for each request')
    .option('--latency <duration>', 'delay every answer (tests and benchmarks)')
    .option('--jitter <duration>', 'add up to this much random delay')
    .option(
      '--rate-limit <rate>',
      "requests per key: N/s, N/min (default StackOne's 1000/min; 0: none)",
    )
    .option(
      '--fault <name=p>',
      `inject a fault with probability p (repeatable): ${FAULTS.join(', ')}`,
      collect,
    )
    .option('--seed <n>', 'seed for jitter and faults, so runs repeat', '1')
    .addHelpText(
      'after',
      examples([
        'cst sandbox serve',
        'cst sandbox serve --port 0 --json',
        'cst sandbox serve --latency 25ms --rate-limit 1200/min --fault 503=0.05 --fault reset-after=0.01',
        'CST_BASE_URL=http://127.0.0.1:4141 CST_API_KEY=<key> cst create -c hris --owner-id c1 --owner-name "C1"',
      ]),
    )
    .action(async (flags: ServeFlags) =>
      run(
        'sandbox serve',
        (await import('./options.js')).parseServeOptions(flags),
        async () => (await import('./run-serve.js')).runServe,
      ),
    );
}
