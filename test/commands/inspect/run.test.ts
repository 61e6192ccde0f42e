// Level B: runInspect in-process against a scripted StackOne handed over by the context.
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { parseInspectOptions } from '../../../src/commands/inspect/options.js';
import { runInspect } from '../../../src/commands/inspect/run.js';
import { CliError } from '../../../src/core/errors.js';
import { testContext } from '../../helpers/context.js';
import {
  type Reply,
  SESSION_BODY,
  scriptedServer,
  type ScriptedServer,
} from '../../helpers/scripted-server.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const { token: _token, auth_link_url: _link, ...SESSION } = SESSION_BODY;

async function inspect(reply: Reply, argument: string | undefined, flags: object) {
  server = await scriptedServer([reply]);
  const io = testContext({ api: { baseUrl: server.baseUrl } });
  if (argument === undefined) {
    const stdin = io.ctx.stdin as PassThrough;
    stdin.end('tok_secret_from_stdin\n');
  }
  const error = await runInspect(
    parseInspectOptions(argument, { timeout: '5s', ...flags }),
    io.ctx,
  ).then(
    () => undefined,
    (e: unknown) => e as CliError,
  );
  return { ...io, error };
}

describe('runInspect', () => {
  it('sends the token from stdin to authenticate and prints the session, no token in it', async () => {
    const { stdout, stderr, error } = await inspect({ status: 201, body: SESSION }, undefined, {
      tokenStdin: true,
      json: true,
    });
    expect(error).toBeUndefined();
    expect(server!.requests[0]!.url).toBe('/connect_sessions/authenticate');
    expect(JSON.parse(server!.requests[0]!.body)).toEqual({ token: 'tok_secret_from_stdin' });
    expect(JSON.parse(stdout())).toMatchObject({ id: 42, origin_owner_id: 'cus_1' });
    expect(stdout() + stderr()).not.toContain('tok_secret_from_stdin');
    expect(stderr()).toBe('');
  });

  it('a token given as an argument works, with a warning about shell history', async () => {
    const { stdout, stderr } = await inspect({ status: 201, body: SESSION }, 'tok_arg', {
      field: 'origin_owner_name',
    });
    expect(stdout()).toBe('Acme Ltd');
    expect(stderr()).toContain('lands in shell history; prefer --token-stdin');
  });

  it('an unknown or expired token is not_found (exit 6), the token never in the message', async () => {
    const { error } = await inspect(
      { status: 404, body: { statusCode: 404, message: 'Not Found', timestamp: '' } },
      'tok_gone',
      {},
    );
    expect([error?.code, error?.exitCode, error?.message]).toEqual([
      'not_found',
      6,
      'token unknown or expired',
    ]);
  });
});
