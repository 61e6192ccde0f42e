// `cst journal`: the journals of bulk runs (in the state directory), seen and started over.
// Flags and help only; the code loads on use.
import { Command } from 'commander';
import { LIST_FORMATS } from '../../core/output/format.js';
import { addOutputOptions, type Dispatch, examples } from '../../cmdutil/shared.js';
import type { JournalFlags } from './options.js';

export function journalCommand(run: Dispatch): Command {
  const journal = new Command('journal')
    .description('The journals bulk runs keep to resume: list them, or start an input over')
    .addHelpText('after', examples(['cst journal list', 'cst journal reset 3f2a9c0d1e4b5a67']));
  journal.addCommand(
    addOutputOptions(
      new Command('list').description(
        'Each journal: its id, input file, target, rows by state and last run',
      ),
      LIST_FORMATS,
    ).action(async (flags: JournalFlags) =>
      run(
        'journal list',
        (await import('./options.js')).parseJournalListOptions(flags),
        async () => (await import('./run.js')).runJournalList,
      ),
    ),
  );
  journal
    .command('reset')
    .description('Forget a journal: the next run of its input sends every row again')
    .argument('<id>', "the journal's id, from cst journal list")
    .option('-y, --yes', 'do not ask for confirmation (required without a terminal)')
    .option('--json', 'print the journal forgotten as one JSON object')
    .action(async (id: string, flags: JournalFlags) =>
      run(
        'journal reset',
        (await import('./options.js')).parseJournalResetOptions(id, flags),
        async () => (await import('./run.js')).runJournalReset,
      ),
    );
  return journal;
}
