// The shared store's verbs: migrate its schema; push local state to it and pull it back; export
// the current store as NDJSON and import such a file (one record per target and session id).
import { openStateLedger, stateUrl } from '../../config/state.js';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { stateDir } from '../../config/paths.js';
import type { Context } from '../../core/context.js';
import { ioReason, UsageError } from '../../core/errors.js';
import { changed } from '../../core/output/messages.js';
import { lockClock } from '../../core/util/lock.js';
import { FileLedger, type Ledger } from '../../ledger/ledger.js';
import { everything, merge, type Merged } from '../../ledger/merge.js';
import { PostgresLedger } from '../../ledger/postgres.js';
import { type LedgerRecord, ledgerRecordSchema, withKeptDefaults } from '../../ledger/record.js';
import { ledgerPath, type OutcomeRecord } from '../../ledger/store.js';

export interface StateFlags {
  json?: boolean;
  since?: string;
}

export interface StateOptions {
  json: boolean;
  since?: number | undefined;
  file?: string | undefined;
}

async function shared(ctx: Context, migrateOnConnect = true): Promise<PostgresLedger> {
  const url = await stateUrl(ctx);
  if (url === undefined)
    throw new UsageError('no shared state store: cst keeps its state in local files', {
      hint: 'set CST_STATE_URL=postgres://user@host/database to use one',
    });
  return new PostgresLedger(url, ctx, migrateOnConnect);
}

const local = (ctx: Context) =>
  new FileLedger(ledgerPath(stateDir(ctx.env), false), lockClock(ctx));

export async function runStateMigrate(options: StateOptions, ctx: Context): Promise<void> {
  const store = await shared(ctx, false);
  const { from, to } = await store.migrate();
  changed(
    ctx,
    options.json,
    { store: store.where, from, to },
    from === to
      ? `state store ${store.where} is at schema version ${to}: nothing to do`
      : `migrated state store ${store.where} from schema version ${from} to ${to}`,
  );
}

/** The local ledger and outcomes into the shared store. */
export async function runStatePush(options: StateOptions, ctx: Context): Promise<void> {
  const into = await shared(ctx);
  const now = ctx.now().getTime();
  report(ctx, options, 'pushed', into, await merge(into, await everything(local(ctx), now), now));
}

/** The shared store's ledger and outcomes into the local files. */
export async function runStatePull(options: StateOptions, ctx: Context): Promise<void> {
  const from = await shared(ctx);
  const into = local(ctx);
  const now = ctx.now().getTime();
  report(ctx, options, 'pulled', into, await merge(into, await everything(from, now), now));
}

/** The current store (shared when CST_STATE_URL is set) as NDJSON on stdout. */
export async function runStateExport(options: StateOptions, ctx: Context): Promise<void> {
  const store = await openStateLedger(ctx, false);
  const { records, outcomes } = await everything(store, ctx.now().getTime(), options.since);
  for (const record of records) ctx.stdout.write(`${JSON.stringify({ session: record })}\n`);
  for (const outcome of outcomes) ctx.stdout.write(`${JSON.stringify({ outcome })}\n`);
}

/** An export into the current store; every line is checked before anything is written. */
export async function runStateImport(options: StateOptions, ctx: Context): Promise<void> {
  const file = options.file ?? '-';
  const records: LedgerRecord[] = [];
  const outcomes: OutcomeRecord[] = [];
  let line = 0;
  const input = file === '-' ? ctx.stdin : createReadStream(file, { encoding: 'utf8' });
  try {
    for await (const text of createInterface({ input, crlfDelay: Infinity })) {
      line++;
      if (text.trim() === '') continue;
      const parsed = entryOf(text);
      if (parsed === undefined)
        throw new UsageError(
          `${file === '-' ? 'stdin' : file}, line ${line}: not a line of 'cst state export'`,
          { hint: 'each line is {"session": {…}} or {"outcome": {…}}; nothing was imported' },
        );
      if ('session' in parsed) records.push(parsed.session);
      else outcomes.push(parsed.outcome);
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read ${file}: ${ioReason(error)}`);
  }
  const into = await openStateLedger(ctx, false);
  report(
    ctx,
    options,
    'imported',
    into,
    await merge(into, { records, outcomes }, ctx.now().getTime()),
  );
}

function entryOf(text: string): { session: LedgerRecord } | { outcome: OutcomeRecord } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const entry = value as { session?: unknown; outcome?: unknown };
  if (entry.session !== undefined) {
    const parsed = ledgerRecordSchema.safeParse(entry.session);
    return parsed.success
      ? { session: withKeptDefaults(entry.session as LedgerRecord) }
      : undefined;
  }
  const outcome = entry.outcome as Partial<OutcomeRecord> | undefined;
  if (
    outcome &&
    typeof outcome.target === 'string' &&
    typeof outcome.session_id === 'number' &&
    ['linked', 'failed', 'cancelled', 'expired'].includes(String(outcome.outcome)) &&
    typeof outcome.at === 'string' &&
    !Number.isNaN(Date.parse(outcome.at))
  )
    return { outcome: outcome as OutcomeRecord };
  return undefined;
}

function report(
  ctx: Context,
  options: StateOptions,
  verb: string,
  into: Ledger,
  merged: Merged,
): void {
  const { added, present } = merged;
  changed(
    ctx,
    options.json,
    { store: into.where, ...merged },
    `${verb} ${added.sessions} session${added.sessions === 1 ? '' : 's'} and ${added.outcomes} outcome${added.outcomes === 1 ? '' : 's'} into ${into.where}; ${present.sessions + present.outcomes} already there`,
  );
}
