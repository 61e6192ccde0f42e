// Level B: sandbox link in-process: a session created through the sandbox's real HTTP server,
// then the customer's side played against the same state directory.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLinkOptions } from '../../../src/commands/sandbox/options.js';
import { runLink } from '../../../src/commands/sandbox/run-link.js';
import { CliError } from '../../../src/core/errors.js';
import { startSandbox } from '../../../src/sandbox/server.js';
import { testContext } from '../../helpers/context.js';

async function sandboxWithSession() {
  const stateDir = await mkdtemp(join(tmpdir(), 'cst-link-'));
  const sandbox = await startSandbox({ stateDir });
  const state = await sandbox.store.read();
  const key = state.organizations[0]!.projects[0]!.apiKey;
  const response = await fetch(`${sandbox.baseUrl}/connect_sessions`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      origin_owner_id: 'c1',
      origin_owner_name: 'C One',
      categories: ['hris'],
    }),
  });
  const session = (await response.json()) as { token: string };
  return { stateDir, sandbox, token: session.token, key };
}

describe('runLink', () => {
  it('links an account for the session, then the API lists it for its owner', async () => {
    const { stateDir, sandbox, token, key } = await sandboxWithSession();
    try {
      const io = testContext({ env: { CST_STATE_DIR: stateDir } });
      await runLink(parseLinkOptions(token, { provider: 'bamboohr', json: true }), io.ctx);
      const account = JSON.parse(io.stdout()) as Record<string, unknown>;
      expect(account).toMatchObject({
        provider: 'bamboohr',
        origin_owner_id: 'c1',
        status: 'active',
      });
      const listed = await fetch(`${sandbox.baseUrl}/accounts?origin_owner_ids=c1`, {
        headers: { authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` },
      });
      expect(((await listed.json()) as { id: string }[]).map((a) => a.id)).toEqual([account.id]);
    } finally {
      await sandbox.close();
    }
  });

  it('a failed attempt links nothing and prints the attempt', async () => {
    const { stateDir, sandbox, token, key } = await sandboxWithSession();
    try {
      const io = testContext({ env: { CST_STATE_DIR: stateDir } });
      await runLink(
        parseLinkOptions(token, { provider: 'workday', outcome: 'error', json: true }),
        io.ctx,
      );
      expect(JSON.parse(io.stdout())).toMatchObject({
        status: 'error',
        account_secure_id: null,
        oauth_error_code: 'access_denied',
      });
      expect(io.stdout()).not.toContain('session_id');
      const listed = await fetch(`${sandbox.baseUrl}/accounts?origin_owner_ids=c1`, {
        headers: { authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` },
      });
      expect(await listed.json()).toEqual([]);
    } finally {
      await sandbox.close();
    }
  });

  it('an unknown token is not_found, exit 6', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'cst-link-'));
    const io = testContext({ env: { CST_STATE_DIR: stateDir } });
    const error = await runLink(parseLinkOptions('tok_nope', { provider: 'x' }), io.ctx).then(
      () => undefined,
      (e: unknown) => e as CliError,
    );
    expect([error?.code, error?.exitCode]).toEqual(['not_found', 6]);
  });

  it('error and cancelled need no --provider; connecting does', async () => {
    const { stateDir, sandbox, token } = await sandboxWithSession();
    try {
      expect(() => parseLinkOptions(token, {})).toThrow(
        '--provider is required to connect (or pass --outcome error|cancelled)',
      );
      const io = testContext({ env: { CST_STATE_DIR: stateDir } });
      await runLink(parseLinkOptions(token, { outcome: 'cancelled', json: true }), io.ctx);
      expect(JSON.parse(io.stdout())).toMatchObject({ status: 'cancelled' });
    } finally {
      await sandbox.close();
    }
  });

  it('a provider not offered for the categories is a usage error; a decided session exit 12', async () => {
    const { stateDir, sandbox, token } = await sandboxWithSession();
    const failure = (flags: Parameters<typeof parseLinkOptions>[1]) =>
      runLink(
        parseLinkOptions(token, flags),
        testContext({ env: { CST_STATE_DIR: stateDir } }).ctx,
      ).then(
        () => undefined,
        (e: unknown) => e as CliError,
      );
    try {
      expect(await failure({ provider: 'greenhouse' })).toMatchObject({
        code: 'usage',
        exitCode: 2,
        message: expect.stringContaining(
          '--provider: provider "greenhouse" is not offered for this session (offered: bamboohr, personio, hibob, workday)',
        ) as unknown,
      });
      expect(await failure({ provider: 'bamboohr' })).toBeUndefined();
      const decided = await failure({ outcome: 'error' });
      expect([decided?.code, decided?.exitCode, decided?.message]).toEqual([
        'request_rejected',
        12,
        expect.stringMatching(
          /^the session is already decided \(authenticated\), account acc_\w+: nothing changed$/,
        ),
      ]);
    } finally {
      await sandbox.close();
    }
  });
});
