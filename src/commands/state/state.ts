// `cst state`: where cst keeps what it issued when the state is shared (CST_STATE_URL).
import { Command } from 'commander';
import { type Dispatch, examples } from '../../cmdutil/shared.js';
import type { StateFlags } from './run.js';

export function stateCommand(run: Dispatch): Command {
  const state = new Command('state')
    .description(
      'The shared state store (CST_STATE_URL=postgres://…): the ledger and outcomes of every runner',
    )
    .addHelpText('after', examples(['CST_STATE_URL=postgres://cst@db/cst cst state migrate']));
  state
    .command('migrate')
    .description("Create or upgrade the store's schema to this cst's version (forward only)")
    .option('--json', 'print {store, from, to} as JSON')
    .addHelpText('after', examples(['cst state migrate --json']))
    .action(async (flags: StateFlags) =>
      run(
        'state migrate',
        { json: flags.json === true },
        async () => (await import('./run.js')).runStateMigrate,
      ),
    );
  return state;
}
