// Renders a list: a table for people, tab-separated rows without a header when piped, CSV with
// a header, one JSON array, YAML, or one field per line.
import type { Context } from '../context.js';
import type { ListFormat } from './format.js';
import { cellText, tsvEscape } from './record.js';
import { boundDepth } from './depth.js';
import { toYaml } from './yaml.js';
import { note } from './messages.js';
import { forTerminal } from './visible.js';

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

export async function renderRows<R>(
  ctx: Context,
  view: ListView<R>,
  output: ListOutput,
): Promise<void> {
  view = { ...view, rows: view.rows.map(boundDepth) };
  const out = ctx.stdout;
  // Server and ledger text: on a terminal, no escape sequence in it acts.
  const write = (text: string) => out.write(forTerminal(out, text));
  if (output.field !== undefined) {
    for (const row of view.rows) write(`${cellText(view.json(row)[output.field])}\n`);
    return;
  }
  switch (output.format ?? (out.isTTY ? 'table' : 'tsv')) {
    case 'json':
      write(`${JSON.stringify(view.rows.map(view.json), null, 2)}\n`);
      return;
    case 'yaml':
      write(view.rows.length === 0 ? '[]\n' : toYaml(view.rows.map(view.json)));
      return;
    case 'tsv':
      for (const row of view.rows)
        write(`${view.columns.map((c) => tsvEscape(c.machine(row))).join('\t')}\n`);
      return;
    case 'csv':
      out.write(`${view.columns.map((c) => csvCell(c.header.toLowerCase())).join(',')}\r\n`);
      for (const row of view.rows)
        write(`${view.columns.map((c) => csvCell(c.machine(row))).join(',')}\r\n`);
      return;
    case 'table':
    case 'wide': {
      if (view.rows.length === 0) return;
      const { listTable } = await import('./table.js');
      const { text, left, shortened } = listTable(ctx, view, output.format === 'wide');
      out.write(`${text}\n`);
      if (left.length > 0 || shortened.length > 0) {
        const what = [
          left.length > 0 && `hid ${left.join(', ')}`,
          shortened.length > 0 && `cut ${shortened.join(', ')}`,
        ].filter(Boolean);
        note(ctx, `${what.join('; ')} to fit; -o wide shows all`, { hidden: left, cut: shortened });
      }
    }
  }
}

/** RFC 4180: quote fields holding a comma, quote or line break; double the quotes. */
export function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
