// Following a session from issued to connected: poll POST /connect_sessions/authenticate (by
// token) or GET /connect_sessions/{id} (by the ledger's id) and read latest_connection_attempt;
// where a deployment cannot read sessions back, watch for the owner's linked account. Shared by
// `cst wait`, `cst create --wait` and `cst mcp`.
import { getAccount, listAccounts } from '../api/accounts.js';
import { AbandonedError, type ApiClient } from '../api/client.js';
import { authenticateConnectSession } from '../api/connect-sessions.js';
import type { ConnectSession } from '../api/schemas.js';
import type { Context } from '../core/context.js';
import { ApiError, CliError, NetworkError, PASSING_CODES } from '../core/errors.js';
import type { LedgerRecord } from '../ledger/record.js';
import type { Ledger } from '../ledger/ledger.js';
import type { OutcomeRecord } from '../ledger/store.js';
import { note, warn } from '../core/output/messages.js';
import { visible } from '../core/errors.js';
import { type Connection, maxPages } from '../connection/connection.js';
import type { Issued } from './issue.js';
import { MAX_TIMER_MS } from '../core/util/duration.js';
import { firstAfter } from './linked.js';
import { NoReadBack, readSession } from './read.js';
import type { Target } from '../config/target.js';

export interface WaitPlan {
  intervalMs: number;
  /** 0: until the session expires. */
  waitTimeoutMs: number;
  /** When the session expires, when cst knows (its ledger record, or the create it just made). */
  expiresAt: number | undefined;
  /** The session, when cst knows it before the first answer: errors can name it. */
  known?: { sessionId: number; ownerId: string } | undefined;
  /** The session is the sandbox's: the commands hints name need --sandbox to run as printed. */
  sandbox: boolean;
  /** Ends the wait early, as its deadline would: an MCP client that cancels the call. */
  signal?: AbortSignal | undefined;
  /** Each poll's answer, for whoever shows progress other than the terminal's status line. */
  onPoll?: ((status: string, elapsedMs: number) => void) | undefined;
}

/** A command as a hint names it: runnable as printed. */
function command(plan: WaitPlan, args: string): string {
  return `'cst ${args}${plan.sandbox ? ' --sandbox' : ''}'`;
}

export interface Linked {
  /** How cst learned it: the token's session, the session read back by id, the owner's accounts. */
  method: 'token' | 'session' | 'account';
  session_id: number;
  owner_id: string;
  account_id: string;
  provider: string | null;
  account_status: string | null;
}

/** How long a poll may be late: a sleep ends on a timer, not on the dot. */
const JITTER = 0.2;

/** The token's session, polled until its latest attempt is final. */
export function waitForToken(
  ctx: Context,
  client: ApiClient,
  token: string,
  plan: WaitPlan,
): Promise<Linked> {
  return pollSession(ctx, client, plan, {
    read: (bounded) => authenticateConnectSession(bounded, token),
    method: 'token',
  });
}

/**
 * A ledger session read back by its id (GET /connect_sessions/{id}) until its latest attempt is
 * final. Where the deployment cannot read sessions back, says so once and watches the owner's
 * accounts instead, as cst did before StackOne had the endpoint.
 */
export async function waitForSession(
  ctx: Context,
  client: ApiClient,
  target: Target,
  record: LedgerRecord,
  plan: WaitPlan,
): Promise<Linked> {
  try {
    return await pollSession(ctx, client, plan, {
      read: (bounded) => readSession(bounded, target, record.id, record),
      method: 'session',
    });
  } catch (error) {
    if (!(error instanceof NoReadBack)) throw error;
    note(
      ctx,
      `${error.message}: waiting for the first account of ${record.owner_id} created after session ${record.id}`,
    );
    return waitForAccount(ctx, client, record, plan);
  }
}

