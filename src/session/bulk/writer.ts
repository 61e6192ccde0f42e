// One result per row on stdout, in completion order: NDJSON by default, or CSV/TSV. Tokens and
// auth links appear only with --show-secrets. On a terminal without -o, a person reads it: only
// the rows that need attention, one readable line each (the results file has the rest).
import type { Context } from '../../core/context.js';
import { visible } from '../../core/errors.js';
import { colorsFor } from '../../core/output/color.js';
import { tsvEscape } from '../../core/output/record.js';
import { csvCell } from '../../core/output/rows.js';
import { forTerminal } from '../../core/output/visible.js';
import type { RowResult } from './results.js';

const COLUMNS = ['row', 'status', 'owner_id', 'session_id', 'error_code', 'error_message'];
const SECRET_COLUMNS = ['token', 'auth_link_url'];

export class ResultWriter {
  private headerWritten = false;
  private readonly human: boolean;

  constructor(
    private readonly ctx: Context,
    private readonly options: {
      format: 'ndjson' | 'csv' | 'tsv' | undefined;
      showSecrets: boolean;
    },
  ) {
    this.human = options.format === undefined && ctx.stdout.isTTY === true;
  }

  /** Whether write() prints anything for this result. */
  prints(result: RowResult): boolean {
    if (!this.human) return true;
    if (result.status === 'issued') return this.options.showSecrets;
    return result.status !== 'skipped';
  }

  write(result: RowResult): void {
    const stdout = this.ctx.stdout;
    // Server text (error messages) on a terminal: no escape sequence in it acts.
    const out = { write: (text: string) => stdout.write(forTerminal(stdout, text)) };
    const secrets = this.options.showSecrets && result.status === 'issued';
    if (this.human) {
      if (this.prints(result)) stdout.write(this.readable(result, secrets));
      return;
    }
    if ((this.options.format ?? 'ndjson') === 'ndjson') {
      const line: Record<string, unknown> = {
        row: result.row,
        status: result.status,
        owner_id: result.owner_id,
        session_id: result.session_id,
      };
      if (result.error) line.error = result.error;
      if (secrets)
        Object.assign(line, { token: result.token, auth_link_url: result.auth_link_url });
      out.write(`${JSON.stringify(line)}\n`);
      return;
    }
    const columns = this.options.showSecrets ? [...COLUMNS, ...SECRET_COLUMNS] : COLUMNS;
    const values = [
      result.row,
      result.status,
      result.owner_id,
      result.session_id,
      result.error?.code,
      result.error?.message,
      ...(this.options.showSecrets
        ? [secrets ? result.token : '', secrets ? result.auth_link_url : '']
        : []),
    ].map((v) => (v === null || v === undefined ? '' : String(v)));
    if (this.options.format === 'csv') {
      if (!this.headerWritten) out.write(`${columns.join(',')}\r\n`);
      this.headerWritten = true;
      out.write(`${values.map(csvCell).join(',')}\r\n`);
    } else {
      out.write(`${values.map(tsvEscape).join('\t')}\n`);
    }
  }

  /** "failed  line 4  cus_4: invalid_row: …"; an issued row's token and link on lines of their own. */
  private readable(result: RowResult, secrets: boolean): string {
    const color = colorsFor(this.ctx, this.ctx.stdout);
    const paint =
      result.status === 'failed'
        ? color.red
        : result.status === 'issued'
          ? color.green
          : color.yellow;
    const who = [
      `line ${result.row}`,
      result.owner_id ?? undefined,
      result.session_id === null ? undefined : `session ${result.session_id}`,
    ].filter((part) => part !== undefined);
    const why = result.error ? `: ${result.error.code}: ${result.error.message}` : '';
    const head = `${paint(result.status.padEnd(11))} ${visible(`${who.join('  ')}${why}`)}\n`;
    return secrets ? `${head}  token: ${result.token}\n  link:  ${result.auth_link_url}\n` : head;
  }
}
