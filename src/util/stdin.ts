import type { Context } from '../context.js';
import { UsageError } from '../errors.js';

/** A secret piped on stdin (never typed into argv, which lands in shell history). */
export async function readSecretFromStdin(ctx: Context, flag: string): Promise<string> {
  if (ctx.stdin.isTTY)
    throw new UsageError(`${flag} reads stdin: pipe the token in (pbpaste | cst …)`);
  let text = '';
  for await (const chunk of ctx.stdin)
    text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
  const secret = text.trim();
  if (secret === '') throw new UsageError(`${flag}: stdin was empty`);
  return secret;
}
