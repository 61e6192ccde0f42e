// Where cst keeps its files: XDG base directories, each overridable for tests and CI.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { envValue, type Env } from '../core/context.js';

function home(env: Env): string {
  return envValue(env, 'HOME') ?? homedir();
}

export function configDir(env: Env): string {
  return (
    envValue(env, 'CST_CONFIG_DIR') ??
    join(envValue(env, 'XDG_CONFIG_HOME') ?? join(home(env), '.config'), 'cst')
  );
}

export function stateDir(env: Env): string {
  return (
    envValue(env, 'CST_STATE_DIR') ??
    join(envValue(env, 'XDG_STATE_HOME') ?? join(home(env), '.local', 'state'), 'cst')
  );
}

/** The cache directory, as bin/cst.js finds it for the code cache. */
export function cacheDir(env: Env): string {
  const xdg = envValue(env, 'XDG_CACHE_HOME');
  return (
    envValue(env, 'CST_CACHE_DIR') ??
    join(xdg?.startsWith('/') ? xdg : join(home(env), '.cache'), 'cst')
  );
}

export function configFile(env: Env): string {
  return join(configDir(env), 'config.json');
}

/** "~/x" and paths relative to the config directory, as a hand-written config would use them. */
export function expandPath(path: string, env: Env): string {
  if (path === '~' || path.startsWith('~/')) return join(home(env), path.slice(1));
  return path.startsWith('/') ? path : join(configDir(env), path);
}
