// What a renderer is handed: a record's rows, a list's columns. Types only, shared by the
// formats (record.ts, rows.ts) and the terminal tables (table.ts) without importing each other.
import type { ListFormat } from './format.js';

/** One field of a record, as a label and its text. */
export type Row = readonly [label: string, value: string];

export interface Column<R> {
  header: string;
  /** For people: short, relative times. */
  human: (row: R) => string;
  /** For machines: full values, RFC 3339 times. */
  machine: (row: R) => string;
  /** Colour for the human cell, e.g. by state. */
  style?: (row: R) => 'good' | 'muted' | 'bad' | undefined;
  /**
   * When the table is wider than the terminal, columns with a rank are left out, the highest
   * rank first; columns without one always stay.
   */
  drop?: number;
  /**
   * Text for people (names, details) that may be cut short with "…"; never ids or URLs.
   * `start`: cut at the start, keeping the end (a file path's name).
   */
  shorten?: boolean | 'start';
  /**
   * How many leading characters of the human cell are never cut: an id before a name
   * (`cus_42 (Acme)`), or the whole cell when it holds a URL. Cut text keeps at least these.
   */
  keep?: (row: R) => number;
  /** In tsv, csv, JSON and YAML only: a deprecated value scripts still read (`status`). */
  machineOnly?: boolean;
}

export interface ListView<R> {
  columns: Column<R>[];
  rows: R[];
  /** The machine view of one row, for --json and -o yaml. */
  json: (row: R) => Record<string, unknown>;
}

export interface ListOutput {
  format: ListFormat | undefined;
  field: string | undefined;
}
