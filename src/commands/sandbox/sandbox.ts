// `cst sandbox`: registers its subcommands only.
import { Command, Option } from 'commander';
import { type Dispatch, examples } from '../../cmdutil/shared.js';
import type { LinkFlags } from './options.js';
import { serveCommand } from './serve.js';

export function sandboxCommand(run: Dispatch): Command {
  const sandbox = new Command('sandbox')
    .description('Run the built-in StackOne-compatible sandbox')
    .addCommand(serveCommand(run), { isDefault: true })
    .addHelpText(
      'after',
      examples([
        'cst sandbox serve',
        'cst create --sandbox -c hris --owner-id c1 --owner-name "C One"',
      ]),
    );
  sandbox
    .command('link')
    .description('Play the customer finishing the Hub: link an account for a session')
    .argument('[token]', 'the session token (or --token-stdin)')
    .option('--token-stdin', 'read the token from stdin')
    .option('--provider <key>', 'the provider the customer connected (e.g. bamboohr)')
    .addOption(
      new Option('--outcome <outcome>', 'fail or cancel instead of connecting').choices([
        'error',
        'cancelled',
      ]),
    )
    .option('--json', 'print the linked account (or the attempt) as JSON')
    .addHelpText(
      'after',
      examples([
        'cst create --sandbox --owner-id c1 --owner-name C1 --field token | cst sandbox link --token-stdin --provider bamboohr',
        'cst sandbox link --outcome error -- "$TOKEN"   # the customer denied access',
      ]),
    )
    .action(async (token: string | undefined, flags: LinkFlags) =>
      run(
        'sandbox link',
        (await import('./options.js')).parseLinkOptions(token, flags),
        async () => (await import('./run-link.js')).runLink,
      ),
    );
  sandbox
    .command('reset')
    .description("Forget the sandbox's sessions and accounts (keys stay), its ledger and journals")
    .option('-y, --yes', 'do not ask for confirmation (required without a terminal)')
    .option('--json', 'print what was cleared as one JSON object')
    .addHelpText('after', examples(['cst sandbox reset --yes']))
    .action(async (flags: { yes?: boolean; json?: boolean }) =>
      run(
        'sandbox reset',
        (await import('./options.js')).parseResetOptions(flags),
        async () => (await import('./run-link.js')).runReset,
      ),
    );
  return sandbox;
}
