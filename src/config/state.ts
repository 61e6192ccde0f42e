// Which store keeps the ledger: CST_STATE_URL, else the variable the config's `state.url_env`
// names, else the local files. Resolved here, above ledger/, which takes the URL it is given.
import { envValue, type Context } from '../core/context.js';
import { ConfigError } from '../core/errors.js';
import { fileSpill, type Ledger, openLedger } from '../ledger/ledger.js';
import { loadConfig } from './config-file.js';
import { configFile, stateDir } from './paths.js';

/** The shared store's URL, or undefined for local files. */
export async function stateUrl(ctx: Pick<Context, 'env'>): Promise<string | undefined> {
  const direct = envValue(ctx.env, 'CST_STATE_URL');
  if (direct !== undefined) return direct;
  const { state } = await loadConfig(configFile(ctx.env));
  if (state === undefined) return undefined;
  const url = envValue(ctx.env, state.url_env);
  if (url === undefined)
    throw new ConfigError(
      `the config keeps state in the store named by ${state.url_env}, which is not set`,
      'config',
      {
        hint: `export ${state.url_env}=postgres://…, or remove "state" from the config for local files`,
      },
    );
  return url;
}

/** The ledger commands use: the sandbox's always local, every other target's where state is. */
export async function openStateLedger(ctx: Context, sandbox: boolean): Promise<Ledger> {
  const dir = stateDir(ctx.env);
  const url = sandbox ? undefined : await stateUrl(ctx);
  if (url === undefined) return openLedger(dir, sandbox, ctx);
  // The database backend, and the driver it loads, only for those who use one.
  const { PostgresLedger } = await import('../ledger/postgres.js');
  return new PostgresLedger(url, ctx, true, fileSpill(dir, ctx));
}
