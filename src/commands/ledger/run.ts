import { stateDir } from '../../config/paths.js';
import { note } from '../../output/messages.js';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { ledgerPath, prune } from '../../ledger/store.js';
import { parseWhen } from '../../util/time.js';
import { confirmed } from '../confirm.js';
import type { LedgerFlags } from './ledger.js';

export function runLedgerPath(flags: LedgerFlags, ctx: Context): void {
  ctx.stdout.write(`${ledgerPath(stateDir(ctx.env), flags.sandbox === true)}\n`);
}

export async function runLedgerPrune(flags: LedgerFlags, ctx: Context): Promise<void> {
  const before = parseWhen(flags.before ?? '', ctx.now().getTime());
  if (before === undefined)
    throw new UsageError(
      `--before: "${flags.before}" is neither a date (2026-01-01) nor a duration (90d)`,
    );
  const path = ledgerPath(stateDir(ctx.env), flags.sandbox === true);
  const since = new Date(before).toISOString();
  const records = (n: number) => `${n} record${n === 1 ? '' : 's'}`;
  // A count first, for --dry-run and for the question; --yes needs neither.
  if (flags.dryRun || !flags.yes) {
    const planned = await prune(path, before, { dryRun: true });
    if (flags.dryRun) {
      if (flags.json)
        ctx.stdout.write(
          `${JSON.stringify({ would_remove: planned.removed, kept: planned.kept })}\n`,
        );
      else
        note(
          ctx,
          `would remove ${records(planned.removed)} created before ${since}; ${planned.kept} kept`,
        );
      return;
    }
    if (planned.removed === 0) {
      if (flags.json) ctx.stdout.write(`${JSON.stringify(planned)}\n`);
      else note(ctx, `no record was created before ${since}; ${planned.kept} kept`);
      return;
    }
    const question = `Remove ${records(planned.removed)} created before ${since} from ${path}?`;
    if (!(await confirmed(ctx, question, 'pruning the ledger', { dryRun: true }))) return;
  }
  const result = await prune(path, before);
  if (flags.json) ctx.stdout.write(`${JSON.stringify(result)}\n`);
  else note(ctx, `removed ${records(result.removed)} created before ${since}; ${result.kept} kept`);
}
