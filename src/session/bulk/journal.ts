// The journal of a bulk run: each row's state, one write() per record with O_APPEND so that it
// survives kill -9; fsync at batches and at the end. A re-run reads it to skip what was issued
// and to refuse to guess about what may have been.
import { closeSync, fsyncSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { appendWhole, ensurePrivateDir, openPrivateAppend } from '../../core/util/private-files.js';
import { takeLock } from '../../core/util/lock.js';
import type { JournalEntry, RowJournal } from '../../ledger/ledger.js';

const SYNC_EVERY = 64;

type Known = Pick<JournalEntry, 'state' | 'line' | 'session_id'>;

export class Journal implements RowJournal {
  private unsynced = 0;

  private constructor(
    readonly path: string,
    private readonly fd: number,
    private readonly states: Map<string, Known>,
    private readonly release: () => void,
    private readonly now: () => Date,
  ) {}

  /** Opens (and locks) the journal; a lock left by a dead run is taken over. `now` stamps rows. */
  static async open(path: string, now: () => Date): Promise<Journal> {
    await ensurePrivateDir(dirname(path));
    const release = takeLock(`${path}.lock`);
    let text = '';
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const states = rowStates(text);
    const fd = openPrivateAppend(path);
    // A torn last record must not swallow the next one.
    if (text !== '' && !text.endsWith('\n')) writeSync(fd, '\n');
    return new Journal(path, fd, states, release, now);
  }

  /**
   * What an earlier run left for this row. Rows of this run are not added: each is looked up
   * once, and memory stays flat however many rows stream through.
   */
  state(key: string): Known | undefined {
    return this.states.get(key);
  }

  record(entry: Omit<JournalEntry, 'at'>): void {
    const full = { ...entry, at: this.now().toISOString() };
    appendWhole(this.fd, `${JSON.stringify(full)}\n`);
    if (++this.unsynced >= SYNC_EVERY) this.sync();
  }

  sync(): void {
    if (this.unsynced === 0) return;
    fsyncSync(this.fd);
    this.unsynced = 0;
  }

  close(): void {
    this.sync();
    closeSync(this.fd);
    this.release();
  }
}

/** The last state of each row a journal's text records. */
export function rowStates(text: string): Map<string, Known> {
  const states = new Map<string, Known>();
  for (const line of text.split('\n')) {
    try {
      const entry = JSON.parse(line) as JournalEntry;
      if (typeof entry.key === 'string') states.set(entry.key, known(entry));
    } catch {
      // A record torn by kill -9 mid-write: its row stays whatever it was before.
    }
  }
  return states;
}

function known({ state, line, session_id }: Omit<JournalEntry, 'at'>): Known {
  return session_id === undefined ? { state, line } : { state, line, session_id };
}
