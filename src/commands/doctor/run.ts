// runDoctor: every setting with where it came from, secrets redacted; file permissions; the
// keyring; proxies; and whether each configured base URL answers. Exit 1 when something fails.
import { stateUrl } from '../../config/state.js';
import { stat } from 'node:fs/promises';
import { listAccounts } from '../../api/accounts.js';
import { DEFAULT_BASE_URL } from '../../api/constants.js';
import { networkError } from '../../api/outcomes.js';
import { createDispatcher, type ProxySettings } from '../../api/undici.js';
import { request } from '../../api/undici.js';
import { type ConfigFile, loadConfig } from '../../config/config-file.js';
import { configFile, stateDir } from '../../config/paths.js';
import { displayProxy, effectiveProxies, proxyFor, proxySettings } from '../../config/proxy.js';
import { envValue } from '../../core/context.js';
import { ApiError, CliError } from '../../core/errors.js';
import { renderRows } from '../../core/output/rows.js';
import { type CommandContext, type Connection } from '../../connection/connection.js';
import { mask } from '../../core/util/mask.js';
import type { DoctorOptions } from './options.js';

type Status = 'ok' | 'warn' | 'fail';
interface Check {
  check: string;
  status: Status;
  detail: string;
}

type Add = (check: string, status: Status, detail: string) => void;

/** Each check in turn, then the table; the connection a check opened is closed whatever fails. */
export async function runDoctor(options: DoctorOptions, ctx: CommandContext): Promise<void> {
  const checks: Check[] = [];
  const add: Add = (check, status, detail) =>
    checks.push({ check, status, detail: ctx.redactor.text(detail) });
  let selected: Connection | undefined;
  try {
    checkNode(add);
    const configured = await checkFiles(ctx, add);
    await checkStore(ctx, add);
    selected = await checkTarget(ctx, options, configured, add);
    await checkKeyring(options, configured, add);
    const proxies = checkProxies(ctx, add);
    await checkReach(ctx, options, { configured, selected, proxies }, add);
  } finally {
    await selected?.close();
  }
  await renderRows(
    ctx,
    {
      columns: [
        {
          header: 'STATUS',
          human: (c) => c.status,
          machine: (c) => c.status,
          style: (c) => (c.status === 'ok' ? 'good' : c.status === 'fail' ? 'bad' : 'muted'),
        },
        { header: 'CHECK', human: (c) => c.check, machine: (c) => c.check },
        { header: 'DETAIL', human: (c) => c.detail, machine: (c) => c.detail, shorten: true },
      ],
      rows: checks,
      json: (c) => ({ ...c }),
    },
    { format: options.json ? 'json' : undefined, field: undefined },
  );
  const failed = checks.filter((c) => c.status === 'fail').length;
  if (failed > 0)
    throw new CliError(`${failed} check${failed > 1 ? 's' : ''} failed`, 'doctor_failed');
}

function checkNode(add: Add): void {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  add(
    'node',
    major > 20 || (major === 20 && minor >= 19) ? 'ok' : 'fail',
    `v${process.versions.node} (cst needs >= 20.19)`,
  );
}

/** The config file and the state directory, with their permissions; the config, if readable. */
async function checkFiles(ctx: CommandContext, add: Add): Promise<ConfigFile> {
  const path = configFile(ctx.env);
  const configSource = envValue(ctx.env, 'CST_CONFIG_DIR') ? 'CST_CONFIG_DIR' : 'default';
  let configured: ConfigFile = { organizations: {} };
  try {
    configured = await loadConfig(path);
    add('config file', ...(await permissions(path, 0o600, `from ${configSource}`)));
  } catch (error) {
    add('config file', 'fail', (error as Error).message);
  }
  add(
    'state dir',
    ...(await permissions(
      stateDir(ctx.env),
      0o700,
      `from ${envValue(ctx.env, 'CST_STATE_DIR') ? 'CST_STATE_DIR' : 'default'}`,
    )),
  );
  return configured;
}

/**
 * Which store keeps the ledger: the local files, or the shared one (CST_STATE_URL), reached and
 * at this cst's schema version. Read only: doctor never migrates.
 */
