// Warnings and notes for people, always on stderr, coloured by stderr's own decision.
import type { Context } from '../context.js';
import { colorsFor } from './color.js';
import { visible } from '../errors.js';

export function warn(ctx: Context, message: string): void {
  ctx.stderr.write(`${colorsFor(ctx, ctx.stderr).yellow('warning:')} ${visible(message)}\n`);
}

export function note(ctx: Context, message: string): void {
  ctx.stderr.write(`${colorsFor(ctx, ctx.stderr).dim(visible(message))}\n`);
}
