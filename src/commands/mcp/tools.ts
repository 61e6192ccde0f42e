// The tools `cst mcp` offers: each a name, its schemas (cst's own, see schema.ts), the protocol's
// annotations, and a handler over one fixed target. Handlers call session/, api/ and the ledger
// as the commands do; what they return is data, and a short text for clients that show text.
import * as z from 'zod/mini';
import {
  deleteAccount,
  getAccount,
  type LinkedAccount,
  linkedAccountSchema,
  listAccounts,
  redactAccount,
  updateAccount,
} from '../../api/accounts.js';
import { authenticateConnectSession } from '../../api/connect-sessions.js';
import { connectorProfileSchema, listConnectorProfiles } from '../../api/connector-profiles.js';
import type { ConnectSession } from '../../api/schemas.js';
import { type Connection, maxPages } from '../../connection/connection.js';
import type { Context } from '../../core/context.js';
import { CliError, ConfigError, UsageError } from '../../core/errors.js';
import { SESSION_STATES } from '../../ledger/states.js';
import { checkExpectedIds, issue } from '../../session/issue.js';
import { firstAfter } from '../../session/linked.js';
import { NoReadBack, readSession } from '../../session/read.js';
import {
  byState,
  filtersByState,
  type ListedSession,
  listSessions,
  summarize,
} from '../../session/report.js';
import {
  type Linked,
  recorded,
  type WaitPlan,
  waitForSession,
  waitForToken,
} from '../../session/wait.js';
import { createSessionInput } from './schema.js';

/** What every handler works with: one target, fixed when the server started. */
export interface ToolEnv {
  ctx: Context;
  connection: Connection;
  /** --expose-tokens: create_connect_session returns the token too. */
  exposeTokens: boolean;
  /** Tokens of the sessions this server created, for live status; never written anywhere. */
  tokens: Map<number, string>;
  intervalMs: number;
}

/** What the protocol gives a handler besides its arguments. */
export interface Call {
  signal: AbortSignal;
  /** A progress notification, when the client asked for them. */
  progress(progress: number, total: number | undefined, message: string): Promise<void>;
  /**
   * Asks the person at the client to confirm, where the client can; undefined when it cannot
   * (the tool's own arguments are then the confirmation).
   */
  confirm(message: string): Promise<boolean | undefined>;
}

export interface ToolResult {
  data: Record<string, unknown>;
  text: string;
}

export interface Tool {
  name: string;
  title: string;
  description: string;
  input: z.ZodMiniObject;
  output: z.ZodMiniObject;
  /** Changes something at StackOne: offered only with --allow-writes. */
  writes: boolean;
  readOnly: boolean;
  destructive: boolean;
  run(env: ToolEnv, args: Record<string, unknown>, call: Call): Promise<ToolResult>;
}

/** The longest wait_for_link may wait, and what it waits without a timeout argument. */
export const MAX_WAIT_SECONDS = 600;

/** Any number StackOne sent as an id: the spec does not say whole (see sessionIdFrom). */
const sessionId = z
  .number('must be a session id (a number)')
  .check(z.describe("the session's id, from create_connect_session or list_sessions"));
const accountId = z
  .string()
  .check(z.trim(), z.minLength(1, 'must not be empty'), z.describe("the linked account's id"));
const nullable = z.nullable(z.string());

/** A listing's `limit` argument: 1 to 1000, `fallback` when not given. */
const limitArg = (fallback: number) =>
  z.optional(
    z
      .int('must be a whole number')
      .check(
        z.minimum(1, 'must be at least 1'),
        z.maximum(1000, 'must be at most 1000'),
        z.describe(`at most this many (default ${fallback})`),
      ),
  );

const sessionView = z.object({
  session_id: z.number(),
  owner_id: z.string(),
  owner_name: z.string(),
  categories: z.array(z.string()),
  provider: nullable,
  label: nullable,
  created_at: z.string(),
  expires_at: nullable,
  state: z.string().check(z.describe(`one of ${SESSION_STATES.join(', ')}`)),
  linked_account_id: nullable,
  linked_at: nullable,
});
type SessionView = z.output<typeof sessionView>;

function view(row: ListedSession): SessionView {
  return {
    session_id: row.id,
    owner_id: row.owner_id,
    owner_name: row.owner_name,
    categories: row.categories,
    provider: row.provider,
    label: row.label,
    created_at: row.created_at,
    expires_at: row.expires_at,
    state: row.state,
    linked_account_id: row.linked_account_id,
    linked_at: row.linked_at,
  };
}

const accountView = linkedAccountSchema;

