// `cst create`: flags and help only. Everything heavy is imported when the command runs.
import { Command, Option } from 'commander';
import { CATEGORIES, SESSION_TYPES } from '../../api/constants.js';
import type { Context } from '../../context.js';
import { DURATION_HELP } from '../../util/duration.js';
import { addOutputOptions, addTargetOptions, collect, examples } from '../shared.js';
import type { CreateFlags, CreateOptions } from './options.js';

export type CreateRunner = (options: CreateOptions, ctx: Context) => Promise<void>;

export function createCommand(ctx: Context, run?: CreateRunner): Command {
  const command = new Command('create')
    .description('Create a connect session and print its token and auth link')
    .option('--owner-id <id>', 'your identifier for the customer (origin_owner_id, required)')
    .option('--owner-name <name>', "the customer's name (origin_owner_name, required)")
    .option(
      '-c, --categories <list>',
      `comma-separated categories: ${CATEGORIES.join(', ')}`,
      collect,
    )
    .option('--provider <key>', 'open the Hub on this provider (e.g. bamboohr)')
    .option('--username <name>', 'origin_username: who at the customer is connecting')
    .option('--account-id <id>', 'edit this existing linked account instead of creating one')
    .option('--label <text>', 'label applied to the linked account')
    .option(
      '--expires-in <duration>',
      `how long the token stays valid: ${DURATION_HELP} (StackOne's default: 30m)`,
    )
    .option('--metadata <key=value>', 'metadata entry (repeatable)', collect)
    .option('--metadata-json <json>', 'metadata as a JSON object')
    .option('--multiple', 'allow several accounts for the same owner and provider')
    .option('--no-multiple', 'send multiple: false')
    .addOption(new Option('--type <type>', 'account type').choices(SESSION_TYPES))
    .option('--integration-id <id>', 'integration to use')
    .option('--body-json <json>', 'extra request fields, merged last (for fields newer than cst)')
    .option(
      '--from-session <id>',
      'reissue: owner, categories, provider, label and type of a session cst issued',
    );
  addTargetOptions(command);
  addOutputOptions(command);
  return command
    .addHelpText(
      'after',
      examples([
        'cst create --sandbox --categories hris,ats --owner-id cus_42 --owner-name "Acme Ltd"',
        'cst create --org acme --project prod -c hris --owner-id cus_42 --owner-name "Acme Ltd" --expires-in 12h',
        'TOKEN=$(cst create -c ats --owner-id cus_42 --owner-name "Acme Ltd" --field token)',
        'cst create --owner-id cus_42 --owner-name "Acme Ltd" --metadata plan=pro --json',
        'cst create --from-session 1234 --expires-in 2d   # the link expired: issue a new one',
      ]),
    )
    .action(async (flags: CreateFlags) => {
      const { parseCreateOptions } = await import('./options.js');
      const options = parseCreateOptions(flags);
      await (run ?? (await import('./run.js')).runCreate)(options, ctx);
    });
}
