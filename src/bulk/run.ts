// Bulk create: rows stream in, N workers send them through one keep-alive pool per key, paced
// under the rate limit, each row journaled before it is sent so that a re-run never issues a
// silent duplicate. Results stream out in completion order.
import { resolve } from 'node:path';
import { connectSessionCreateToWire } from '../api/request-fields.js';
import { type CommandContext, type Connection, describeCreate } from '../connection.js';
import type { CreateOptions } from '../commands/create/options.js';
import type { Context } from '../context.js';
import { CliError, EXIT, ioReason, StateWriteError, UsageError } from '../errors.js';
import { warn } from '../output/messages.js';
import { LockBusyError } from '../util/lock.js';
import { countRows, openInput, readRows } from './input.js';
import { Journal } from './journal.js';
import { defaultJournal, describeJournal } from './journals.js';
import { checkReadable, checkWritable } from '../util/path-check.js';
import { Pacer } from './pacer.js';
import type { ResultColumn } from './columns.js';
import { ResultsFile, type RowResult } from './results.js';
import { type RowRequest, rowIdentity, rowRequest } from './rows.js';
import { send } from './send.js';
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
  /** --force: --results may be a symbolic link. */
  force: boolean;
}

export type Prepared =
  | { line: number; error: { code: string; message: string }; ownerId?: string | undefined }
  | { line: number; row: RowRequest; key: string; route: Route };

/** Where a row goes: a connection to its target, and that key's own pace. */
export interface Route {
  connection: Connection;
  pacer: Pacer;
}

export async function runBulk(
  options: CreateOptions,
  bulk: BulkOptions,
  ctx: CommandContext,
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
  if (bulk.fromFile !== '-') checkReadable('--from-file', bulk.fromFile);
  if (!options.dryRun) {
    if (bulk.results !== undefined) checkWritable('--results', bulk.results);
    if (bulk.journal !== undefined) checkWritable('--journal', bulk.journal);
  }

  const routes = new Map<string, Promise<Route>>();
  const connect = (org: string | undefined, project: string | undefined): Promise<Route> => {
    const key = `${org ?? ''}/${project ?? ''}`;
    let route = routes.get(key);
    if (!route) {
      const pacer = new Pacer(bulk.ratePerSecond, bulk.concurrency, {
        now: Date.now,
        sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      });
      route = ctx
        .connect(
          { ...options.target, org, project },
          { timeoutMs: options.timeoutMs, onRetry: ({ waitMs }) => pacer.pauseFor(waitMs) },
        )
        .then((connection) => ({ connection, pacer }));
      routes.set(key, route);
    }
    return route;
  };
  const closeAll = async () => {
    for (const route of routes.values())
      await (await route.catch(() => undefined))?.connection.close();
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
      const ownerId =
        typeof input.values.owner_id === 'string' ? input.values.owner_id.trim() : undefined;
      if (typeof row === 'string')
        return { line: input.line, ownerId, error: { code: 'invalid_row', message: row } };
      let route: Route;
      try {
        route =
          row.org === options.target.org && row.project === options.target.project
            ? fallback
            : await connect(row.org, row.project);
      } catch (error) {
        // A row naming a project that is not configured is a bad row, not a bad run.
        if (!(error instanceof CliError)) throw error;
        const named = `org/project "${row.org ?? ''}/${row.project ?? ''}"`;
        const message = `${named}: ${error.message.replace(/^--org\/--project: /, '')}`;
        return { line: input.line, ownerId, error: { code: error.code, message } };
      }
      const key = rowIdentity(row, route.connection.id);
      const first = seen.get(key);
      if (first !== undefined)
        return {
          line: input.line,
          error: { code: 'duplicate_row', message: `the same row as line ${first}` },
        };
      seen.set(key, input.line);
      return { line: input.line, row, key, route };
    };
    const rows = readRows(openInput(ctx, bulk.fromFile), bulk.fromFile);
    // The header is read and checked before anything is written or sent.
    const head = await rows.next();
    if (head.done)
      warn(
        ctx,
        `${bulk.fromFile === '-' ? 'stdin' : bulk.fromFile} holds no rows; nothing to send`,
      );
    let prepared: AsyncIterable<Prepared> | Iterable<Prepared> = (async function* () {
      if (!head.done) yield await prepare(head.value);
      for await (const input of rows) yield await prepare(input);
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

    const journalPath =
      bulk.journal ?? defaultJournal(ctx.env, bulk.fromFile, fallback.connection.id);
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
      throw new StateWriteError('the journal', journalPath, error);
    }
    if (bulk.journal === undefined) {
      // What `cst journal list` shows about it.
      const info = {
        input: resolve(bulk.fromFile),
        target: fallback.connection.id,
        org: fallback.connection.target.org,
        project: fallback.connection.target.project,
      };
      await describeJournal(journalPath, info).catch((error: unknown) => {
        journal.close();
        throw new StateWriteError('the journal', journalPath, error);
      });
    }
    let results: ResultsFile | undefined;
    try {
      results =
        bulk.results === undefined
          ? undefined
          : new ResultsFile(bulk.results, bulk.columns, bulk.force);
    } catch (error) {
      journal.close();
      if (error instanceof CliError) throw error;
      throw new UsageError(`--results: cannot write ${bulk.results}: ${ioReason(error)}`);
    }
    try {
      // done/total and an ETA on a terminal; counting the rows of stdin would mean holding them.
      const total =
        ctx.stderr.isTTY && bulk.fromFile !== '-' ? await countRows(bulk.fromFile) : undefined;
      await send(ctx, options, bulk, prepared, journal, results, total);
    } finally {
      await results?.close();
      journal.close();
    }
  } finally {
    await closeAll();
  }
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
    const { target } = item.route.connection;
    ctx.stdout.write(
      `${JSON.stringify({ row: item.line, ...describeCreate(ctx, target.baseUrl, connectSessionCreateToWire(item.row.request)) })}\n`,
    );
  }
  if (bad > 0)
    throw new CliError(`${bad} bad row${bad > 1 ? 's' : ''}`, 'partial_failure', EXIT.partial);
}
