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
  if (Array.isArray(value) && value.every((item) => typeof item !== 'object' || item === null)) {
    return value
      .map((item) => (item === null ? '' : String(item as string | number | boolean)))
      .join(',');
  }
  return typeof value === 'object'
    ? JSON.stringify(value)
    : String(value as string | number | boolean);
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
  const labelWidth = Math.max(...rows.map(([label]) => label.length)) + 2;
  const columns = ctx.stdout.columns ?? 80;
  const valueWidth = Math.max(20, columns - labelWidth - 3);
  const table = new Table({
    style: { head: [], border: [] },
    colWidths: [labelWidth, valueWidth],
    wordWrap: true,
    wrapOnWordBoundary: false,
  });
  for (const [label, value] of rows)
    table.push([chalk.bold(label), value === '' ? chalk.dim('-') : value]);
  return table.toString();
}
