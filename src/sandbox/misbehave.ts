// How the sandbox misbehaves when a fault is drawn, and the stats route that lets tests count
// sessions per owner to prove there are no duplicates. Nothing in cst reads either.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Fault } from './faults.js';
import { errorBody, send } from './http.js';
import type { SandboxStore } from './state.js';

/** Faults that strike before the server acted: nothing was created. */
export function injectBefore(
  fault: Fault,
  request: IncomingMessage,
  response: ServerResponse,
  at: Date,
): void {
  if (fault === 'reset-before') {
    request.socket.destroy();
    return;
  }
  const status = Number(fault);
  const retryAfter: Record<string, string> =
    status === 429 || status === 408 ? { 'retry-after': '1' } : {};
  send(
    response,
    status,
    errorBody(status, status === 429 ? 'Too many requests' : 'Injected fault', at),
    retryAfter,
  );
}

/** Faults that strike after the server acted: the session exists, the client may not know it. */
export function injectAfter(
  fault: Fault,
  response: ServerResponse,
  [status, body]: [number, unknown],
  at: Date,
): void {
  const text = JSON.stringify(body);
  switch (fault) {
    case '500':
      return send(response, 500, errorBody(500, 'Injected fault', at));
    case 'reset-after':
      response.socket?.destroy();
      return;
    case 'truncated':
      response.writeHead(status, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
      });
      response.write(text.slice(0, Math.floor(text.length / 2)));
      response.socket?.destroy();
      return;
    case 'malformed':
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(`${text.slice(0, -1)},`);
      return;
    case 'slow-body': {
      response.writeHead(status, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
      });
      const parts = [0, 1, 2, 3].map((i) =>
        text.slice((i * text.length) / 4, ((i + 1) * text.length) / 4),
      );
      parts.forEach((part, i) =>
        setTimeout(() => (i === 3 ? response.end(part) : response.write(part)), i * 400),
      );
      return;
    }
    default:
      send(response, status, body);
  }
}

export async function stats(
  store: SandboxStore,
): Promise<{ sessions: number; by_owner: Record<string, number> }> {
  const sessions = await store.sessions();
  const byOwner: Record<string, number> = {};
  for (const session of sessions) {
    const owner = String(session.fields.origin_owner_id);
    byOwner[owner] = (byOwner[owner] ?? 0) + 1;
  }
  return { sessions: sessions.length, by_owner: byOwner };
}
