// The ledger: append-only JSON lines in the state directory, one write() per record with
// O_APPEND so parallel cst processes never interleave. Reads go from the end of the file in
// fixed-size chunks, so memory stays flat and the newest records come first.
import { closeSync, constants, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  appendWhole,
  ensurePrivateDir,
  openPrivateAppend,
  writeFileAtomic,
} from '../core/util/private-files.js';
import { acquireLockSync, type LockClock, withLock } from '../core/util/lock.js';
import { StateReadError } from '../core/errors.js';
import type { LedgerRecord } from './record.js';

const CHUNK = 1 << 20;
const NEWLINE = 0x0a;
const RECORD_START = '{"v":1,';

/** Sandbox sessions are test data: they live in their own file and never slow a real list. */
export function ledgerPath(stateDir: string, sandbox: boolean): string {
  return join(stateDir, sandbox ? 'ledger-sandbox.jsonl' : 'ledger.jsonl');
}

export async function appendRecord(
  path: string,
  record: LedgerRecord,
  clock: LockClock,
): Promise<void> {
  await ensurePrivateDir(join(path, '..'));
  // Synchronous: lock, open, write, close, unlock, with no thread-pool round trips between. The
  // lock is what keeps a prune from rewriting the file under an append.
  const release = acquireLockSync(lockPath(path), clock);
  try {
    const fd = openPrivateAppend(path);
    try {
      const live_until = later(previousLiveUntil(path), record.expires_at);
      appendWhole(fd, `${JSON.stringify({ ...record, live_until })}\n`);
    } finally {
      closeSync(fd);
    }
  } finally {
    release();
  }
}

/**
 * `live_until` of the last record: no record up to it is live after that time (null: none is
 * live at all). A reader looking for live sessions stops at the first record whose time has
 * passed, however long the ledger. A ledger written before this field, or ending in a torn line,
 * is read once in full to start the chain.
 */
function previousLiveUntil(path: string): string | null {
  const last = lastRecord(path);
  if (last === 'empty') return null;
  if (last !== 'torn' && (last.live_until === null || typeof last.live_until === 'string'))
    return last.live_until;
  let until: string | null = null;
  scan(path, {
    accept: (line) => {
      const { expires_at } = JSON.parse(line) as { expires_at?: unknown };
      if (typeof expires_at === 'string') until = later(until, expires_at);
      return undefined;
    },
    keep: 0,
    countWithoutParsing: false,
  });
  return until;
}

/** The ledger's last record, read from the end of the file. */
function lastRecord(path: string): { live_until?: unknown } | 'empty' | 'torn' {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return 'empty';
    const tail = Buffer.alloc(Math.min(size, TAIL));
    readSync(fd, tail, 0, tail.length, size - tail.length);
    const end = tail.length - 1;
    const start = tail.lastIndexOf(NEWLINE, end - 1) + 1;
    // A line that does not end the file, or may have begun before the tail, is not a record.
    if (tail[end] !== NEWLINE || (start === 0 && tail.length < size)) return 'torn';
    // A record appended onto a torn one shares its line.
    const line = tail.toString('utf8', start, end);
    return JSON.parse(line.slice(Math.max(0, line.lastIndexOf(RECORD_START)))) as {
      live_until?: unknown;
    };
  } catch {
    return 'torn';
  } finally {
    closeSync(fd);
  }
}

/** A record is seldom over 1 KB: the last one is in the file's last 16 KB. */
const TAIL = 16 * 1024;

