// Colour is decided once per stream, from the context only. chalk 5 ignores NO_COLOR and would
// read process.argv itself, so cst builds its own Chalk with the level decided here.
import { Chalk, type ChalkInstance } from 'chalk';
import { envValue, type Context, type OutputStream } from '../context.js';

export type ColorLevel = 0 | 1 | 2 | 3;

function decideColorLevel(ctx: Context, stream: OutputStream): ColorLevel {
  if (ctx.globals.color === 'never') return 0;
  if (ctx.globals.color === 'always') return Math.max(1, terminalLevel(ctx)) as ColorLevel;
  if (envValue(ctx.env, 'NO_COLOR') !== undefined) return 0;
  const force = ctx.env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 0;
    return (['1', '2', '3'].includes(force) ? Number(force) : 1) as ColorLevel;
  }
  const clicolorForce = envValue(ctx.env, 'CLICOLOR_FORCE');
  if (clicolorForce !== undefined && clicolorForce !== '0')
    return Math.max(1, terminalLevel(ctx)) as ColorLevel;
  if (ctx.env.CLICOLOR === '0') return 0;
  if (ctx.env.TERM === 'dumb') return 0;
  return stream.isTTY === true ? terminalLevel(ctx) : 0;
}

function terminalLevel(ctx: Context): ColorLevel {
  const colorterm = ctx.env.COLORTERM ?? '';
  if (colorterm === 'truecolor' || colorterm === '24bit') return 3;
  if ((ctx.env.TERM ?? '').includes('256')) return 2;
  return 1;
}

/** Per context, then per stream: two contexts writing to one stream may decide differently. */
const decided = new WeakMap<Context, WeakMap<OutputStream, ChalkInstance>>();

export function colorsFor(ctx: Context, stream: OutputStream): ChalkInstance {
  let streams = decided.get(ctx);
  if (!streams) decided.set(ctx, (streams = new WeakMap()));
  let chalk = streams.get(stream);
  if (!chalk) {
    chalk = new Chalk({ level: decideColorLevel(ctx, stream) });
    streams.set(stream, chalk);
  }
  return chalk;
}
