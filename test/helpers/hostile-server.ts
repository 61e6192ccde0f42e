// A raw TCP server on loopback that answers HTTP the way a hostile or broken server would: an
// endless body, a drip, headers that never end, a huge body. Every behaviour stops when the
// client goes away, and close() ends every connection.
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export type Hostile =
  | 'endless-body'
  | 'drip-body'
  | 'endless-headers'
  | 'huge-body'
  | 'continue-then-201'
  /** An error answer whose message is every byte the server received, head and body. */
  | { echo: number }
  | { json: unknown; status?: number }
  /** Raw JSON text, for bodies too deep for JSON.stringify. */
  | { text: string; status?: number };

export interface HostileServer {
  baseUrl: string;
  /** Requests whose head reached the server. */
  requests: number;
  close(): Promise<void>;
}

const MiB = 1024 * 1024;

export async function hostileServer(behaviour: Hostile): Promise<HostileServer> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const state = { requests: 0 };
  const every = (socket: Socket, ms: number, tick: () => void) => {
    const timer = setInterval(() => (socket.destroyed ? clearInterval(timer) : tick()), ms);
    timers.add(timer);
  };
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let head = '';
    socket.on('data', (chunk) => {
      if (head.includes('\r\n\r\n')) return;
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      state.requests++;
      if (typeof behaviour === 'object' && 'echo' in behaviour) echo(socket, behaviour.echo, head);
      else answer(socket, behaviour, every);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    get requests() {
      return state.requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearInterval(timer);
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Echoes the request (with its body, once it has arrived), as some gateways do in errors. */
function echo(socket: Socket, status: number, head: string): void {
  const length = Number(/content-length: *(\d+)/i.exec(head)?.[1] ?? 0);
  let received = head;
  const reply = () => {
    const basic = /authorization: *Basic (\S+)/i.exec(received)?.[1] ?? '';
    const key = Buffer.from(basic, 'base64').toString('utf8').replace(/:$/, '');
    const message = `bad request from Basic ${basic} key=${key} ${received}`;
    const body = Buffer.from(JSON.stringify({ statusCode: status, message, timestamp: 'now' }));
    socket.end(
      `HTTP/1.1 ${status} X\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body.toString()}`,
    );
  };
  const bodyStart = received.indexOf('\r\n\r\n') + 4;
  if (received.length - bodyStart >= length) return reply();
  socket.on('data', (chunk: Buffer) => {
    received += chunk.toString('latin1');
    if (received.length - bodyStart >= length) reply();
  });
}

function answer(
  socket: Socket,
  behaviour: Exclude<Hostile, { echo: number }>,
  every: (socket: Socket, ms: number, tick: () => void) => void,
): void {
  const json = 'HTTP/1.1 201 Created\r\ncontent-type: application/json\r\n';
  if (typeof behaviour === 'object') {
    const body = Buffer.from('text' in behaviour ? behaviour.text : JSON.stringify(behaviour.json));
    socket.write(
      `HTTP/1.1 ${behaviour.status ?? 201} X\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n`,
    );
    socket.end(body);
    return;
  }
  switch (behaviour) {
    case 'endless-body': {
      // Chunked, as fast as the client reads: it never ends.
      socket.write(`${json}transfer-encoding: chunked\r\n\r\n`);
      const chunk = Buffer.from(`10000\r\n${'x'.repeat(0x10000)}\r\n`);
      const pump = () => {
        while (!socket.destroyed && socket.write(chunk));
      };
      socket.on('drain', pump);
      pump();
      return;
    }
    case 'drip-body':
      socket.write(`${json}content-length: 100000\r\n\r\n{`);
      every(socket, 100, () => socket.write(' '));
      return;
    case 'endless-headers':
      socket.write(json);
      every(socket, 100, () => socket.write('x-more: yes\r\n'));
      return;
    case 'huge-body': {
      // 100 MB, announced.
      const total = 100 * MiB;
      socket.write(`${json}content-length: ${total}\r\n\r\n`);
      const chunk = Buffer.alloc(MiB, 0x20);
      let sent = 0;
      const pump = () => {
        while (!socket.destroyed && sent < total && socket.write(chunk)) sent += chunk.length;
      };
      socket.on('drain', pump);
      pump();
      return;
    }
    case 'continue-then-201': {
      const body = Buffer.from(JSON.stringify(SESSION));
      socket.write('HTTP/1.1 100 Continue\r\n\r\n');
      socket.end(
        Buffer.concat([Buffer.from(`${json}content-length: ${body.length}\r\n\r\n`), body]),
      );
      return;
    }
  }
}

export const SESSION = {
  id: 7,
  organization_id: '1001',
  project_id: 'proj-1',
  categories: ['hris'],
  provider: null,
  origin_owner_id: 'cus_1',
  origin_owner_name: 'Acme Ltd',
  origin_username: null,
  account_id: null,
  label: null,
  created_at: '2026-11-25T10:00:00.000Z',
  metadata: null,
  type: 'production',
  integration_id: null,
  token: 'tok_hostile_0123456789',
  auth_link_url: 'https://app.stackone.com/connect?token=tok_hostile_0123456789',
};
