// Tables for people at a terminal: sized to its width, with wrapping done here because
// cli-table3 counts colour codes when it wraps.
import Table from 'cli-table3';
import type { Context } from '../context.js';
import { colorsFor } from './color.js';
import { visibleLines } from '../errors.js';
import type { ListView, Row } from './view.js';

/**
 * A two-column table sized to the terminal. When a value would not fit its cell, the record is
 * printed as aligned "label  value" lines instead: a border or a wrap must never split an id.
 */
export function recordTable(ctx: Context, rows: Row[]): string {
  const chalk = colorsFor(ctx, ctx.stdout);
  const shown = rows.filter(([, value]) => value !== '');
  const labelWidth = Math.max(...shown.map(([label]) => label.length));
  // Borders and padding take 7 columns.
  const valueWidth = terminalColumns(ctx) - labelWidth - 7;
  const fits = shown.every(([, value]) => longestLine(visibleLines(value)) <= valueWidth);
  if (!fits)
    return shown
      .map(([label, value]) => `${chalk.bold(label.padEnd(labelWidth))}  ${visibleLines(value)}`)
      .join('\n');
  const table = new Table({ style: { head: [], border: [] }, chars: COMPACT });
  for (const [label, value] of shown) table.push([chalk.bold(label), visibleLines(value)]);
  return table.toString();
}

/** Each value whole on a line of its own, under a dim label: a double-click or drag copies it. */
export function copyLines(ctx: Context, rows: Row[]): string {
  const chalk = colorsFor(ctx, ctx.stdout);
  return rows
    .map(([label, value]) => `${chalk.dim(`${label}:`)}\n${visibleLines(value)}\n`)
    .join('');
}

/** No rule between rows: one record reads as a list of fields. */
const COMPACT = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

function terminalColumns(ctx: Context): number {
  const fromEnv = Number(ctx.env.COLUMNS);
  return ctx.stdout.columns || (Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 80);
}

/**
 * A list table: headers, no borders between rows, colour by state. Fitted to the terminal by
 * leaving out the least important columns, then shortening text for people with "…": never by
 * wrapping inside a word, so an id is always whole. `wide` fits nothing.
 */
export function listTable<R>(
  ctx: Context,
  view: ListView<R>,
  wide = false,
): { text: string; left: string[]; shortened: string[] } {
  const chalk = colorsFor(ctx, ctx.stdout);
  const paint = { good: chalk.green, muted: chalk.dim, bad: chalk.red };
  const columns = view.columns.filter((column) => !column.machineOnly);
  view = { ...view, columns };
  const cells = view.rows.map((row) => columns.map((column) => visibleLines(column.human(row))));
  const kept = view.rows.map((row) => columns.map((column) => column.keep?.(row) ?? 0));
  const natural = columns.map((column, i) =>
    Math.max(column.header.length, ...cells.map((row) => longestLine(row[i]!))),
  );
  /** Ids and URLs stay whole: a column is never cut below its longest kept part. */
  const least = columns.map((column, i) =>
    Math.max(column.header.length, ...kept.map((row) => row[i]!)),
  );
  const available = terminalColumns(ctx);
  let shown = view.columns.map((_, i) => i);
  const widths = [...natural];
  const width = () => shown.reduce((sum, i) => sum + widths[i]!, 0) + 2 * (shown.length - 1);
  const left: string[] = [];
  /** Cuts the widest text for people, a column at a time, down to `floor` at most. */
  const shorten = (floor: number) => {
    for (let over = width() - available; over > 0; over--) {
      const candidates = shown.filter(
        (i) => view.columns[i]!.shorten && widths[i]! > Math.max(floor, least[i]!),
      );
      if (candidates.length === 0) return;
      const widest = candidates.reduce((a, b) => (widths[b]! > widths[a]! ? b : a));
      widths[widest]!--;
    }
  };
  if (!wide) {
    // A long name or path gives way to a readable width first, then whole columns go, least
    // important first, then the text for people is cut further.
    shorten(24);
    const byRank = shown
      .filter((i) => view.columns[i]!.drop !== undefined)
      .sort((a, b) => view.columns[b]!.drop! - view.columns[a]!.drop!);
    const dropped: number[] = [];
    for (const i of byRank) {
      if (width() <= available) break;
      shown = shown.filter((j) => j !== i);
      dropped.push(i);
    }
    // A wide column left out late may have made room for a more important one left out before
    // it: the most important come back first, where they fit with text cut to a readable width.
    const readable = (i: number) =>
      view.columns[i]!.shorten ? Math.min(natural[i]!, Math.max(24, least[i]!)) : natural[i]!;
    for (const i of [...dropped].reverse()) {
      const trial = [...shown, i].sort((a, b) => a - b);
      if (trial.reduce((sum, j) => sum + readable(j), 0) + 2 * (trial.length - 1) <= available)
        shown = trial;
    }
    left.push(...dropped.filter((i) => !shown.includes(i)).map((i) => view.columns[i]!.header));
    shorten(8);
    // Room the dropped columns left goes back to the text that was cut for them.
    for (const i of shown)
      widths[i] = Math.min(natural[i]!, widths[i]! + Math.max(0, available - width()));
  }
  const cutShort = shown
    .filter((i) => widths[i]! < natural[i]!)
    .map((i) => view.columns[i]!.header);
  const table = new Table({
    head: shown.map((i) => chalk.bold(view.columns[i]!.header)),
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
  view.rows.forEach((row, r) => {
    table.push(
      shown.map((i) => {
        const column = view.columns[i]!;
        const text = cut(cells[r]![i]!, widths[i]!, kept[r]![i]!, column.shorten === 'start');
        const style = column.style?.(row);
        return style ? paint[style](text) : text;
      }),
    );
  });
  // Trailing padding of the last column is noise on a terminal.
  const text = table
    .toString()
    .split('\n')
    .map((line) => line.replace(/\s+$/, ''))
    .join('\n');
  return { text, left, shortened: cutShort };
}

/**
 * Each line of a cell cut to `width`, the cut marked with "…" (at the start: keeping the end);
 * the first `keep` characters (an id) are never cut, and a cut that would leave only them shows
 * them alone.
 */
function cut(text: string, width: number, keep: number, atStart = false): string {
  return text
    .split('\n')
    .map((line) => {
      if (line.length <= width) return line;
      if (atStart) return `…${line.slice(line.length - width + 1)}`;
      if (keep === 0) return `${line.slice(0, width - 1)}…`;
      // Less than two characters of what follows the id say nothing: the id alone, then.
      const rest = line.slice(keep, width - 1).replace(/^[\s(]+/, '');
      return rest.length >= 2 ? `${line.slice(0, width - 1)}…` : line.slice(0, keep);
    })
    .join('\n');
}

function longestLine(text: string): number {
  return Math.max(...text.split('\n').map((line) => line.length));
}
