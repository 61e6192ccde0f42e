// An API key as cst shows it: in `config list` and `doctor`, never whole.

/** First 6 and last 4 characters: enough to tell keys apart, never enough to use one. */
export function mask(key: string): string {
  return key.length <= 12 ? '*'.repeat(key.length) : `${key.slice(0, 6)}…${key.slice(-4)}`;
}
