// Level B: runDoctor in-process; the project it checks is a connection to a scripted server
// handed over by the context, so the key check and reachability meet real HTTP on loopback.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDoctorOptions } from '../../../src/commands/doctor/options.js';
import { runDoctor } from '../../../src/commands/doctor/run.js';
import { CliError } from '../../../src/core/errors.js';
import { testContext } from '../../helpers/context.js';
import { type Reply, scriptedServer, type ScriptedServer } from '../../helpers/scripted-server.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface Check {
  check: string;
  status: string;
  detail: string;
}

/** `accounts` answers GET /accounts; any other path is the reachability probe. */
async function doctor(accounts: Reply) {
  server = await scriptedServer((request) =>
    request.url.startsWith('/accounts') ? accounts : { status: 404, body: {} },
  );
  const root = await mkdtemp(join(tmpdir(), 'cst-doctor-'));
  const io = testContext({
    api: { baseUrl: server.baseUrl, apiKey: 'key_live_doctor_1234' },
    env: { CST_CONFIG_DIR: join(root, 'config'), CST_STATE_DIR: join(root, 'state') },
  });
  const error = await runDoctor(parseDoctorOptions({ timeout: '5s', json: true }), io.ctx).then(
    () => undefined,
    (e: unknown) => e as CliError,
  );
  const checks = JSON.parse(io.stdout()) as Check[];
  return { ...io, error, checks, byName: (name: string) => checks.find((c) => c.check === name) };
}

describe('runDoctor', () => {
  it('checks the connection it is given without asking which project, the key masked', async () => {
    const { error, byName, connects, stdout } = await doctor({ status: 200, body: [] });
    expect(error).toBeUndefined();
    // A check never stops to ask which project: it reports what would be chosen.
    expect(connects).toEqual([{ flags: {}, options: { timeoutMs: 5000, prompt: false } }]);
    expect(byName('api key')?.detail).toBe('key_li…1234 (from the test)');
    expect(byName('reachable')).toMatchObject({ status: 'ok' });
    expect(byName('reachable')?.detail).toMatch(new RegExp(`^${server!.baseUrl}: HTTP 404 in`));
    expect(byName('key works')?.detail).toMatch(/^GET \/accounts accepted it in \d+ ms$/);
    expect(stdout()).not.toContain('key_live_doctor_1234');
    expect(server!.requests.find((r) => r.url.startsWith('/accounts'))?.url).toBe(
      '/accounts?page=1&page_size=1',
    );
  });

  it('a rejected key fails the key check, and doctor exits 1 with doctor_failed', async () => {
    const { error, byName } = await doctor({
      status: 401,
      body: { statusCode: 401, message: 'Unauthorized', timestamp: '' },
    });
    expect(byName('key works')).toMatchObject({ status: 'fail' });
    expect(byName('key works')?.detail).toMatch(/^rejected \(HTTP 401\): the key is wrong/);
    expect([error?.code, error?.exitCode, error?.message]).toEqual([
      'doctor_failed',
      1,
      '1 check failed',
    ]);
  });

  it('a key without the Platform API scope fails as forbidden', async () => {
    const { byName } = await doctor({
      status: 403,
      body: { statusCode: 403, message: 'Forbidden', timestamp: '' },
    });
    expect(byName('key works')?.detail).toMatch(/^forbidden \(HTTP 403\): the key lacks/);
  });
});
