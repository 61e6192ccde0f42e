import { stateUrl } from '../../config/state.js';
import { listJournals, removeJournal, type JournalSummary } from '../../session/bulk/journals.js';
import { createHash } from 'node:crypto';
import type { Context } from '../../core/context.js';
import type { PostgresLedger } from '../../ledger/postgres.js';
import { CliError, UsageError } from '../../core/errors.js';
import { changed, note } from '../../core/output/messages.js';
import { renderRows } from '../../core/output/rows.js';
import { relativeTime } from '../../core/util/time.js';
import { LockBusyError } from '../../core/util/lock.js';
import { confirmed } from '../../cmdutil/confirm.js';
import type { JournalListOptions, JournalResetOptions } from './options.js';

/**
 * The journals of this machine, or with a shared store (CST_STATE_URL) the ones kept there, each
 * named by 16 hex digits of its name (a target) as local ones are by their file.
 */
async function journalsHere(
  ctx: Context,
): Promise<{ journals: JournalSummary[]; store?: PostgresLedger }> {
  const url = await stateUrl(ctx);
  if (url === undefined) return { journals: listJournals(ctx.env) };
  const { PostgresLedger } = await import('../../ledger/postgres.js');
  const store = new PostgresLedger(url, ctx);
  const journals = (await store.journals()).map(({ name, states, last_run }) => ({
    id: createHash('sha256').update(name).digest('hex').slice(0, 16),
    path: `${store.where} (journal ${name})`,
    target: name,
    rows: Object.values(states).reduce((sum, count) => sum + count, 0),
    states,
    last_run,
  }));
  return { journals, store };
}

export async function runJournalList(options: JournalListOptions, ctx: Context): Promise<void> {
  const { output } = options;
  const { journals } = await journalsHere(ctx);
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
  const { journals, store } = await journalsHere(ctx);
  const journal = journals.find((j) => j.id === id);
  if (!journal)
    throw new UsageError(`no journal ${id}`, { hint: "'cst journal list' shows their ids" });
  const question = `Forget the journal of ${journal.input ?? journal.target ?? id}? Its next run sends every row again, issued ones too.`;
  if (!(await confirmed(ctx, question, `resetting journal ${id}`, options))) return;
  try {
    if (store) await store.resetJournal(journal.target!);
    else removeJournal(ctx.env, id);
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
