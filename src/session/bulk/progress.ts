// Counts per outcome, and on a terminal one progress line on stderr, redrawn at most 5 times a
// second. Nothing animated when stderr is not a terminal.
import type { Context } from '../../core/context.js';
import type { RowStatus } from './results.js';

export class Progress {
  readonly counts: Record<RowStatus, number> = {
    issued: 0,
    failed: 0,
    skipped: 0,
    unknown: 0,
    undelivered: 0,
  };
  /** Of the skipped rows, those a shared store said other runners did or are doing. */
  byOthers = 0;
  private readonly started: number;
  private lastDraw = 0;

  constructor(
    private readonly ctx: Context,
    private readonly total?: number,
  ) {
    this.started = ctx.now().getTime();
  }

  count(status: RowStatus): void {
    this.counts[status]++;
  }

  clear(): void {
    this.ctx.status.clear();
  }

  /** At most 5 times a second, unless `now` (after the line was cleared for other output). */
  draw(now = false): void {
    const at = this.ctx.now().getTime();
    if (!this.ctx.stderr.isTTY || (!now && at - this.lastDraw < 200)) return;
    this.lastDraw = at;
    const { issued, failed, skipped, unknown, undelivered } = this.counts;
    const done = issued + failed + skipped + unknown + undelivered;
    const seconds = (at - this.started) / 1000;
    const rate = done / Math.max(seconds, 0.001);
    const eta =
      this.total !== undefined && rate > 0 ? `, ETA ${Math.ceil((this.total - done) / rate)}s` : '';
    this.ctx.status.draw(
      `${done}${this.total === undefined ? '' : `/${this.total}`} rows: ${issued} issued, ${failed} failed, ${unknown} unknown, ${skipped} skipped${this.byOthers > 0 ? ` (${this.byOthers} by other runners)` : ''}${undelivered > 0 ? `, ${undelivered} undelivered` : ''} · ${rate.toFixed(1)}/s${eta}`,
    );
  }

  done(): void {
    this.clear();
  }
}
