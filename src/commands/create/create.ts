// `cst create`: flags and help only. Everything heavy is imported when the command runs.
import { Command, Option } from 'commander';
import { FLAGGED_FIELDS, type FlaggedField } from '../../api/request-fields.js';
import { DEFAULT_RATE } from '../../bulk/pacer.js';
import { RESULT_COLUMNS } from '../../bulk/columns.js';
import { CREATE_FORMATS } from '../../output/format.js';
import { addOutputOptions, addTargetOptions, collect, type Dispatch, examples } from '../shared.js';
import type { CreateFlags } from './options.js';

export function createCommand(run: Dispatch): Command {
  const command = new Command('create').description(
    'Create a connect session and print its token and auth link',
  );
  for (const field of FLAGGED_FIELDS) addRequestFlags(command, field);
  command
    .option('--body-json <json>', 'extra request fields, merged last (for fields newer than cst)')
    .option(
      '--from-session <id>',
      'reissue: owner, categories, provider, label and type of a session cst issued',
    );
  command
    .option('--copy', 'put the auth link on the clipboard, through the terminal (OSC 52)')
    .option('--open', 'open the auth link in the default browser')
    .option('--wait', 'then wait until the customer links an account (as cst wait)')
    .option('--interval <duration>', 'with --wait: time between polls', '3s')
    .option(
      '--wait-timeout <duration>',
      'with --wait: give up after this long (exit 15); 0 waits until the link expires',
      '15m',
    )
    .option('--dry-run', 'print the exact requests as JSON and send nothing')
    .option(
      '--from-file <path>',
      'bulk: one session per row of a CSV or NDJSON file (- for stdin); flags are defaults',
    )
    .option(
      '--results <file>',
      'bulk: append tokens and auth links to this 0600 file (.csv or NDJSON)',
    )
    .option('--columns <list>', `bulk: columns of the results file: ${RESULT_COLUMNS.join(',')}`)
    .option('--show-secrets', 'bulk: print tokens and auth links on stdout too')
    .option('--strict', 'bulk: validate every row first; send nothing if any is bad')
    .option('--concurrency <n>', 'bulk: requests in flight at once', '8')
    .option('--rate <rate>', 'bulk: at most N/s, N/min, N/h (0: unlimited)', DEFAULT_RATE)
    .option(
      '--max-network-failures <n>',
      'bulk: stop after this many network failures in a row',
      '10',
    )
    .option(
      '--journal <path>',
      'bulk: where row states are kept for resuming (required with stdin)',
    )
    .option(
      '--retry-unknown',
      'bulk: send again rows whose earlier outcome is unknown (may duplicate)',
    )
    .option('--force', 'bulk: allow --results to be a symbolic link');
  addTargetOptions(command);
  addOutputOptions(command, CREATE_FORMATS, 'output format (csv and ndjson: bulk runs only)');
  return command
    .addHelpText(
      'after',
      examples([
        'cst create --sandbox --categories hris,ats --owner-id cus_42 --owner-name "Acme Ltd"',
        'cst create --org acme --project prod -c hris --owner-id cus_42 --owner-name "Acme Ltd" --expires-in 12h',
        'TOKEN=$(cst create -c ats --owner-id cus_42 --owner-name "Acme Ltd" --field token)',
        'cst create --owner-id cus_42 --owner-name "Acme Ltd" --metadata plan=pro --json',
        'cst create --from-session 1234 --expires-in 2d   # the link expired: issue a new one',
        'cst create --from-file customers.csv -c hris,ats --results links.csv   # CI provisioning',
      ]),
    )
    .action(async (flags: CreateFlags) => {
      const { parseCreateOptions } = await import('./options.js');
      await run(
        'create',
        parseCreateOptions(flags),
        async () => (await import('./run.js')).runCreate,
      );
    });
}

/** A request field's flags, as its row in the field table declares them. */
function addRequestFlags(command: Command, field: FlaggedField): void {
  const { flag } = field;
  const [help, second] = typeof flag.help === 'string' ? [flag.help, undefined] : flag.help;
  const name = `${flag.short ? `-${flag.short}, ` : ''}--${flag.name}${flag.value ? ` ${flag.value}` : ''}`;
  switch (field.kind) {
    case 'boolean':
      command.option(name, help).option(`--no-${flag.name}`, second ?? '');
      return;
    case 'object':
      command.option(name, help, collect).option(`--${flag.name}-json <json>`, second ?? '');
      return;
    case 'categories':
      command.option(name, help, collect);
      return;
    case 'choice':
      command.addOption(new Option(name, help).choices(field.choices ?? []));
      return;
    default:
      command.option(name, help);
  }
}
