// The output formats each command prints and the options they parse into. No heavy imports:
// the command definitions use these lists for their help text.
export const RECORD_FORMATS = ['table', 'json', 'yaml', 'tsv'] as const;
export type RecordFormat = (typeof RECORD_FORMATS)[number];

/** `wide`: the table with every column, however wide the terminal. */
export const LIST_FORMATS = ['table', 'wide', 'json', 'yaml', 'tsv', 'csv'] as const;
export type ListFormat = (typeof LIST_FORMATS)[number];

/** create also streams bulk results as NDJSON, CSV or TSV. */
export const CREATE_FORMATS = [...RECORD_FORMATS, 'csv', 'ndjson'] as const;

export interface OutputOptions {
  /** Undefined means "table on a terminal, tsv otherwise". */
  format: RecordFormat | undefined;
  field: string | undefined;
}
