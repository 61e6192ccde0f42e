// Proxy settings from the environment, as curl and most CLIs read them (lower case first).
import { envValue, type Env } from '../core/context.js';
import { ConfigError } from '../core/errors.js';
import { isLoopback } from '../core/util/loopback.js';
import type { ProxySettings } from '../api/undici.js';

export function proxySettings(env: Env): ProxySettings {
  return {
    httpProxy: proxyUrl(env, 'http_proxy', 'HTTP_PROXY'),
    httpsProxy: proxyUrl(env, 'https_proxy', 'HTTPS_PROXY'),
    noProxy: envValue(env, 'no_proxy') ?? envValue(env, 'NO_PROXY'),
  };
}

/** A proxy URL; like curl, a value without a scheme means http://. */
function proxyUrl(env: Env, lower: string, upper: string): string | undefined {
  const name = envValue(env, lower) === undefined ? upper : lower;
  const value = envValue(env, name);
  if (value === undefined) return undefined;
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '')
    throw new ConfigError(`${name}: ${displayProxy(value)} is not a proxy URL`, 'config', {
      hint: 'a proxy looks like http://proxy.example.com:3128',
    });
  return text;
}

/**
 * Plain http to a loopback address (the sandbox, a local mock) goes direct unless the proxy is
 * itself on loopback: through a remote proxy, the API key would cross the network in clear.
 */
export function effectiveProxies(url: URL, settings: ProxySettings): ProxySettings {
  if (url.protocol !== 'http:' || !isLoopback(url.hostname)) return settings;
  const proxy = proxyFor(url, settings);
  if (proxy === undefined || isLoopback(new URL(proxy).hostname)) return settings;
  return { ...settings, httpProxy: undefined };
}

/** The proxy a request to `url` goes through, or undefined; the same rules as undici's. */
export function proxyFor(url: URL, settings: ProxySettings): string | undefined {
  const proxy =
    url.protocol === 'https:' ? (settings.httpsProxy ?? settings.httpProxy) : settings.httpProxy;
  if (proxy === undefined) return undefined;
  const entries = (settings.noProxy ?? '').split(/[,\s]+/).filter(Boolean);
  const host = url.hostname.toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  for (const entry of entries) {
    if (entry === '*') return undefined;
    const [name = '', entryPort] = entry.toLowerCase().split(':');
    if (entryPort !== undefined && entryPort !== port) continue;
    const bare = name.replace(/^\*?\./, '');
    if (host === bare || host.endsWith(`.${bare}`)) return undefined;
  }
  return proxy;
}

/** A proxy URL fit to print: userinfo cut. */
export function displayProxy(proxy: string): string {
  try {
    const url = new URL(proxy);
    url.username = '';
    url.password = '';
    return url.href.replace(/\/$/, '');
  } catch {
    return '(an unparsable URL)';
  }
}
