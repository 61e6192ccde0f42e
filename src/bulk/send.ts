// The workers of a bulk run: pull rows in order, pace them per key, journal each before it is
// sent, report each outcome as it completes, and stop cleanly on a signal, a bad key or a run
// of network failures.
import { createConnectSession } from '../api/connect-sessions.js';
import { connectSessionCreateToWire } from '../api/request-fields.js';
import type { CreateOptions } from '../commands/create/options.js';
import { stateDir } from '../config/paths.js';
import type { Context, StopSignal } from '../context.js';
import {
  CliError,
  EXIT,
  InterruptedError,
  ioReason,
  StateWriteError,
  UndeliveredError,
} from '../errors.js';
import { ledgerRecord } from '../ledger/record.js';
import { appendRecord, ledgerPath } from '../ledger/store.js';
import { summary, warn } from '../output/messages.js';
import { countRows } from './input.js';
import type { Journal } from './journal.js';
import { outcomeOf } from './outcome.js';
import { Progress } from './progress.js';
import type { ResultsFile, RowResult } from './results.js';
import type { BulkOptions, Prepared } from './run.js';
import { ResultWriter } from './writer.js';

/** How long requests in flight may finish after Ctrl-C or SIGTERM. */
const GRACE_MS = 5000;

export async function send(
  ctx: Context,
  options: CreateOptions,
  bulk: BulkOptions,
  rows: AsyncIterable<Prepared> | Iterable<Prepared>,
  journal: Journal,
  results: ResultsFile | undefined,
  total: number | undefined,
): Promise<void> {
  const writer = new ResultWriter(ctx, bulk);
  const progress = new Progress(ctx, total);
  const started = Date.now();
  let stopError: CliError | undefined;
  let stateError: StateWriteError | undefined;
  let stopSignal: StopSignal | undefined;
  /** For a run that stops early: how many rows it left, and the command that resumes. */
  let resume = '';
  let networkFailures = 0;
  let ledgerFailed: unknown;
  /** Sessions created whose tokens could not be delivered: the customers to reissue. */
  const undelivered: { row: number; session: number; owner: string }[] = [];
  let undeliveredCause: string | undefined;
  const stopped = () =>
    stopError !== undefined ||
    stateError !== undefined ||
    stopSignal !== undefined ||
    undelivered.length > 0;
  const ledger = ledgerPath(stateDir(ctx.env), options.target.sandbox === true);
  const iterator: AsyncIterator<Prepared> | Iterator<Prepared> =
    Symbol.asyncIterator in rows ? rows[Symbol.asyncIterator]() : rows[Symbol.iterator]();
  let pulling: Promise<IteratorResult<Prepared>> = Promise.resolve({
    done: false,
    value: undefined as never,
  });
  // One pull at a time: the input is a stream, read in order.
  const next = () => (pulling = pulling.then(async () => iterator.next()));
  const inFlight = new Set<number>();

  const report = (result: RowResult, written = false) => {
    progress.count(result.status);
    // The progress line makes way for a printed result, then comes back below it.
    if (!written && writer.prints(result)) {
      progress.clear();
      writer.write(result);
      progress.draw(true);
    } else progress.draw();
  };
  /** The journal, or a stop: with no journal, a re-run could not tell what was sent. */
  const journaled = (entry: Parameters<Journal['record']>[0]): boolean => {
    try {
      journal.record(entry);
      return true;
    } catch (error) {
      stateError ??= new StateWriteError('the journal', journal.path, error);
      return false;
    }
  };
  /** Puts an issued row's token where the user asked: the results file, or stdout. */
  const deliver = async (result: RowResult): Promise<unknown> => {
    try {
      if (results) await results.write(result);
      else {
        writer.write(result);
        await ctx.stdout.flush?.();
      }
      return undefined;
    } catch (error) {
      return error;
    }
  };

  const handle = async (item: Prepared): Promise<void> => {
    if ('error' in item)
      return report({
        row: item.line,
        status: 'failed',
        owner_id: item.ownerId ?? null,
        session_id: null,
        error: item.error,
      });
    const owner = item.row.request.originOwnerId;
    const previous = journal.state(item.key);
    if (previous?.state === 'issued')
      return report({
        row: item.line,
        status: 'skipped',
        owner_id: owner,
        session_id: previous.session_id ?? null,
      });
    if ((previous?.state === 'pending' || previous?.state === 'unknown') && !bulk.retryUnknown) {
      return report({
        row: item.line,
        status: 'unknown',
        owner_id: owner,
        session_id: null,
        error: {
          code: 'outcome_unknown',
          message: `an earlier run may have issued this row (line ${previous.line}); check, then re-run with --retry-unknown`,
        },
      });
    }
    const { connection, pacer } = item.route;
    await pacer.take();
    if (stopped()) return;
    const body = connectSessionCreateToWire(item.row.request);
    if (!journaled({ key: item.key, state: 'pending', line: item.line })) return;
    inFlight.add(item.line);
    try {
      const session = await createConnectSession(connection.client, body);
      networkFailures = 0;
      const record = ledgerRecord({
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
        ...(record.expires_at === null ? {} : { expires_at: record.expires_at }),
        row_key: item.row.rowKey ?? null,
      };
      // A row is issued only once its token is durably where the user asked for it.
      const failure = await deliver(issued);
      if (failure !== undefined) {
        journaled({ key: item.key, state: 'undelivered', line: item.line, session_id: session.id });
        const where = results ? `the results file ${results.path}` : 'stdout';
        undelivered.push({ row: item.line, session: session.id, owner });
        undeliveredCause ??= `${where}: ${ioReason(failure)}`;
        return report({
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
      journaled({ key: item.key, state: 'issued', line: item.line, session_id: session.id });
      try {
        await appendRecord(ledger, record);
      } catch (error) {
        if (!ledgerFailed)
          warn(
            ctx,
            `issued sessions are not being recorded in the ledger ${ledger}: ${ioReason(error)}`,
          );
        ledgerFailed ??= error;
      }
      report(issued, !results);
    } catch (error) {
      const outcome = outcomeOf(error);
      journaled({ key: item.key, state: outcome.status, line: item.line });
      networkFailures = outcome.network ? networkFailures + 1 : 0;
      const cli =
        error instanceof CliError
          ? error
          : new CliError(String(error), 'unexpected', EXIT.unexpected);
      report({
        row: item.line,
        status: outcome.status,
        owner_id: owner,
        session_id: null,
        error: { code: cli.code, message: cli.message },
      });
      if (outcome.stopRun) stopError ??= cli;
      if (networkFailures >= bulk.maxNetworkFailures) stopError ??= cli;
    } finally {
      inFlight.delete(item.line);
    }
  };

  const worker = async () => {
    while (!stopped()) {
      const item = await next();
      if (item.done) return;
      await handle(item.value);
    }
  };

  const signalled = ctx.untilSignal().then((signal) => {
    stopSignal = signal;
  });
  const workers = Promise.all(Array.from({ length: bulk.concurrency }, worker));
  await Promise.race([workers, signalled]);
  if (stopSignal) {
    // Let requests in flight finish, briefly; what does not is journaled as pending.
    await Promise.race([workers, new Promise((r) => setTimeout(r, GRACE_MS).unref())]);
  }
  progress.done();
  const elapsed = (Date.now() - started) / 1000;
  const counts = progress.counts;
  const done = counts.issued + counts.failed + counts.skipped + counts.unknown + counts.undelivered;
  const rate = done / Math.max(elapsed, 0.001);
  summary(
    ctx,
    `issued ${counts.issued}, failed ${counts.failed}, skipped ${counts.skipped}, unknown ${counts.unknown}` +
      `${counts.undelivered > 0 ? `, undelivered ${counts.undelivered}` : ''}` +
      `${inFlight.size > 0 ? ` (${inFlight.size} in flight when stopped: unknown on a re-run)` : ''}` +
      ` in ${elapsed.toFixed(1)}s (${rate.toFixed(1)} rows/s)`,
    {
      ...counts,
      in_flight: inFlight.size,
      seconds: Number(elapsed.toFixed(1)),
      rows_per_second: Number(rate.toFixed(1)),
    },
  );
  if (stopped()) {
    // How many rows of the input this run left unsent: counted now, unless the progress line did.
    const rows = bulk.fromFile === '-' ? undefined : (total ?? (await countRows(bulk.fromFile)));
    const notSent = rows === undefined ? undefined : Math.max(0, rows - done);
    resume = `${notSent === undefined ? 'the rest of the input was' : `${notSent} row${notSent === 1 ? ' was' : 's were'}`} not sent; resume with: ${commandLine(ctx.argv)}`;
  }
  if (stopSignal) throw new InterruptedError(stopSignal, undefined, { hint: resume });
  if (undelivered.length > 0) {
    const listed = undelivered
      .slice(0, 10)
      .map(({ row, session, owner }) => `session ${session} for ${owner} (line ${row})`)
      .join(', ');
    throw new UndeliveredError(
      `stopped: ${undelivered.length} session${undelivered.length === 1 ? ' was' : 's were'} created but not delivered to ${undeliveredCause}: ${listed}${undelivered.length > 10 ? `, and ${undelivered.length - 10} more (their result lines say which)` : ''}`,
      {
        hint: `free the disk; undelivered rows are issued anew, issued ones skipped. ${resume}`,
      },
    );
  }
  if (stateError)
    throw new StateWriteError('the journal', journal.path, stateError.cause, {
      hint: `free the disk; the journal knows every row it recorded. ${resume}`,
    });
  if (stopError)
    throw new CliError(`stopped: ${stopError.message}`, stopError.code, stopError.exitCode, {
      status: stopError.status,
      hint: stopError.hint ? `${stopError.hint}. ${resume}` : resume,
    });
  if (counts.failed + counts.unknown > 0) {
    throw new CliError(
      `${counts.failed} row${counts.failed === 1 ? '' : 's'} failed, ${counts.unknown} unknown`,
      'partial_failure',
      EXIT.partial,
      {
        hint: 're-run the same command: issued rows are skipped, failed ones retried, unknown ones reported until --retry-unknown',
      },
    );
  }
  if (ledgerFailed !== undefined)
    throw new StateWriteError('every issued row to the ledger', ledger, ledgerFailed, {
      hint: 'the results file has every token; only the ledger (cst list) misses some',
    });
}

/** The command line as typed, quoted for a POSIX shell. */
function commandLine(argv: readonly string[]): string {
  const quote = (arg: string) =>
    /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
  return ['cst', ...argv.map(quote)].join(' ');
}
