// `cst help [command|topic]`: commander's help for commands, and a few topics besides.
import { Command } from 'commander';
import type { Context } from '../../core/context.js';
import { UsageError } from '../../core/errors.js';
import { BULK_GROUP, examples, TOPIC_NAMES } from '../../cmdutil/shared.js';

export function helpCommand(ctx: Context, program: () => Command): Command {
  return new Command('help')
    .description(`Help for a command, or a topic: ${TOPIC_NAMES.join(', ')}`)
    .argument('[name...]', 'a command (e.g. "accounts list") or a topic')
    .addHelpText('after', examples(['cst help exit-codes', 'cst help accounts list']))
    .action(async (names: string[]) => {
      if (names.length === 1 && names[0] === 'bulk') {
        ctx.stdout.write(bulkHelp(program(), ctx.stdout.columns));
        return;
      }
      if (names.length === 1 && names[0] === 'fields') {
        ctx.stdout.write(await fieldsHelp(ctx.stdout.columns ?? 80));
        return;
      }
      if (names.length === 1 && (TOPIC_NAMES as readonly string[]).includes(names[0]!)) {
        const { TOPICS } = await import('./topics.js');
        ctx.stdout.write(TOPICS[names[0]!]!);
        return;
      }
      let command = program();
      for (const name of names) {
        const sub = command.commands.find((c) => c.name() === name || c.aliases().includes(name));
        if (!sub)
          throw new UsageError(`no command or help topic "${names.join(' ')}"`, {
            hint: `topics: ${TOPIC_NAMES.join(', ')}`,
          });
        command = sub;
      }
      ctx.stdout.write(command.helpInformation());
    });
}

/** Every bulk flag of `cst create`, those its own help leaves out too, as commander lays out. */
function bulkHelp(program: Command, columns: number | undefined): string {
  const create = program.commands.find((command) => command.name() === 'create')!;
  const helper = create.createHelp();
  helper.prepareContext({ helpWidth: columns ?? 80 });
  const options = create.options.filter((option) => option.helpGroupHeading === BULK_GROUP);
  const width = Math.max(...options.map((option) => helper.optionTerm(option).length));
  const items = options.map((option) =>
    helper.formatItem(helper.optionTerm(option), width, helper.optionDescription(option), helper),
  );
  return `Bulk runs: cst create --from-file <path> issues one session per row of a CSV or NDJSON
file, the other flags of cst create being defaults for every row. A journal in the state
directory remembers each row: run the same command again after a stop, and it resumes without
issuing a row twice.

Options:
${items.join('\n')}
${examples([
  'cst create --from-file customers.csv -c hris,ats --results links.csv',
  'cst create --from-file - --journal run.journal --results links.ndjson < rows.ndjson',
  'cst journal list',
])}`;
}

/** What --field takes, per command: the lists the commands check it against. */
async function fieldsHelp(columns: number): Promise<string> {
  const [fields, { LIST_FIELDS }] = await Promise.all([
    import('../../cmdutil/fields.js'),
    import('../../cmdutil/list-fields.js'),
  ]);
  const rows: [string, readonly string[]][] = [
    ['create', fields.CREATE_FIELDS],
    ['inspect', fields.SESSION_FIELDS],
    ['wait', fields.WAIT_FIELDS],
    ['list', LIST_FIELDS],
    ['accounts', fields.ACCOUNT_FIELDS],
    ['accounts meta', fields.META_FIELDS],
    ['connector-profiles', fields.PROFILE_FIELDS],
    ['connector-profiles versions', fields.VERSION_FIELDS],
    ['connector-profiles pin', fields.PIN_FIELDS],
    ['config list', fields.CONFIG_FIELDS],
    ['journal list', fields.JOURNAL_FIELDS],
  ];
  const indent = 2 + Math.max(...rows.map(([name]) => name.length)) + 2;
  const width = Math.max(columns, indent + 24);
  const { wrap } = await import('./topics.js');
  const wrapped = rows.map(([name, fields]) =>
    wrap(fields.join(', '), width - indent)
      .map((line, i) => `${(i === 0 ? `  ${name}` : '').padEnd(indent)}${line}`)
      .join('\n'),
  );
  return `--field <name> prints one field of the output alone; it takes any field --json prints:

${wrapped.join('\n')}
`;
}
