// A StackOne-compatible HTTP server on loopback, speaking the platform API's connect-session
// routes exactly as the spec describes them: Basic auth, snake_case bodies, the spec's error
// bodies, and StackOne's rate limit of 1000 requests per minute per key.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_EXPIRES_IN_SECONDS } from '../api/constants.js';
import {
  DecidedError,
  decidedPage,
  errorPage,
  finishAttempt,
  hubPage,
  liveSession,
  openAttempt,
  type Outcome,
  resultPage,
  UnofferedProviderError,
} from './hub.js';
import {
  hashToken,
  type SandboxAttempt,
  type SandboxProject,
  type SandboxSession,
  type SandboxState,
  SandboxStore,
  UnknownTokenError,
} from './state.js';
import { ECHOED_FIELDS, validateCreate } from './validate.js';
import { REAL_TIMER } from '../core/context.js';
import { lockClock } from '../core/util/lock.js';
import { errorBody, HttpError, readJson, readText, send, sendHtml } from './http.js';
import { accountRoutes } from './accounts.js';
import { connectorProfileRoutes } from './connector-profiles.js';
import { AFTER_ACTING, type FaultOptions, FaultPlan } from './faults.js';
import { injectAfter, injectBefore, stats } from './misbehave.js';
import { Redactor } from '../core/util/redact.js';

export interface SandboxOptions {
  stateDir: string;
  port?: number;
  rateLimitPerMinute?: number;
  faults?: FaultOptions;
  now?: () => Date;
  /** Each answered request: method, path without its query (a Hub link holds a token), status. */
  onRequest?: (entry: { method: string; path: string; status: number; ms: number }) => void;
}

export interface RunningSandbox {
  baseUrl: string;
  store: SandboxStore;
  close(): Promise<void>;
}

/** What every route works over. */
interface Sandbox {
  store: SandboxStore;
  now: () => Date;
  limiter: RateLimiter;
  accounts: ReturnType<typeof accountRoutes>;
  profiles: ReturnType<typeof connectorProfileRoutes>;
  faults: FaultPlan;
  /** The request log shows paths only, but a client can put anything in a path: cut from it. */
  redactor: Redactor;
  /** Known once the server listens. */
  baseUrl: string;
  allowedHosts: Set<string>;
}

