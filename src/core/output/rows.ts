// Renders a list: a table for people, tab-separated rows without a header when piped, CSV with
// a header, one JSON array, YAML, or one field per line.
import type { Context } from '../context.js';
import { cellText, tsvEscape } from './record.js';
import type { ListOutput, ListView } from './view.js';
import { boundDepth } from './depth.js';
import { toYaml } from './yaml.js';
import { note } from './messages.js';
import { forTerminal } from './visible.js';

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
