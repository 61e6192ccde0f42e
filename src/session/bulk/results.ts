// Where bulk results go. stdout is a log in CI, so tokens and auth links go only to the
// --results file (0600, appended) unless --show-secrets puts them on stdout too. A row counts as
// issued only once its line is on disk: writes are whole lines, and concurrent rows share one
// fsync (group commit). A line the disk refused is cut off again, never left torn.
import {
  closeSync,
  constants,
  fchmodSync,
  fstatSync,
  fsync,
  ftruncateSync,
  lstatSync,
  openSync,
} from 'node:fs';
import { UsageError } from '../../core/errors.js';
import { csvCell } from '../../core/output/rows.js';
import { appendWhole } from '../../core/util/private-files.js';
import type { ResultColumn } from './columns.js';

export type RowStatus = 'issued' | 'failed' | 'skipped' | 'unknown' | 'undelivered';

export interface RowResult {
  row: number;
  status: RowStatus;
  owner_id: string | null;
  session_id: number | null;
  error?: { code: string; message: string };
  /** Secrets: only in the results file, or on stdout with --show-secrets. */
  token?: string;
  auth_link_url?: string | null;
  owner_name?: string;
  expires_at?: string;
  row_key?: string | null;
}

/** The results file can no longer be written; every row from then on is undelivered. */
class ResultsWriteError extends Error {}

/** CSV when the file name says so, NDJSON otherwise. */
export class ResultsFile {
  private readonly fd: number;
  private readonly csv: boolean;
  /** The file's size after the last whole line. */
  private size: number;
  private failure: Error | undefined;
  private syncing = false;
  private waiting: { resolve: () => void; reject: (error: Error) => void }[] = [];
  /** Bytes written and not yet fsynced: cut off again if the fsync fails. */
  private syncedSize: number;

  /** `force` allows a path that is a symbolic link (it could point anywhere). */
  constructor(
    readonly path: string,
    private readonly columns: ResultColumn[],
    force = false,
  ) {
    if (!force && isSymlink(path)) {
      throw new UsageError(`--results: ${path} is a symbolic link; refusing to write through it`, {
        hint: 'name the file itself, or pass --force to write where the link points',
      });
    }
    this.fd = openSync(
      path,
      constants.O_WRONLY |
        constants.O_CREAT |
        constants.O_APPEND |
        (force ? 0 : constants.O_NOFOLLOW),
      0o600,
    );
    fchmodSync(this.fd, 0o600);
    this.csv = /\.csv$/i.test(path);
    this.size = fstatSync(this.fd).size;
    this.syncedSize = this.size;
    if (this.csv && this.size === 0) this.append(`${columns.join(',')}\r\n`);
  }

  /** Resolves once the row's line is on disk; rejects if it is not, and for every row after. */
  async write(result: RowResult): Promise<void> {
    const values = this.columns.map((column) => result[column] ?? null);
    const line = this.csv
      ? values.map((v) => csvCell(v === null ? '' : String(v))).join(',') + '\r\n'
      : `${JSON.stringify(Object.fromEntries(this.columns.map((c, i) => [c, values[i]])))}\n`;
    this.append(line);
    await new Promise<void>((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.syncSoon();
    });
  }

  private append(line: string): void {
    if (this.failure) throw this.failure;
    try {
      appendWhole(this.fd, line);
      this.size += Buffer.byteLength(line);
    } catch (error) {
      throw this.fail(error);
    }
  }

  /** One fsync at a time; rows that finish meanwhile wait for the next one together. */
  private syncSoon(): void {
    if (this.syncing || this.waiting.length === 0) return;
    this.syncing = true;
    const batch = this.waiting.splice(0);
    const size = this.size;
    fsync(this.fd, (error) => {
      this.syncing = false;
      if (error) this.fail(error);
      else this.syncedSize = size;
      for (const waiter of batch) {
        if (this.failure) waiter.reject(this.failure);
        else waiter.resolve();
      }
      this.syncSoon();
    });
  }

  /** Cuts the file back to its last whole, durable line, so nothing torn looks delivered. */
  private fail(error: unknown): Error {
    if (this.failure) return this.failure;
    try {
      ftruncateSync(this.fd, this.syncedSize);
    } catch {
      // The disk refuses even that: the summary still names every undelivered row.
    }
    const reason = error instanceof Error ? error.message : String(error);
    const failure = new ResultsWriteError(reason, { cause: error });
    this.failure = failure;
    for (const waiter of this.waiting.splice(0)) waiter.reject(failure);
    return failure;
  }

  /** Waits for the last fsync. */
  async close(): Promise<void> {
    while (this.syncing || this.waiting.length > 0)
      await new Promise((resolve) => setImmediate(resolve));
    closeSync(this.fd);
  }
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
