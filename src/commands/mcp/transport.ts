// MCP's stdio binding over the context's streams: one JSON-RPC message per line. Unlike the
// SDK's own transport, a line that is not JSON gets the protocol's parse error (-32700) and one
// that is not a JSON-RPC message an invalid-request error (-32600), and the server reads on.
import {
  type JSONRPCMessage,
  parseJSONRPCMessage,
  type Transport,
} from '@modelcontextprotocol/server';
import type { InputStream, OutputStream } from '../../core/context.js';

/** A message longer than this is refused (and skipped), not buffered without end. */
const MAX_LINE_BYTES = 10 * 1024 * 1024;

export class LineTransport implements Transport {
  onclose?: (() => void) | undefined;
  onerror?: ((error: Error) => void) | undefined;
  onmessage?: ((message: JSONRPCMessage) => void) | undefined;
  private buffered = '';
  /** Inside a line too long to keep: everything up to its newline is dropped. */
  private skipping = false;
  private shut = false;
  private readonly onData = (chunk: Buffer | string) => this.take(String(chunk));
  private readonly onEnd = () => void this.close();
  private ended = () => {};
  /** Resolves once stdin has ended or the server closed the transport (the SDK owns onclose). */
  readonly closed = new Promise<void>((resolve) => (this.ended = resolve));

  constructor(
    private readonly input: InputStream,
    private readonly output: OutputStream,
  ) {}

  start(): Promise<void> {
    this.input.setEncoding('utf8');
    this.input.on('data', this.onData);
    this.input.on('end', this.onEnd);
    this.input.on('error', this.onEnd);
    return Promise.resolve();
  }

  send(message: JSONRPCMessage): Promise<void> {
    if (this.shut) return Promise.resolve();
    this.output.write(`${JSON.stringify(message)}\n`);
    return Promise.resolve();
  }

  close(): Promise<void> {
    if (this.shut) return Promise.resolve();
    this.shut = true;
    this.input.off('data', this.onData);
    this.input.off('end', this.onEnd);
    this.input.off('error', this.onEnd);
    this.onclose?.();
    this.ended();
    return Promise.resolve();
  }

  private take(text: string): void {
    for (;;) {
      const newline = text.indexOf('\n');
      if (newline < 0) break;
      const line = this.buffered + text.slice(0, newline);
      text = text.slice(newline + 1);
      this.buffered = '';
      if (this.skipping) this.skipping = false;
      else this.line(line.replace(/\r$/, ''));
    }
    if (this.skipping) return;
    this.buffered += text;
    if (Buffer.byteLength(this.buffered) > MAX_LINE_BYTES) {
      this.buffered = '';
      this.skipping = true;
      this.refuse(null, -32700, `Parse error: a message longer than ${MAX_LINE_BYTES} bytes`);
    }
  }

  private line(line: string): void {
    if (line.trim() === '') return;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      this.refuse(null, -32700, 'Parse error: the line is not JSON');
      return;
    }
    let message: JSONRPCMessage;
    try {
      message = parseJSONRPCMessage(raw);
    } catch {
      const id = (raw as { id?: unknown } | null)?.id;
      this.refuse(
        typeof id === 'string' || typeof id === 'number' ? id : null,
        -32600,
        'Invalid Request: not a JSON-RPC 2.0 message',
      );
      return;
    }
    this.onmessage?.(message);
  }

  private refuse(id: string | number | null, code: number, message: string): void {
    this.output.write(`${JSON.stringify({ jsonrpc: '2.0', id, error: { code, message } })}\n`);
  }
}