/** The session, from the ledger of this server's target only: another project's stays unseen. */
async function ledgerSession(env: ToolEnv, id: number): Promise<ListedSession> {
  const { rows } = await listSessions(
    env.connection.ledger,
    { id, target: env.connection.id, status: 'all', limit: 1, now: env.ctx.now().getTime() },
    false,
  );
  const row = rows[0];
  if (!row)
    throw new UsageError(`no session ${id} in this target's ledger`, {
      hint: 'list_sessions shows the sessions cst issued through this target',
    });
  return row;
}

const createConnectSession: Tool = {
  name: 'create_connect_session',
  title: 'Create a connect session',
  description:
    'Issue a StackOne connect session for a customer and return its auth link, to send to the customer so they can connect their account in the StackOne Hub. The session is recorded in the ledger.',
  input: createSessionInput,
  output: z.object({
    session_id: z.number(),
    auth_link_url: nullable,
    expires_at: nullable,
    origin_owner_id: z.string(),
    origin_owner_name: z.string(),
    categories: z.array(z.string()),
    token: z.optional(
      z.string().check(z.describe('only when the server runs with --expose-tokens')),
    ),
    warnings: z.array(z.string()),
  }),
  writes: false,
  readOnly: false,
  destructive: false,
  async run(env, args) {
    const body = Object.fromEntries(
      Object.entries(args).filter(([, value]) => value !== undefined),
    );
    const issued = await issue(env.ctx, env.connection, body, async () => {});
    const { session, record } = issued;
    env.tokens.set(session.id, session.token);
    const warnings: string[] = [];
    if (issued.unrecorded) warnings.push(issued.unrecorded.message);
    try {
      checkExpectedIds(env.connection.target, session);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      warnings.push(error.message);
    }
    const data = {
      session_id: session.id,
      auth_link_url: session.authLinkUrl,
      expires_at: record.expires_at,
      origin_owner_id: session.originOwnerId,
      origin_owner_name: record.owner_name,
      categories: record.categories,
      ...(env.exposeTokens ? { token: session.token } : {}),
      warnings,
    };
    return {
      data,
      text: `session ${session.id} for ${session.originOwnerId}: send the customer ${session.authLinkUrl ?? '(no auth link in the response)'}${record.expires_at ? ` before ${record.expires_at}` : ''}`,
    };
  },
};

const attemptView = z.nullable(
  z.object({
    status: z.string(),
    account_id: nullable,
    oauth_error_code: nullable,
    oauth_error_description: nullable,
    updated_at: nullable,
  }),
);

const getSessionStatus: Tool = {
  name: 'get_session_status',
  title: 'Get a session’s status',
  description:
    "What cst knows of a session (its state: pending, linked, failed, cancelled, expired) and, for a session this server created, StackOne's live latest connection attempt; for others, the customer's first account created after the session, if any.",
  input: z.object({ session_id: sessionId }),
  output: z.object({
    session: sessionView,
    live: z.object({
      source: z
        .string()
        .check(
          z.describe(
            'session (read back by id), token (by the token this server kept), accounts (the owner’s accounts), or none',
          ),
        ),
      latest_connection_attempt: attemptView,
      linked_account_id: nullable,
    }),
  }),
  writes: false,
  readOnly: true,
  destructive: false,
  async run(env, args) {
    const row = await ledgerSession(env, args.session_id as number);
    const live = await liveStatus(env, row);
    const linked = row.linked_account_id ?? live.linked_account_id;
    return {
      data: { session: view(row), live },
      text: `session ${row.id} (${row.owner_id}): ${row.state}${linked ? `, account ${linked}` : ''}${live.latest_connection_attempt ? `; latest attempt ${live.latest_connection_attempt.status}` : ''}`,
    };
  },
};

type Live = {
  source: string;
  latest_connection_attempt: z.output<typeof attemptView>;
  linked_account_id: string | null;
};

/**
 * What StackOne says of the session now: read back by id; where the deployment cannot, by the
 * token this server kept, else the owner's first account created after it.
 */
