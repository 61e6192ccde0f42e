// Proxy settings from the environment, as curl and most CLIs read them (lower case first).
import { envValue, type Env } from '../context.js';
import type { ProxySettings } from '../api/undici.js';

export function proxySettings(env: Env): ProxySettings {
  return {
    httpProxy: envValue(env, 'http_proxy') ?? envValue(env, 'HTTP_PROXY'),
    httpsProxy: envValue(env, 'https_proxy') ?? envValue(env, 'HTTPS_PROXY'),
    noProxy: envValue(env, 'no_proxy') ?? envValue(env, 'NO_PROXY'),
  };
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
    return '(unparsable proxy URL)';
  }
}
