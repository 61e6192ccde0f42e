// Renders one object (a session) in the format asked for: a table for people, field<TAB>value
// lines for pipes, JSON or YAML for programs, or one field's value alone.
import Table from 'cli-table3';
import type { Context } from '../context.js';
import { colorsFor } from './color.js';
import type { OutputOptions } from './format.js';
import { toYaml } from './yaml.js';

export type Row = readonly [label: string, value: string];

export interface RecordView {
  /** The object in the API's own snake_case field names. */
  wire: Record<string, unknown>;
  /** Extra rows for people (the table only), such as a computed expiry. */
  extraRows?: Row[];
}

export function renderRecord(ctx: Context, view: RecordView, options: OutputOptions): void {
  const out = ctx.stdout;
  if (options.field !== undefined) {
    out.write(cellText(view.wire[options.field]) + (out.isTTY ? '\n' : ''));
    return;
  }
  switch (options.format ?? (out.isTTY ? 'table' : 'tsv')) {
    case 'json':
      out.write(`${JSON.stringify(view.wire, null, 2)}\n`);
      return;
    case 'yaml':
      out.write(toYaml(view.wire));
      return;
    case 'tsv':
      for (const [key, value] of Object.entries(view.wire))
        out.write(`${key}\t${tsvEscape(cellText(value))}\n`);
      return;
    case 'table':
      out.write(`${recordTable(ctx, [...wireRows(view.wire), ...(view.extraRows ?? [])])}\n`);
  }
}

export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((item) => typeof item === 'string' || item === null)) {
    return (value as (string | null)[]).map((item) => item ?? '').join(',');
  }
  return JSON.stringify(value);
}

function tsvEscape(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\t/g, '\\t')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r');
}

function wireRows(wire: Record<string, unknown>): Row[] {
  return Object.entries(wire).map(([key, value]) => [key, cellText(value)]);
}

/** A two-column table sized to the terminal; long values (tokens, links) wrap, never truncate. */
function recordTable(ctx: Context, rows: Row[]): string {
  const chalk = colorsFor(ctx, ctx.stdout);
  const labelWidth = Math.max(
    ...rows.filter(([, value]) => value !== '').map(([label]) => label.length),
  );
  // Borders and padding take 7 columns; cli-table3 would count colour codes when wrapping, so
  // values are wrapped here, where they are still plain text.
  const valueWidth = Math.max(20, terminalColumns(ctx) - labelWidth - 7);
  const table = new Table({ style: { head: [], border: [] }, chars: COMPACT });
  for (const [label, value] of rows) {
    if (value !== '') table.push([chalk.bold(label), hardWrap(value, valueWidth)]);
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
