// Talking to a target, the same way in every command: resolve it from flags, environment,
// config or the sandbox; open one keep-alive pool with the User-Agent, proxy, CA and timeout;
// name it for the ledger and journals; and release all of it. Commands get connections from
// `ctx.connect`, so a test can hand them one pointed at a scripted server.
import { openStateLedger } from '../config/state.js';
import { ApiClient, DEFAULT_MAX_RESPONSE_BYTES, type RetryInfo } from '../api/client.js';
import { DEFAULT_MAX_PAGES } from '../api/accounts.js';
import { createDispatcher } from '../api/undici.js';
import { parseBaseUrl } from '../api/base-url.js';
import { readFile } from 'node:fs/promises';
import { displayProxy, effectiveProxies, proxyFor, proxySettings } from '../config/proxy.js';
import { resolveTarget, type ResolveOptions, type Target } from '../config/target.js';
import type { TargetFlags } from '../options/target.js';
import { ConfigError, ioReason, UsageError } from '../core/errors.js';
import { type Context, envValue } from '../core/context.js';
import { targetId } from '../ledger/record.js';
import { type Ledger } from '../ledger/ledger.js';
import { warn } from '../core/output/messages.js';

const NO_PROXIES = { httpProxy: undefined, httpsProxy: undefined, noProxy: undefined };

export interface ConnectOptions extends ResolveOptions {
  /** Time limit for each HTTP attempt. */
  timeoutMs: number;
  /** Retry notices; by default a warning on stderr. */
  onRetry?: (info: RetryInfo) => void;
}

/** An open client for one target, and what cst keeps about that target. */
export interface Connection {
  readonly target: Target;
  readonly client: ApiClient;
  /** The target's identity in the ledger and in journals (never the key itself). */
  readonly id: string;
  /** The ledger of sessions issued through this target. */
  readonly ledger: Ledger;
  /** Waits for requests in flight, then releases the target (stops an in-process sandbox). */
  close(): Promise<void>;
  /** Drops requests in flight (after an interruption nobody waits for them), then releases. */
  destroy(): Promise<void>;
}

/** What commands that call the API get besides the base context. */
export interface CommandContext extends Context {
  connect(flags: TargetFlags, options: ConnectOptions): Promise<Connection>;
}

/** ctx.connect's real implementation: resolve the target, then open it. */
export async function connect(
  ctx: Context,
  flags: TargetFlags,
  options: ConnectOptions,
): Promise<Connection> {
  return openConnection(ctx, await resolveTarget(ctx, flags, options), options);
}

/** Opens a client for a target already resolved; on failure the target is released. */
export async function openConnection(
  ctx: Context,
  target: Target,
  options: ConnectOptions,
): Promise<Connection> {
  try {
    const url = parseBaseUrl(target.baseUrl);
    // The in-process sandbox never goes through a proxy; nor does plain http to loopback,
    // unless the proxy is on loopback too.
    const proxies =
      target.kind === 'sandbox' ? NO_PROXIES : effectiveProxies(url, proxySettings(ctx.env));
    const proxy = proxyFor(url, proxies);
    const { timeoutMs } = options;
    const dispatcher = await createDispatcher(timeoutMs, proxies, await trustedAuthorities(ctx));
    ctx.redactor.addApiKey(target.apiKey);
    ctx.debug(
      `target: ${target.kind}${target.org === null ? '' : ` ${target.org}/${target.project}`} at ${target.baseUrl}` +
        `, proxy: ${proxy === undefined ? 'none' : displayProxy(proxy)}`,
    );
    const client = new ApiClient({
      redactor: ctx.redactor,
      ...(ctx.globals.debug ? { onDebug: (line: string) => ctx.debug(line) } : {}),
      maxResponseBytes: maxResponseBytes(ctx),
      ...userAgentOf(ctx),
      baseUrl: target.baseUrl,
      apiKey: target.apiKey,
      keySource: target.keySource,
      dispatcher,
      timeoutMs,
      ...(proxy === undefined ? {} : { proxy: displayProxy(proxy) }),
      onRetry:
        options.onRetry ??
        (({ attempt, waitMs, reason }) =>
          warn(ctx, `${reason}; retrying in ${(waitMs / 1000).toFixed(1)}s (retry ${attempt})`)),
    });
    let released = false;
    const release = async (pool: Promise<void>) => {
      if (released) return;
      released = true;
      try {
        await pool;
      } finally {
        await target.close();
      }
    };
    return {
      target,
      client,
      id: targetId(target.kind, target.baseUrl, target.apiKey),
      ledger: await openStateLedger(ctx, target.kind === 'sandbox'),
      close: () => release(dispatcher.close()),
      destroy: () => release(dispatcher.destroy()),
    };
  } catch (error) {
    await target.close();
    throw error;
  }
}