export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  const now = options.now ?? (() => new Date());
  const store = new SandboxStore(options.stateDir, lockClock({ now, timer: REAL_TIMER }));
  const sandbox: Sandbox = {
    store,
    now,
    limiter: new RateLimiter(options.rateLimitPerMinute ?? 1000),
    accounts: accountRoutes(store, now),
    profiles: connectorProfileRoutes(store, now),
    faults: new FaultPlan(options.faults),
    redactor: new Redactor(),
    baseUrl: '',
    allowedHosts: new Set<string>(),
  };
  // The keys and the tokens this server issued are cut from the request log.
  for (const project of (await store.read()).organizations.flatMap((org) => org.projects))
    sandbox.redactor.addApiKey(project.apiKey);
  const server = createServer((request, response) => {
    // A browser opening the Hub asks for a favicon: no content, and no line in the log.
    if (request.method === 'GET' && request.url === '/favicon.ico') {
      response.writeHead(204, { 'cache-control': 'max-age=86400' }).end();
      return;
    }
    if (options.onRequest) logRequest(sandbox, request, response, options.onRequest);
    // Whatever goes wrong in one request is that request's 500, never the server's end.
    serve(sandbox, request, response).catch(() => {
      if (!response.headersSent)
        send(response, 500, errorBody(500, 'Internal server error', now()));
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  sandbox.baseUrl = `http://127.0.0.1:${port}`;
  for (const name of ['127.0.0.1', 'localhost', '[::1]'])
    sandbox.allowedHosts.add(`${name}:${port}`);
  return {
    baseUrl: sandbox.baseUrl,
    store,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function logRequest(
  { redactor }: Sandbox,
  request: IncomingMessage,
  response: ServerResponse,
  onRequest: NonNullable<SandboxOptions['onRequest']>,
): void {
  const started = performance.now();
  response.once('finish', () =>
    onRequest({
      method: request.method ?? '?',
      path: redactor.text(new URL(request.url ?? '/', 'http://sandbox').pathname),
      status: response.statusCode,
      ms: Math.round(performance.now() - started),
    }),
  );
}

async function serve(
  sandbox: Sandbox,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const { store, now, faults } = sandbox;
  const fail = (error: unknown) => {
    if (error instanceof HttpError)
      send(response, error.status, errorBody(error.status, error.message, now()), error.headers);
    else send(response, 500, errorBody(500, 'Internal server error', now()));
  };
  // DNS rebinding: a page at evil.example resolving to 127.0.0.1 sends its own Host. Only the
  // names of this machine's loopback, with this port, reach a route.
  if (!sandbox.allowedHosts.has((request.headers.host ?? '').toLowerCase()))
    return send(response, 421, errorBody(421, 'Misdirected request: unknown Host', now()));
  if (request.method === 'GET' && request.url === '/_sandbox/stats')
    return send(response, 200, await stats(store));
  // The Hub is a page for people: no key, no rate limit, no injected faults.
  if (new URL(request.url ?? '/', 'http://sandbox').pathname === '/connect')
    return hub(sandbox, request, response);
  const delay = faults.delayMs();
  if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
  const fault = faults.draw();
  if (fault && !AFTER_ACTING.has(fault)) return injectBefore(fault, request, response, now());
  let answer: [number, unknown];
  try {
    answer = await handle(sandbox, request);
  } catch (error) {
    return fail(error);
  }
  if (fault) return injectAfter(fault, response, answer, now());
  send(response, answer[0], answer[1]);
}

/** The Hub: a page for people, posting back the customer's choice. */
async function hub(
  { store, now }: Sandbox,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const gone = () =>
    sendHtml(response, 404, errorPage('This link is unknown or has expired. Ask for a new one.'));
  const decided = (error: DecidedError) => sendHtml(response, 409, decidedPage(error.attempt));
  try {
    if (request.method === 'GET') {
      const token = new URL(request.url ?? '/', 'http://sandbox').searchParams.get('token') ?? '';
      const session = await liveSession(store, token, now());
      if (!session) return gone();
      await openAttempt(store, session, now());
      return sendHtml(response, 200, hubPage(session, token));
    }
    if (request.method !== 'POST') return sendHtml(response, 405, errorPage('Use the form.'));
    const form = new URLSearchParams(await readText(request, MAX_FORM_BYTES));
    const outcome = form.get('outcome') ?? '';
    const provider = form.get('provider') ?? '';
    if (!OUTCOMES.includes(outcome as Outcome) || provider === '')
      return sendHtml(response, 400, errorPage('Choose a provider, then a button.'));
    const { attempt } = await finishAttempt(
      store,
      form.get('token') ?? '',
      { outcome: outcome as Outcome, provider },
      now(),
    );
    return sendHtml(response, 200, resultPage(attempt, provider));
  } catch (error) {
    if (error instanceof UnknownTokenError) return gone();
    if (error instanceof DecidedError) return decided(error);
    if (error instanceof UnofferedProviderError)
      return sendHtml(response, 400, errorPage(`The ${error.message}.`, 'Not offered'));
    if (error instanceof HttpError)
      return sendHtml(response, error.status, errorPage(`${error.message}.`, 'Refused'));
    throw error;
  }
}

/** The API: a key, the rate limit, then the route. */
async function handle(sandbox: Sandbox, request: IncomingMessage): Promise<[number, unknown]> {
  const { store, now, limiter, accounts, profiles } = sandbox;
  const url = new URL(request.url ?? '/', 'http://sandbox');
  const route = `${request.method} ${url.pathname}`;
  const sessions =
    route === 'POST /connect_sessions' || route === 'POST /connect_sessions/authenticate';
  const byId =
    request.method === 'GET' ? /^\/connect_sessions\/([^/]+)$/.exec(url.pathname)?.[1] : undefined;
  const method = request.method ?? '';
  const routed =
    sessions || byId !== undefined
      ? undefined
      : (accounts.match(method, url.pathname) ?? profiles.match(method, url.pathname));
  if (!sessions && byId === undefined && !routed) throw new HttpError(404, `Cannot ${route}`);
  const state = await store.read();
  const project = authenticate(state, request.headers.authorization);
  limiter.take(project.apiKey, now().getTime());
  if (byId !== undefined) return readSession(sandbox, project, byId);
  if (routed)
    return routed(
      project,
      url.searchParams,
      method === 'PATCH' || method === 'PUT' ? await readJson(request) : undefined,
    );
  const body = await readJson(request);
  return route === 'POST /connect_sessions'
    ? createSession(sandbox, project, body)
    : authenticateToken(sandbox, project, body);
}

async function createSession(
  { store, now, redactor, baseUrl }: Sandbox,
  project: SandboxProject,
  body: unknown,
): Promise<[number, unknown]> {
  const problems = validateCreate(body);
  if (problems.length > 0) throw new HttpError(400, problems.join('; '));
  const fields = body as Record<string, unknown>;
  const token = randomBytes(32).toString('base64url');
  redactor.add(token);
  const created = now();
  const expiresIn =
    typeof fields.expires_in === 'number' ? fields.expires_in : DEFAULT_EXPIRES_IN_SECONDS;
  const session = await store.addSession((id, state): SandboxSession => {
    const organization = state.organizations.find((org) =>
      org.projects.some((p) => p.id === project.id),
    );
    const echoed = Object.fromEntries(
      ECHOED_FIELDS.filter((key) => key in fields).map((key) => [key, fields[key]]),
    );
    return {
      id,
      organizationId: organization?.id ?? '',
      projectId: project.id,
      tokenHash: hashToken(token),
      createdAt: created.toISOString(),
      expiresAt: new Date(created.getTime() + expiresIn * 1000).toISOString(),
      fields: {
        origin_owner_id: fields.origin_owner_id,
        origin_owner_name: fields.origin_owner_name,
        ...echoed,
      },
    };
  });
  const authLinkUrl = `${baseUrl}/connect?token=${encodeURIComponent(token)}`;
  return [201, { ...sessionBody(session, undefined), token, auth_link_url: authLinkUrl }];
}

async function authenticateToken(
  { store, now }: Sandbox,
  project: SandboxProject,
  body: unknown,
): Promise<[number, unknown]> {
  const token = (body as { token?: unknown } | null)?.token;
  if (typeof token !== 'string' || token === '')
    throw new HttpError(400, 'token must be a non-empty string');
  const session = await store.findSession(hashToken(token));
  if (
    !session ||
    session.projectId !== project.id ||
    Date.parse(session.expiresAt) <= now().getTime()
  ) {
    throw new HttpError(404, 'Connect session not found');
  }
  return [201, sessionBody(session, await store.latestAttempt(session.id))];
}

/** GET /connect_sessions/{id}: a session of the key's own project, expired or not. */
async function readSession(
  { store }: Sandbox,
  project: SandboxProject,
  rawId: string,
): Promise<[number, unknown]> {
  const id = decodeURIComponent(rawId);
  if (!/^\d+$/.test(id)) throw new HttpError(400, 'id must be a number');
  const session = await store.findSessionById(Number(id));
  if (!session || session.projectId !== project.id)
    throw new HttpError(404, 'Connect session not found');
  return [200, sessionBody(session, await store.latestAttempt(session.id))];
}

function sessionBody(
  session: SandboxSession,
  attempt: SandboxAttempt | undefined,
): Record<string, unknown> {
  const latest = attempt && (({ session_id: _session, ...wire }) => wire)(attempt);
  return {
    id: session.id,
    organization_id: session.organizationId,
    project_id: session.projectId,
    ...session.fields,
    created_at: session.createdAt,
    latest_connection_attempt: latest ?? null,
  };
}

/** A Hub form holds a token, a provider and a button: 64 KB is far more than enough. */
const MAX_FORM_BYTES = 64 * 1024;

const OUTCOMES: readonly Outcome[] = ['authenticated', 'error', 'cancelled'];

function authenticate(state: SandboxState, header: string | undefined): SandboxProject {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  const key = match?.[1]
    ? Buffer.from(match[1], 'base64').toString('utf8').replace(/:$/, '')
    : undefined;
  const project = state.organizations.flatMap((org) => org.projects).find((p) => p.apiKey === key);
  if (!project) throw new HttpError(401, 'Unauthorized');
  return project;
}

/** A sliding one-minute window per key, answering 429 with the seconds until a slot frees up. */
class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(private readonly perMinute: number) {}

  take(key: string, nowMs: number): void {
    if (this.perMinute <= 0) return;
    const recent = (this.hits.get(key) ?? []).filter((at) => at > nowMs - 60_000);
    if (recent.length >= this.perMinute) {
      const retryAfter = Math.max(1, Math.ceil((recent[0]! + 60_000 - nowMs) / 1000));
      this.hits.set(key, recent);
      throw new HttpError(429, 'Too many requests', { 'retry-after': String(retryAfter) });
    }
    recent.push(nowMs);
    this.hits.set(key, recent);
  }
}
