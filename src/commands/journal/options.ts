// Raw journal flags → typed options.
import { JOURNAL_FIELDS } from '../../cmdutil/fields.js';
import { LIST_FORMATS, type ListFormat } from '../../core/output/format.js';
import { type OutputFlags, parseOutputFlags } from '../../options/output.js';
import { isJournalId } from '../../session/bulk/journals.js';
import { UsageError } from '../../core/errors.js';

export interface JournalFlags extends OutputFlags {
  yes?: boolean;
}

export interface JournalListOptions {
  output: { format: ListFormat | undefined; field: string | undefined };
}

export interface JournalResetOptions {
  id: string;
  yes: boolean;
  json: boolean;
}

export function parseJournalListOptions(flags: JournalFlags): JournalListOptions {
  return {
    output: parseOutputFlags(flags, JOURNAL_FIELDS, LIST_FORMATS, 'one value per journal'),
  };
}

export function parseJournalResetOptions(id: string, flags: JournalFlags): JournalResetOptions {
  // Ids are the hex names cst gives journals: anything else names no journal, and no file.
  if (!isJournalId(id))
    throw new UsageError(`"${id}" is not a journal id`, {
      hint: "'cst journal list' shows their ids",
    });
  return { id, yes: flags.yes === true, json: flags.json === true };
}