function later(a: string | null, b: string | null): string | null {
  if (a === null || b === null) return a ?? b;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

const lockPath = (ledger: string) => `${ledger}.lock`;

export interface ScanOptions {
  /** Only lines containing these bytes are looked at: a cheap prefilter before parsing. */
  needle?: string | undefined;
  /** Parses and filters a candidate line; undefined means "not a match". */
  accept: (line: string) => LedgerRecord | undefined;
  /** How many matches to keep, newest first; the rest are only counted. */
  keep: number;
  /** When no filter needs parsing, lines past `keep` are counted without being parsed. */
  countWithoutParsing: boolean;
  /** Stop at the first record created before this (records are appended in time order). */
  since?: number | undefined;
  /** Only records live at this time are wanted: stop where `live_until` says none is left. */
  liveAt?: number | undefined;
  /** Stop once `keep` matches are found, leaving `total` uncounted. */
  stopAtKeep?: boolean | undefined;
}

export interface ScanResult {
  rows: LedgerRecord[];
  total: number;
  /** Lines that are not JSON: a record torn by a crash mid-write. */
  torn: number;
}

export function scan(path: string, options: ScanOptions): ScanResult {
  const result: ScanResult = { rows: [], total: 0, torn: 0 };
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return result;
    throw new StateReadError('the ledger', path, error);
  }
  // Synchronous reads: a CLI waits for them anyway, and each await would cost a thread-pool trip.
  try {
    const needle = options.needle === undefined ? undefined : Buffer.from(options.needle);
    const walk = needle === undefined || options.since !== undefined ? walkLines : walkHits;
    let carry = Buffer.alloc(0);
    // One buffer for every chunk: fresh memory per read would cost a page fault per page.
    let buffer = Buffer.allocUnsafeSlow(CHUNK * 2);
    for (let end = fstatSync(fd).size; end > 0;) {
      const start = Math.max(0, end - CHUNK);
      if (end - start + carry.length > buffer.length)
        buffer = Buffer.allocUnsafeSlow(end - start + carry.length);
      // The chunk, followed by the start of a line that began in it and ended in the next one.
      const data = buffer.subarray(0, end - start + carry.length);
      readSync(fd, data, 0, end - start, start);
      carry.copy(data, end - start);
      end = start;
      const from = start === 0 ? 0 : data.indexOf(NEWLINE) + 1;
      if (start > 0 && from === 0) {
        carry = data;
        continue;
      }
      carry = Buffer.from(data.subarray(0, from));
      if (walk(data, from, needle, options, result) === 'stop') return result;
      if (options.liveAt !== undefined && noneLiveBefore(data, from, options.liveAt)) return result;
    }
    return result;
  } catch (error) {
    // A read that failed (a directory, an I/O error), not a record that did not parse.
    if (typeof (error as NodeJS.ErrnoException).syscall === 'string')
      throw new StateReadError('the ledger', path, error);
    throw error;
  } finally {
    closeSync(fd);
  }
}

type Walk = (
  data: Buffer,
  from: number,
  needle: Buffer | undefined,
  options: ScanOptions,
  result: ScanResult,
) => 'stop' | 'more';

/** Every complete line of data[from..], from the last to the first. */
const walkLines: Walk = (data, from, needle, options, result) => {
  let end = data.length;
  while (end > from) {
    const newline = data.lastIndexOf(NEWLINE, end - 1);
    const start = Math.max(newline + 1, from);
    if (end > start) {
      if (
        needle === undefined &&
        options.countWithoutParsing &&
        result.rows.length >= options.keep &&
        options.since === undefined
      ) {
        result.total++;
      } else if (needle === undefined || data.subarray(start, end).includes(needle)) {
        if (visit(data.toString('utf8', start, end), options, result) === 'stop') return 'stop';
      }
    }
    end = start - 1;
  }
  return 'more';
};

/** Only the lines that contain the needle, found by searching the chunk, not each line. */
const walkHits: Walk = (data, from, needle, options, result) => {
  const hits: number[] = [];
  // Forward search is the fast path in V8's Buffer; the hits are then visited newest first.
  for (
    let at = data.indexOf(needle!, from);
    at >= 0;
    at = data.indexOf(needle!, at + needle!.length)
  )
    hits.push(at);
  let previousStart = Infinity;
  for (let i = hits.length - 1; i >= 0; i--) {
    const hit = hits[i]!;
    if (hit >= previousStart) continue;
    const start = Math.max(data.lastIndexOf(NEWLINE, hit) + 1, from);
    const newline = data.indexOf(NEWLINE, hit);
    const line = data.toString('utf8', start, newline < 0 ? data.length : newline);
    if (visit(line, options, result) === 'stop') return 'stop';
    previousStart = start;
  }
  return 'more';
};

/** Whether the first whole line of this chunk says no record up to it is live at `at`. */
function noneLiveBefore(data: Buffer, from: number, at: number): boolean {
  const newline = data.indexOf(NEWLINE, from);
  const line = data.toString('utf8', from, newline < 0 ? data.length : newline);
  const field = line.lastIndexOf(LIVE_UNTIL);
  if (field < 0) return false;
  const value = line.slice(field + LIVE_UNTIL.length);
  if (value.startsWith('null}')) return true;
  const until = Date.parse(value.slice(1, value.indexOf('"', 1)));
  return value.startsWith('"') && until <= at;
}

const LIVE_UNTIL = '"live_until":';

function visit(line: string, options: ScanOptions, result: ScanResult): 'stop' | 'more' {
  if (options.since !== undefined) {
    const at = line.indexOf('"created_at":"');
    const created = at < 0 ? NaN : Date.parse(line.slice(at + 14, line.indexOf('"', at + 14)));
    if (created < options.since) return 'stop';
  }
  let record: LedgerRecord | undefined;
  try {
    record = options.accept(line);
  } catch {
    result.torn++;
    // A writer that died mid-record leaves no newline, so the next record shares its line.
    const next = line.lastIndexOf(RECORD_START);
    if (next <= 0) return 'more';
    try {
      record = options.accept(line.slice(next));
    } catch {
      return 'more';
    }
  }
  if (record === undefined) return 'more';
  result.total++;
  if (result.rows.length < options.keep) result.rows.push(record);
  return options.stopAtKeep && result.rows.length >= options.keep ? 'stop' : 'more';
}

