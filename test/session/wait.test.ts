// Level B: the wait engine in-process, on a fake clock: real HTTP to a scripted StackOne on
// loopback, but every sleep and every deadline on the context's timer, so minutes of waiting
// take no time and the test asserts on what happened, not on how long it took.
import { Agent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiClient } from '../../src/api/client.js';
import { CliError } from '../../src/core/errors.js';
import { waitForToken } from '../../src/session/wait.js';
import { testContext } from '../helpers/context.js';
import { fakeClock } from '../helpers/fake-clock.js';
import {
  type Reply,
  SESSION_BODY,
  scriptedServer,
  type ScriptedServer,
} from '../helpers/scripted-server.js';

const T0 = Date.parse('2026-11-25T10:00:00.000Z');

const servers: ScriptedServer[] = [];
const agents: Agent[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await Promise.all(agents.splice(0).map((a) => a.close()));
});

const attempt = (status: string | null, account: string | null = null) => ({
  status: 201,
  body: {
    ...SESSION_BODY,
    latest_connection_attempt: {
      id: 'att_1',
      created_at: null,
      updated_at: null,
      status,
      account_secure_id: account,
      oauth_error_code: null,
      oauth_error_description: null,
    },
  },
});

async function waitWith(replies: Reply[], plan: { waitTimeoutMs: number; expiresAt?: number }) {
  const server = await scriptedServer(replies, { repeatLast: true });
  servers.push(server);
  const clock = fakeClock(T0);
  const { ctx } = testContext({ now: clock.now, timer: clock.timer });
  const dispatcher = new Agent();
  agents.push(dispatcher);
  const client = new ApiClient({
    baseUrl: server.baseUrl,
    apiKey: 'key_test_123',
    dispatcher,
    userAgent: 'cst/test',
    timeoutMs: 2000,
  });
  const outcome = await waitForToken(ctx, client, 'tok_abc123', {
    intervalMs: 3000,
    waitTimeoutMs: plan.waitTimeoutMs,
    expiresAt: plan.expiresAt,
    sandbox: false,
  }).then(
    (linked) => ({ linked, error: undefined }),
    (error: unknown) => ({ linked: undefined, error: error as CliError }),
  );
  const polls = server.requests.filter((r) => r.url === '/connect_sessions/authenticate').length;
  return { ...outcome, polls, elapsed: clock.elapsed() };
}

describe('waiting for the customer, on the context clock', () => {
  it('polls at the interval until the attempt is authenticated with an account', async () => {
    const account = {
      status: 200,
      body: {
        id: 'acc_9',
        provider: 'bamboohr',
        status: 'active',
        origin_owner_id: 'cus_1',
        origin_owner_name: 'Acme Ltd',
        created_at: '2026-11-25T10:00:07.000Z',
        updated_at: '2026-11-25T10:00:07.000Z',
      },
    };
    const result = await waitWith(
      [attempt('pending'), attempt('pending'), attempt('authenticated', 'acc_9'), account],
      { waitTimeoutMs: 900_000 },
    );
    expect(result.linked).toMatchObject({ method: 'token', session_id: 42, account_id: 'acc_9' });
    expect(result.polls).toBe(3);
    // Two sleeps of the interval, give or take the ±10% jitter.
    expect(result.elapsed).toBeGreaterThanOrEqual(2 * 2700);
    expect(result.elapsed).toBeLessThanOrEqual(2 * 3300);
  });

  it('gives up at --wait-timeout, saying how long it waited and how to wait again', async () => {
    const result = await waitWith([attempt('pending')], { waitTimeoutMs: 10_000 });
    expect(result.error?.code).toBe('wait_timeout');
    expect(result.error?.message).toBe(
      'still waiting for the customer after 10s (session 42, cus_1)',
    );
    expect(result.error?.hint).toBe(
      "'cst wait --session 42' again later, or raise --wait-timeout (0: until the link expires)",
    );
    expect(result.elapsed).toBe(10_000);
    expect(result.polls).toBeGreaterThanOrEqual(4);
  });

  it('an attempt whose status is null (the 2026-06 SDK types it nullable) is pending, not malformed', async () => {
    const result = await waitWith([attempt(null)], { waitTimeoutMs: 10_000 });
    expect(result.error?.code).toBe('wait_timeout');
    expect(result.error?.message).toBe(
      'still waiting for the customer after 10s (session 42, cus_1)',
    );
  });

  it('authenticated without an account is not a success: polled to the deadline, then said so', async () => {
    const result = await waitWith([attempt('authenticated', null)], { waitTimeoutMs: 10_000 });
    expect(result.linked).toBeUndefined();
    expect(result.error?.code).toBe('wait_timeout');
    expect(result.error?.message).toBe(
      'the link attempt reported success but no account yet after 10s (session 42, cus_1)',
    );
    expect(result.polls).toBeGreaterThanOrEqual(4);
  });

  it('never polls past the link expiry: the outcome is expired, with the reissue hint', async () => {
    const result = await waitWith([attempt('pending')], {
      waitTimeoutMs: 0,
      expiresAt: T0 + 7_000,
    });
    expect(result.error?.code).toBe('session_expired');
    expect(result.error?.hint).toBe("'cst create --from-session 42' issues a new link");
    expect(result.elapsed).toBe(7_000);
  });
});