async function liveStatus(env: ToolEnv, row: ListedSession): Promise<Live> {
  const { client, target } = env.connection;
  const fromSession = (source: string, session: ConnectSession): Live => {
    const attempt = session.latestConnectionAttempt;
    return {
      source,
      latest_connection_attempt: attempt
        ? {
            status: attempt.status ?? 'pending',
            account_id: attempt.account_secure_id ?? null,
            oauth_error_code: attempt.oauth_error_code ?? null,
            oauth_error_description: attempt.oauth_error_description ?? null,
            updated_at: attempt.updated_at ?? null,
          }
        : null,
      linked_account_id: attempt?.account_secure_id ?? null,
    };
  };
  try {
    return fromSession('session', await readSession(client, target, row.id, row));
  } catch (error) {
    if (!(error instanceof NoReadBack)) throw error;
  }
  const token = env.tokens.get(row.id);
  if (token !== undefined && row.status === 'active')
    return fromSession('token', await authenticateConnectSession(client, token));
  if (row.state === 'linked')
    return { source: 'none', latest_connection_attempt: null, linked_account_id: null };
  const accounts = await listAccounts(
    client,
    { originOwnerIds: [row.owner_id] },
    { pageSize: 100, limit: Infinity, maxPages: maxPages(env.ctx) },
  );
  return {
    source: 'accounts',
    latest_connection_attempt: null,
    linked_account_id: firstAfter(accounts, row)?.id ?? null,
  };
}

const OUTCOMES = ['linked', 'failed', 'cancelled', 'expired', 'timed_out'] as const;
/** The wait's own endings, which are answers, not failures of the tool. */
const ENDINGS: Record<string, (typeof OUTCOMES)[number]> = {
  link_failed: 'failed',
  link_cancelled: 'cancelled',
  session_expired: 'expired',
  wait_timeout: 'timed_out',
};

const waitForLink: Tool = {
  name: 'wait_for_link',
  title: 'Wait for the customer to link',
  description: `Wait until the customer finishes the Hub for a session: linked (with the account id), failed, cancelled, expired, or timed_out. Sends progress notifications while it polls; cancel the call to stop. At most ${MAX_WAIT_SECONDS / 60} minutes a call: call it again to wait longer.`,
  input: z.object({
    session_id: sessionId,
    timeout_seconds: z.optional(
      z
        .int('must be whole seconds')
        .check(
          z.minimum(1, 'must be at least 1 second'),
          z.maximum(MAX_WAIT_SECONDS, `must be at most ${MAX_WAIT_SECONDS} seconds`),
          z.describe(`how long to wait (default and maximum ${MAX_WAIT_SECONDS})`),
        ),
    ),
  }),
  output: z.object({
    outcome: z.enum(OUTCOMES),
    session_id: z.number(),
    owner_id: z.string(),
    account_id: nullable,
    provider: nullable,
    account_status: nullable,
    message: z.string(),
  }),
  writes: false,
  readOnly: true,
  destructive: false,
  async run(env, args, call) {
    const row = await ledgerSession(env, args.session_id as number);
    const timeout = (args.timeout_seconds as number | undefined) ?? MAX_WAIT_SECONDS;
    const { ctx, connection } = env;
    const ended = (outcome: (typeof OUTCOMES)[number], message: string, linked?: Linked) => ({
      data: {
        outcome,
        session_id: row.id,
        owner_id: row.owner_id,
        account_id: linked?.account_id ?? null,
        provider: linked?.provider ?? null,
        account_status: linked?.account_status ?? null,
        message,
      },
      text: message,
    });
    if (row.state === 'linked' && row.linked_account_id)
      return ended('linked', `already linked: account ${row.linked_account_id}`, {
        method: 'account',
        session_id: row.id,
        owner_id: row.owner_id,
        account_id: row.linked_account_id,
        provider: null,
        account_status: null,
      });
    const plan: WaitPlan = {
      intervalMs: env.intervalMs,
      waitTimeoutMs: timeout * 1000,
      expiresAt: row.expires_at === null ? undefined : Date.parse(row.expires_at),
      known: { sessionId: row.id, ownerId: row.owner_id },
      sandbox: connection.id === 'sandbox',
      signal: call.signal,
      onPoll: (status, elapsedMs) =>
        void call
          .progress(Math.max(1, Math.round(elapsedMs / 1000)), timeout, status)
          .catch(() => undefined),
    };
    const token = env.tokens.get(row.id);
    try {
      const linked = await recorded(
        connection.ledger,
        connection.id,
        token === undefined
          ? waitForSession(ctx, connection.client, connection.target, row, plan)
          : waitForToken(ctx, connection.client, token, plan),
        ctx,
      );
      return ended(
        'linked',
        `linked: ${row.owner_id} connected ${linked.provider ?? 'an account'}: account ${linked.account_id}`,
        linked,
      );
    } catch (error) {
      const outcome = error instanceof CliError ? ENDINGS[error.code] : undefined;
      if (outcome === undefined || call.signal.aborted) throw error;
      return ended(outcome, (error as CliError).message);
    }
  },
};

