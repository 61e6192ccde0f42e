// The workers of a bulk run. Each row goes through named steps, in order: settled by an earlier
// run? (the journal), paced (its key's bucket), journaled `pending`, sent, then recorded (an
// issued session: delivered, journaled, kept in the ledger) or classified (a failure: never
// sent or rejected, so `failed`; or may have acted, so `unknown`). Every step reports to one
// BulkRun, the state the workers share; the run stops cleanly on a signal, a closed stdout, a
// bad key, a run of network failures, a disk that will not take the books, or bad input.
import { createConnectSession } from '../../api/connect-sessions.js';
import { connectSessionCreateToWire } from '../../api/request-fields.js';
import type { ConnectSessionToken } from '../../api/schemas.js';
import type { CommandContext } from '../../connection/connection.js';
import type { StopSignal } from '../../core/context.js';
import {
  CliError,
  InterruptedError,
  ioReason,
  ioRemedy,
  StateWriteError,
  UndeliveredError,
} from '../../core/errors.js';
import { ledgerRecord } from '../../ledger/record.js';
import { summary } from '../../core/output/messages.js';
import { ProfileCheck } from '../profile-check.js';
import { countRows } from './input.js';
import type { Claim, JournalEntry, RowJournal } from '../../ledger/ledger.js';
import { outcomeOf } from './outcome.js';
import type { BulkPlan } from './plan.js';
import type { Prepared } from './prepare.js';
import { Progress } from './progress.js';
import type { ResultsFile, RowResult } from './results.js';
import { ResultWriter } from './writer.js';

/** How long requests in flight may finish after Ctrl-C or SIGTERM. */
const GRACE_MS = 5000;

type Ready = Extract<Prepared, { row: unknown }>;

/** The state the workers of one run share: its books, and why it stopped, if it did. */
/**
 * What ends a run for every row: a signal; tokens that could not be delivered; a journal that
 * will not take a record (a re-run could not tell what was sent); a ledger that will not (the
 * state directory is full or unwritable: issued rows are safe in the results and the journal);
 * or an error (a bad key, too many network failures, bad input).
 */
type Stop =
  | { kind: 'signal'; signal: StopSignal }
  | { kind: 'undelivered'; cause: string; remedy: string | undefined }
  | { kind: 'journal'; error: StateWriteError }
  /** The shared store's journal went away mid-run: a partial run, resumed once it is back. */
  | { kind: 'store'; error: unknown; where: string }
  | { kind: 'ledger'; path: string; error: unknown }
  | { kind: 'error'; error: CliError };

/** Which stop the verdict names when several came. */
const STOP_RANK: readonly Stop['kind'][] = [
  'signal',
  'undelivered',
  'journal',
  'store',
  'ledger',
  'error',
];

class BulkRun {
  readonly writer: ResultWriter;
  readonly progress: Progress;
  readonly started: number;
  /** Rows sent and not yet answered: unknown on a re-run if the run stops now. */
  readonly inFlight = new Set<number>();
  /** Sessions created whose tokens could not be delivered: the customers to reissue. */
  readonly undelivered: { row: number; session: number; owner: string }[] = [];
  /** Why the run stops, once something ends it for every row. */
  stop: Stop | undefined;
  networkFailures = 0;
  /** Each distinct --connector-profile is checked once per target: a warning, never a stop. */
  readonly profiles: ProfileCheck;

  constructor(
    readonly ctx: CommandContext,
    readonly plan: BulkPlan,
    readonly results: ResultsFile | undefined,
    readonly total: number | undefined,
  ) {
    this.started = ctx.now().getTime();
    this.writer = new ResultWriter(ctx, plan);
    this.progress = new Progress(ctx, total);
    this.profiles = new ProfileCheck(ctx, false);
  }

  get stopped(): boolean {
    return this.stop !== undefined;
  }

  /** The first reason of each kind counts; a reason that ranks higher replaces a lower one. */
  stopFor(stop: Stop): void {
    if (this.stop === undefined || STOP_RANK.indexOf(stop.kind) < STOP_RANK.indexOf(this.stop.kind))
      this.stop = stop;
  }

  /** Counts a result, and prints it unless it was printed already (as its token's delivery). */
  report(result: RowResult, printed = false): void {
    this.progress.count(result.status);
    // The progress line makes way for a printed result, then comes back below it.
    if (!printed && this.writer.prints(result)) {
      this.progress.clear();
      this.writer.write(result);
      this.progress.draw(true);
    } else this.progress.draw();
  }

