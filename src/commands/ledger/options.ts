// Raw ledger flags → typed options.
import * as z from 'zod/mini';
import { flagValue, parseFlags } from '../../options/parse.js';
import { parseWhen } from '../../core/util/time.js';

export interface LedgerFlags {
  sandbox?: boolean;
  before?: string;
  json?: boolean;
  yes?: boolean;
  dryRun?: boolean;
}

export interface LedgerPathOptions {
  /** The ledger of sandbox sessions. */
  sandbox: boolean;
}

export interface LedgerPruneOptions {
  sandbox: boolean;
  /** Records created before this instant (ms since the epoch) go. */
  before: number;
  json: boolean;
  yes: boolean;
  dryRun: boolean;
}

export function parseLedgerPathOptions(flags: LedgerFlags): LedgerPathOptions {
  return { sandbox: flags.sandbox === true };
}

/** `now` turns a duration (90d) into an instant, once, when the command line is read. */
export function parseLedgerPruneOptions(flags: LedgerFlags, now: number): LedgerPruneOptions {
  const schema = z.object({
    before: flagValue(
      (text) => parseWhen(text, now),
      (text) => `"${text}" is neither a date (2026-01-01) nor a duration (90d)`,
    ),
  });
  const { before } = parseFlags(schema, flags);
  return {
    sandbox: flags.sandbox === true,
    before,
    json: flags.json === true,
    yes: flags.yes === true,
    dryRun: flags.dryRun === true,
  };
}
