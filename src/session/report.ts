// What cst knows of the sessions it issued: each ledger record with the state of its link (from
// the outcomes `cst wait` recorded), the state and expiry filters, and the funnel per target.
// `cst list` renders it; `cst mcp` hands it to agents.
import type { Ledger } from '../ledger/ledger.js';
import type { LedgerQuery } from '../ledger/query.js';
import type { LedgerRecord } from '../ledger/record.js';
import type { SessionState } from '../ledger/states.js';
import { outcomeKey } from '../ledger/store.js';
import type { Linked } from './linked.js';

export interface ListedSession extends LedgerRecord {
  status: 'active' | 'expired';
  /** What became of the link: from `cst wait`'s outcomes, refreshed from StackOne by --linked. */
  state: SessionState;
  linked_account_id: string | null;
  /** When the session was seen linked (an outcome record, or the account's creation). */
  linked_at: string | null;
  linked?: Linked | null;
}

export interface Listed {
  rows: ListedSession[];
  /** Every match, before the limit. */
  total: number;
  /** Lines of the ledger that could not be read. */
  torn: number;
}

/** Filters on what became of a link: they need every match, so the limit comes after them. */
export interface StateFilter {
  states?: SessionState[] | undefined;
  /** Only pending sessions that expire within this long. */
  expiringMs?: number | undefined;
}

/** The ledger's matches, newest first, each with its state; `whole` ignores the limit. */
export async function listSessions(
  ledger: Ledger,
  query: LedgerQuery,
  whole: boolean,
): Promise<Listed> {
  const result = await ledger.query({ ...query, limit: whole ? Infinity : query.limit });
  const outcomes = await ledger.outcomes();
  const rows = result.rows.map((record): ListedSession => {
    const live = record.expires_at !== null && Date.parse(record.expires_at) > query.now;
    const outcome = outcomes.get(outcomeKey(record.target, record.id));
    return {
      ...record,
      status: live ? 'active' : 'expired',
      // Nobody has the token of an undelivered session: it can only have been linked by chance.
      state:
        outcome?.outcome ?? (record.undelivered ? 'undelivered' : live ? 'pending' : 'expired'),
      linked_account_id: outcome?.outcome === 'linked' ? outcome.account_id : null,
      linked_at: outcome?.outcome === 'linked' ? outcome.at : null,
    };
  });
  return { rows, total: result.total, torn: result.torn };
}

/** The rows in the filter's states, then the first `limit`; `total` counts them all. */
export function byState(
  rows: ListedSession[],
  filter: StateFilter,
  limit: number,
  now: number,
): { rows: ListedSession[]; total: number } {
  const linkedSince = filter.expiringMs === undefined ? undefined : linkedOwners(rows);
  const kept = rows.filter(
    (row) =>
      (filter.states === undefined || filter.states.includes(row.state)) &&
      (filter.expiringMs === undefined ||
        (row.state === 'pending' &&
          Date.parse(row.expires_at!) - now <= filter.expiringMs &&
          // A customer who linked through a newer session is not one to chase.
          !(Date.parse(row.created_at) < (linkedSince!.get(ownerKey(row)) ?? -Infinity)))),
  );
  return { rows: kept.slice(0, limit), total: kept.length };
}

export const filtersByState = (filter: StateFilter) =>
  filter.states !== undefined || filter.expiringMs !== undefined;

function ownerKey(row: ListedSession): string {
  return `${row.target}\u0000${row.owner_id}`;
}

/** For each owner (per target), when the newest of its linked sessions was created. */
function linkedOwners(rows: ListedSession[]): Map<string, number> {
  const newest = new Map<string, number>();
  for (const row of rows) {
    if (row.state !== 'linked') continue;
    const created = Date.parse(row.created_at);
    if (created > (newest.get(ownerKey(row)) ?? -Infinity)) newest.set(ownerKey(row), created);
  }
  return newest;
}

export interface SummaryRow {
  where: string;
  issued: number;
  linked: number;
  pending: number;
  failed: number;
  expired: number;
  link_rate: number;
  median_seconds_to_link: number | null;
}

/** The funnel per organization/project: what a CI job's owners ask after a provisioning run. */
export function summarize(rows: ListedSession[]): SummaryRow[] {
  const groups = new Map<string, ListedSession[]>();
  for (const row of rows) {
    const where =
      row.org !== null && row.project !== null ? `${row.org}/${row.project}` : row.target;
    groups.set(where, [...(groups.get(where) ?? []), row]);
  }
  return [...groups].map(([where, group]) => {
    const count = (...states: SessionState[]) =>
      group.filter((row) => states.includes(row.state)).length;
    const linked = count('linked');
    return {
      where,
      issued: group.length,
      linked,
      pending: count('pending'),
      failed: count('failed', 'cancelled'),
      expired: count('expired'),
      link_rate: group.length === 0 ? 0 : linked / group.length,
      median_seconds_to_link: median(
        group
          .filter((row) => row.state === 'linked' && row.linked_at !== null)
          .map((row) => (Date.parse(row.linked_at!) - Date.parse(row.created_at)) / 1000),
      ),
    };
  });
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
