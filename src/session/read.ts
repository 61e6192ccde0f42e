// Reading a session back by the id cst keeps (GET /connect_sessions/{id}, StackOne since
// 2026-06), with the checks a create's answer gets: the session asked for, in the project the
// key belongs to.
import type { ApiClient } from '../api/client.js';
import { getConnectSession } from '../api/connect-sessions.js';
import type { ConnectSession } from '../api/schemas.js';
import type { Target } from '../config/target.js';
import { ApiError, ConfigError, InvalidResponseError } from '../core/errors.js';
import type { LedgerRecord } from '../ledger/record.js';
import { idMismatches, targetName } from './issue.js';

/**
 * The deployment has no GET /connect_sessions/{id} (an older one, or a region behind): a 405, or
 * a 404 for a session the ledger says exists. The caller falls back to what it did before.
 */
export class NoReadBack extends ApiError {}

/**
 * GET /connect_sessions/{id}. `record` is the ledger's, when cst issued the session: its
 * organization and project are the ones the answer must name, and a 404 for it means the
 * endpoint is missing, not the session.
 */
export async function readSession(
  client: ApiClient,
  target: Target,
  id: number,
  record: LedgerRecord | undefined,
): Promise<ConnectSession> {
  const where = targetName(target);
  let session: ConnectSession;
  try {
    session = await getConnectSession(client, id);
  } catch (error) {
    if (error instanceof ApiError && (error.status === 405 || (error.status === 404 && record)))
      throw new NoReadBack(
        `this StackOne deployment does not read sessions back by id (HTTP ${error.status})`,
        'request_rejected',
        { status: error.status },
      );
    if (error instanceof ApiError && error.status === 404)
      throw new ApiError(`no session ${id} in ${where}`, 'not_found', {
        status: 404,
        hint: "'cst list' shows the sessions cst issued, with their ids",
      });
    throw error;
  }
  if (session.id !== id)
    throw new InvalidResponseError(
      `asked for session ${id}, the server answered session ${session.id}`,
    );
  const mismatches = idMismatches(
    {
      organization: record?.organization_id ?? target.expectedOrganizationId,
      project: record?.project_id ?? target.expectedProjectId,
    },
    session,
  );
  if (mismatches.length > 0)
    throw new ConfigError(
      `the API key of ${where} read back session ${id} of another project: ${mismatches.join(', ')}`,
      'project_mismatch',
      { hint: 'the session was issued through another key: pass its --org and --project' },
    );
  return session;
}
