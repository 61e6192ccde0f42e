// A base URL, checked where it is read (CST_BASE_URL, a project's base_url) and again where a
// client is opened: http or https, with a host.
import { ConfigError } from '../core/errors.js';
import { isLoopback } from '../core/util/loopback.js';

export function parseBaseUrl(baseUrl: string, source?: string): URL {
  try {
    const url = new URL(baseUrl);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('protocol');
    return url;
  } catch {
    throw new ConfigError(
      `invalid base URL "${baseUrl}"${source ? ` in ${source}` : ''}`,
      'invalid_base_url',
      { hint: 'a base URL starts with its scheme: https://api.stackone.com' },
    );
  }
}

/** Plain http only to this machine: anywhere else, the API key would cross the network in clear. */
export const INSECURE_HINT =
  'use an https:// base URL (plain http is allowed only for loopback addresses)';

/** Why a base URL may not carry the key, or undefined when it may. */
export function insecureBaseUrl(url: URL): string | undefined {
  return url.protocol === 'http:' && !isLoopback(url.hostname)
    ? `refusing to send the API key over plain http to ${url.host}`
    : undefined;
}
