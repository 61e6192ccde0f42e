// Destructive commands and changes ask on a terminal and need --yes otherwise. Declining is an
// answer, not an interrupt: the command says nothing was deleted (or changed) and exits 0.
import { canPrompt, type Context } from '../core/context.js';
import { UsageError } from '../core/errors.js';
import { note } from '../core/output/messages.js';

/** True to go ahead; false when the person said no (and "nothing deleted" is printed). */
export async function confirmed(
  ctx: Context,
  question: string,
  action: string,
  options: {
    yes?: boolean | undefined;
    dryRun?: boolean;
    /** For a change that deletes nothing: what a no leaves, and what --dry-run shows. */
    change?: { declined: string; dryRun: string };
  },
): Promise<boolean> {
  if (options.yes) return true;
  if (!canPrompt(ctx))
    throw new UsageError(`${action} needs --yes without a terminal`, {
      hint: options.dryRun
        ? `add --yes, or --dry-run to see ${options.change?.dryRun ?? 'what it would delete'}`
        : 'add --yes',
    });
  if (await (await ctx.prompter()).confirm(question)) return true;
  note(ctx, options.change?.declined ?? 'nothing deleted');
  return false;
}
