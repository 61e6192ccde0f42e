// Issuing one connect session: the request goes out once, the answer is validated, the session
// is delivered (the command renders it) and recorded in the ledger. Whatever fails after the
// server acted, the user learns the session's id and what to run next.
import { createConnectSession } from '../api/connect-sessions.js';
import type { ConnectSessionToken } from '../api/schemas.js';
import { SERVER_MAY_HAVE_ACTED } from '../api/outcomes.js';
import type { Target } from '../config/target.js';
import type { Connection } from '../connection/connection.js';
import type { Context } from '../core/context.js';
import {
  ConfigError,
  InterruptedError,
  InvalidResponseError,
  ioReason,
  StateWriteError,
  UndeliveredError,
} from '../core/errors.js';
import { type Ledger, newestRecord } from '../ledger/ledger.js';
import { type LedgerRecord, ledgerRecord } from '../ledger/record.js';
import { warn } from '../core/output/messages.js';
import { unusableCreate } from './unusable.js';

export interface Issued {
  session: ConnectSessionToken;
  record: LedgerRecord;
  /** The ledger refused the record: the session is delivered, its record is lost. */
  unrecorded: StateWriteError | undefined;
}

/**
 * POST /connect_sessions with `body` (wire names), then `deliver` (which prints the token), then
 * the ledger. A delivery that fails ends in an UndeliveredError naming the session; a ledger
 * that fails is returned, for the caller to raise once the hand-off is done.
 */
export async function issue(
  ctx: Context,
  connection: Connection,
  body: Record<string, unknown>,
  deliver: (session: ConnectSessionToken, record: LedgerRecord) => Promise<void>,
): Promise<Issued> {
  const { client, target, id: tid, ledger } = connection;
  await ledger.ready();
  if (typeof body.origin_owner_id === 'string')
    await warnIfActive(ctx, ledger, tid, body.origin_owner_id);
  const session = await ctx.unlessSignalled(
    createConnectSession(client, body).catch(async (error: unknown) => {
      if (!(error instanceof InvalidResponseError) || !isSuccess(error.status)) throw error;
      throw await unusableCreate(error, {
        body,
        target: tid,
        org: target.org,
        project: target.project,
        ledger,
        now: ctx.now(),
      });
    }),
    (signal) =>
      new InterruptedError(signal, 'interrupted while the session was being created', {
        hint: SERVER_MAY_HAVE_ACTED,
      }),
  );
  // From here on the session exists: whatever fails, the user learns its id.
  ctx.redactor.add(session.token);
  ctx.redactor.add(session.authLinkUrl);
  const record = ledgerRecord({
    session,
    target: tid,
    org: target.org,
    project: target.project,
    expiresIn: typeof body.expires_in === 'number' ? body.expires_in : undefined,
  });
  let undelivered: unknown;
  try {
    await deliver(session, record);
  } catch (error) {
    undelivered = error;
  }
  let unrecorded: unknown;
  try {
    await ledger.append(record);
  } catch (error) {
    unrecorded = error;
  }
  if (undelivered !== undefined) {
    throw new UndeliveredError(
      `session ${session.id} for owner ${session.originOwnerId} was created, but its token could not be written to stdout: ${ioReason(undelivered)}`,
      {
        hint:
          unrecorded === undefined
            ? `'cst create --from-session ${session.id}${tid === 'sandbox' ? ' --sandbox' : ''}' issues a new one once stdout works`
            : `it is not in the ledger either (${ioReason(unrecorded)})`,
      },
    );
  }
  return {
    session,
    record,
    unrecorded:
      unrecorded === undefined
        ? undefined
        : new StateWriteError(
            `the record of session ${session.id} to the ledger`,
            ledger.where,
            unrecorded,
          ),
  };
}

const isSuccess = (status: number | undefined) =>
  status !== undefined && status >= 200 && status < 300;

/** Issuing a second live link to the same customer is usually a mistake worth a line. */
async function warnIfActive(
  ctx: Context,
  ledger: Ledger,
  target: string,
  ownerId: string,
): Promise<void> {
  try {
    const active = await newestRecord(ledger, { target, ownerId, status: 'active' }, ctx.now());
    if (active)
      warn(
        ctx,
        `${ownerId} already has an active session ${active.id} (expires ${active.expires_at}); issuing another`,
      );
  } catch {
    // The ledger is a convenience here; a create must not fail because it cannot be read.
  }
}

/** Where a session is from, against where it should be: each difference in words. */
export function idMismatches(
  expected: { organization: string | undefined; project: string | undefined },
  session: { organizationId: string; projectId: string },
): string[] {
  return [
    expected.organization !== undefined && expected.organization !== session.organizationId
      ? `organization ${session.organizationId} (expected ${expected.organization})`
      : undefined,
    expected.project !== undefined && expected.project !== session.projectId
      ? `project ${session.projectId} (expected ${expected.project})`
      : undefined,
  ].filter((text) => text !== undefined);
}

/** A target as messages name it: its organization and project, or where its key came from. */
export function targetName(target: Target): string {
  return target.org === null
    ? `the project of ${target.keySource}`
    : `${target.org}/${target.project}`;
}

/** A key that belongs to another project than the config says is a config problem worth exit 3. */
export function checkExpectedIds(target: Target, session: ConnectSessionToken): void {
  const mismatches = idMismatches(
    { organization: target.expectedOrganizationId, project: target.expectedProjectId },
    session,
  );
  if (mismatches.length > 0) {
    throw new ConfigError(
      `the API key of ${target.org}/${target.project} belongs to another project: the session above was created in ${mismatches.join(', ')}`,
      'project_mismatch',
      { hint: 'fix the key or the expected ids in the config' },
    );
  }
}
