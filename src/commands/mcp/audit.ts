// mcp-audit.jsonl, beside the ledger: one line per tool call (when, which tool, its arguments
// with secrets redacted, how it ended), 0600, so that what an agent did can be read afterwards.
import { join } from 'node:path';
import type { Redactor } from '../../core/util/redact.js';
import { appendWhole, ensurePrivateDir, openPrivateAppend } from '../../core/util/private-files.js';
import { closeSync } from 'node:fs';

export interface AuditEntry {
  at: string;
  tool: string;
  target: string;
  arguments: unknown;
  outcome: string;
  ms: number;
}

export class AuditLog {
  private fd: number | undefined;

  private constructor(
    readonly path: string,
    private readonly redactor: Redactor,
  ) {}

  static async open(stateDir: string, redactor: Redactor): Promise<AuditLog> {
    await ensurePrivateDir(stateDir);
    const log = new AuditLog(join(stateDir, 'mcp-audit.jsonl'), redactor);
    log.fd = openPrivateAppend(log.path);
    return log;
  }

  /** One whole line; the redactor knows every key and token this process has seen. */
  append(entry: AuditEntry): void {
    if (this.fd === undefined) return;
    appendWhole(this.fd, `${this.redactor.text(JSON.stringify(entry))}\n`);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
