// Where bulk results go. stdout is a log in CI, so tokens and auth links go only to the
// --results file (0600, appended, fsynced) unless --show-secrets puts them on stdout too.
import { closeSync, fchmodSync, fstatSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { csvCell } from '../output/rows.js';
import { DEFAULT_RESULT_COLUMNS, RESULT_COLUMNS, type ResultColumn } from './columns.js';

export type RowStatus = 'issued' | 'failed' | 'skipped' | 'unknown';

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

export function parseColumns(text: string | undefined): ResultColumn[] {
  if (text === undefined) return DEFAULT_RESULT_COLUMNS;
  const columns = text
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  const unknown = columns.filter((c) => !(RESULT_COLUMNS as readonly string[]).includes(c));
  if (unknown.length > 0 || columns.length === 0) {
    throw new UsageError(
      `--columns: unknown ${unknown.join(', ') || '(none given)'}; use any of ${RESULT_COLUMNS.join(', ')}`,
    );
  }
  return columns as ResultColumn[];
}

/** CSV when the file name says so, NDJSON otherwise. */
export class ResultsFile {
  private readonly fd: number;
  private readonly csv: boolean;
  private unsynced = 0;

  constructor(
    readonly path: string,
    private readonly columns: ResultColumn[],
  ) {
    this.fd = openSync(path, 'a', 0o600);
    fchmodSync(this.fd, 0o600);
    this.csv = /\.csv$/i.test(path);
    if (this.csv && fstatSync(this.fd).size === 0) writeSync(this.fd, `${columns.join(',')}\r\n`);
  }

  write(result: RowResult): void {
    const values = this.columns.map((column) => result[column] ?? null);
    const line = this.csv
      ? values.map((v) => csvCell(v === null ? '' : String(v))).join(',') + '\r\n'
      : `${JSON.stringify(Object.fromEntries(this.columns.map((c, i) => [c, values[i]])))}\n`;
    writeSync(this.fd, line);
    if (++this.unsynced >= 32) this.sync();
  }

  sync(): void {
    if (this.unsynced === 0) return;
    fsyncSync(this.fd);
    this.unsynced = 0;
  }

  close(): void {
    this.sync();
    closeSync(this.fd);
  }
}