/** Runs `fn` with a connection and always releases it: closed after success, destroyed after a failure. */
export async function withConnection<T>(
  ctx: CommandContext,
  flags: TargetFlags,
  options: ConnectOptions,
  fn: (connection: Connection) => Promise<T>,
): Promise<T> {
  return using(await ctx.connect(flags, options), fn);
}

/** Runs `fn` with a connection already open, and releases it as `withConnection` does. */
export async function using<T>(
  connection: Connection,
  fn: (connection: Connection) => Promise<T>,
): Promise<T> {
  let done = false;
  try {
    const result = await fn(connection);
    done = true;
    return result;
  } finally {
    await (done ? connection.close() : connection.destroy());
  }
}

/** CST_MAX_RESPONSE_SIZE: bytes, or a number with KiB, MiB or GiB (default 16 MiB). */
export function maxResponseBytes(ctx: Context): number {
  const text = envValue(ctx.env, 'CST_MAX_RESPONSE_SIZE');
  if (text === undefined) return DEFAULT_MAX_RESPONSE_BYTES;
  const match = /^(\d+)\s*(B|KiB|MiB|GiB)?$/i.exec(text.trim());
  const unit = { b: 1, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30 }[
    (match?.[2] ?? 'b').toLowerCase() as 'b'
  ];
  const bytes = match ? Number(match[1]) * unit : NaN;
  if (!Number.isSafeInteger(bytes) || bytes < 1024)
    throw new ConfigError(
      `CST_MAX_RESPONSE_SIZE: "${text}" is not a size of at least 1KiB (e.g. 64MiB)`,
      'config',
    );
  return bytes;
}

/** CST_MAX_PAGES: how many pages of a listing cst walks before it gives up (default 1000). */
export function maxPages(ctx: Context): number {
  const text = envValue(ctx.env, 'CST_MAX_PAGES');
  if (text === undefined) return DEFAULT_MAX_PAGES;
  const pages = /^\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isSafeInteger(pages) || pages < 1)
    throw new ConfigError(`CST_MAX_PAGES: "${text}" is not a whole number of pages`, 'config');
  return pages;
}

function userAgentOf(ctx: Context): { userAgent: string } {
  return {
    userAgent: `cst/${ctx.version} (node ${process.version}; ${process.platform} ${process.arch})`,
  };
}

/** --dry-run: the exact request that would be sent, Authorization redacted. */
export function describeCreate(ctx: Context, baseUrl: string, body: Record<string, unknown>) {
  return {
    method: 'POST',
    url: `${baseUrl.replace(/\/+$/, '')}/connect_sessions`,
    headers: {
      authorization: 'Basic [redacted]',
      'content-type': 'application/json',
      'user-agent': userAgentOf(ctx).userAgent,
    },
    body,
  };
}

/** Node's roots (with NODE_EXTRA_CA_CERTS) plus --ca-file; undefined leaves Node's default. */
async function trustedAuthorities(ctx: Context): Promise<string[] | undefined> {
  const { caFile } = ctx.globals;
  if (caFile === undefined) return undefined;
  let pem: string;
  try {
    pem = await readFile(caFile, 'utf8');
  } catch (error) {
    throw new UsageError(`--ca-file: ${caFile}: ${ioReason(error)}`);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----'))
    throw new ConfigError(`--ca-file: ${caFile} holds no PEM certificate`, 'config');
  const { rootCertificates } = await import('node:tls');
  // Passing `ca` replaces Node's trust store, so NODE_EXTRA_CA_CERTS is added back by hand.
  const extraPath = envValue(ctx.env, 'NODE_EXTRA_CA_CERTS');
  const extra = extraPath === undefined ? '' : await readFile(extraPath, 'utf8').catch(() => '');
  return [...rootCertificates, ...(extra === '' ? [] : [extra]), pem];
}