async function pollSession(
  ctx: Context,
  client: ApiClient,
  plan: WaitPlan,
  source: {
    read: (bounded: ApiClient) => Promise<ConnectSession>;
    /** By token, a 404 means StackOne forgot it: the session expired, or it was never one. */
    method: 'token' | 'session';
  },
): Promise<Linked> {
  const clock = new Clock(ctx, plan);
  const bounded = clock.bound(client);
  let seen: ConnectSession | undefined;
  let lastFailure: CliError | undefined;
  let failures = 0;
  try {
    for (;;) {
      let session: ConnectSession;
      try {
        session = await source.read(bounded);
        failures = 0;
      } catch (error) {
        if (error instanceof AbandonedError) throw error;
        if (source.method === 'token' && error instanceof ApiError && error.status === 404) {
          // StackOne forgets a token when its session expires.
          if (seen || clock.expired())
            throw expired(
              plan,
              seen?.id ?? plan.known?.sessionId,
              seen?.originOwnerId ?? plan.known?.ownerId,
            );
          throw new ApiError('token unknown or expired', 'not_found', {
            status: 404,
          });
        }
        if (!transient(error)) throw error;
        lastFailure = error;
        failures++;
        // Past the link's expiry, the outcome is known whatever the network says.
        if (clock.expired())
          throw expired(
            plan,
            seen?.id ?? plan.known?.sessionId,
            seen?.originOwnerId ?? plan.known?.ownerId,
          );
        if (clock.atDeadline()) throw error;
        await clock.sleep(Math.min(30_000, plan.intervalMs * 2 ** failures));
        continue;
      }
      seen = session;
      const attempt = session.latestConnectionAttempt;
      // StackOne fills account_secure_id only once the account exists: until then, not final.
      const accountId = attempt?.account_secure_id;
      clock.show(
        session.originOwnerName,
        session.originOwnerId,
        attempt === null
          ? 'not opened'
          : attempt.status === 'authenticated' && !accountId
            ? 'authenticated, no account yet'
            : // The newest SDK types status nullable: an attempt with no status yet is pending.
              (attempt.status ?? 'pending'),
      );
      switch (attempt?.status) {
        case 'authenticated':
          if (accountId) return await linkedAccount(bounded, session, accountId, source.method);
          clock.successWithoutAccount = true;
          break;
        case 'error':
          throw new LinkEnded(
            `the customer's link failed: ${[attempt.oauth_error_code, attempt.oauth_error_description].filter(Boolean).join(': ') || 'no reason given'} (session ${session.id}, ${session.originOwnerId})`,
            'link_failed',
            session.id,
            plan,
          );
        case 'cancelled':
          throw new LinkEnded(
            `the customer cancelled the link (session ${session.id}, ${session.originOwnerId})`,
            'link_cancelled',
            session.id,
            plan,
          );
        case 'expired':
          throw expired(plan, session.id, session.originOwnerId);
      }
      if (clock.expired()) throw expired(plan, session.id, session.originOwnerId);
      if (clock.atDeadline()) throw clock.timedOut(session.id, session.originOwnerId);
      await clock.sleep(plan.intervalMs);
    }
  } catch (error) {
    // The deadline ended a request in flight: the wait's own outcome, not that request's.
    const abandoned = error instanceof AbandonedError;
    if (abandoned) {
      const id = seen?.id ?? plan.known?.sessionId;
      const owner = seen?.originOwnerId ?? plan.known?.ownerId;
      if (clock.expired()) throw expired(plan, id, owner);
      if (failures === 0 || !lastFailure) throw clock.timedOut(id, owner);
    }
    const reported = abandoned ? lastFailure : error;
    if (reported === lastFailure && reported instanceof NetworkError)
      throw new NetworkError(`${reported.message}; gave up waiting`, reported.code, {
        hint: reported.hint,
      });
    throw reported;
  } finally {
    clock.done();
  }
}

