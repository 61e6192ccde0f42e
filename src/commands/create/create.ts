// `cst create`: flags and help only. Everything heavy is imported when the command runs.
import { Command, Option } from 'commander';
import { FLAGGED_FIELDS, type FlaggedField } from '../../api/request-fields.js';
import { RESULT_COLUMNS } from '../../session/bulk/columns.js';
import { CREATE_FORMATS } from '../../core/output/format.js';
import {
  addOutputOptions,
  addTargetOptions,
  BULK_GROUP,
  collect,
  type Dispatch,
  examples,
  FLAG_DEFAULTS,
} from '../../cmdutil/shared.js';
import type { CreateFlags } from './options.js';

export function createCommand(run: Dispatch): Command {
  const command = new Command('create').description(
    'Create a connect session and print its token and auth link',
  );
  // Headings as gh and stripe have them: what the session is, how it reaches the customer,
  // waiting for them, many at once, where it goes, how it prints.
  command.optionsGroup('Session options:');
  for (const field of FLAGGED_FIELDS) addRequestFlags(command, field);
  command
    .option('--body-json <json>', 'extra request fields, merged last (unchecked)')
    .option('--from-session <id>', 'reissue: the owner, categories, … of that session')
    .option('--dry-run', 'print the exact requests as JSON and send nothing');
  command
    .optionsGroup('Hand-off options:')
    .option('--copy', 'copy the auth link to the clipboard (OSC 52)')
    .option('--open', 'open the auth link in the default browser');
  command
    .optionsGroup('Wait options:')
    .option('--wait', 'then wait until the customer links an account')
    .option('--interval <duration>', `time between polls (default: ${FLAG_DEFAULTS.interval})`)
    .option(
      '--wait-timeout <duration>',
      `give up then, exit 15 (default: ${FLAG_DEFAULTS.waitTimeout}; 0: never)`,
    );
  command
    .optionsGroup(BULK_GROUP)
    .option('--from-file <path>', 'one session per CSV or NDJSON row (- for stdin)')
    .option('--results <file>', 'append tokens and auth links to this 0600 file');
  // The rest of the bulk flags: in `cst help bulk`, so that this help fits a screen.
  const bulk = (flags: string, description: string, defaultValue?: string) =>
    command.addOption(new Option(flags, description).default(defaultValue).hideHelp());
  bulk('--columns <list>', `columns of the results file: ${RESULT_COLUMNS.join(',')}`);
  bulk('--show-secrets', 'print tokens and auth links on stdout too');
  bulk('--strict', 'validate every row first; send nothing if any is bad');
  bulk('--concurrency <n>', 'requests in flight at once', FLAG_DEFAULTS.concurrency);
  bulk('--rate <rate>', 'at most N/s, N/min, N/h (0: unlimited)', FLAG_DEFAULTS.rate);
  bulk(
    '--max-network-failures <n>',
    'stop after this many network failures in a row',
    FLAG_DEFAULTS.maxNetworkFailures,
  );
  bulk('--journal <path>', 'where row states are kept for resuming (required with stdin)');
  bulk('--retry-unknown', 'send again rows whose earlier outcome is unknown (may duplicate)');
  bulk('--shard <mode>', 'auto: split the rows with other runners through the shared store');
  bulk(
    '--lease <duration>',
    "with a shared store: how long a runner's claimed rows stay its own without word from it",
    FLAG_DEFAULTS.lease,
  );
  bulk('--force', 'allow --results to be a symbolic link');
  command.optionsGroup('Target options:');
  addTargetOptions(command);
  command.optionsGroup('Output options:');
  addOutputOptions(command, CREATE_FORMATS, 'output format (csv, ndjson: bulk only)');
  command.addHelpOption(new Option('-h, --help', 'show this help'));
  return command
    .addHelpText(
      'after',
      examples([
        'cst create --sandbox -c hris,ats --owner-id cus_42 --owner-name "Acme Ltd"',
        'TOKEN=$(cst create -c ats --owner-id cus_42 --owner-name "Acme" --field token)',
        'cst create --from-session 1234 --expires-in 2d   # the link expired',
      ]),
    )
    .action(async (flags: CreateFlags) => {
      const { parseCreateOptions } = await import('./options.js');
      await run(
        'create',
        parseCreateOptions(flags, bulkFlagsGiven(command)),
        async () => (await import('./run.js')).runCreate,
      );
    });
}

/**
 * The flags of the bulk group given on the command line. One with a default (--concurrency,
 * --rate, --max-network-failures) has a value either way and is not asked about.
 */
function bulkFlagsGiven(command: Command): string[] {
  return command.options
    .filter(
      (option) =>
        option.helpGroupHeading === BULK_GROUP &&
        option.long !== '--from-file' &&
        option.defaultValue === undefined &&
        command.getOptionValueSource(option.attributeName()) === 'cli',
    )
    .map((option) => option.long ?? option.flags);
}

/**
 * A request field's flags, as its row in the field table declares them. The second spelling of a
 * pair (`--no-multiple`, `--metadata-json`) and a deprecated flag work, out of the help: the
 * first's help names the second.
 */
function addRequestFlags(command: Command, field: FlaggedField): void {
  const { flag } = field;
  const [help, second] = typeof flag.help === 'string' ? [flag.help, undefined] : flag.help;
  const name = `${flag.short ? `-${flag.short}, ` : ''}--${flag.name}${flag.value ? ` ${flag.value}` : ''}`;
  const hidden = (option: Option) => command.addOption(option.hideHelp());
  switch (field.kind) {
    case 'boolean':
      command.option(name, help);
      hidden(new Option(`--no-${flag.name}`, second ?? ''));
      return;
    case 'object':
      command.option(name, help, collect);
      hidden(new Option(`--${flag.name}-json <json>`, second ?? ''));
      return;
    case 'categories':
      command.option(name, help, collect);
      return;
    case 'choice':
      command.addOption(new Option(name, help).choices(field.choices ?? []));
      return;
    default:
      if ('deprecatedFor' in field) hidden(new Option(name, help));
      else command.option(name, help);
  }
}
