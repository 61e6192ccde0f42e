// The ledger as cst's commands see it: what they append and ask, not where it is kept. The file
// backend (store.ts, query.ts) is the only one today; a second one (a database shared by CI
// runners) implements the same interface and nothing above ledger/ changes.
import type { Context } from '../core/context.js';
import { type LockClock, lockClock } from '../core/util/lock.js';
import { writeFileAtomic } from '../core/util/private-files.js';
import { type LedgerQuery, queryLedger } from './query.js';
import type { LedgerRecord } from './record.js';
import {
  appendOutcome,
  appendRecord,
  ledgerPath,
  type OutcomeRecord,
  outcomesPath,
  prune,
  readOutcomes,
  type ScanResult,
} from './store.js';

export interface Ledger {
  /** Where it is, for messages and `cst ledger path`: a file, or another backend's address. */
  readonly where: string;
  /** One record per issued session, whole, never interleaved with another process's. */
  append(record: LedgerRecord): Promise<void>;
  /** Newest first; `total` counts every match. */
  query(query: LedgerQuery): Promise<ScanResult>;
  /** What the customer did with a session's link, as `cst wait` saw it. */
  appendOutcome(outcome: OutcomeRecord): Promise<void>;
  /** The latest outcome of each session, by `outcomeKey(target, session_id)`. */
  outcomes(): Promise<Map<string, OutcomeRecord>>;
  /** Forgets the records created before `before`, and their outcomes. */
  prune(before: number, options?: { dryRun?: boolean }): Promise<{ removed: number; kept: number }>;
  /** Forgets everything: the sandbox's ledger when the sandbox is reset. */
  clear(): Promise<void>;
}

/** `ledger.jsonl` (or `ledger-sandbox.jsonl`) in the state directory. */
export class FileLedger implements Ledger {
  constructor(
    readonly where: string,
    /** What waits for the file's lock take their time from. */
    private readonly clock: LockClock,
  ) {}

  append(record: LedgerRecord): Promise<void> {
    return appendRecord(this.where, record, this.clock);
  }

  query(query: LedgerQuery): Promise<ScanResult> {
    return Promise.resolve().then(() => queryLedger(this.where, query));
  }

  appendOutcome(outcome: OutcomeRecord): Promise<void> {
    return appendOutcome(this.where, outcome, this.clock);
  }

  outcomes(): Promise<Map<string, OutcomeRecord>> {
    return Promise.resolve().then(() => readOutcomes(this.where));
  }

  prune(before: number, options: { dryRun?: boolean } = {}) {
    return prune(this.where, before, this.clock, options);
  }

  async clear(): Promise<void> {
    await writeFileAtomic(this.where, '');
    await writeFileAtomic(outcomesPath(this.where), '');
  }
}

/** The newest record that matches `query`, or undefined: the scan stops at it. */
export async function newestRecord(
  ledger: Ledger,
  query: Omit<LedgerQuery, 'limit' | 'first' | 'now'>,
  now: Date,
): Promise<LedgerRecord | undefined> {
  const { rows } = await ledger.query({ ...query, limit: 1, first: true, now: now.getTime() });
  return rows[0];
}

/** The ledger of a target: the sandbox's, or the one every other target shares. */
export function openLedger(
  stateDir: string,
  sandbox: boolean,
  ctx: Pick<Context, 'now' | 'timer'>,
): Ledger {
  return new FileLedger(ledgerPath(stateDir, sandbox), lockClock(ctx));
}
