// The journals bulk runs keep in the state directory, one per input file and target: what they
// are about (a small .json beside each), and how far each got, for `cst journal list` and
// `cst journal reset`.
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { stateDir } from '../../config/paths.js';
import { writeFileAtomic } from '../../core/util/private-files.js';
import type { Env } from '../../core/context.js';
import { takeLock } from '../../core/util/lock.js';
import type { RowState } from '../../ledger/ledger.js';
import { rowStates } from './journal.js';

export interface JournalInfo {
  input: string;
  /** The target's id: "sandbox", or the base URL's origin and a fingerprint of the key. */
  target: string;
  org: string | null;
  project: string | null;
}

export interface JournalSummary extends Partial<JournalInfo> {
  id: string;
  path: string;
  rows: number;
  states: Record<RowState, number>;
  last_run: string;
}

const ID = /^[0-9a-f]{16}$/;

/** A journal's id: 16 hex digits, the name cst gives its file. */
export const isJournalId = (text: string): boolean => ID.test(text);

function journalsDir(env: Env): string {
  return join(stateDir(env), 'journals');
}

/** The journal of an input file for a target, unless --journal names one. */
export function defaultJournal(env: Env, input: string, target: string): string {
  const id = createHash('sha256')
    .update(`${resolve(input)}\n${target}`)
    .digest('hex')
    .slice(0, 16);
  return resolve(journalsDir(env), `${id}.jsonl`);
}

/** Written once, when a run first uses a journal of the state directory. */
export async function describeJournal(path: string, info: JournalInfo): Promise<void> {
  const about = path.replace(/\.jsonl$/, '.json');
  try {
    statSync(about);
  } catch {
    await writeFileAtomic(about, `${JSON.stringify(info)}\n`);
  }
}

export function listJournals(env: Env): JournalSummary[] {
  const dir = journalsDir(env);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names
    .filter((name) => name.endsWith('.jsonl') && ID.test(name.slice(0, -6)))
    .map((name) => summarize(dir, name.slice(0, -6)))
    .sort((a, b) => b.last_run.localeCompare(a.last_run));
}

function summarize(dir: string, id: string): JournalSummary {
  const path = join(dir, `${id}.jsonl`);
  const last = rowStates(readFileSync(path, 'utf8'));
  const states: Record<RowState, number> = {
    issued: 0,
    failed: 0,
    unknown: 0,
    pending: 0,
    undelivered: 0,
  };
  for (const { state } of last.values()) if (state in states) states[state]++;
  let info: Partial<JournalInfo> = {};
  try {
    info = JSON.parse(readFileSync(join(dir, `${id}.json`), 'utf8')) as JournalInfo;
  } catch {
    // A journal from before cst described them.
  }
  return {
    id,
    path,
    ...info,
    rows: last.size,
    states,
    last_run: statSync(path).mtime.toISOString(),
  };
}

/** Forgets a journal: its next run starts the input over. Refused while a run holds it. */
export function removeJournal(env: Env, id: string): boolean {
  const path = join(journalsDir(env), `${id}.jsonl`);
  if (!ID.test(id)) return false;
  try {
    statSync(path);
  } catch {
    return false;
  }
  const release = takeLock(`${path}.lock`);
  try {
    rmSync(path, { force: true });
    rmSync(path.replace(/\.jsonl$/, '.json'), { force: true });
  } finally {
    release();
  }
  return true;
}
