// Moving state between stores (`cst state push|pull|import`): one record per target and session
// id, so a second copy of the same state adds nothing; of two outcomes of one session, the one
// seen later wins. Whatever the stores, through the Ledger interface only.
import type { Ledger } from './ledger.js';
import type { LedgerRecord } from './record.js';
import { type OutcomeRecord, outcomeKey } from './store.js';

export interface Merged {
  added: { sessions: number; outcomes: number };
  /** Already there: records of the same target and session, outcomes as new or newer. */
  present: { sessions: number; outcomes: number };
}

/** Everything a store holds: its records oldest first (the order they were issued), its outcomes. */
export async function everything(
  ledger: Ledger,
  now: number,
  since?: number,
): Promise<{ records: LedgerRecord[]; outcomes: OutcomeRecord[] }> {
  const { rows } = await ledger.query({ status: 'all', limit: Infinity, now, since });
  const kept = new Set(rows.map((row) => outcomeKey(row.target, row.id)));
  const outcomes = [...(await ledger.outcomes()).entries()]
    .filter(([key]) => since === undefined || kept.has(key))
    .map(([, outcome]) => outcome);
  return { records: rows.reverse(), outcomes };
}

export async function merge(
  into: Ledger,
  from: { records: Iterable<LedgerRecord>; outcomes: Iterable<OutcomeRecord> },
  now: number,
): Promise<Merged> {
  await into.ready();
  const { rows } = await into.query({ status: 'all', limit: Infinity, now });
  const have = new Set(rows.map((row) => outcomeKey(row.target, row.id)));
  const decided = await into.outcomes();
  const merged: Merged = {
    added: { sessions: 0, outcomes: 0 },
    present: { sessions: 0, outcomes: 0 },
  };
  for (const record of from.records) {
    const key = outcomeKey(record.target, record.id);
    if (have.has(key)) {
      merged.present.sessions++;
      continue;
    }
    await into.append(record);
    have.add(key);
    merged.added.sessions++;
  }
  for (const outcome of from.outcomes) {
    const existing = decided.get(outcomeKey(outcome.target, outcome.session_id));
    if (existing && Date.parse(existing.at) >= Date.parse(outcome.at)) {
      merged.present.outcomes++;
      continue;
    }
    await into.appendOutcome(outcome);
    merged.added.outcomes++;
  }
  return merged;
}