/** A ledger session: no token, so the owner's first account created after it is the link. */
export async function waitForAccount(
  ctx: Context,
  client: ApiClient,
  record: LedgerRecord,
  plan: WaitPlan,
): Promise<Linked> {
  const clock = new Clock(ctx, plan);
  const bounded = clock.bound(client);
  let lastFailure: CliError | undefined;
  try {
    for (let failures = 0; ;) {
      let found;
      try {
        const accounts = await listAccounts(
          bounded,
          { originOwnerIds: [record.owner_id] },
          { pageSize: 100, limit: Infinity, maxPages: maxPages(ctx) },
        );
        found = firstAfter(accounts, record);
        failures = 0;
        lastFailure = undefined;
      } catch (error) {
        if (error instanceof AbandonedError) {
          if (clock.expired()) throw expired(plan, record.id, record.owner_id);
          throw lastFailure ?? clock.timedOut(record.id, record.owner_id);
        }
        if (!transient(error) || clock.atDeadline()) throw error;
        lastFailure = error;
        failures++;
        await clock.sleep(Math.min(30_000, plan.intervalMs * 2 ** failures));
        continue;
      }
      clock.show(record.owner_name, record.owner_id, found ? 'linked' : 'no account yet');
      if (found)
        return {
          method: 'account',
          session_id: record.id,
          owner_id: record.owner_id,
          account_id: found.id,
          provider: found.provider,
          account_status: found.status,
        };
      if (clock.expired()) throw expired(plan, record.id, record.owner_id);
      if (clock.atDeadline()) throw clock.timedOut(record.id, record.owner_id);
      await clock.sleep(plan.intervalMs);
    }
  } finally {
    clock.done();
  }
}

async function linkedAccount(
  client: ApiClient,
  session: ConnectSession,
  accountId: string,
  method: Linked['method'],
): Promise<Linked> {
  const account = await getAccount(client, accountId);
  return {
    method,
    session_id: session.id,
    owner_id: session.originOwnerId,
    account_id: account.id,
    provider: account.provider,
    account_status: account.status,
  };
}

/** The customer finished the Hub without an account: exit 13. */
class LinkEnded extends CliError {
  constructor(
    message: string,
    code: 'link_failed' | 'link_cancelled',
    readonly sessionId: number,
    plan: WaitPlan,
  ) {
    super(message, code, {
      hint: `${command(plan, `create --from-session ${sessionId}`)} issues a new link`,
    });
  }
}

/** Worth polling again: the network, a 5xx, a 408, or a 429 after the client's own retries. */
function transient(error: unknown): error is CliError {
  return error instanceof CliError && PASSING_CODES.has(error.code);
}

function expired(
  plan: WaitPlan,
  sessionId: number | undefined,
  owner: string | undefined,
): CliError {
  return new CliError(
    `the session expired before the customer linked an account${sessionId === undefined ? '' : ` (session ${sessionId}, ${owner})`}`,
    'session_expired',
    {
      hint:
        sessionId === undefined
          ? 'issue a new link with cst create'
          : `${command(plan, `create --from-session ${sessionId}`)} issues a new link`,
    },
  );
}

/** Deadlines, sleeps with jitter, and one status line on a terminal. */
class Clock {
  private readonly started: number;
  private readonly deadline: number;
  private readonly stop = new AbortController();
  private readonly cancelAlarm: (() => void) | undefined;
  private readonly now = () => this.ctx.now().getTime();
  /** The last poll said authenticated, but named no account. */
  successWithoutAccount = false;

  constructor(
    private readonly ctx: Context,
    private readonly plan: WaitPlan,
  ) {
    this.started = ctx.now().getTime();
    const byTimeout = plan.waitTimeoutMs === 0 ? Infinity : this.started + plan.waitTimeoutMs;
    this.deadline = Math.min(byTimeout, plan.expiresAt ?? Infinity);
    // The deadline is hard: it aborts the poll in flight, whatever the server does. One further
    // away than a timer can reach is left to the loop's own checks.
    const left = this.deadline - this.started;
    if (left <= MAX_TIMER_MS)
      this.cancelAlarm = ctx.timer.after(Math.max(0, left), () => this.stop.abort());
    const { signal } = plan;
    if (signal?.aborted) this.stop.abort();
    signal?.addEventListener('abort', () => this.stop.abort(), { once: true });
  }

  /** The client, with every request ending at the deadline. */
  bound(client: ApiClient): ApiClient {
    return client.until(this.stop.signal);
  }

  expired(): boolean {
    return this.plan.expiresAt !== undefined && this.now() >= this.plan.expiresAt;
  }

