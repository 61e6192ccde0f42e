// What became of a session's link, as `cst list` shows and filters it: from the outcomes
// `cst wait` recorded, or StackOne's accounts with --linked.
export const SESSION_STATES = [
  'pending',
  'linked',
  'failed',
  'cancelled',
  'expired',
  'undelivered',
] as const;
export type SessionState = (typeof SESSION_STATES)[number];
