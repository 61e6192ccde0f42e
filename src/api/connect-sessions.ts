import type { ApiClient } from './client.js';
import { connectSessionSchema, connectSessionTokenSchema } from './schemas.js';
import type { ConnectSession, ConnectSessionToken } from './schemas.js';

/** POST /connect_sessions. Never retried once sent: StackOne has no idempotency keys. */
export function createConnectSession(
  client: ApiClient,
  body: Record<string, unknown>,
): Promise<ConnectSessionToken> {
  return client.request({
    method: 'POST',
    path: '/connect_sessions',
    body,
    schema: connectSessionTokenSchema,
    retryAfterSend: false,
  });
}

/** POST /connect_sessions/authenticate: a lookup, safe to repeat. */
export function authenticateConnectSession(
  client: ApiClient,
  token: string,
): Promise<ConnectSession> {
  return client.request({
    method: 'POST',
    path: '/connect_sessions/authenticate',
    body: { token },
    schema: connectSessionSchema,
    retryAfterSend: true,
  });
}

/**
 * GET /connect_sessions/{id} (StackOne since 2026-06): a session read back by the id cst keeps,
 * without its token. A lookup, safe to repeat.
 */
export function getConnectSession(client: ApiClient, id: number): Promise<ConnectSession> {
  return client.request({
    method: 'GET',
    path: `/connect_sessions/${encodeURIComponent(String(id))}`,
    schema: connectSessionSchema,
    retryAfterSend: true,
  });
}