const listSessionsTool: Tool = {
  name: 'list_sessions',
  title: 'List sessions',
  description:
    'The sessions cst issued through this target, newest first, with what became of each link (pending, linked, failed, cancelled, expired, undelivered).',
  input: z.object({
    owner_id: z.optional(
      z.string().check(z.minLength(1, 'must not be empty'), z.describe("only this customer's")),
    ),
    state: z.optional(
      z.array(z.enum(SESSION_STATES)).check(z.describe('only sessions in these states')),
    ),
    expiring_within_seconds: z.optional(
      z
        .int('must be whole seconds')
        .check(
          z.positive('must be positive'),
          z.describe('only pending sessions that expire within this many seconds'),
        ),
    ),
    limit: limitArg(20),
  }),
  output: z.object({ sessions: z.array(sessionView), total: z.number() }),
  writes: false,
  readOnly: true,
  destructive: false,
  async run(env, args) {
    const now = env.ctx.now().getTime();
    const limit = (args.limit as number | undefined) ?? 20;
    const filter = {
      states: args.state as ListedSession['state'][] | undefined,
      expiringMs:
        args.expiring_within_seconds === undefined
          ? undefined
          : (args.expiring_within_seconds as number) * 1000,
    };
    const listed = await listSessions(
      env.connection.ledger,
      {
        target: env.connection.id,
        ownerId: args.owner_id as string | undefined,
        status: 'all',
        limit,
        now,
      },
      filtersByState(filter),
    );
    const { rows, total } = filtersByState(filter)
      ? byState(listed.rows, filter, limit, now)
      : listed;
    const sessions = rows.map(view);
    return {
      data: { sessions, total },
      text:
        sessions.length === 0
          ? 'no sessions match'
          : `${sessions.length} of ${total}:\n${sessions.map((s) => `${s.session_id} ${s.owner_id} ${s.state}${s.linked_account_id ? ` ${s.linked_account_id}` : ''}`).join('\n')}`,
    };
  },
};

const summaryRow = z.object({
  where: z.string(),
  issued: z.number(),
  linked: z.number(),
  pending: z.number(),
  failed: z.number(),
  expired: z.number(),
  link_rate: z.number(),
  median_seconds_to_link: z.nullable(z.number()),
});

/** The funnel of this target's sessions, as `cst list --summary` gives it. */
export async function summaryOf(env: ToolEnv) {
  const { rows } = await listSessions(
    env.connection.ledger,
    { target: env.connection.id, status: 'all', limit: Infinity, now: env.ctx.now().getTime() },
    true,
  );
  return summarize(rows);
}

const sessionSummary: Tool = {
  name: 'session_summary',
  title: 'Session funnel',
  description:
    'How many sessions this target issued, and how many were linked, are pending, failed or expired unlinked; the link rate and the median time to link.',
  input: z.object({}),
  output: z.object({ summary: z.array(summaryRow) }),
  writes: false,
  readOnly: true,
  destructive: false,
  async run(env) {
    const summary = await summaryOf(env);
    return {
      data: { summary },
      text:
        summary.length === 0
          ? 'no sessions issued yet'
          : summary
              .map(
                (s) =>
                  `${s.where}: ${s.issued} issued, ${s.linked} linked (${Math.round(s.link_rate * 100)}%), ${s.pending} pending, ${s.failed} failed, ${s.expired} expired unlinked`,
              )
              .join('\n'),
    };
  },
};

const accountLine = (a: LinkedAccount) =>
  `${a.id} ${a.provider} ${a.origin_owner_id} ${a.status}${a.label ? ` "${a.label}"` : ''}`;

const listAccountsTool: Tool = {
  name: 'list_accounts',
  title: 'List linked accounts',
  description:
    "StackOne's linked accounts of this target, credentials redacted; filter by owner, provider or status.",
  input: z.object({
    owner_id: z.optional(z.string().check(z.minLength(1), z.describe("only this customer's"))),
    provider: z.optional(
      z.string().check(z.minLength(1), z.describe('only this provider (e.g. bamboohr)')),
    ),
    status: z.optional(
      z.string().check(z.minLength(1), z.describe('only this status (e.g. active)')),
    ),
    limit: limitArg(50),
  }),
  output: z.object({ accounts: z.array(accountView), truncated: z.boolean() }),
  writes: false,
  readOnly: true,
  destructive: false,
  async run(env, args) {
    const limit = (args.limit as number | undefined) ?? 50;
    const one = (value: unknown) => (value === undefined ? undefined : [value as string]);
    const found = await listAccounts(
      env.connection.client,
      {
        originOwnerIds: one(args.owner_id),
        providers: one(args.provider),
        status: one(args.status),
      },
      { pageSize: Math.min(100, limit + 1), limit: limit + 1, maxPages: maxPages(env.ctx) },
    );
    const accounts = found.slice(0, limit).map((a) => redactAccount(a, false));
    return {
      data: { accounts, truncated: found.length > limit },
      text: accounts.length === 0 ? 'no accounts match' : accounts.map(accountLine).join('\n'),
    };
  },
};

