// Renders one object (a session) in the format asked for: a table for people, field<TAB>value
// lines for pipes, JSON or YAML for programs, or one field's value alone.
import type { Context } from '../context.js';
import type { OutputOptions } from './format.js';
import { boundDepth } from './depth.js';
import { visible } from '../errors.js';
import { forTerminal } from './visible.js';
import type { Row } from './view.js';
import { toYaml } from './yaml.js';

export interface RecordView {
  /** The object in the API's own snake_case field names, and any computed ones (expires_at). */
  wire: Record<string, unknown>;
  /**
   * Values a person copies (a token, an auth link): on a terminal each is printed whole on a
   * line of its own below the table, never inside a border where a wrap would split it.
   */
  copyable?: readonly string[];
}

export async function renderRecord(
  ctx: Context,
  unbounded: RecordView,
  options: OutputOptions,
): Promise<void> {
  const view = { ...unbounded, wire: boundDepth(unbounded.wire) };
  const out = ctx.stdout;
  if (options.field !== undefined) {
    // Exactly the value for a pipe; on a terminal, with any escape sequence in it shown.
    const value = cellText(view.wire[options.field]);
    out.write(out.isTTY ? `${visible(value)}\n` : value);
    return;
  }
  switch (options.format ?? (out.isTTY ? 'table' : 'tsv')) {
    case 'json':
      out.write(forTerminal(out, `${JSON.stringify(view.wire, null, 2)}\n`));
      return;
    case 'yaml':
      out.write(forTerminal(out, toYaml(view.wire)));
      return;
    // One write for the whole record: a reader that took it and left did get the token, and a
    // write that failed means it did not.
    case 'tsv':
      out.write(
        forTerminal(
          out,
          Object.entries(view.wire)
            .map(([key, value]) => `${key}\t${tsvEscape(cellText(value))}\n`)
            .join(''),
        ),
      );
      return;
    case 'table': {
      // cli-table3 loads only for people at a terminal.
      const { copyLines, recordTable } = await import('./table.js');
      const copyable = new Set(view.copyable);
      const rows = wireRows(view.wire);
      const table = recordTable(
        ctx,
        rows.filter(([key]) => !copyable.has(key)),
      );
      const copy = copyLines(
        ctx,
        rows.filter(([key, value]) => copyable.has(key) && value !== ''),
      );
      out.write(`${table}\n${copy}`);
    }
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

/** Tabs, newlines and backslashes escaped, so that one value stays one TSV cell. */
export function tsvEscape(text: string): string {
  return visible(text.replace(/\\/g, '\\\\').replace(/\r/g, '\\r'));
}

function wireRows(wire: Record<string, unknown>): Row[] {
  return Object.entries(wire).map(([key, value]) => [key, cellText(value)]);
}
