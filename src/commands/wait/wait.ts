// `cst wait`: flags and help only.
import { Command } from 'commander';
import { DURATION_HELP } from '../../core/util/duration.js';
import {
  addOutputOptions,
  addTargetOptions,
  type Dispatch,
  examples,
  FLAG_DEFAULTS,
} from '../../cmdutil/shared.js';
import type { WaitFlags } from './options.js';

export function waitCommand(run: Dispatch): Command {
  const command = new Command('wait')
    .description(
      'Wait until the customer finishes the Hub: exit 0 when an account is linked, 13 when the link failed or was cancelled, 14 when it expired',
    )
    .argument(
      '[token]',
      'the session token (prefer --token-stdin: arguments land in shell history)',
    )
    .option('--token-stdin', 'read the token from stdin')
    .option(
      '--session <id>',
      'a session from the ledger; cst keeps no tokens, so it watches for the owner’s new account',
    )
    .option(
      '--interval <duration>',
      `time between polls, with jitter: ${DURATION_HELP}`,
      FLAG_DEFAULTS.interval,
    )
    .option(
      '--wait-timeout <duration>',
      'give up after this long (exit 15); 0 waits until the link expires',
      FLAG_DEFAULTS.waitTimeout,
    );
  addTargetOptions(command);
  addOutputOptions(command);
  return command
    .addHelpText(
      'after',
      examples([
        'cst create -c hris --owner-id cus_42 --owner-name "Acme Ltd" --field token | cst wait --token-stdin',
        'cst wait --session 1234 --wait-timeout 0',
        'cst create --sandbox -c hris --owner-id c1 --owner-name "C One" --wait',
      ]),
    )
    .action(async (token: string | undefined, flags: WaitFlags) => {
      const { parseWaitOptions } = await import('./options.js');
      await run(
        'wait',
        parseWaitOptions(token, flags),
        async () => (await import('./run.js')).runWait,
      );
    });
}
