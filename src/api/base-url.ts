// A base URL, checked where it is read (CST_BASE_URL, a project's base_url) and again where a
// client is opened: http or https, with a host.
import { ConfigError } from '../errors.js';

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
