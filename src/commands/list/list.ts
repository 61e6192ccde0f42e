// `cst list`: flags and help only.
import { Command, Option } from 'commander';
import type { Context } from '../../core/context.js';
import { LIST_FORMATS } from '../../core/output/format.js';
import { collect, type Dispatch, examples } from '../../cmdutil/shared.js';
import type { ListFlags } from './options.js';

export function listCommand(ctx: Context, run: Dispatch): Command {
  return new Command('list')
    .description(
      'List the connect sessions cst issued, newest first (StackOne has no such endpoint)',
    )
    .option('--org <name>', 'only this organization (flag only: CST_ORG does not narrow a list)')
    .option('--project <name>', 'only this project')
    .option('--owner-id <id>', 'only this owner')
    .option('--category <list>', 'only sessions with these categories (repeatable)', collect)
    .option('--categories <list>', 'same as --category', collect)
    .option('--status <status>', 'deprecated: use --state (active, expired or all)')
    .option('--since <when>', 'created at or after: a date, or a duration back from now (7d)')
    .option('--until <when>', 'created at or before: a date, or a duration back from now')
    .option('--token-stdin', 'find the sessions of the token read from stdin')
    .option('--limit <n>', 'show at most this many (default: 50)')
    .option('--all', 'show every matching session')
    .option('--sandbox', 'list the sessions issued by the sandbox instead')
    .option(
      '--linked',
      "show whether each owner's account was linked (asks StackOne; implies --refresh)",
    )
    .option(
      '--refresh',
      'read each session not yet decided back from StackOne (oldest first, paced under its rate limit) and record its outcome',
    )
    .option(
      '--state <state>',
      'only sessions in this state: pending, linked, failed, cancelled, expired, undelivered (repeatable)',
      collect,
    )
    .option(
      '--expiring <duration>',
      'only pending sessions that expire within this long, but not of owners since linked through a newer session',
    )
    .option('--summary', 'the funnel per organization/project: issued, linked, pending, …')
    .option('--timeout <duration>', 'time limit for each HTTP attempt (--refresh, --linked)', '30s')
    .addOption(new Option('-o, --output <format>', 'output format').choices(LIST_FORMATS))
    .option('--json', 'print one JSON array (short for --output json)')
    .option('--field <name>', 'print one field of each session, one per line')
    .addHelpText(
      'after',
      examples([
        'cst list',
        'cst list --owner-id cus_42 --state pending',
        'cst list --since 7d --linked',
        'cst list --state pending --expiring 1h   # the customers to chase',
        'cst list --since 7d --summary',
        'cst list --since 7d --refresh --summary   # exact link states from StackOne',
        'cst list --org acme --project prod --all -o csv > sessions.csv',
        'pbpaste | cst list --token-stdin',
      ]),
    )
    .action(async (flags: ListFlags) => {
      const { parseListOptions } = await import('./options.js');
      const options = parseListOptions(flags, ctx.now().getTime());
      await run('list', options, async () => (await import('./run.js')).runList);
    });
}