async function checkStore(ctx: CommandContext, add: Add): Promise<void> {
  let url: string | undefined;
  try {
    url = await stateUrl(ctx);
  } catch (error) {
    add('state store', 'fail', (error as Error).message);
    return;
  }
  if (url === undefined) {
    add('state store', 'ok', 'local files in the state dir (CST_STATE_URL unset)');
    return;
  }
  const { PostgresLedger, SCHEMA_VERSION } = await import('../../ledger/postgres.js');
  const store = new PostgresLedger(url, ctx, false);
  try {
    const version = await store.version();
    add(
      'state store',
      version === SCHEMA_VERSION ? 'ok' : 'fail',
      version === SCHEMA_VERSION
        ? `${store.where}, schema version ${version}`
        : version < SCHEMA_VERSION
          ? `${store.where} is at schema version ${version}, cst needs ${SCHEMA_VERSION}: run 'cst state migrate'`
          : `${store.where} is at schema version ${version}, newer than this cst (${SCHEMA_VERSION}): upgrade cst`,
    );
  } catch (error) {
    add('state store', 'fail', (error as Error).message);
  }
}

/** The project a command would use, its key (masked) and base URL, each with its source. */
async function checkTarget(
  ctx: CommandContext,
  options: DoctorOptions,
  configured: ConfigFile,
  add: Add,
): Promise<Connection | undefined> {
  const { timeoutMs, selection: chosen } = options;
  const selection =
    chosen.org !== undefined || chosen.project !== undefined
      ? 'flag'
      : envValue(ctx.env, 'CST_ORG') || envValue(ctx.env, 'CST_PROJECT')
        ? 'env'
        : configured.default
          ? 'config default'
          : 'config';
  try {
    // A check must not stop to ask which project: it reports what would be chosen.
    const selected = await ctx.connect(chosen, { timeoutMs, prompt: false });
    const { target } = selected;
    const where =
      target.kind === 'env'
        ? 'CST_API_KEY (no project selected)'
        : `${target.org}/${target.project} (from ${selection})`;
    add('project', 'ok', where);
    add('api key', 'ok', `${mask(target.apiKey)} (from ${target.keySource})`);
    const baseSource =
      target.kind !== 'env'
        ? 'config'
        : envValue(ctx.env, 'CST_BASE_URL')
          ? 'env CST_BASE_URL'
          : 'default';
    add('base url', 'ok', `${target.baseUrl} (from ${baseSource})`);
    return selected;
  } catch (error) {
    add(
      'credentials',
      'fail',
      error instanceof CliError
        ? `${error.message}${error.hint ? ` (${error.hint})` : ''}`
        : String(error),
    );
    return undefined;
  }
}

/** A keyring that does not answer fails only when a project keeps its key there. */
async function checkKeyring(options: DoctorOptions, configured: ConfigFile, add: Add) {
  const { keyringStatus, KEYRING_UNREACHABLE } = await import('../../config/keyring.js');
  const keyring = await keyringStatus();
  const usesKeyring = Object.values(configured.organizations).some((o) =>
    Object.values(o.projects).some((p) => p.key_store === 'keyring'),
  );
  add(
    'keyring',
    keyring.available ? 'ok' : usesKeyring ? 'fail' : 'warn',
    keyring.available
      ? 'reachable (Secret Service)'
      : `${KEYRING_UNREACHABLE}; keys are stored in 0600 files${options.verbose ? ` (${keyring.reason.replace(/\s+/g, ' ')})` : ''}`,
  );
}

/** Proxy settings from the environment, userinfo removed. */
function checkProxies(ctx: CommandContext, add: Add): ProxySettings {
  let proxies: ProxySettings = { httpProxy: undefined, httpsProxy: undefined, noProxy: undefined };
  try {
    proxies = proxySettings(ctx.env);
  } catch (error) {
    add('proxy', 'fail', `${(error as CliError).message}; ${(error as CliError).hint}`);
    return proxies;
  }
  const shown = [
    proxies.httpsProxy && `HTTPS_PROXY=${displayProxy(proxies.httpsProxy)}`,
    proxies.httpProxy && `HTTP_PROXY=${displayProxy(proxies.httpProxy)}`,
    proxies.noProxy && `NO_PROXY=${proxies.noProxy}`,
  ].filter(Boolean);
  add('proxy', 'ok', shown.length > 0 ? shown.join(', ') : 'none');
  return proxies;
}

