// `cst state`: where cst keeps what it issued when the state is shared (CST_STATE_URL), and
// moving it between that store, the local files and NDJSON.
import { Command } from 'commander';
import { type Dispatch, examples } from '../../cmdutil/shared.js';
import type { Context } from '../../core/context.js';
import { UsageError } from '../../core/errors.js';
import { parseWhen } from '../../core/util/time.js';
import type { StateFlags, StateOptions } from './run.js';

export function stateCommand(ctx: Context, run: Dispatch): Command {
  const state = new Command('state')
    .description(
      'The shared state store (CST_STATE_URL=postgres://…): the ledger and outcomes of every runner',
    )
    .addHelpText(
      'after',
      examples([
        'CST_STATE_URL=postgres://cst@db/cst cst state migrate',
        'cst state push',
        'cst state export --since 30d > state.ndjson',
      ]),
    );
  const runner = () => import('./run.js');
  const options = (flags: StateFlags, file?: string): StateOptions => {
    const since =
      flags.since === undefined ? undefined : parseWhen(flags.since, ctx.now().getTime());
    if (flags.since !== undefined && since === undefined)
      throw new UsageError(
        `--since: "${flags.since}" is neither a date (2026-11-01) nor a duration (7d)`,
      );
    return { json: flags.json === true, since, file };
  };
  state
    .command('migrate')
    .description("Create or upgrade the store's schema to this cst's version (forward only)")
    .option('--json', 'print {store, from, to} as JSON')
    .addHelpText('after', examples(['cst state migrate --json']))
    .action(async (flags: StateFlags) =>
      run('state migrate', options(flags), async () => (await runner()).runStateMigrate),
    );
  state
    .command('push')
    .description(
      'Copy the local ledger and outcomes into the shared store (a second push adds nothing)',
    )
    .option('--json', 'print what was added and what was there already as JSON')
    .action(async (flags: StateFlags) =>
      run('state push', options(flags), async () => (await runner()).runStatePush),
    );
  state
    .command('pull')
    .description("Copy the shared store's ledger and outcomes into the local files")
    .option('--json', 'print what was added and what was there already as JSON')
    .action(async (flags: StateFlags) =>
      run('state pull', options(flags), async () => (await runner()).runStatePull),
    );
  state
    .command('export')
    .description('Print the ledger and outcomes as NDJSON: {"session": …} and {"outcome": …} lines')
    .option('--since <when>', 'only sessions created at or after: a date, or a duration back (30d)')
    .addHelpText('after', examples(['cst state export > state.ndjson']))
    .action(async (flags: StateFlags) =>
      run('state export', options(flags), async () => (await runner()).runStateExport),
    );
  state
    .command('import')
    .description("Merge an export into this machine's store: one record per target and session id")
    .argument('[file]', "a file of 'cst state export' (- or none: stdin)")
    .option('--json', 'print what was added and what was there already as JSON')
    .addHelpText('after', examples(['cst state import state.ndjson']))
    .action(async (file: string | undefined, flags: StateFlags) =>
      run('state import', options(flags, file), async () => (await runner()).runStateImport),
    );
  return state;
}