  /** The journal, or a stop: with no journal, a re-run could not tell what was sent. */
  async journaled(journal: RowJournal, entry: Omit<JournalEntry, 'at'>): Promise<boolean> {
    try {
      await journal.record(entry);
      return true;
    } catch (error) {
      this.stopFor(journalStop(journal, error));
      return false;
    }
  }

  /** Puts an issued row's token where the user asked: the results file, or stdout. */
  async deliver(result: RowResult): Promise<unknown> {
    try {
      if (this.results) await this.results.write(result);
      else {
        this.writer.write(result);
        await this.ctx.stdout.flush?.();
      }
      return undefined;
    } catch (error) {
      return error;
    }
  }
}

export async function send(
  ctx: CommandContext,
  plan: BulkPlan,
  rows: AsyncIterable<Prepared> | Iterable<Prepared>,
  results: ResultsFile | undefined,
  total: number | undefined,
): Promise<void> {
  const run = new BulkRun(ctx, plan, results, total);
  const iterator: AsyncIterator<Prepared> | Iterator<Prepared> =
    Symbol.asyncIterator in rows ? rows[Symbol.asyncIterator]() : rows[Symbol.iterator]();
  let pulling: Promise<IteratorResult<Prepared> | undefined> = Promise.resolve(undefined);
  // One pull at a time: the input is a stream, read in order. Bad input stops the run.
  const next = () =>
    (pulling = pulling.then(async () => {
      if (run.stopped) return undefined;
      try {
        return await iterator.next();
      } catch (error) {
        run.stopFor({ kind: 'error', error: asCliError(error) });
        return undefined;
      }
    }));
  const worker = async () => {
    while (!run.stopped) {
      const item = await next();
      if (item === undefined || item.done) return;
      await processRow(run, item.value);
    }
  };
  const signalled = ctx.untilSignal().then((signal) => run.stopFor({ kind: 'signal', signal }));
  const workers = Promise.all(Array.from({ length: plan.concurrency }, worker));
  await Promise.race([workers, signalled]);
  if (run.stop?.kind === 'signal') {
    // Let requests in flight finish, briefly; what does not is journaled as pending.
    await Promise.race([workers, new Promise((r) => setTimeout(r, GRACE_MS).unref())]);
  }
  await conclude(run);
}

/** One row, start to end. */
async function processRow(run: BulkRun, item: Prepared): Promise<void> {
  if ('error' in item)
    return run.report({
      row: item.line,
      status: 'failed',
      owner_id: item.ownerId ?? null,
      session_id: null,
      error: item.error,
    });
  let journal: RowJournal;
  try {
    journal = await item.route.journal();
  } catch (error) {
    // Another run holds this target's journal, or it cannot be written: nothing can be sent.
    run.stopFor(
      error instanceof StateWriteError
        ? { kind: 'journal', error }
        : { kind: 'error', error: asCliError(error) },
    );
    return;
  }
  const earlier = settledEarlier(run, item, journal);
  if (earlier) return run.report(earlier);
  if (journal.claim) {
    // A shared store: the row is this runner's only once claimed, before anything is sent.
    let claim: Claim;
    try {
      claim = await journal.claim(item.key, item.line, run.plan.retryUnknown);
    } catch (error) {
      run.stopFor(journalStop(journal, error));
      return;
    }
    if (claim.kind !== 'mine') return run.report(claimedElsewhere(run, item, claim));
  }
  const profile = item.row.request.connectorProfileId;
  if (profile !== undefined) await run.profiles.check(item.route.connection, profile);
  await item.route.pacer.take();
  if (run.stopped) return;
  if (
    !journal.claim &&
    !(await run.journaled(journal, { key: item.key, state: 'pending', line: item.line }))
  )
    return;
  run.inFlight.add(item.line);
  try {
    const body = { ...connectSessionCreateToWire(item.row.request), ...run.plan.extraBody };
    let session: ConnectSessionToken;
    try {
      session = await createConnectSession(item.route.connection.client, body);
    } catch (error) {
      return classify(run, item, journal, error);
    }
    run.networkFailures = 0;
    await record(run, item, journal, session);
  } finally {
    run.inFlight.delete(item.line);
  }
}

/** A journal that will not take a record: a local file's fault, or the shared store gone. */
function journalStop(journal: RowJournal, error: unknown): Stop {
  return journal.claim
    ? { kind: 'store', error, where: journal.path }
    : { kind: 'journal', error: new StateWriteError('the journal', journal.path, error) };
}

