// The first steps of a row: read (a CSV or NDJSON line), validate (by the same rules as a single
// create, flags as defaults), route (the row's target) and identify (what makes it the same row
// on a re-run). What comes out is either a row ready to send or a bad row with its reason.
import { CliError } from '../../core/errors.js';
import type { Context } from '../../core/context.js';
import { warn } from '../../core/output/messages.js';
import { type InputRow, openInput, readRows } from './input.js';
import type { BulkPlan } from './plan.js';
import type { Route, Routes } from './routes.js';
import { type RowRequest, rowIdentity, rowRequest } from './rows.js';

export type Prepared =
  | { line: number; error: { code: string; message: string }; ownerId?: string | undefined }
  | { line: number; row: RowRequest; key: string; route: Route };

/**
 * The input's rows, prepared one at a time in order. The header is read and checked before
 * this returns, so a bad one fails the run before anything is written or sent.
 */
export async function preparedRows(
  ctx: Context,
  plan: BulkPlan,
  routes: Routes,
): Promise<AsyncIterable<Prepared>> {
  const rows = readRows(openInput(ctx, plan.input), plan.input);
  const head = await rows.next();
  if (head.done)
    warn(ctx, `${plan.input === '-' ? 'stdin' : plan.input} holds no rows; nothing to send`);
  const seen = new Map<string, number>();
  return (async function* () {
    if (!head.done) yield await prepare(head.value, plan, routes, seen);
    for await (const input of rows) yield await prepare(input, plan, routes, seen);
  })();
}

async function prepare(
  input: InputRow,
  plan: BulkPlan,
  routes: Routes,
  seen: Map<string, number>,
): Promise<Prepared> {
  if ('error' in input)
    return { line: input.line, error: { code: 'invalid_row', message: input.error } };
  const { line, values } = input;
  const row = rowRequest(line, values, plan.defaults, plan.target);
  const ownerId = typeof values.owner_id === 'string' ? values.owner_id.trim() : undefined;
  if (typeof row === 'string')
    return { line, ownerId, error: { code: 'invalid_row', message: row } };
  let route: Route;
  try {
    route = await routes.route(row.org, row.project);
  } catch (error) {
    // The default target failing fails every row that uses it the same way: the run stops.
    if (!(error instanceof CliError) || routes.keyOf(row) === routes.defaultKey) throw error;
    // A row naming a project that is not configured is a bad row, not a bad run.
    return { line, ownerId, error: { code: error.code, message: error.message } };
  }
  const key = rowIdentity(row, route.connection.id);
  const first = seen.get(key);
  if (first !== undefined)
    return { line, error: { code: 'duplicate_row', message: `the same row as line ${first}` } };
  seen.set(key, line);
  return { line, row, key, route };
}
