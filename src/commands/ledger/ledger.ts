// `cst ledger`: where the record of issued sessions lives, and keeping it small.
import { Command } from 'commander';
import type { Context } from '../../core/context.js';
import { type Dispatch, examples } from '../../cmdutil/shared.js';
import type { LedgerFlags } from './options.js';

export function ledgerCommand(ctx: Context, run: Dispatch): Command {
  const ledger = new Command('ledger')
    .description("cst's local record of the sessions it issued (no secrets)")
    .addHelpText('after', examples(['cst ledger path', 'cst ledger prune --before 90d']));
  ledger
    .command('path')
    .description('Print the path of the ledger file')
    .option('--sandbox', 'the ledger of sandbox sessions')
    .addHelpText('after', examples(['wc -l "$(cst ledger path)"']))
    .action(async (flags: LedgerFlags) =>
      run(
        'ledger path',
        (await import('./options.js')).parseLedgerPathOptions(flags),
        async () => (await import('./run.js')).runLedgerPath,
      ),
    );
  ledger
    .command('prune')
    .description('Remove records of sessions created before a date or duration')
    .requiredOption('--before <when>', 'a date (2026-01-01) or a duration back from now (90d)')
    .option('--sandbox', 'prune the ledger of sandbox sessions')
    .option('--json', 'print {removed, kept} as JSON')
    .option('-y, --yes', 'do not ask for confirmation (required without a terminal)')
    .option('--dry-run', 'say how many records would go; remove nothing')
    .addHelpText(
      'after',
      examples(['cst ledger prune --before 90d --dry-run', 'cst ledger prune --before 90d --yes']),
    )
    .action(async (flags: LedgerFlags) =>
      run(
        'ledger prune',
        (await import('./options.js')).parseLedgerPruneOptions(flags, ctx.now().getTime()),
        async () => (await import('./run.js')).runLedgerPrune,
      ),
    );
  return ledger;
}