/** A row a shared store says is not this runner's: done or doing elsewhere, or unknown. */
function claimedElsewhere(
  run: BulkRun,
  item: Ready,
  claim: Exclude<Claim, { kind: 'mine' }>,
): RowResult {
  const owner = item.row.request.originOwnerId;
  if (claim.kind === 'unknown') return unknownEarlier(item, owner, claim.line);
  if (claim.kind === 'busy' || claim.elsewhere) run.progress.byOthers++;
  return {
    row: item.line,
    status: 'skipped',
    owner_id: owner,
    session_id: claim.kind === 'issued' ? (claim.session_id ?? null) : null,
  };
}

function unknownEarlier(item: Ready, owner: string, line: number): RowResult {
  return {
    row: item.line,
    status: 'unknown',
    owner_id: owner,
    session_id: null,
    error: {
      code: 'outcome_unknown',
      message: `an earlier run may have issued this row (line ${line}); check, then re-run with --retry-unknown`,
    },
  };
}

/** What an earlier run left for this row: issued (skipped now), or maybe sent (unknown). */
function settledEarlier(run: BulkRun, item: Ready, journal: RowJournal): RowResult | undefined {
  const owner = item.row.request.originOwnerId;
  const previous = journal.state(item.key);
  if (previous?.state === 'issued')
    return {
      row: item.line,
      status: 'skipped',
      owner_id: owner,
      session_id: previous.session_id ?? null,
    };
  if ((previous?.state === 'pending' || previous?.state === 'unknown') && !run.plan.retryUnknown)
    return unknownEarlier(item, owner, previous.line);
  return undefined;
}

/** An issued session: its token delivered first, then the journal, the ledger, the report. */
async function record(
  run: BulkRun,
  item: Ready,
  journal: RowJournal,
  session: ConnectSessionToken,
): Promise<void> {
  const { connection } = item.route;
  const owner = item.row.request.originOwnerId;
  const entry = ledgerRecord({
    session,
    target: connection.id,
    org: connection.target.org,
    project: connection.target.project,
    expiresIn: item.row.request.expiresIn,
  });
  const issued: RowResult = {
    row: item.line,
    status: 'issued',
    owner_id: owner,
    owner_name: session.originOwnerName,
    session_id: session.id,
    token: session.token,
    auth_link_url: session.authLinkUrl,
    ...(entry.expires_at === null ? {} : { expires_at: entry.expires_at }),
    row_key: item.row.rowKey ?? null,
  };
  // A row is issued only once its token is durably where the user asked for it.
  const failure = await run.deliver(issued);
  if (failure !== undefined) {
    await run.journaled(journal, {
      key: item.key,
      state: 'undelivered',
      line: item.line,
      session_id: session.id,
    });
    const where = run.results ? `the results file ${run.results.path}` : 'stdout';
    run.undelivered.push({ row: item.line, session: session.id, owner });
    run.stopFor({
      kind: 'undelivered',
      cause: `${where}: ${ioReason(failure)}`,
      remedy: ioRemedy(failure),
    });
    return run.report({
      row: item.line,
      status: 'undelivered',
      owner_id: owner,
      session_id: session.id,
      error: {
        code: 'undelivered',
        message: `session ${session.id} was created, but its token could not be written to ${where}: ${ioReason(failure)}`,
      },
    });
  }
  await run.journaled(journal, {
    key: item.key,
    state: 'issued',
    line: item.line,
    session_id: session.id,
  });
  try {
    await connection.ledger.append(entry);
  } catch (error) {
    run.stopFor({ kind: 'ledger', path: connection.ledger.where, error });
  }
  run.report(issued, !run.results);
}

/** A failed request: `failed` when it never reached StackOne or was refused, else `unknown`. */
async function classify(
  run: BulkRun,
  item: Ready,
  journal: RowJournal,
  error: unknown,
): Promise<void> {
  const outcome = outcomeOf(error);
  await run.journaled(journal, { key: item.key, state: outcome.status, line: item.line });
  run.networkFailures = outcome.network ? run.networkFailures + 1 : 0;
  const cli = asCliError(error);
  run.report({
    row: item.line,
    status: outcome.status,
    owner_id: item.row.request.originOwnerId,
    session_id: null,
    error: { code: cli.code, message: cli.message },
  });
  if (outcome.stopRun || run.networkFailures >= run.plan.maxNetworkFailures)
    run.stopFor({ kind: 'error', error: cli });
}

