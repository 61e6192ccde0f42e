// Bulk create: rows stream in, N workers send them through one keep-alive pool per key, paced
// under the rate limit, each row journaled before it is sent so that a re-run never issues a
// silent duplicate. Results stream out in completion order.
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { createConnectSession } from '../api/connect-sessions.js';
import { connectSessionCreateToWire } from '../api/schemas.js';
import { stateDir } from '../config/paths.js';
import { resolveTarget, type Target } from '../config/target.js';
import type { Context, StopSignal } from '../context.js';
import { CliError, EXIT, InterruptedError, UsageError } from '../errors.js';
import { ledgerRecord, targetId } from '../ledger/record.js';
import { appendRecord, ledgerPath } from '../ledger/store.js';
import { warn } from '../output/messages.js';
import { LockBusyError } from '../util/lock.js';
import { describeCreate, openClient, type OpenClient } from '../commands/api-client.js';
import type { CreateOptions } from '../commands/create/options.js';
import { openInput, readRows } from './input.js';
import { Journal } from './journal.js';
import { outcomeOf } from './outcome.js';
import { Pacer } from './pacer.js';
import { Progress } from './progress.js';
import { type ResultColumn, ResultsFile, type RowResult } from './results.js';
import { type RowRequest, rowIdentity, rowRequest } from './rows.js';
import { ResultWriter } from './writer.js';

export interface BulkOptions {
  fromFile: string;
  strict: boolean;
  results: string | undefined;
  columns: ResultColumn[];
  showSecrets: boolean;
  concurrency: number;
  ratePerSecond: number;
  maxNetworkFailures: number;
  journal: string | undefined;
  retryUnknown: boolean;
  format: 'ndjson' | 'csv' | 'tsv' | undefined;
}

/** How long requests in flight may finish after Ctrl-C or SIGTERM. */
const GRACE_MS = 5000;

type Prepared =
  | { line: number; error: { code: string; message: string } }
  | { line: number; row: RowRequest; key: string; target: Connection };

interface Connection {
  target: Target;
  id: string;
  client?: OpenClient;
  pacer?: Pacer;
}

