// One ledger record per issued session. It holds no secret: the token is kept only as a
// fingerprint, the auth link not at all, the API key only as a fingerprint inside `target`.
import { DEFAULT_EXPIRES_IN_SECONDS } from '../api/constants.js';
import type { ConnectSessionToken } from '../api/schemas.js';
import { fingerprint } from './fingerprint.js';

export interface LedgerRecord {
  v: 1;
  id: number;
  /** "sandbox", or the base URL's origin and a fingerprint of the API key: "https://api.stackone.com#1a2b3c4d5e6f". */
  target: string;
  org: string | null;
  project: string | null;
  organization_id: string;
  project_id: string;
  owner_id: string;
  owner_name: string;
  username: string | null;
  categories: string[];
  provider: string | null;
  label: string | null;
  account_id: string | null;
  type: string | null;
  created_at: string;
  /** Null when the server's created_at leaves no expiry to compute (a date far out of range). */
  expires_at: string | null;
  token_fp: string;
  /**
   * Written by the ledger on append: no record up to this one is live after this time (null:
   * none is). Absent from records written by earlier builds of cst.
   */
  live_until?: string | null;
  /**
   * The server answered the create with a body cst could not use: the session may exist, but
   * nobody got its token. Absent on every delivered session.
   */
  undelivered?: true;
}

export function targetId(
  kind: 'sandbox' | 'project' | 'env',
  baseUrl: string,
  apiKey: string,
): string {
  return kind === 'sandbox'
    ? 'sandbox'
    : `${new URL(baseUrl).origin}#${fingerprint(apiKey).slice(0, 12)}`;
}

export interface IssuedSession {
  session: ConnectSessionToken;
  target: string;
  org: string | null;
  project: string | null;
  expiresIn: number | undefined;
}

/** A time as RFC 3339, or null when it is outside what a Date can hold. */
function isoOrNull(ms: number): string | null {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** created_at + expires_in (StackOne's default when none was sent), or null past a Date's range. */
export function expiresAt(createdAt: string, expiresIn: number | undefined): string | null {
  const created = Date.parse(createdAt);
  return isoOrNull(
    (Number.isNaN(created) ? 0 : created) + (expiresIn ?? DEFAULT_EXPIRES_IN_SECONDS) * 1000,
  );
}

export function ledgerRecord({
  session,
  target,
  org,
  project,
  expiresIn,
}: IssuedSession): LedgerRecord {
  return {
    v: 1,
    id: session.id,
    target,
    org,
    project,
    organization_id: session.organizationId,
    project_id: session.projectId,
    owner_id: session.originOwnerId,
    owner_name: session.originOwnerName,
    username: session.originUsername,
    categories: (session.categories ?? []).filter((c): c is string => c !== null),
    provider: session.provider,
    label: session.label,
    account_id: session.accountId,
    type: session.type,
    created_at: session.createdAt,
    expires_at: expiresAt(session.createdAt, expiresIn),
    token_fp: fingerprint(session.token),
  };
}
