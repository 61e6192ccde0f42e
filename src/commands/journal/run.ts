import { listJournals, removeJournal, type JournalSummary } from '../../session/bulk/journals.js';
import type { Context } from '../../core/context.js';
import { CliError, UsageError } from '../../core/errors.js';
import { changed, note } from '../../core/output/messages.js';
import { renderRows } from '../../core/output/rows.js';
import { relativeTime } from '../../core/util/time.js';
import { LockBusyError } from '../../core/util/lock.js';
import { confirmed } from '../../cmdutil/confirm.js';
import type { JournalListOptions, JournalResetOptions } from './options.js';

export async function runJournalList(options: JournalListOptions, ctx: Context): Promise<void> {
  const { output } = options;
  const journals = listJournals(ctx.env);
  if (journals.length === 0 && output.format === undefined && output.field === undefined)
    return note(ctx, 'no journals: bulk runs keep theirs here when they run');
  const now = ctx.now().getTime();
  /** Rows in one state; pending and undelivered (rare) give way first on a narrow terminal. */
  const state = (name: keyof JournalSummary['states'], drop?: number) => ({
    header: name.toUpperCase(),
    human: (j: JournalSummary) => String(j.states[name]),
    machine: (j: JournalSummary) => String(j.states[name]),
    ...(drop === undefined ? {} : { drop }),
  });
  await renderRows(
    ctx,
    {
      columns: [
        { header: 'ID', human: (j) => j.id, machine: (j) => j.id },
        {
          header: 'INPUT',
          human: (j) => j.input ?? '?',
          machine: (j) => j.input ?? '',
          shorten: 'start',
        },
        {
          header: 'TARGET',
          human: (j) => (j.org ? `${j.org}/${j.project}` : (j.target ?? '?')),
          machine: (j) => j.target ?? '',
          drop: 2,
          shorten: true,
          // Names may be cut; a target (the base URL's origin and a key fingerprint) may not.
          keep: (j) => (j.org ? 0 : (j.target ?? '?').length),
        },
        state('issued'),
        state('failed'),
        state('unknown'),
        state('pending', 3),
        state('undelivered', 4),
        {
          header: 'LAST RUN',
          human: (j) => relativeTime(Date.parse(j.last_run), now),
          machine: (j) => j.last_run,
          drop: 1,
        },
      ],
      rows: journals,
      json: (j) => ({ ...j }),
    },
    output,
  );
}

export async function runJournalReset(options: JournalResetOptions, ctx: Context): Promise<void> {
  const { id } = options;
  const journal = listJournals(ctx.env).find((j) => j.id === id);
  if (!journal)
    throw new UsageError(`no journal ${id}`, { hint: "'cst journal list' shows their ids" });
  const question = `Forget the journal of ${journal.input ?? id}? Its next run sends every row again, issued ones too.`;
  if (!(await confirmed(ctx, question, `resetting journal ${id}`, options))) return;
  try {
    removeJournal(ctx.env, id);
  } catch (error) {
    if (error instanceof LockBusyError)
      throw new CliError(
        `a cst run is using the journal ${journal.path}${error.pid ? ` (pid ${error.pid})` : ''}`,
        'journal_locked',
      );
    throw error;
  }
  changed(
    ctx,
    options.json,
    { forgotten: { id, input: journal.input ?? null, target: journal.target, path: journal.path } },
    `journal ${id} forgotten: the next run of ${journal.input ?? 'its input'} starts over`,
  );
}
