// Tables for people at a terminal: sized to its width, with wrapping done here because
// cli-table3 counts colour codes when it wraps.
import Table from 'cli-table3';
import type { Context } from '../context.js';
import { colorsFor } from './color.js';
import { visibleLines } from '../errors.js';
import type { Row } from './record.js';
import type { ListView } from './rows.js';

/** A two-column table sized to the terminal; long values (tokens, links) wrap, never truncate. */
export function recordTable(ctx: Context, rows: Row[]): string {
  const chalk = colorsFor(ctx, ctx.stdout);
  const labelWidth = Math.max(
    ...rows.filter(([, value]) => value !== '').map(([label]) => label.length),
  );
  // Borders and padding take 7 columns; cli-table3 would count colour codes when wrapping, so
  // values are wrapped here, where they are still plain text.
  const valueWidth = Math.max(20, terminalColumns(ctx) - labelWidth - 7);
  const table = new Table({ style: { head: [], border: [] }, chars: COMPACT });
  for (const [label, value] of rows) {
    if (value !== '') table.push([chalk.bold(label), hardWrap(visibleLines(value), valueWidth)]);
  }
  return table.toString();
}

/** No rule between rows: one record reads as a list of fields. */
const COMPACT = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

export function terminalColumns(ctx: Context): number {
  const fromEnv = Number(ctx.env.COLUMNS);
  return ctx.stdout.columns || (Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 80);
}

function hardWrap(text: string, width: number): string {
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    for (let at = 0; at < line.length || at === 0; at += width)
      lines.push(line.slice(at, at + width));
  }
  return lines.join('\n');
}

/** A list table: headers, no borders between rows, colour by state, fitted to the terminal. */
export function listTable<R>(ctx: Context, view: ListView<R>): string {
  const chalk = colorsFor(ctx, ctx.stdout);
  const paint = { good: chalk.green, muted: chalk.dim, bad: chalk.red };
  const table = new Table({
    head: view.columns.map((c) => chalk.bold(c.header)),
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
    chars: {
      ...COMPACT,
      top: '',
      'top-mid': '',
      'top-left': '',
      'top-right': '',
      bottom: '',
      'bottom-mid': '',
      'bottom-left': '',
      'bottom-right': '',
      left: '',
      right: '',
      middle: '  ',
    },
  });
  const cells = view.rows.map((row) =>
    view.columns.map((column) => visibleLines(column.human(row))),
  );
  const widths = fitWidths(
    view.columns.map((column, i) =>
      Math.max(column.header.length, ...cells.map((row) => longestLine(row[i]!))),
    ),
    view.columns.map((column) =>
      column.style === undefined ? Math.max(8, column.header.length) : Infinity,
    ),
    terminalColumns(ctx) - 2 * (view.columns.length - 1),
  );
  view.rows.forEach((row, r) => {
    table.push(
      view.columns.map((column, i) => {
        // Plain cells wrap to fit the terminal; coloured ones are short states and never need to.
        const text = column.style ? cells[r]![i]! : hardWrap(cells[r]![i]!, widths[i]!);
        const style = column.style?.(row);
        return style ? paint[style](text) : text;
      }),
    );
  });
  // Trailing padding of the last column is noise on a terminal.
  return table
    .toString()
    .split('\n')
    .map((line) => line.replace(/\s+$/, ''))
    .join('\n');
}

/** Shrinks the widest wrappable columns until the row fits, never below their minimum. */
function fitWidths(natural: number[], minimum: number[], available: number): number[] {
  const widths = [...natural];
  for (let total = widths.reduce((a, b) => a + b, 0); total > available; total--) {
    let widest = -1;
    widths.forEach((width, i) => {
      if (width > minimum[i]! && (widest < 0 || width > widths[widest]!)) widest = i;
    });
    if (widest < 0) break;
    widths[widest]!--;
  }
  return widths;
}

function longestLine(text: string): number {
  return Math.max(...text.split('\n').map((line) => line.length));
}
