// A 2xx create whose body cst cannot use (not JSON, null, an array, a token missing): the
// session may well exist. What can be read of it is said, and it goes to the ledger marked
// undelivered, so that it is not lost silently.
import { InvalidResponseError, ioReason } from '../core/errors.js';
import { fingerprint } from '../ledger/fingerprint.js';
import { REQUEST_FIELDS } from '../api/request-fields.js';
import { expiresAt, keptFields, type LedgerRecord } from '../ledger/record.js';
import type { Ledger } from '../ledger/ledger.js';

export interface CreateFacts {
  /** The request body as sent (snake_case). */
  body: Record<string, unknown>;
  target: string;
  org: string | null;
  project: string | null;
  ledger: Ledger;
  now: Date;
}

/** The error to end in: the same message, with a hint saying what may exist and where it is. */
export async function unusableCreate(
  error: InvalidResponseError,
  facts: CreateFacts,
): Promise<InvalidResponseError> {
  const seen = readable(error.received);
  const text = (key: string) => (typeof seen[key] === 'string' ? seen[key] : undefined);
  const owner = text('origin_owner_id') ?? String(facts.body.origin_owner_id);
  const id = sessionId(seen.id);
  let hint: string;
  if (id === undefined) {
    hint = `a session may exist for owner ${owner}; the response held no readable id, so it is not in the ledger`;
  } else {
    // The server's created_at when it is a date, else the moment the answer came.
    const created = text('created_at');
    const createdAt =
      created !== undefined && !Number.isNaN(Date.parse(created))
        ? created
        : facts.now.toISOString();
    const expiresIn = typeof facts.body.expires_in === 'number' ? facts.body.expires_in : undefined;
    const orgId = seen.organization_id;
    // What the server echoed of the required fields (the owner), else what was sent.
    const echoed = Object.fromEntries(
      REQUEST_FIELDS.filter((field) => field.required && text(field.wire) !== undefined).map(
        (field) => [field.wire, text(field.wire)],
      ),
    );
    const record = {
      v: 1,
      id,
      target: facts.target,
      org: facts.org,
      project: facts.project,
      organization_id: typeof orgId === 'string' || typeof orgId === 'number' ? String(orgId) : '',
      project_id: text('project_id') ?? '',
      ...keptFields({ ...facts.body, ...echoed }),
      created_at: createdAt,
      expires_at: expiresAt(createdAt, expiresIn),
      token_fp: typeof seen.token === 'string' ? fingerprint(seen.token) : '',
      undelivered: true as const,
    } as LedgerRecord;
    const where = `session ${id} for owner ${owner}`;
    try {
      await facts.ledger.append(record);
      hint = `a session may exist: ${where}, recorded in the ledger as undelivered; 'cst create --from-session ${id}${facts.target === 'sandbox' ? ' --sandbox' : ''}' issues a new one`;
    } catch (failure) {
      hint = `a session may exist: ${where}; it is not in the ledger either (${ioReason(failure)})`;
    }
  }
  return new InvalidResponseError(error.message, {
    status: error.status,
    fate: error.fate,
    code: error.code,
    hint,
  });
}

function readable(received: unknown): Record<string, unknown> {
  return typeof received === 'object' && received !== null && !Array.isArray(received)
    ? (received as Record<string, unknown>)
    : {};
}

/** A session id as the spec types it (a number), or as a string of digits. */
function sessionId(value: unknown): number | undefined {
  const id = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value;
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : undefined;
}