/**
 * Rewrites the ledger without records created before `before`, under the lock every append
 * takes, so no record appended meanwhile is lost. A record torn by a crash is dropped, but never
 * the valid record that was appended onto its line; one whose created_at cannot be read is kept
 * (cst cannot say it is old). The outcomes of the sessions pruned go with them.
 */
export async function prune(
  path: string,
  before: number,
  clock: LockClock,
  options: { dryRun?: boolean } = {},
): Promise<{ removed: number; kept: number }> {
  return withLock(lockPath(path), clock, async () => {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { removed: 0, kept: 0 };
      throw error;
    }
    const records = text.split('\n').flatMap(recordsOf);
    const old = (record: Parsed) =>
      typeof record.value.created_at === 'string' && Date.parse(record.value.created_at) < before;
    const kept = records.filter((record) => !old(record));
    if (!options.dryRun) {
      await writeFileAtomic(path, kept.map((record) => `${record.line}\n`).join(''));
      const gone = new Set(
        records
          .filter(old)
          .map((record) => outcomeKey(String(record.value.target), Number(record.value.id))),
      );
      if (gone.size > 0) await pruneOutcomes(path, gone);
    }
    return { removed: records.length - kept.length, kept: kept.length };
  });
}

/** Rewrites the outcomes file without those of `gone` sessions; called under the ledger's lock. */
async function pruneOutcomes(ledger: string, gone: Set<string>): Promise<void> {
  let text: string;
  try {
    text = await readFile(outcomesPath(ledger), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const kept = text
    .split('\n')
    .flatMap(recordsOf)
    .filter(({ value }) => !gone.has(outcomeKey(String(value.target), Number(value.session_id))));
  await writeFileAtomic(outcomesPath(ledger), kept.map((record) => `${record.line}\n`).join(''));
}

interface Parsed {
  line: string;
  value: Record<string, unknown>;
}

/** The valid records on one line: a torn record leaves the next one on its line. */
function recordsOf(line: string): Parsed[] {
  const found: Parsed[] = [];
  for (let start = 0; start >= 0 && start < line.length;) {
    const next = line.indexOf(RECORD_START, start + 1);
    const candidate = line.slice(start, next < 0 ? undefined : next);
    try {
      const value: unknown = JSON.parse(candidate);
      if (typeof value === 'object' && value !== null && !Array.isArray(value))
        found.push({ line: candidate, value: value as Record<string, unknown> });
    } catch {
      // A torn record: dropped.
    }
    start = next;
  }
  return found;
}

/** Outcomes learnt after a create (a linked account), beside the ledger: `ledger-outcomes.jsonl`. */
export function outcomesPath(ledger: string): string {
  return ledger.replace(/\.jsonl$/, '-outcomes.jsonl');
}

export interface OutcomeRecord {
  v: 1;
  session_id: number;
  target: string;
  /** What the customer did with the link, as `cst wait` saw it. */
  /** `expired`: a --refresh found the session past its expiry with no account linked. */
  outcome: 'linked' | 'failed' | 'cancelled' | 'expired';
  account_id: string | null;
  at: string;
}

/** The latest outcome of each session, by `target#session_id`. The file is small: one line a link. */
export function readOutcomes(ledger: string): Map<string, OutcomeRecord> {
  const outcomes = new Map<string, OutcomeRecord>();
  let text: string;
  try {
    text = readFileSync(outcomesPath(ledger), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return outcomes;
    throw error;
  }
  // Read as the ledger is: a record torn by a crash does not hide the one appended onto its line.
  for (const { value } of text.split('\n').flatMap(recordsOf)) {
    const record = value as unknown as OutcomeRecord;
    if (typeof record.session_id === 'number' && typeof record.target === 'string')
      outcomes.set(outcomeKey(record.target, record.session_id), record);
  }
  return outcomes;
}

export const outcomeKey = (target: string, sessionId: number) => `${target}#${sessionId}`;

/** Under the ledger's lock: a prune rewriting the outcomes meanwhile would lose it. */
export async function appendOutcome(
  ledger: string,
  outcome: OutcomeRecord,
  clock: LockClock,
): Promise<void> {
  const path = outcomesPath(ledger);
  await ensurePrivateDir(join(path, '..'));
  await withLock(lockPath(ledger), clock, () => {
    const fd = openPrivateAppend(path);
    try {
      appendWhole(fd, `${JSON.stringify(outcome)}\n`);
    } finally {
      closeSync(fd);
    }
    return Promise.resolve();
  });
}
