// What a failed request means, in one line a person can act on: HTTP statuses, network
// failures (refused, DNS, TLS, lost after sending, a refusing proxy) and their hints.
import { ApiError, InvalidResponseError, NetworkError } from '../core/errors.js';
import { isTlsCode, neverSent } from './retry.js';
import { errorBodySchema } from './schemas.js';
import { isLoopback } from '../core/util/loopback.js';

export function errorMessage(text: string): string | undefined {
  try {
    const body = errorBodySchema.safeParse(JSON.parse(text));
    if (!body.success) return undefined;
    const message = body.data.message;
    return Array.isArray(message) ? message.join('; ') : message;
  } catch {
    return undefined;
  }
}

export const SERVER_MAY_HAVE_ACTED =
  'the server may have acted on the request; check before running it again';

export function httpError(
  status: number,
  message: string | undefined,
  label: string,
  retryAfterSend: boolean,
  auth: { keySource?: string | undefined; baseUrl?: string } = {},
  retryAfterMs?: number,
): ApiError {
  const detail = (what: string) =>
    `${what} (HTTP ${status} from ${label})${message ? `: ${oneLine(message)}` : ''}`;
  if (status === 401) {
    return new ApiError(detail('API key rejected'), 'auth_rejected', {
      status,
      fate: 'rejected',
      hint:
        auth.keySource === undefined
          ? 'check the key of the selected project, or CST_API_KEY'
          : `the key came from ${auth.keySource} and went to ${auth.baseUrl}: check it belongs there`,
    });
  }
  if (status === 403)
    return new ApiError(detail('forbidden'), 'forbidden', {
      status,
      fate: 'rejected',
    });
  if (status === 404)
    return new ApiError(detail('not found'), 'not_found', {
      status,
      fate: 'rejected',
    });
  if (status === 429) {
    return new ApiError(detail('rate limited'), 'rate_limited', {
      status,
      retryAfterMs,
      fate: 'rejected',
      hint: 'StackOne allows 1000 requests per minute per API key',
    });
  }
  const mayHaveActed = retryAfterSend ? undefined : SERVER_MAY_HAVE_ACTED;
  if (status === 408)
    return new ApiError(detail('request timed out'), 'request_timeout', {
      status,
      retryAfterMs,
      hint: mayHaveActed,
      fate: 'may_have_acted',
    });
  if (status >= 500)
    return new ApiError(detail('server error'), 'server_error', {
      status,
      hint: mayHaveActed,
      fate: 'may_have_acted',
    });
  if (status >= 300 && status < 400)
    return new ApiError(detail('unexpected redirect'), 'server_error', {
      status,
      fate: 'may_have_acted',
    });
  return new ApiError(detail('request rejected'), 'request_rejected', {
    status,
    fate: 'rejected',
  });
}

export function networkError(
  cause: unknown,
  label: string,
  origin: string,
  retryAfterSend: boolean,
  proxy?: string,
): NetworkError {
  const code = errorCode(cause);
  const reason = cause instanceof Error ? cause.message : String(cause);
  if (proxy !== undefined && (neverSent(code) || /proxy/i.test(reason))) {
    // Through a proxy, the first hop is the proxy: its refusal is not the API's.
    const why =
      code === 'ECONNREFUSED'
        ? 'refused the connection'
        : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
          ? 'cannot be resolved'
          : oneLine(reason);
    return new NetworkError(`the proxy ${proxy} ${why} (${label} to ${origin})`, 'proxy', {
      cause,
      fate: 'not_sent',
      hint: 'check HTTPS_PROXY / HTTP_PROXY, or exempt the host with NO_PROXY',
    });
  }
  if (code === 'ECONNREFUSED')
    return new NetworkError(`connection refused by ${origin} (${label})`, 'connection_refused', {
      cause,
      fate: 'not_sent',
      ...(isLoopback(new URL(origin).hostname)
        ? { hint: "nothing is listening there: is 'cst sandbox serve' running? (or use --sandbox)" }
        : {}),
    });
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new NetworkError(`cannot resolve ${new URL(origin).hostname} (${label})`, 'dns', {
      cause,
      fate: 'not_sent',
    });
  if (code === 'UND_ERR_CONNECT_TIMEOUT')
    return new NetworkError(`timed out connecting to ${origin} (${label})`, 'connect_timeout', {
      cause,
      fate: 'not_sent',
    });
  if (isTlsCode(code)) return tlsError(code, reason, label, origin, cause);
  if (neverSent(code))
    return new NetworkError(
      `cannot reach ${origin}: ${oneLine(reason)} (${label})`,
      'unreachable',
      { cause, fate: 'not_sent' },
    );
  const hint = retryAfterSend ? undefined : SERVER_MAY_HAVE_ACTED;
  const what =
    code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT'
      ? 'timed out waiting for a response from'
      : 'connection lost to';
  return new NetworkError(
    `${what} ${origin} after the request was sent (${label})`,
    'network_after_send',
    { cause, hint, fate: 'may_have_acted' },
  );
}

