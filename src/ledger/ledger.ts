// The ledger as cst's commands see it: what they append and ask, not where it is kept: the file
// backend (store.ts, query.ts), or PostgreSQL shared by CI runners (postgres.ts), behind one
// interface, so nothing above ledger/ changes.
import type { Context } from '../core/context.js';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PostgresLedger, type Spill } from './postgres.js';
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

/**
 * The ledger of a target: the sandbox's (always a local file), or the one every other target
 * shares: in PostgreSQL when `url` names a database (config/state.ts finds it), else
 * `ledger.jsonl`.
 */
export function openLedger(stateDir: string, sandbox: boolean, ctx: Context, url?: string): Ledger {
  if (url !== undefined && !sandbox)
    return new PostgresLedger(url, ctx, true, new FileSpill(join(stateDir, SPILL), lockClock(ctx)));
  return new FileLedger(ledgerPath(stateDir, sandbox), lockClock(ctx));
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
