import { createHash } from 'node:crypto';

/** sha256, the first 16 hex characters: enough to find a token, useless to use one. */
export function fingerprint(secret: string): string {
  return createHash('sha256').update(secret).digest('hex').slice(0, 16);
}
