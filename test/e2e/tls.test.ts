// Level C: TLS failures explained, and --ca-file / NODE_EXTRA_CA_CERTS, against an https
// server on loopback with certificates made by openssl at test time (never committed).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_BODY } from '../helpers/scripted-server.js';
import { cst, isolatedEnv } from './cli.js';

let dir: string;
const servers: Server[] = [];

function openssl(...args: string[]) {
  execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
}

/** A certificate for `host`, signed by the test CA, valid for `days` (0: already expired). */
function certificate(name: string, host: string, days: number) {
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.csr`,
    '-subj',
    `/CN=${host}`,
  );
  const san =
    host === 'localhost'
      ? 'subjectAltName=DNS:localhost,IP:127.0.0.1'
      : `subjectAltName=DNS:${host}`;
  execFileSync('sh', ['-c', `printf '%s' '${san}' > ${name}.ext`], { cwd: dir });
  openssl(
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    `${name}.pem`,
    '-days',
    String(days),
    '-extfile',
    `${name}.ext`,
  );
}

async function serve(name: string): Promise<string> {
  const server = createServer(
    {
      key: await readFile(join(dir, `${name}.key`)),
      cert: await readFile(join(dir, `${name}.pem`)),
    },
    (_req, res) => {
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify(SESSION_BODY));
    },
  );
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `https://localhost:${(server.address() as AddressInfo).port}`;
}

// openssl makes the certificates at test time; a machine without it skips these cases.
describe.skipIf(spawnSync('openssl', ['version']).error !== undefined)('TLS', () => {
  let urls: Record<string, string>;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cst-tls-'));
    openssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '2',
      '-subj',
      '/CN=cst test CA',
    );
    certificate('good', 'localhost', 1);
    certificate('expired', 'localhost', 0);
    certificate('other', 'other.example', 1);
    openssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'self.key',
      '-out',
      'self.pem',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost',
    );
    await writeFile(join(dir, 'not-a-cert.pem'), 'hello');
    urls = {
      good: await serve('good'),
      expired: await serve('expired'),
      other: await serve('other'),
      self: await serve('self'),
    };
  });
  afterAll(() => Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve)))));

  const create = async (server: string, args: string[] = [], extra: Record<string, string> = {}) =>
    cst(['create', '--owner-id', 'c', '--owner-name', 'C', '--field', 'id', ...args], {
      ...(await isolatedEnv()),
      CST_API_KEY: 'k',
      CST_BASE_URL: urls[server]!,
      ...extra,
    });

  describe('TLS errors', () => {
    it('trusts a private CA given with --ca-file or NODE_EXTRA_CA_CERTS', async () => {
      expect(await create('good', ['--ca-file', join(dir, 'ca.pem')])).toMatchObject({
        code: 0,
        stdout: '42',
      });
      expect(await create('good', [], { NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem') })).toMatchObject({
        code: 0,
        stdout: '42',
      });
    });

    it.each<[string, boolean, string, string]>([
      [
        'good',
        false,
        'is signed by an authority this machine does not trust',
        "trust the server's CA with --ca-file <pem> or NODE_EXTRA_CA_CERTS",
      ],
      [
        'self',
        false,
        'is self-signed',
        "trust the server's CA with --ca-file <pem> or NODE_EXTRA_CA_CERTS",
      ],
      [
        'expired',
        true,
        'has expired',
        "check the machine's clock; otherwise the server must renew it",
      ],
    ])(
      '%s certificate (CA trusted: %s): exit 10 at once, one line that says why',
      async (server, trusted, why, hint) => {
        const result = await create(server, trusted ? ['--ca-file', join(dir, 'ca.pem')] : []);
        const host = new URL(urls[server]!).host;
        expect([result.code, result.stderr]).toEqual([
          10,
          `error: the TLS certificate of ${host} ${why} (POST /connect_sessions)\nhint: ${hint}\n`,
        ]);
      },
    );

    it('a certificate for another host', async () => {
      const result = await create('other', ['--ca-file', join(dir, 'ca.pem')]);
      const host = new URL(urls.other!).host;
      expect([result.code, result.stderr]).toEqual([
        10,
        `error: the TLS certificate presented by ${host} is for another host name (POST /connect_sessions)\nhint: check the base URL (a proxy or DNS entry may point elsewhere)\n`,
      ]);
    });

    it('a --ca-file that is not a certificate is a config error', async () => {
      const result = await create('good', ['--ca-file', join(dir, 'not-a-cert.pem')]);
      expect([result.code, result.stderr]).toEqual([
        3,
        `error: --ca-file: ${join(dir, 'not-a-cert.pem')} holds no PEM certificate\n`,
      ]);
    });
  });
});