const listConnectorProfilesTool: Tool = {
  name: 'list_connector_profiles',
  title: 'List connector profiles',
  description:
    "This target's connector profiles (StackOne since 2026-06): which connectors the project offers, enabled or not, and the version each uses. A profile's id goes in create_connect_session's connector_profile_id.",
  input: z.object({
    connector: z.optional(
      z
        .string()
        .check(z.minLength(1), z.describe('only profiles of this connector (e.g. bamboohr)')),
    ),
    enabled: z.optional(z.boolean().check(z.describe('true: enabled only; false: disabled only'))),
    limit: limitArg(50),
  }),
  output: z.object({ profiles: z.array(connectorProfileSchema), total: z.number() }),
  writes: false,
  readOnly: true,
  destructive: false,
  async run(env, args) {
    const limit = (args.limit as number | undefined) ?? 50;
    const { profiles, total } = await listConnectorProfiles(
      env.connection.client,
      {
        connectorKey: args.connector as string | undefined,
        enabled: args.enabled as boolean | undefined,
      },
      { pageSize: Math.min(100, limit), limit, maxPages: maxPages(env.ctx) },
    );
    return {
      data: { profiles, total },
      text:
        profiles.length === 0
          ? 'no connector profiles match'
          : profiles
              .map(
                (p) =>
                  `${p.id}: ${p.connector_key} (${p.categories.join(',')}), ${p.active ? 'enabled' : 'disabled'}, version ${p.connector_pinned_version ?? p.connector_version ?? 'latest'}${p.connector_pinned_version ? ' (pinned)' : ''}`,
              )
              .join('\n'),
    };
  },
};

const oneAccountOutput = z.object({ account: accountView });

const getAccountTool: Tool = {
  name: 'get_account',
  title: 'Get a linked account',
  description: 'One linked account, credentials redacted.',
  input: z.object({ account_id: accountId }),
  output: oneAccountOutput,
  writes: false,
  readOnly: true,
  destructive: false,
  async run(env, args) {
    const account = redactAccount(
      await getAccount(env.connection.client, args.account_id as string),
      false,
    );
    return { data: { account }, text: accountLine(account) };
  },
};

const updateAccountTool: Tool = {
  name: 'update_account',
  title: 'Relabel a linked account',
  description: "Set a linked account's label (PATCH /accounts/{id}).",
  input: z.object({
    account_id: accountId,
    label: z.string().check(z.describe('the new label')),
  }),
  output: oneAccountOutput,
  writes: true,
  readOnly: false,
  destructive: false,
  async run(env, args) {
    const account = redactAccount(
      await updateAccount(env.connection.client, args.account_id as string, {
        label: args.label,
      }),
      false,
    );
    return { data: { account }, text: `updated: ${accountLine(account)}` };
  },
};

const deleteAccountTool: Tool = {
  name: 'delete_account',
  title: 'Delete a linked account',
  description:
    'Delete a linked account: the customer has to connect again. `confirm` must repeat the account id; a client that can ask its user asks too.',
  input: z.object({
    account_id: accountId,
    confirm: z.string().check(z.describe('the account id again, to confirm')),
  }),
  output: z.object({ deleted: z.boolean(), account: z.nullable(accountView) }),
  writes: true,
  readOnly: false,
  destructive: true,
  async run(env, args, call) {
    const id = args.account_id as string;
    if (args.confirm !== id)
      throw new UsageError(`confirm must be the account id (${id}) to delete it`, {
        hint: 'nothing was deleted',
      });
    const asked = await call.confirm(
      `Delete linked account ${id}? The customer will have to connect again.`,
    );
    if (asked === false)
      return { data: { deleted: false, account: null }, text: 'declined: nothing deleted' };
    const account = redactAccount(await deleteAccount(env.connection.client, id), false);
    return { data: { deleted: true, account }, text: `deleted: ${accountLine(account)}` };
  },
};

export const TOOLS: readonly Tool[] = [
  createConnectSession,
  getSessionStatus,
  waitForLink,
  listSessionsTool,
  sessionSummary,
  listAccountsTool,
  getAccountTool,
  listConnectorProfilesTool,
  updateAccountTool,
  deleteAccountTool,
];

export const TOOL_NAMES: readonly string[] = TOOLS.map((tool) => tool.name);