/** Whether each base URL answers (no key sent), then whether the selected key works. */
async function checkReach(
  ctx: CommandContext,
  options: DoctorOptions,
  found: { configured: ConfigFile; selected: Connection | undefined; proxies: ProxySettings },
  add: Add,
): Promise<void> {
  const { configured, selected, proxies } = found;
  const baseUrls = new Set<string>();
  for (const org of Object.values(configured.organizations))
    for (const p of Object.values(org.projects)) baseUrls.add(p.base_url ?? DEFAULT_BASE_URL);
  const envBase = envValue(ctx.env, 'CST_BASE_URL');
  if (envBase) baseUrls.add(envBase);
  // The selected target's, whatever selected it: the one a command would talk to.
  if (selected) baseUrls.add(selected.target.baseUrl);
  if (baseUrls.size === 0) baseUrls.add(DEFAULT_BASE_URL);
  const unreachable = new Set<string>();
  for (const baseUrl of baseUrls) {
    const [status, detail] = await reach(baseUrl, options.timeoutMs, proxies);
    if (status === 'fail') unreachable.add(baseUrl);
    add('reachable', status, detail);
  }
  if (selected && unreachable.has(selected.target.baseUrl))
    add('key works', 'warn', `not checked: ${selected.target.baseUrl} is not reachable`);
  else if (selected) add('key works', ...(await keyWorks(selected)));
}

async function permissions(
  path: string,
  wanted: number,
  source: string,
): Promise<[Status, string]> {
  try {
    const mode = (await stat(path)).mode & 0o777;
    if ((mode & 0o077) !== 0)
      return [
        'warn',
        `${path} is mode ${mode.toString(8)}: run chmod ${wanted.toString(8)} ${path}`,
      ];
    return ['ok', `${path} (mode ${mode.toString(8)}, ${source})`];
  } catch {
    return ['ok', `${path} (not created yet, ${source})`];
  }
}

/** Any HTTP answer means reachable; no API key is sent. */
async function reach(
  baseUrl: string,
  timeoutMs: number,
  proxies: ReturnType<typeof proxySettings>,
): Promise<[Status, string]> {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return ['fail', `${baseUrl} is not a URL`];
  }
  const used = effectiveProxies(url, proxies);
  const proxy = proxyFor(url, used);
  const via = proxy === undefined ? '' : ` via ${displayProxy(proxy)}`;
  const dispatcher = await createDispatcher(timeoutMs, used);
  const started = Date.now();
  try {
    const response = await request(dispatcher, {
      origin: url.origin,
      path: '/',
      method: 'GET',
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    await response.body.dump();
    return ['ok', `${url.origin}${via}: HTTP ${response.statusCode} in ${Date.now() - started} ms`];
  } catch (error) {
    // In words, as a request would say it: "connection refused by …", "cannot resolve …".
    const { message } = networkError(
      error,
      'GET /',
      url.origin,
      true,
      proxy && displayProxy(proxy),
    );
    return ['fail', `${message} after ${Date.now() - started} ms`];
  } finally {
    await dispatcher.close();
  }
}

/**
 * One cheap authenticated read (GET /accounts, one account) with the selected key: a key can
 * be well formed and still rejected, or lack the scope the Platform API needs.
 */
async function keyWorks({ client }: Connection): Promise<[Status, string]> {
  const started = Date.now();
  try {
    await listAccounts(client, {}, { pageSize: 1, limit: 1, maxPages: 1 });
    return ['ok', `GET /accounts accepted it in ${Date.now() - started} ms`];
  } catch (error) {
    if (error instanceof ApiError && error.status === 401)
      return ['fail', `rejected (HTTP 401): the key is wrong or revoked; ${error.hint ?? ''}`];
    if (error instanceof ApiError && error.status === 403)
      return [
        'fail',
        'forbidden (HTTP 403): the key lacks the Platform API scope (connect sessions, accounts); create one that has it in the StackOne dashboard',
      ];
    return ['fail', error instanceof CliError ? error.message : String(error)];
  }
}
