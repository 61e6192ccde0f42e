import { openStateLedger } from '../../config/state.js';
import { changed } from '../../core/output/messages.js';
import type { Context } from '../../core/context.js';
import { confirmed } from '../../cmdutil/confirm.js';
import type { LedgerPathOptions, LedgerPruneOptions } from './options.js';

export async function runLedgerPath(options: LedgerPathOptions, ctx: Context): Promise<void> {
  ctx.stdout.write(`${(await openStateLedger(ctx, options.sandbox)).where}\n`);
}

export async function runLedgerPrune(options: LedgerPruneOptions, ctx: Context): Promise<void> {
  const { before } = options;
  const ledger = await openStateLedger(ctx, options.sandbox);
  const since = new Date(before).toISOString();
  const records = (n: number) => `${n} record${n === 1 ? '' : 's'}`;
  // A count first, for --dry-run and for the question; --yes needs neither.
  if (options.dryRun || !options.yes) {
    const planned = await ledger.prune(before, { dryRun: true });
    if (options.dryRun) {
      changed(
        ctx,
        options.json,
        { would_remove: planned.removed, kept: planned.kept },
        `would remove ${records(planned.removed)} created before ${since}; ${planned.kept} kept`,
      );
      return;
    }
    if (planned.removed === 0) {
      changed(
        ctx,
        options.json,
        planned,
        `no record was created before ${since}; ${planned.kept} kept`,
      );
      return;
    }
    const question = `Remove ${records(planned.removed)} created before ${since} from ${ledger.where}?`;
    if (!(await confirmed(ctx, question, 'pruning the ledger', { dryRun: true }))) return;
  }
  const result = await ledger.prune(before);
  changed(
    ctx,
    options.json,
    result,
    `removed ${records(result.removed)} created before ${since}; ${result.kept} kept`,
  );
}