  atDeadline(): boolean {
    return this.now() >= this.deadline;
  }

  timedOut(sessionId: number | undefined, owner: string | undefined): CliError {
    const what = this.successWithoutAccount
      ? 'the link attempt reported success but no account yet'
      : 'still waiting for the customer';
    return new CliError(
      `${what} after ${formatDuration(this.now() - this.started)}${sessionId === undefined ? '' : ` (session ${sessionId}, ${owner})`}`,
      'wait_timeout',
      {
        hint: `${sessionId === undefined ? 'run it' : command(this.plan, `wait --session ${sessionId}`)} again later, or raise --wait-timeout (0: until the link expires)`,
      },
    );
  }

  /** Never past the deadline: the last poll happens at it, or at once when the wait is stopped. */
  sleep(ms: number): Promise<void> {
    const jittered = ms * (1 - JITTER / 2 + Math.random() * JITTER);
    const wait = Math.max(0, Math.min(jittered, this.deadline - this.now()));
    const stop = this.stop.signal;
    if (stop.aborted) return Promise.resolve();
    let early = () => {};
    const stopped = new Promise<void>((resolve) => (early = resolve));
    stop.addEventListener('abort', early, { once: true });
    return Promise.race([this.ctx.timer.sleep(wait), stopped]).finally(() =>
      stop.removeEventListener('abort', early),
    );
  }

  show(name: string, owner: string, status: string): void {
    this.plan.onPoll?.(status, this.now() - this.started);
    if (!this.ctx.stderr.isTTY) return;
    const left =
      this.plan.expiresAt === undefined
        ? ''
        : ` · link expires in ${formatDuration(Math.max(0, this.plan.expiresAt - this.now()))}`;
    this.ctx.status.draw(
      `waiting for ${visible(name)} (${visible(owner)}): ${visible(status)} · ${formatDuration(this.now() - this.started)}${left}`,
    );
  }

  done(): void {
    this.cancelAlarm?.();
    this.ctx.status.clear();
  }
}

/** 42s, 3m05s, 1h02m. */
function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

/** So that `cst list` knows what became of the session without asking StackOne again. */
export async function recordOutcome(
  ledger: Ledger,
  target: string,
  outcome: Pick<OutcomeRecord, 'session_id' | 'outcome' | 'account_id'>,
  ctx: Context,
): Promise<void> {
  try {
    await ledger.appendOutcome({ v: 1, target, ...outcome, at: ctx.now().toISOString() });
  } catch (error) {
    warn(ctx, `the outcome is not recorded in the ledger: ${(error as Error).message}`);
  }
}

/**
 * A wait, and what became of the session recorded in `ledger`: linked with its account, or a
 * link that failed or was cancelled (its error then goes on to the caller).
 */
export async function recorded(
  ledger: Ledger,
  target: string,
  waiting: Promise<Linked>,
  ctx: Context,
): Promise<Linked> {
  let linked: Linked;
  try {
    linked = await waiting;
  } catch (error) {
    if (error instanceof LinkEnded) {
      const outcome = error.code === 'link_failed' ? 'failed' : 'cancelled';
      await recordOutcome(
        ledger,
        target,
        { session_id: error.sessionId, outcome, account_id: null },
        ctx,
      );
    }
    throw error;
  }
  const { session_id, account_id } = linked;
  await recordOutcome(ledger, target, { session_id, outcome: 'linked', account_id }, ctx);
  return linked;
}

/** Waits for the customer of a session just issued, and records what became of it. */
export async function waitForIssued(
  ctx: Context,
  connection: Connection,
  { session, record }: Issued,
  plan: { intervalMs: number; waitTimeoutMs: number },
): Promise<Linked> {
  const waiting = waitForToken(ctx, connection.client, session.token, {
    ...plan,
    expiresAt: record.expires_at === null ? undefined : Date.parse(record.expires_at),
    known: { sessionId: session.id, ownerId: session.originOwnerId },
    sandbox: connection.id === 'sandbox',
  });
  return recorded(connection.ledger, connection.id, waiting, ctx);
}
