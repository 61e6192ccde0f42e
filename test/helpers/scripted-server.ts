// An HTTP server on loopback that answers whatever a test scripts: any status, headers and
// body, a dropped connection, or no answer at all. It records every request it saw, and, like
// httpmock's Verify, close() fails the test when a scripted reply went unused or a request came
// that the script did not expect.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type Reply =
  | { status: number; body?: unknown; headers?: Record<string, string>; raw?: string }
  | { drop: true }
  | { hang: true };

export interface ScriptedServer {
  baseUrl: string;
  requests: SeenRequest[];
  /** Rejects when a scripted reply was never used or an unscripted request arrived. */
  close(): Promise<void>;
}

/**
 * Replies are used in order, each once; with `repeatLast`, the last one answers every request
 * after it. A function answers every request and is never "unused".
 */
export async function scriptedServer(
  replies: Reply[] | ((request: SeenRequest) => Reply),
  options: { repeatLast?: boolean } = {},
): Promise<ScriptedServer> {
  const requests: SeenRequest[] = [];
  const unscripted: string[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const seen = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(seen);
      const scripted =
        typeof replies === 'function'
          ? replies(seen)
          : (replies[requests.length - 1] ??
            (options.repeatLast ? replies[replies.length - 1] : undefined));
      if (scripted === undefined) unscripted.push(`${seen.method} ${seen.url}`);
      const reply = scripted ?? {
        status: 599,
        body: { statusCode: 599, message: 'unscripted request', timestamp: '' },
      };
      if ('drop' in reply) {
        request.socket.destroy();
        return;
      }
      if ('hang' in reply) return;
      const text = reply.raw ?? (reply.body === undefined ? '' : JSON.stringify(reply.body));
      response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      response.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      const unused = typeof replies === 'function' ? 0 : replies.length - requests.length;
      if (unused > 0 || unscripted.length > 0)
        throw new Error(
          `scripted server: ${unused > 0 ? `${unused} scripted repl${unused === 1 ? 'y' : 'ies'} never used` : ''}${unused > 0 && unscripted.length > 0 ? '; ' : ''}${unscripted.length > 0 ? `unscripted requests: ${unscripted.join(', ')}` : ''}`,
        );
    },
  };
}

export const SESSION_BODY = {
  id: 42,
  organization_id: '1001',
  project_id: 'proj-1',
  categories: ['hris', 'ats'],
  provider: null,
  origin_owner_id: 'cus_1',
  origin_owner_name: 'Acme Ltd',
  origin_username: null,
  account_id: null,
  label: 'Main HR',
  created_at: '2026-11-25T10:00:00.000Z',
  metadata: { plan: 'pro' },
  type: 'production',
  integration_id: null,
  connector_profile_id: null,
  latest_connection_attempt: null,
  token: 'tok_abc123',
  auth_link_url: 'https://app.stackone.com/connect?token=tok_abc123',
};

/** A ConnectorProfile as StackOne's 2026-06 SDK types it, with a field newer than cst. */
export function connectorProfile(id: string): Record<string, unknown> {
  return {
    id,
    name: id,
    connector_key: 'bamboohr',
    connector_label: 'BambooHR',
    categories: ['hris'],
    active: true,
    default: false,
    logo_url: 'https://x/logo.png',
    release_stage: 'ga',
    created_at: '2026-06-01T00:00:00.000Z',
    updated_at: '2026-06-01T00:00:00.000Z',
    region: 'eu',
  };
}
