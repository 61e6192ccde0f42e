// One ledger record per issued session. It holds no secret: the token is kept only as a
// fingerprint, the auth link not at all, the API key only as a fingerprint inside `target`.
import { DEFAULT_EXPIRES_IN_SECONDS } from '../api/constants.js';
import type { ConnectSessionToken } from '../api/schemas.js';
import * as z from 'zod/mini';
import { REQUEST_FIELDS, type Field, type RequestField } from '../api/request-fields.js';
import { fingerprint } from './fingerprint.js';

const nullableString = z.nullable(z.string());

/** The record's own fields, which no request field gives, before and after the kept ones. */
const HEAD = {
  v: z.literal(1),
  id: z.number(),
  /** "sandbox", or the base URL's origin and a fingerprint of the API key. */
  target: z.string(),
  org: nullableString,
  project: nullableString,
  organization_id: z.string(),
  project_id: z.string(),
};
const TAIL = {
  created_at: z.string(),
  /** Null when the server's created_at leaves no expiry to compute (a date far out of range). */
  expires_at: nullableString,
  token_fp: z.string(),
  /**
   * Written by the ledger on append: no record up to this one is live after this time (null:
   * none is). Absent from records written by earlier builds of cst.
   */
  live_until: z.optional(nullableString),
  /**
   * The server answered the create with a body cst could not use: the session may exist, but
   * nobody got its token. Absent on every delivered session.
   */
  undelivered: z.optional(z.literal(true)),
};

const categoriesKept = z.array(z.string());
const requiredString = z.string();

/** A request field as the ledger keeps it: a list of categories, or text (null when unset). */
type Kept<F extends Field> = F extends { required: true }
  ? typeof requiredString
  : F['kind'] extends 'categories'
    ? typeof categoriesKept
    : typeof nullableString;

type KeptField = Extract<Field, { ledger: string }>;
type RecordShape = typeof HEAD & { [F in KeptField as F['ledger']]: Kept<F> } & typeof TAIL;

/** The order of the kept fields in a record; a kept field not named here comes after them. */
const KEPT_ORDER = [
  'owner_id',
  'owner_name',
  'username',
  'categories',
  'provider',
  'label',
  'account_id',
  'type',
];
const KEPT: readonly (RequestField & { ledger: string })[] = REQUEST_FIELDS.filter(
  (field): field is RequestField & { ledger: string } => field.ledger !== undefined,
).sort((a, b) => rank(a.ledger) - rank(b.ledger));

function rank(key: string): number {
  const at = KEPT_ORDER.indexOf(key);
  return at < 0 ? KEPT_ORDER.length : at;
}

/**
 * A kept field as a record read back must have it: required ones always; the others may be
 * missing from a record written before the field was kept, and read as null (or no categories).
 */
function kept(field: RequestField): z.ZodMiniType {
  if (field.required) return requiredString;
  return z.optional(field.kind === 'categories' ? categoriesKept : nullableString);
}

/**
 * One ledger record, made from the field table: a field whose row names a `ledger` key is kept
 * under that key, typed by its kind. What a record read back is checked against.
 */
export const ledgerRecordSchema = z.object({
  ...HEAD,
  ...Object.fromEntries(KEPT.map((field) => [field.ledger, kept(field)])),
  ...TAIL,
});

/** A record as cst writes it, every kept field present. */
export type LedgerRecord = z.output<z.ZodMiniObject<RecordShape>>;

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

/**
 * The kept fields, read from a session as printed or from a request body, by the field table:
 * categories as a list of strings, required text as text, the rest as text or null.
 */
export function keptFields(source: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const field of KEPT) {
    const value = source[field.wire];
    fields[field.ledger] =
      field.kind === 'categories'
        ? Array.isArray(value)
          ? value.filter((c): c is string => typeof c === 'string')
          : []
        : typeof value === 'string'
          ? value
          : field.required
            ? value === undefined || value === null
              ? ''
              : JSON.stringify(value)
            : null;
  }
  return fields;
}

/** A record as read: fields kept since it was written are there, as null (or no categories). */
export function withKeptDefaults(record: LedgerRecord): LedgerRecord {
  const filled = { ...record } as Record<string, unknown>;
  for (const field of KEPT) filled[field.ledger] ??= field.kind === 'categories' ? [] : null;
  return filled as LedgerRecord;
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
    ...keptFields(session.wire),
    created_at: session.createdAt,
    expires_at: expiresAt(session.createdAt, expiresIn),
    token_fp: fingerprint(session.token),
  } as LedgerRecord;
}
