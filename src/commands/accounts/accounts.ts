// `cst accounts`: StackOne's linked accounts. Registers the verbs; each loads its code on use.
import { Command, Option } from 'commander';
import { LIST_FORMATS } from '../../core/output/format.js';
import {
  addOutputOptions,
  addTargetOptions,
  collect,
  type Dispatch,
  examples,
} from '../../cmdutil/shared.js';
import type { AccountsFlags } from './options.js';

const VERB_EXAMPLES = {
  get: 'cst accounts get acc_123 --json',
  meta: 'cst accounts meta acc_123',
  update: 'cst accounts update acc_123 --label "Acme HR (prod)" --connector-profile cp_123',
  delete: 'cst accounts delete acc_123 --yes',
};

export function accountsCommand(run: Dispatch): Command {
  const accounts = new Command('accounts')
    .description('Linked accounts: what customers connected')
    .addHelpText(
      'after',
      examples(['cst accounts list --owner-id cus_42', 'cst accounts get acc_123']),
    );
  const options = () => import('./options.js');
  const runners = () => import('./run.js');
  const common = (command: Command) => {
    addTargetOptions(command);
    return command.option(
      '--show-credentials',
      'show credentials and setup_information (provider secrets)',
    );
  };

  const list = common(new Command('list').description('List linked accounts (GET /accounts)'))
    .option('--provider <key>', 'only this provider (repeatable)', collect)
    .option('--owner-id <id>', 'only this owner (repeatable)', collect)
    .option('--account-id <id>', 'only this account (repeatable)', collect)
    .option('--status <status>', 'only this status (repeatable)', collect)
    .option(
      '--connector-profile <id>',
      'only accounts of this connector profile (filtered by cst: GET /accounts has no such filter, so every page is read)',
    )
    .option('--page-size <n>', 'accounts per request', '25')
    .option('--limit <n>', 'show at most this many', '50')
    .option('--all', 'walk every page')
    .addOption(new Option('-o, --output <format>', 'output format').choices(LIST_FORMATS))
    .option('--json', 'print one JSON array')
    .option('--field <name>', 'print one field of each account, one per line')
    .addHelpText(
      'after',
      examples([
        'cst accounts list --owner-id cus_42',
        'cst accounts list --provider bamboohr --status active --all --json',
      ]),
    )
    .action(async (flags: AccountsFlags) =>
      run(
        'accounts list',
        (await options()).parseAccountsListOptions(flags),
        async () => (await runners()).runAccountsList,
      ),
    );

  const one = (name: 'get' | 'meta' | 'update' | 'delete', description: string) =>
    addOutputOptions(
      common(new Command(name).description(description).argument('<id>', 'account id')),
    ).addHelpText('after', examples([VERB_EXAMPLES[name]]));

  accounts.addCommand(list);
  accounts.addCommand(
    one('get', 'Show one linked account').action(async (id: string, flags: AccountsFlags) =>
      run(
        'accounts get',
        (await options()).parseAccountOptions(id, flags),
        async () => (await runners()).runAccountGet,
      ),
    ),
  );
  accounts.addCommand(
    one(
      'meta',
      "Show an account's provider, category and models (GET /accounts/{id}/meta: legacy in StackOne's newest SDKs)",
    ).action(async (id: string, flags: AccountsFlags) => {
      const { parseAccountOptions } = await options();
      const { META_FIELDS } = await import('../../cmdutil/fields.js');
      await run(
        'accounts meta',
        parseAccountOptions(id, flags, META_FIELDS),
        async () => (await runners()).runAccountMeta,
      );
    }),
  );
  accounts.addCommand(
    one('update', "Change an account's label, connector profile or sharing (PATCH /accounts/{id})")
      .option('--label <text>', 'the new label ("" clears it)')
      .option('--connector-profile <id>', 'move the account to this connector profile')
      .option('--shared', 'share the account across the project')
      .option('--no-shared', 'stop sharing it')
      .action(async (id: string, flags: AccountsFlags) =>
        run(
          'accounts update',
          (await options()).parseAccountUpdateOptions(id, flags),
          async () => (await runners()).runAccountUpdate,
        ),
      ),
  );
  accounts.addCommand(
    one('delete', 'Delete a linked account: the customer has to connect again')
      .option('-y, --yes', 'do not ask for confirmation (required without a terminal)')
      .option('--dry-run', 'show the account that would be deleted; delete nothing')
      .action(async (id: string, flags: AccountsFlags) =>
        run(
          'accounts delete',
          (await options()).parseAccountDeleteOptions(id, flags),
          async () => (await runners()).runAccountDelete,
        ),
      ),
  );
  return accounts;
}
