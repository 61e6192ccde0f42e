// Output options shared by every command: -o/--output, --json, --field. No heavy imports: the
// command definitions use these lists for their help text.
import { UsageError } from '../errors.js';

export const RECORD_FORMATS = ['table', 'json', 'yaml', 'tsv'] as const;
export type RecordFormat = (typeof RECORD_FORMATS)[number];

export const LIST_FORMATS = ['table', 'json', 'yaml', 'tsv', 'csv'] as const;
export type ListFormat = (typeof LIST_FORMATS)[number];

/** create also streams bulk results as NDJSON, CSV or TSV. */
export const CREATE_FORMATS = [...RECORD_FORMATS, 'csv', 'ndjson'] as const;

export interface OutputFlags {
  output?: string | undefined;
  json?: boolean | undefined;
  field?: string | undefined;
}

export interface OutputOptions {
  /** Undefined means "table on a terminal, tsv otherwise". */
  format: RecordFormat | undefined;
  field: string | undefined;
}

export function parseOutputFlags(flags: OutputFlags, fields: readonly string[]): OutputOptions {
  if (flags.output !== undefined && !(RECORD_FORMATS as readonly string[]).includes(flags.output)) {
    throw new UsageError(
      `invalid --output "${flags.output}": use one of ${RECORD_FORMATS.join(', ')}`,
    );
  }
  if (flags.json && flags.output !== undefined && flags.output !== 'json') {
    throw new UsageError(`--json conflicts with --output ${flags.output}`);
  }
  if (flags.field !== undefined) {
    if (flags.json || flags.output !== undefined)
      throw new UsageError('--field prints one value alone: drop --json/--output');
    if (!fields.includes(flags.field)) {
      throw new UsageError(`unknown --field "${flags.field}": use one of ${fields.join(', ')}`);
    }
  }
  const format = flags.json ? 'json' : (flags.output as RecordFormat | undefined);
  return { format, field: flags.field };
}
