// Bulk create, the engine of `cst create --from-file`: it takes a plan, checks its paths before
// anything is written or sent, streams the input through the preparing steps (prepare.ts) to N
// workers (send.ts), each row journaled before it is sent so that a re-run never issues a
// silent duplicate. Results stream out in completion order.
import { stateUrl } from '../../config/state.js';
import { connectSessionCreateToWire } from '../../api/request-fields.js';
import { type CommandContext, describeCreate } from '../../connection/connection.js';
import type { Context } from '../../core/context.js';
import { CliError, ioReason, UsageError } from '../../core/errors.js';
import { checkReadable, checkWritable } from '../../core/util/path-check.js';
import { countRows } from './input.js';
import type { BulkPlan } from './plan.js';
import { type Prepared, preparedRows } from './prepare.js';
import { ResultsFile, type RowResult } from './results.js';
import { Routes } from './routes.js';
import { send } from './send.js';
import { ResultWriter } from './writer.js';

export async function runBulk(plan: BulkPlan, ctx: CommandContext): Promise<void> {
  checkPlan(plan, (await stateUrl(ctx)) !== undefined);
  const routes = new Routes(ctx, plan);
  try {
    let rows: AsyncIterable<Prepared> | Iterable<Prepared> = await preparedRows(ctx, plan, routes);
    if (plan.strict || plan.dryRun) {
      // Validate everything first; with --strict nothing is sent if any row is bad.
      const all: Prepared[] = [];
      for await (const item of rows) all.push(item);
      if (plan.dryRun) return dryRun(ctx, plan, all);
      refuseBadRows(ctx, plan, all);
      rows = all;
    }
    const results = openResults(plan);
    try {
      // done/total and an ETA on a terminal; counting the rows of stdin would mean holding them.
      const total =
        ctx.stderr.isTTY && plan.input !== '-' ? await countRows(plan.input) : undefined;
      await send(ctx, plan, rows, results, total);
    } finally {
      await results?.close();
    }
  } finally {
    await routes.close();
  }
}

/** What a plan needs that flags alone could not check: secrets have a place, paths work. */
/** `shared`: a shared store (CST_STATE_URL) keeps the journal, named by the target. */
function checkPlan(plan: BulkPlan, shared: boolean): void {
  if (plan.shard !== undefined && !shared)
    throw new UsageError('--shard splits rows through a shared state store: set CST_STATE_URL', {
      hint: 'with CST_STATE_URL set, --shard auto is what every bulk run does',
    });
  if (!plan.dryRun && plan.results === undefined && !plan.showSecrets) {
    throw new UsageError(
      'a bulk create needs --results <file> for the tokens and auth links (or --show-secrets to print them)',
      {
        hint: 'CI logs keep stdout: --results writes the secrets to a 0600 file instead',
      },
    );
  }
  if (plan.input === '-' && plan.journal === undefined && !plan.dryRun && !shared) {
    throw new UsageError('input from stdin needs --journal <path>, so that a re-run can resume');
  }
  if (plan.input !== '-') checkReadable('--from-file', plan.input);
  if (!plan.dryRun) {
    if (plan.results !== undefined) checkWritable('--results', plan.results);
    if (plan.journal !== undefined) checkWritable('--journal', plan.journal);
  }
}

/** --strict: every bad row on stdout, and nothing sent. */
function refuseBadRows(ctx: Context, plan: BulkPlan, all: Prepared[]): void {
  const bad = all.filter((item) => 'error' in item);
  if (bad.length === 0) return;
  const writer = new ResultWriter(ctx, plan);
  for (const item of bad)
    writer.write({
      row: item.line,
      status: 'failed',
      owner_id: null,
      session_id: null,
      error: item.error,
    } satisfies RowResult);
  throw new CliError(
    `--strict: ${bad.length} bad row${bad.length > 1 ? 's' : ''}; nothing was sent`,
    'partial_failure',
  );
}

function openResults(plan: BulkPlan): ResultsFile | undefined {
  if (plan.results === undefined) return undefined;
  try {
    return new ResultsFile(plan.results, plan.columns, plan.force);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new UsageError(`--results: cannot write ${plan.results}: ${ioReason(error)}`);
  }
}

/** --dry-run: each row's request as it would be sent, Authorization redacted; bad rows named. */
function dryRun(ctx: Context, plan: BulkPlan, items: Prepared[]): void {
  let bad = 0;
  for (const item of items) {
    if ('error' in item) {
      bad++;
      ctx.stdout.write(
        `${JSON.stringify({ row: item.line, status: 'failed', error: item.error })}\n`,
      );
      continue;
    }
    const body = { ...connectSessionCreateToWire(item.row.request), ...plan.extraBody };
    const request = describeCreate(ctx, item.route.connection.target.baseUrl, body);
    ctx.stdout.write(`${JSON.stringify({ row: item.line, ...request })}\n`);
  }
  if (bad > 0) throw new CliError(`${bad} bad row${bad > 1 ? 's' : ''}`, 'partial_failure');
}
