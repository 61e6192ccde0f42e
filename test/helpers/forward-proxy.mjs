// A minimal HTTP proxy, run as its own process by the tests: forwards absolute-form http
// requests, tunnels CONNECT, and prints one line per request it handles.
import { createServer, request } from 'node:http';
import { connect } from 'node:net';

const server = createServer((incoming, outgoing) => {
  process.stdout.write(`FORWARD ${incoming.method} ${incoming.url}\n`);
  const target = new URL(incoming.url);
  const upstream = request(
    {
      host: target.hostname,
      port: target.port,
      path: target.pathname + target.search,
      method: incoming.method,
      headers: incoming.headers,
    },
    (response) => {
      outgoing.writeHead(response.statusCode ?? 502, response.headers);
      response.pipe(outgoing);
    },
  );
  upstream.on('error', () => outgoing.writeHead(502).end());
  incoming.pipe(upstream);
});
server.on('connect', (req, socket, head) => {
  process.stdout.write(`CONNECT ${req.url}\n`);
  const [host, port] = req.url.split(':');
  const upstream = connect(Number(port), host, () => {
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    upstream.write(head);
    upstream.pipe(socket);
    socket.pipe(upstream);
  });
  upstream.on('error', () => socket.destroy());
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`listening ${server.address().port}\n`));
process.on('SIGTERM', () => process.exit(0));
