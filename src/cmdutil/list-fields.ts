// What `cst list --field` takes, apart from the other commands' lists: a list loads the ledger's
// record schema only, never the session schemas those need.
import { ledgerRecordSchema } from '../ledger/record.js';

/**
 * Fields of a listed session, for --field: the ledger record's (made from the field table), less
 * its bookkeeping, then what `cst list` learns about each session.
 */
export const LIST_FIELDS: readonly string[] = [
  ...Object.keys(ledgerRecordSchema.shape).filter(
    (key) => key !== 'v' && key !== 'live_until' && key !== 'undelivered',
  ),
  'status',
  'state',
  'linked_account_id',
  'linked_at',
  'linked',
];
