// Questions asked of the ledger ("the sessions of owner X, newest first"), answered with a
// byte prefilter so that only candidate lines are parsed, and only shown rows validated.
import { type LedgerRecord, ledgerRecordSchema, withKeptDefaults } from './record.js';
import { scan, type ScanResult } from './store.js';

export type SessionStatus = 'active' | 'expired' | 'all';

export interface LedgerQuery {
  target?: string | undefined;
  org?: string | undefined;
  project?: string | undefined;
  ownerId?: string | undefined;
  categories?: string[] | undefined;
  status: SessionStatus;
  since?: number | undefined;
  until?: number | undefined;
  tokenFp?: string | undefined;
  id?: number | undefined;
  limit: number;
  now: number;
  /** Only the newest match is wanted: the scan stops there and `total` is not counted. */
  first?: boolean | undefined;
}

export function queryLedger(path: string, query: LedgerQuery): ScanResult {
  const filtered =
    query.target !== undefined ||
    query.org !== undefined ||
    query.project !== undefined ||
    query.ownerId !== undefined ||
    query.categories !== undefined ||
    query.status !== 'all' ||
    query.until !== undefined ||
    query.tokenFp !== undefined ||
    query.id !== undefined;
  const result = scan(path, {
    needle: needleFor(query),
    accept: (line) => {
      const record = JSON.parse(line) as LedgerRecord;
      return matches(record, query) ? record : undefined;
    },
    keep: query.limit,
    countWithoutParsing: !filtered,
    since: query.since,
    liveAt: query.status === 'active' ? query.now : undefined,
    stopAtKeep: query.first,
  });
  // Only the rows shown are validated; a record that is not one counts as torn.
  const rows = result.rows
    .filter((row) => ledgerRecordSchema.safeParse(row).success)
    .map(withKeptDefaults);
  return {
    rows,
    total: result.total - (result.rows.length - rows.length),
    torn: result.torn + result.rows.length - rows.length,
  };
}

/** The most selective exact bytes every match must contain. */
function needleFor(query: LedgerQuery): string | undefined {
  if (query.tokenFp !== undefined) return `"token_fp":${JSON.stringify(query.tokenFp)}`;
  if (query.ownerId !== undefined) return `"owner_id":${JSON.stringify(query.ownerId)},`;
  if (query.id !== undefined) return `"id":${query.id},`;
  if (query.project !== undefined) return `"project":${JSON.stringify(query.project)},`;
  if (query.org !== undefined) return `"org":${JSON.stringify(query.org)},`;
  return undefined;
}

function matches(record: LedgerRecord, query: LedgerQuery): boolean {
  if (query.target !== undefined && record.target !== query.target) return false;
  if (query.org !== undefined && record.org !== query.org) return false;
  if (query.project !== undefined && record.project !== query.project) return false;
  if (query.ownerId !== undefined && record.owner_id !== query.ownerId) return false;
  if (query.tokenFp !== undefined && record.token_fp !== query.tokenFp) return false;
  if (query.id !== undefined && record.id !== query.id) return false;
  if (
    query.categories !== undefined &&
    !query.categories.every((c) => record.categories.includes(c))
  )
    return false;
  const created = Date.parse(record.created_at);
  if (query.since !== undefined && created < query.since) return false;
  if (query.until !== undefined && created > query.until) return false;
  const active = record.expires_at !== null && Date.parse(record.expires_at) > query.now;
  if (query.status === 'active' && !active) return false;
  if (query.status === 'expired' && active) return false;
  return true;
}