/** --timeout ran out before the whole response arrived; the request may have been sent. */
export function timeoutError(
  label: string,
  origin: string,
  timeoutMs: number,
  retryAfterSend: boolean,
): NetworkError {
  return new NetworkError(
    `no complete response from ${origin} within ${formatSeconds(timeoutMs)} (${label})`,
    'timeout',
    {
      fate: 'may_have_acted',
      hint: retryAfterSend
        ? 'raise --timeout if the server is slow'
        : `${SERVER_MAY_HAVE_ACTED}; raise --timeout if the server is slow`,
    },
  );
}

/** A response body over the cap is dropped unread: it is not what StackOne sends. */
export function tooLargeError(
  label: string,
  status: number,
  maxBytes: number,
  retryAfterSend: boolean,
): InvalidResponseError {
  return new InvalidResponseError(
    `invalid response from ${label} (HTTP ${status}): the body is larger than ${formatBytes(maxBytes)}`,
    {
      status,
      code: 'response_too_large',
      fate: 'may_have_acted',
      hint: retryAfterSend
        ? 'CST_MAX_RESPONSE_SIZE raises the limit'
        : `${SERVER_MAY_HAVE_ACTED}; CST_MAX_RESPONSE_SIZE raises the limit`,
    },
  );
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

function formatBytes(bytes: number): string {
  for (const [unit, size] of [
    ['GiB', 2 ** 30],
    ['MiB', 2 ** 20],
    ['KiB', 2 ** 10],
  ] as const)
    if (bytes >= size && bytes % size === 0) return `${bytes / size} ${unit}`;
  return `${bytes} bytes`;
}

export function errorCode(error: unknown): string {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET') return code;
    if (typeof code === 'string' && !(current.cause instanceof Error)) return code;
    current = current.cause;
  }
  return '';
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 300);
}

const UNTRUSTED_HINT = "trust the server's CA with --ca-file <pem> or NODE_EXTRA_CA_CERTS";

/** TLS failures in words a person can act on. */
function tlsError(
  code: string,
  reason: string,
  label: string,
  origin: string,
  cause: unknown,
): NetworkError {
  const host = new URL(origin).host;
  const [what, hint] =
    code === 'CERT_HAS_EXPIRED'
      ? [
          `the TLS certificate of ${host} has expired`,
          "check the machine's clock; otherwise the server must renew it",
        ]
      : code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || code === 'SELF_SIGNED_CERT_IN_CHAIN'
        ? [`the TLS certificate of ${host} is self-signed`, UNTRUSTED_HINT]
        : code.startsWith('UNABLE_TO_')
          ? [
              `the TLS certificate of ${host} is signed by an authority this machine does not trust`,
              UNTRUSTED_HINT,
            ]
          : code === 'ERR_TLS_CERT_ALTNAME_INVALID'
            ? [
                `the TLS certificate presented by ${host} is for another host name`,
                'check the base URL (a proxy or DNS entry may point elsewhere)',
              ]
            : [`TLS handshake with ${host} failed: ${oneLine(reason)}`, undefined];
  return new NetworkError(`${what} (${label})`, 'tls', { cause, hint, fate: 'not_sent' });
}
