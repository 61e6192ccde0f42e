// Columns of a bulk results file. Plain constants: the help text of create lists them.
export const RESULT_COLUMNS = [
  'row',
  'owner_id',
  'owner_name',
  'session_id',
  'token',
  'auth_link_url',
  'expires_at',
  'row_key',
] as const;
export type ResultColumn = (typeof RESULT_COLUMNS)[number];
export const DEFAULT_RESULT_COLUMNS: ResultColumn[] = [
  'row',
  'owner_id',
  'owner_name',
  'session_id',
  'auth_link_url',
  'token',
  'expires_at',
];
