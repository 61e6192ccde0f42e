import type { Context } from '../context.js';
import { UsageError } from '../errors.js';

/** Far more than any token or key: a secret on stdin is one line, not a file. */
const MAX_SECRET_BYTES = 64 * 1024;

/** A secret piped on stdin (never typed into argv, which lands in shell history). */
export async function readSecretFromStdin(ctx: Context, flag: string): Promise<string> {
  if (ctx.stdin.isTTY)
    throw new UsageError(`${flag} reads stdin: pipe the token in (pbpaste | cst …)`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.stdin) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += bytes.length;
    // Stop reading at once: an endless stream (`yes | cst …`) must not fill memory.
    if (size > MAX_SECRET_BYTES)
      throw new UsageError(`${flag}: stdin holds more than 64 KB, the most a secret may be`);
    chunks.push(bytes);
  }
  const secret = Buffer.concat(chunks).toString('utf8').trim();
  if (secret === '') throw new UsageError(`${flag}: stdin was empty`);
  return secret;
}
