// `cst list --refresh` (and --linked): every session of a listing that is not yet final, read
// back by id (GET /connect_sessions/{id}), oldest first, paced under StackOne's rate limit, its
// outcome recorded in the ledger as `cst wait` records one. Stops cleanly, keeping what it
// learned, at a 429 storm, a network failure or Ctrl-C.
import type { ApiClient } from '../api/client.js';
import { type CommandContext, type Connection } from '../connection/connection.js';
import { CliError, InterruptedError, PASSING_CODES } from '../core/errors.js';
import { note, warn } from '../core/output/messages.js';
import type { Ledger } from '../ledger/ledger.js';
import { type OutcomeRecord, outcomeKey } from '../ledger/store.js';
import { Pacer } from './bulk/pacer.js';
import { targetFlagsOf } from './linked.js';
import { NoReadBack, readSession } from './read.js';
import type { ListedSession } from './report.js';
import { recordOutcome } from './wait.js';

/**
 * 95% of StackOne's 1000 requests a minute per key, one at a time out of the bucket: no window
 * of a minute ever holds more than 951 reads, leaving the rest for whatever else uses the key.
 */
const REFRESH_PER_MINUTE = 950;
/** Reads in flight per key: enough to reach the rate over a slow link. */
const CONCURRENCY = 4;
/** How long a refresh runs before a terminal shows its progress. */
const PROGRESS_AFTER_MS = 500;

export interface Refreshed {
  /** Sessions that were not final, and how many of them StackOne answered for. */
  candidates: number;
  read: number;
  /** Why it stopped before the end, when it did: the caller reports it after the listing. */
  stopped: CliError | undefined;
}

/** `rows` are `ledger`'s; those with no outcome recorded are read back, and updated in place. */
export async function refreshSessions(
  ctx: CommandContext,
  ledger: Ledger,
  rows: ListedSession[],
  options: { timeoutMs: number },
): Promise<Refreshed> {
  const decided = await ledger.outcomes();
  const open = rows
    .filter((row) => !decided.has(outcomeKey(row.target, row.id)))
    .sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at) || a.id - b.id);
  const byTarget = new Map<string, ListedSession[]>();
  for (const row of open) byTarget.set(row.target, [...(byTarget.get(row.target) ?? []), row]);
  const result: Refreshed = { candidates: open.length, read: 0, stopped: undefined };
  try {
    for (const [tid, group] of byTarget) {
      result.stopped = await refreshTarget(ctx, tid, group, options, result);
      if (result.stopped) break;
    }
  } finally {
    ctx.status.clear();
  }
  return result;
}

/** One target's sessions; the error that stopped it, if one did. */
async function refreshTarget(
  ctx: CommandContext,
  tid: string,
  group: ListedSession[],
  options: { timeoutMs: number },
  result: Refreshed,
): Promise<CliError | undefined> {
  const first = group[0]!;
  const where =
    first.org !== null && first.project !== null ? `${first.org}/${first.project}` : tid;
  const pacer = new Pacer(REFRESH_PER_MINUTE / 60, 1, {
    now: () => ctx.now().getTime(),
    sleep: (ms) => ctx.timer.sleep(ms),
  });
  let connection: Connection;
  try {
    connection = await ctx.connect(targetFlagsOf(first), {
      timeoutMs: options.timeoutMs,
      // The client waits out a 429's Retry-After; every other read waits with it.
      onRetry: ({ waitMs }) => pacer.pauseFor(waitMs),
    });
  } catch (error) {
    warn(ctx, `cannot refresh the sessions of ${where}: ${(error as Error).message}`);
    return undefined;
  }
  if (connection.id !== tid) {
    await connection.close();
    warn(
      ctx,
      `cannot refresh the sessions of ${where}: the key configured now is not the one that issued them`,
    );
    return undefined;
  }
  const stop = new AbortController();
  const client = connection.client.until(stop.signal);
  const queue = [...group];
  const started = ctx.now().getTime();
  let done = 0;
  let stopped: CliError | undefined;
  /** A key that reads another project's sessions (exit 3), or a bug: raised, not reported. */
  let fatal: Error | undefined;
  let unsupported: NoReadBack | undefined;
  const worker = async () => {
    for (let row = queue.shift(); row && !stop.signal.aborted; row = queue.shift()) {
      await pacer.take();
      if (stop.signal.aborted) return;
      try {
        const outcome = await readOutcome(client, connection, row);
        result.read++;
        if (outcome) await record(ctx, connection, row, outcome);
      } catch (error) {
        if (stop.signal.aborted) return;
        if (error instanceof NoReadBack) unsupported = error;
        else if (!(error instanceof CliError) || error.code === 'project_mismatch')
          fatal = error as Error;
        // One session StackOne refuses (a 400 for an id it does not take) leaves the others.
        else if (!PASSING_CODES.has(error.code)) continue;
        else stopped = error;
        stop.abort();
        return;
      } finally {
        done++;
        // A refresh done in a blink draws nothing: no line flickers before the listing.
        if (ctx.stderr.isTTY && ctx.now().getTime() - started >= PROGRESS_AFTER_MS)
          ctx.status.draw(`refreshing sessions of ${where}: ${done}/${group.length}`);
      }
    }
  };
  try {
    await ctx.unlessSignalled(
      Promise.all(Array.from({ length: Math.min(CONCURRENCY, group.length) }, worker)),
      (signal) => {
        stop.abort();
        return new InterruptedError(signal, 'interrupted: the outcomes learned so far are kept');
      },
    );
  } catch (error) {
    await connection.destroy();
    throw error;
  }
  await connection.close();
  if (unsupported)
    note(ctx, `${unsupported.message}: the sessions of ${where} keep the states the ledger knows`);
  if (fatal !== undefined) throw fatal;
  return stopped;
}

type Decided = Pick<OutcomeRecord, 'outcome' | 'account_id'>;

/** What StackOne says became of the session, when that is final; undefined while it is open. */
async function readOutcome(
  client: ApiClient,
  connection: Connection,
  row: ListedSession,
): Promise<Decided | undefined> {
  let attempt;
  try {
    attempt = (await readSession(client, connection.target, row.id, row)).latestConnectionAttempt;
  } catch (error) {
    // StackOne forgetting a session past its expiry is no sign that the endpoint is missing.
    if (error instanceof NoReadBack && error.status === 404 && row.status === 'expired')
      return { outcome: 'expired', account_id: null };
    throw error;
  }
  switch (attempt?.status) {
    case 'authenticated':
      // Success without an account is not one yet (see wait): open until it expires.
      if (attempt.account_secure_id)
        return { outcome: 'linked', account_id: attempt.account_secure_id };
      break;
    case 'error':
      return { outcome: 'failed', account_id: null };
    case 'cancelled':
      return { outcome: 'cancelled', account_id: null };
    case 'expired':
      return { outcome: 'expired', account_id: null };
  }
  return row.status === 'expired' ? { outcome: 'expired', account_id: null } : undefined;
}

async function record(
  ctx: CommandContext,
  connection: Connection,
  row: ListedSession,
  outcome: Decided,
): Promise<void> {
  await recordOutcome(connection.ledger, connection.id, { session_id: row.id, ...outcome }, ctx);
  row.state = outcome.outcome;
  if (outcome.outcome === 'linked') {
    row.linked_account_id = outcome.account_id;
    row.linked_at = ctx.now().toISOString();
  }
}
