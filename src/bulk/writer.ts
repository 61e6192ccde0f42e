// One result per row on stdout, in completion order: NDJSON by default, or CSV/TSV. Tokens and
// auth links appear only with --show-secrets.
import type { Context } from '../context.js';
import { tsvEscape } from '../output/record.js';
import { csvCell } from '../output/rows.js';
import type { RowResult } from './results.js';

const COLUMNS = ['row', 'status', 'owner_id', 'session_id', 'error_code', 'error_message'];
const SECRET_COLUMNS = ['token', 'auth_link_url'];

export class ResultWriter {
  private headerWritten = false;

  constructor(
    private readonly ctx: Context,
    private readonly options: {
      format: 'ndjson' | 'csv' | 'tsv' | undefined;
      showSecrets: boolean;
    },
  ) {}

  write(result: RowResult): void {
    const out = this.ctx.stdout;
    const secrets = this.options.showSecrets && result.status === 'issued';
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
}
