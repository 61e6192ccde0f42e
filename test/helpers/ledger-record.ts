// A ledger record for tests: one per minute from 2026-11-01, owners cus_0..cus_6 in turn.
import { lockClock } from '../../src/core/util/lock.js';
import type { LedgerRecord } from '../../src/ledger/record.js';
import { testContext } from './context.js';

export function record(id: number, overrides: Partial<LedgerRecord> = {}): LedgerRecord {
  const created = Date.UTC(2026, 10, 1) + id * 60_000;
  return {
    v: 1,
    id,
    target: 'https://api.stackone.com#0123456789ab',
    org: 'acme',
    project: 'prod',
    organization_id: '1001',
    project_id: 'p1',
    owner_id: `cus_${id % 7}`,
    owner_name: `Customer ${id % 7}`,
    username: null,
    categories: id % 2 ? ['hris'] : ['ats', 'hris'],
    provider: null,
    label: id % 3 ? null : `label ${id}`,
    account_id: null,
    type: null,
    created_at: new Date(created).toISOString(),
    expires_at: new Date(created + 1_800_000).toISOString(),
    token_fp: id.toString(16).padStart(16, '0'),
    ...overrides,
  };
}

/** The real clock, for locks taken by tests that call the file backend directly. */
export const realClock = lockClock(testContext().ctx);
