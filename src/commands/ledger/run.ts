import { stateDir } from '../../config/paths.js';
import { note } from '../../output/messages.js';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { ledgerPath, prune } from '../../ledger/store.js';
import { parseWhen } from '../../util/time.js';
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
  const result = await prune(ledgerPath(stateDir(ctx.env), flags.sandbox === true), before);
  if (flags.json) ctx.stdout.write(`${JSON.stringify(result)}\n`);
  else
    note(
      ctx,
      `removed ${result.removed} record${result.removed === 1 ? '' : 's'} created before ${new Date(before).toISOString()}; ${result.kept} kept`,
    );
}
