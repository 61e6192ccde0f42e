// Reissue (`cst create --from-session`): a new session for the owner of an earlier one, with
// what the field table marks to carry over, as the ledger kept it.
import { openStateLedger } from '../config/state.js';
import { CATEGORY_ALIASES } from '../api/constants.js';
import { REQUEST_FIELDS } from '../api/request-fields.js';
import type { Context } from '../core/context.js';
import { UsageError } from '../core/errors.js';
import { newestRecord } from '../ledger/ledger.js';

export interface Reissue {
  /** The request fields carried over, keyed as cst holds them (camelCase). */
  request: Record<string, unknown>;
  /** The org and project the earlier session went to, when the ledger knows them. */
  target: { org: string; project: string } | undefined;
}

export async function reissue(ctx: Context, id: number, sandbox: boolean): Promise<Reissue> {
  const ledger = await openStateLedger(ctx, sandbox);
  const record = await newestRecord(ledger, { id, status: 'all' }, ctx.now());
  if (!record) {
    throw new UsageError(
      `--from-session: no session ${id} in the ${sandbox ? 'sandbox ' : ''}ledger`,
      { hint: `'cst list${sandbox ? ' --sandbox' : ''}' shows the sessions cst issued` },
    );
  }
  const request: Record<string, unknown> = {};
  for (const field of REQUEST_FIELDS) {
    if (!field.reissue || field.ledger === undefined) continue;
    const value = (record as unknown as Readonly<Record<string, unknown>>)[field.ledger];
    if (value === null || value === undefined || (Array.isArray(value) && value.length === 0))
      continue;
    // A server may echo categories in the spec examples' camelCase: sent back as wire values.
    request[field.key] =
      field.kind === 'categories'
        ? (value as string[]).map((c) => CATEGORY_ALIASES[c] ?? c)
        : value;
  }
  return {
    request,
    target:
      record.org !== null && record.project !== null
        ? { org: record.org, project: record.project }
        : undefined,
  };
}