/** The summary line, then the run's verdict: a stop, partial failure, or success. */
async function conclude(run: BulkRun): Promise<void> {
  const { ctx, plan, progress, inFlight } = run;
  progress.done();
  const elapsed = (ctx.now().getTime() - run.started) / 1000;
  const counts = progress.counts;
  const done = counts.issued + counts.failed + counts.skipped + counts.unknown + counts.undelivered;
  const rate = done / Math.max(elapsed, 0.001);
  summary(
    ctx,
    `issued ${counts.issued}, failed ${counts.failed}, skipped ${counts.skipped}, unknown ${counts.unknown}` +
      `${counts.undelivered > 0 ? `, undelivered ${counts.undelivered}` : ''}` +
      `${inFlight.size > 0 ? ` (${inFlight.size} in flight when stopped: unknown on a re-run)` : ''}` +
      ` in ${elapsed.toFixed(1)}s (${rate.toFixed(1)} rows/s)` +
      `${progress.byOthers > 0 ? `; ${progress.byOthers} of the skipped by other runners` : ''}`,
    {
      ...counts,
      by_other_runners: progress.byOthers,
      in_flight: inFlight.size,
      seconds: Number(elapsed.toFixed(1)),
      rows_per_second: Number(rate.toFixed(1)),
    },
  );
  let resume = '';
  if (run.stopped) {
    // How many rows of the input this run left unsent: counted now, unless the progress line did.
    const rows = plan.input === '-' ? undefined : (run.total ?? (await countRows(plan.input)));
    const notSent = rows === undefined ? undefined : Math.max(0, rows - done);
    resume = `${notSent === undefined ? 'the rest of the input was' : `${notSent} row${notSent === 1 ? ' was' : 's were'}`} not sent; resume with: ${commandLine(ctx.argv)}`;
  }
  if (run.stop) throw stopError(run, run.stop, done, resume);
  if (counts.failed + counts.unknown > 0) {
    throw new CliError(
      `${counts.failed} row${counts.failed === 1 ? '' : 's'} failed, ${counts.unknown} unknown`,
      'partial_failure',
      {
        hint: 're-run the same command: issued rows are skipped, failed ones retried, unknown ones reported until --retry-unknown',
      },
    );
  }
}

/** Any failure as a CliError; an unforeseen one is `unexpected`, as main reports it. */
function asCliError(error: unknown): CliError {
  if (error instanceof CliError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new CliError(message, 'unexpected');
}

/** The command line as typed, quoted for a POSIX shell. */
function commandLine(argv: readonly string[]): string {
  const quote = (arg: string) =>
    /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
  return ['cst', ...argv.map(quote)].join(' ');
}

/** The error a stopped run ends in, with how to resume it. */
function stopError(run: BulkRun, stop: Stop, done: number, resume: string): Error {
  switch (stop.kind) {
    case 'signal':
      return new InterruptedError(stop.signal, undefined, { hint: resume });
    case 'undelivered': {
      const listed = run.undelivered
        .slice(0, 10)
        .map(({ row, session, owner }) => `session ${session} for ${owner} (line ${row})`)
        .join(', ');
      const more = run.undelivered.length - 10;
      return new UndeliveredError(
        `stopped: ${run.undelivered.length} session${run.undelivered.length === 1 ? ' was' : 's were'} created but not delivered to ${stop.cause}: ${listed}${more > 0 ? `, and ${more} more (their result lines say which)` : ''}`,
        {
          hint: `${stop.remedy ?? 'make room for the results'}; undelivered rows are issued anew, issued ones skipped. ${resume}`,
        },
      );
    }
    case 'journal': {
      const remedy = ioRemedy(stop.error.cause) ?? 'make the journal writable';
      // A journal refused before any row was sent has nothing to resume from.
      return new StateWriteError('the journal', stop.error.path, stop.error.cause, {
        hint: done === 0 ? remedy : `${remedy}; the journal knows every row it recorded. ${resume}`,
      });
    }
    case 'store':
      return new CliError(
        `stopped: ${stop.error instanceof CliError ? stop.error.message : `the state store ${stop.where} went away`}`,
        'partial_failure',
        {
          hint: `the rows in flight finished and their sessions are in the results file (and kept locally for the store); once it is back, ${resume}`,
        },
      );
    case 'ledger':
      return new StateWriteError('every issued row to the ledger', stop.path, stop.error, {
        hint: `${ioRemedy(stop.error, 'state') ?? 'make the ledger writable'}; every issued token was delivered and the journal knows every row, only the ledger (cst list) misses some. ${resume}`,
      });
    case 'error':
      return new CliError(`stopped: ${stop.error.message}`, stop.error.code, {
        status: stop.error.status,
        hint: stop.error.hint ? `${stop.error.hint}. ${resume}` : resume,
      });
  }
}