export async function runBulk(
  options: CreateOptions,
  bulk: BulkOptions,
  ctx: Context,
): Promise<void> {
  if (!options.dryRun && bulk.results === undefined && !bulk.showSecrets) {
    throw new UsageError(
      'a bulk create needs --results <file> for the tokens and auth links (or --show-secrets to print them)',
      {
        hint: 'CI logs keep stdout: --results writes the secrets to a 0600 file instead',
      },
    );
  }
  if (bulk.fromFile === '-' && bulk.journal === undefined && !options.dryRun) {
    throw new UsageError('input from stdin needs --journal <path>, so that a re-run can resume');
  }

  const connections = new Map<string, Promise<Connection>>();
  const connect = (org: string | undefined, project: string | undefined): Promise<Connection> => {
    const key = `${org ?? ''}/${project ?? ''}`;
    let connection = connections.get(key);
    if (!connection) {
      connection = resolveTarget(ctx, { ...options.target, org, project }).then((target) => ({
        target,
        id: targetId(target.kind, target.baseUrl, target.apiKey),
      }));
      connections.set(key, connection);
    }
    return connection;
  };
  const closeAll = async () => {
    for (const connection of connections.values()) {
      const { client, target } = await connection.catch(() => ({
        client: undefined,
        target: undefined,
      }));
      await client?.close();
      await target?.close();
    }
  };

  try {
    const fallback = await connect(options.target.org, options.target.project);
    const seen = new Map<string, number>();
    const prepare = async (input: {
      line: number;
      values?: Record<string, unknown>;
      error?: string;
    }): Promise<Prepared> => {
      if (input.error !== undefined || !input.values)
        return {
          line: input.line,
          error: { code: 'invalid_row', message: input.error ?? 'invalid row' },
        };
      const row = rowRequest(input.line, input.values, options.request, options.target);
      if (typeof row === 'string')
        return { line: input.line, error: { code: 'invalid_row', message: row } };
      const target =
        row.org === options.target.org && row.project === options.target.project
          ? fallback
          : await connect(row.org, row.project);
      const key = rowIdentity(row, target.id);
      const first = seen.get(key);
      if (first !== undefined)
        return {
          line: input.line,
          error: { code: 'duplicate_row', message: `the same row as line ${first}` },
        };
      seen.set(key, input.line);
      return { line: input.line, row, key, target };
    };
    let prepared: AsyncIterable<Prepared> | Iterable<Prepared> = (async function* () {
      for await (const input of readRows(openInput(ctx, bulk.fromFile), bulk.fromFile))
        yield await prepare(input);
    })();

    if (bulk.strict || options.dryRun) {
      // Validate everything first; with --strict nothing is sent if any row is bad.
      const all: Prepared[] = [];
      for await (const item of prepared) all.push(item);
      const bad = all.filter((item) => 'error' in item);
      if (options.dryRun) return dryRun(ctx, all);
      if (bad.length > 0) {
        const writer = new ResultWriter(ctx, bulk);
        for (const item of bad)
          writer.write({
            row: item.line,
            status: 'failed',
            owner_id: null,
            session_id: null,
            error: (item as { error: RowResult['error'] }).error!,
          });
        throw new CliError(
          `--strict: ${bad.length} bad row${bad.length > 1 ? 's' : ''}; nothing was sent`,
          'partial_failure',
          EXIT.partial,
        );
      }
      prepared = all;
    }

    const journalPath = bulk.journal ?? defaultJournal(ctx, bulk.fromFile, fallback.id);
    let journal: Journal;
    try {
      journal = await Journal.open(journalPath);
    } catch (error) {
      if (error instanceof LockBusyError)
        throw new CliError(
          `another cst run is using the journal ${journalPath}${error.pid ? ` (pid ${error.pid})` : ''}`,
          'journal_locked',
          EXIT.unexpected,
        );
      throw error;
    }
    const results =
      bulk.results === undefined ? undefined : new ResultsFile(bulk.results, bulk.columns);
    try {
      await send(ctx, options, bulk, prepared, journal, results);
    } finally {
      results?.close();
      await journal.close();
    }
  } finally {
    await closeAll();
  }

  async function send(
    ctx: Context,
    options: CreateOptions,
    bulk: BulkOptions,
    rows: AsyncIterable<Prepared> | Iterable<Prepared>,
    journal: Journal,
    results: ResultsFile | undefined,
  ): Promise<void> {
    const writer = new ResultWriter(ctx, bulk);
    const progress = new Progress(ctx);
    const started = Date.now();
    let stopError: CliError | undefined;
    let stopSignal: StopSignal | undefined;
    let networkFailures = 0;
    let ledgerFailed = false;
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

    const report = (result: RowResult) => {
      progress.count(result.status);
      progress.clear();
      writer.write(result);
      if (result.status === 'issued' && results) results.write(result);
      progress.draw();
    };

    const handle = async (item: Prepared): Promise<void> => {
      if ('error' in item)
        return report({
          row: item.line,
          status: 'failed',
          owner_id: null,
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
      const connection = item.target;
      connection.pacer ??= new Pacer(bulk.ratePerSecond, bulk.concurrency, {
        now: Date.now,
        sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      });
      connection.client ??= await openClient(
        ctx,
        connection.target,
        options.timeoutMs,
        ({ waitMs }) => connection.pacer!.pauseFor(waitMs),
      );
      await connection.pacer.take();
      if (stopError || stopSignal) return;
      const body = connectSessionCreateToWire(item.row.request);
      journal.record({ key: item.key, state: 'pending', line: item.line });
      inFlight.add(item.line);
      try {
        const session = await createConnectSession(connection.client.client, body);
        networkFailures = 0;
        journal.record({ key: item.key, state: 'issued', line: item.line, session_id: session.id });
        const record = ledgerRecord({
          session,
          target: connection.id,
          org: connection.target.org,
          project: connection.target.project,
          expiresIn: item.row.request.expiresIn,
        });
        try {
          await appendRecord(ledger, record);
        } catch (error) {
          if (!ledgerFailed)
            warn(
              ctx,
              `issued sessions are not being recorded in the ledger ${ledger}: ${(error as Error).message}`,
            );
          ledgerFailed = true;
        }
        report({
          row: item.line,
          status: 'issued',
          owner_id: owner,
          owner_name: session.originOwnerName,
          session_id: session.id,
          token: session.token,
          auth_link_url: session.authLinkUrl,
          expires_at: record.expires_at,
          row_key: item.row.rowKey ?? null,
        });
      } catch (error) {
        const outcome = outcomeOf(error);
        journal.record({ key: item.key, state: outcome.status, line: item.line });
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
      while (!stopError && !stopSignal) {
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
    const total = counts.issued + counts.failed + counts.skipped + counts.unknown;
    ctx.stderr.write(
      `issued ${counts.issued}, failed ${counts.failed}, skipped ${counts.skipped}, unknown ${counts.unknown}` +
        `${inFlight.size > 0 ? ` (${inFlight.size} in flight when stopped: unknown on a re-run)` : ''}` +
        ` in ${elapsed.toFixed(1)}s (${(total / Math.max(elapsed, 0.001)).toFixed(1)} rows/s)\n`,
    );
    if (stopSignal) throw new InterruptedError(stopSignal);
    if (stopError)
      throw new CliError(
        `stopped: ${stopError.message}; rows not yet sent are left for a re-run`,
        stopError.code,
        stopError.exitCode,
        { status: stopError.status, hint: stopError.hint },
      );
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
    if (ledgerFailed)
      throw new CliError(
        'every row was issued, but not all are recorded in the ledger',
        'ledger_write_failed',
        EXIT.unexpected,
      );
  }
}

/** The state dir, keyed by the input's absolute path and the target. */
function defaultJournal(ctx: Context, input: string, target: string): string {
  const key = createHash('sha256')
    .update(`${resolve(input)}\n${target}`)
    .digest('hex')
    .slice(0, 16);
  return resolve(stateDir(ctx.env), 'journals', `${key}.jsonl`);
}

function dryRun(ctx: Context, items: Prepared[]): void {
  let bad = 0;
  for (const item of items) {
    if ('error' in item) {
      bad++;
      ctx.stdout.write(
        `${JSON.stringify({ row: item.line, status: 'failed', error: item.error })}\n`,
      );
      continue;
    }
    const { target } = item.target;
    ctx.stdout.write(
      `${JSON.stringify({ row: item.line, ...describeCreate(ctx, target.baseUrl, connectSessionCreateToWire(item.row.request)) })}\n`,
    );
  }
  if (bad > 0)
    throw new CliError(`${bad} bad row${bad > 1 ? 's' : ''}`, 'partial_failure', EXIT.partial);
}
