// Warnings and notes for people, always on stderr, coloured by stderr's own decision.
import type { Context } from '../context.js';
import { colorsFor } from './color.js';
import { visible } from '../errors.js';

// In JSON mode each is a JSON line ({"warning":{"message":…}}), so that a script reading stderr
// line by line never meets plain text.
export function warn(ctx: Context, message: string): void {
  if (ctx.jsonMessages) ctx.stderr.write(`${JSON.stringify({ warning: { message } })}\n`);
  else ctx.stderr.write(`${colorsFor(ctx, ctx.stderr).yellow('warning:')} ${visible(message)}\n`);
}

/** The one line that ends a long run; in JSON mode {"summary":{…fields}}. */
export function summary(ctx: Context, message: string, fields: Record<string, unknown>): void {
  if (ctx.jsonMessages) ctx.stderr.write(`${JSON.stringify({ summary: fields })}\n`);
  else ctx.stderr.write(`${visible(message)}\n`);
}

/** What happened, for a person: "saved acme/prod in …", "showing 50 of 120; use --all". */
export function note(ctx: Context, message: string, fields?: Record<string, unknown>): void {
  if (ctx.jsonMessages) ctx.stderr.write(`${JSON.stringify({ note: { message, ...fields } })}\n`);
  else ctx.stderr.write(`${colorsFor(ctx, ctx.stderr).dim(visible(message))}\n`);
}

/**
 * What a command changed: under --json one object on stdout, for scripts; otherwise the line
 * for people, as a note on stderr.
 */
export function changed(
  ctx: Context,
  json: boolean,
  what: Record<string, unknown>,
  message: string,
): void {
  if (json) ctx.stdout.write(`${JSON.stringify(what)}\n`);
  else note(ctx, message);
}
