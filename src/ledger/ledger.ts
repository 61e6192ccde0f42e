// The ledger as cst's commands see it: what they append and ask, not where it is kept: the file
// backend (store.ts, query.ts), or PostgreSQL shared by CI runners (postgres.ts, loaded by
// config/state.ts only when a URL is set), behind one interface, so nothing above ledger/
// changes.
import type { Context } from '../core/context.js';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
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
  /**
   * Resolves once the ledger can take records: called before a session is sent, so that a
   * store that cannot be reached fails the command before StackOne acts, not after.
   */
  ready(): Promise<void>;
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
  /**
   * A store several runners share keeps bulk journals too: the one called `name`, for `runner`,
   * whose claims hold for `leaseMs`. Local ledgers have none: a bulk run keeps its own file.
   */
  journal?(name: string, runner: string, leaseMs: number): Promise<RowJournal>;
}

// The bulk journal's shape, here so that a store can keep one; session/bulk/journal.ts is the
// local file.

/** `undelivered`: created, but its token never reached the results file; a re-run issues it anew. */
export type RowState = 'pending' | 'issued' | 'failed' | 'unknown' | 'undelivered';

export interface JournalEntry {
  key: string;
  state: RowState;
  line: number;
  session_id?: number;
  at: string;
}

type Known = Pick<JournalEntry, 'state' | 'line' | 'session_id'>;

/**
 * A shared journal's answer to "may this runner send this row?": it is this runner's now, or
 * another's (issued, in flight under a live lease), or its outcome is unknown (a runner sent it
 * and said nothing more, or died with it).
 */
export type Claim =
  | { kind: 'mine' }
  | { kind: 'issued'; session_id: number | undefined; elsewhere: boolean }
  | { kind: 'busy' }
  | { kind: 'unknown'; line: number };

/** What a bulk run keeps its rows' states in: a local file, or a shared store (claims). */
export interface RowJournal {
  readonly path: string;
  /** What an earlier run left for this row (a local journal reads them all at open). */
  state(key: string): Known | undefined;
  /** A shared journal takes the row for this runner, atomically, before it is sent. */
  claim?(key: string, line: number, retryUnknown: boolean): Promise<Claim>;
  record(entry: Omit<JournalEntry, 'at'>): void | Promise<void>;
  sync(): void;
  close(): void;
}

/**
 * Where a shared store puts a record it cannot take: the session exists at StackOne from the
 * moment it is created, and must not be lost with the connection. The next command that
 * reaches the store pushes the file there, says so, and removes it.
 */
export interface Spill {
  path: string;
  append(record: LedgerRecord): Promise<void>;
  appendOutcome(outcome: OutcomeRecord): Promise<void>;
  /** What is waiting, then (after `done`) nothing. */
  drain(): Promise<
    { records: LedgerRecord[]; outcomes: OutcomeRecord[]; done: () => Promise<void> } | undefined
  >;
}

/** `ledger.jsonl` (or `ledger-sandbox.jsonl`) in the state directory. */
export class FileLedger implements Ledger {
  constructor(
    readonly where: string,
    /** What waits for the file's lock take their time from. */
    private readonly clock: LockClock,
  ) {}

  /** A file is there to be written, or made: nothing to reach. */
  ready(): Promise<void> {
    return Promise.resolve();
  }

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

/** The ledger file of a target: the sandbox's, or the one every other target shares. */
export function openLedger(stateDir: string, sandbox: boolean, ctx: Context): Ledger {
  return new FileLedger(ledgerPath(stateDir, sandbox), lockClock(ctx));
}

/** The spill file of a shared store, beside the local ledger. */
export function fileSpill(stateDir: string, ctx: Context): Spill {
  return new FileSpill(join(stateDir, SPILL), lockClock(ctx));
}

/** The spill file of a shared store: records it could not take, beside the local ledger. */
const SPILL = 'ledger-spill.jsonl';

/** A FileLedger of its own, read back whole and removed once the store has it. */
class FileSpill implements Spill {
  private readonly file: FileLedger;

  constructor(
    readonly path: string,
    clock: LockClock,
  ) {
    this.file = new FileLedger(path, clock);
  }

  append(record: LedgerRecord): Promise<void> {
    return this.file.append(record);
  }

  appendOutcome(outcome: OutcomeRecord): Promise<void> {
    return this.file.appendOutcome(outcome);
  }

  async drain() {
    if (!existsSync(this.path) && !existsSync(outcomesPath(this.path))) return undefined;
    const { rows } = await this.file.query({ status: 'all', limit: Infinity, now: 0 });
    const outcomes = [...(await this.file.outcomes()).values()];
    return {
      records: rows.reverse(),
      outcomes,
      done: async () => {
        await rm(this.path, { force: true });
        await rm(outcomesPath(this.path), { force: true });
      },
    };
  }
}
