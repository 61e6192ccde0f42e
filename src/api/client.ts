// The HTTP client for StackOne's platform API. It knows nothing about terminals: it turns every
// outcome into either validated data or a typed error, and retries only what is safe to retry.
import { EventEmitter } from 'node:events';
import type { Dispatcher } from 'undici';
import { request } from './undici.js';
import { REDACTED, Redactor } from '../core/util/redact.js';
import type * as z from 'zod/mini';
import { type ApiError, ConfigError, InvalidResponseError, NetworkError } from '../core/errors.js';
import {
  errorCode,
  errorMessage,
  httpError,
  networkError,
  timeoutError,
  tooLargeError,
} from './outcomes.js';
import { backoffMs, isCertificateCode, parseRetryAfter } from './retry.js';
import { INSECURE_HINT, insecureBaseUrl, parseBaseUrl } from './base-url.js';

export interface ApiClientOptions {
  baseUrl: string;
  apiKey: string;
  dispatcher: Dispatcher;
  userAgent: string;
  timeoutMs: number;
  maxRetries?: number;
  /** Longest Retry-After cst will sit through; longer ones fail at once. */
  maxRetryWaitMs?: number;
  /** Ends early, without an error, when the signal aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  now?: () => number;
  onRetry?: (info: RetryInfo) => void;
  /** Each request and response, already redacted by the caller's redactor. */
  onDebug?: (line: string) => void;
  redactor?: Redactor;
  /** The proxy requests go through (for messages: a refused proxy is the proxy's fault). */
  proxy?: string;
  /** Response bodies larger than this are refused (CST_MAX_RESPONSE_SIZE). */
  maxResponseBytes?: number;
  /** Where the key came from, named when the server rejects it. */
  keySource?: string;
  /** A caller's deadline: when it aborts, the request in flight and any retry wait end at once. */
  signal?: AbortSignal;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

export interface RetryInfo {
  method: string;
  path: string;
  attempt: number;
  waitMs: number;
  reason: string;
}

export interface RequestSpec<S extends z.ZodMiniType> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | string[] | undefined>;
  body?: unknown;
  schema: S;
  /** False for requests the server may act on twice (creating a session): no idempotency keys. */
  retryAfterSend: boolean;
}

export class ApiClient {
  readonly origin: string;
  private readonly basePath: string;
  private readonly authorization: string;
  private readonly options: Required<
    Omit<ApiClientOptions, 'onRetry' | 'onDebug' | 'proxy' | 'keySource' | 'signal'>
  > &
    Pick<ApiClientOptions, 'onRetry' | 'onDebug' | 'proxy' | 'keySource' | 'signal'>;

  constructor(options: ApiClientOptions) {
    const url = parseBaseUrl(options.baseUrl);
    const insecure = insecureBaseUrl(url);
    if (insecure !== undefined)
      throw new ConfigError(insecure, 'insecure_base_url', { hint: INSECURE_HINT });
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.authorization = `Basic ${Buffer.from(`${options.apiKey}:`).toString('base64')}`;
    this.options = {
      maxRetries: 3,
      maxRetryWaitMs: 60_000,
      sleep: (ms, signal) =>
        new Promise((resolve) => {
          const timer = setTimeout(resolve, ms);
          signal?.addEventListener(
            'abort',
            () => {
              clearTimeout(timer);
              resolve();
            },
            { once: true },
          );
        }),
      random: Math.random,
      now: Date.now,
      redactor: new Redactor(),
      maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
      ...options,
    };
    this.options.redactor.addApiKey(options.apiKey);
  }

  /** The same client, every request of which ends when `signal` aborts. */
  until(signal: AbortSignal): ApiClient {
    return new ApiClient({ ...this.options, signal });
  }

  /** Debug lines are built only when someone reads them: redacting a large body is not free. */
  private get debugging(): boolean {
    return this.options.onDebug !== undefined;
  }

  private debug(line: string): void {
    this.options.onDebug?.(this.options.redactor.text(line));
  }

  async request<S extends z.ZodMiniType>(spec: RequestSpec<S>): Promise<z.output<S>> {
    const label = `${spec.method} ${spec.path}`;
    let failed: Error | undefined;
    for (let attempt = 0; ; attempt++) {
      // The caller's deadline came during a retry wait: what failed is the last attempt's error.
      if (this.options.signal?.aborted) throw failed ?? new AbandonedError(label);
      const outcome = await this.attempt(spec, label);
      if (outcome.ok) return outcome.value;
      const { error, retryAfterMs } = outcome;
      failed = error;
      const retryable = outcome.retryable && !(error instanceof AbandonedError);
      const waitMs = backoffMs(attempt, retryAfterMs, this.options.random);
      if (
        !retryable ||
        attempt >= this.options.maxRetries ||
        waitMs > this.options.maxRetryWaitMs
      ) {
        this.debug(
          `no retry: ${!retryable ? (spec.retryAfterSend ? 'not retryable' : 'the server may have acted') : attempt >= this.options.maxRetries ? 'retries used up' : 'Retry-After too long'}`,
        );
        throw error;
      }
      this.debug(`retry ${attempt + 1} in ${Math.round(waitMs)} ms`);
      this.options.onRetry?.({
        method: spec.method,
        path: spec.path,
        attempt: attempt + 1,
        waitMs,
        reason: error.message,
      });
      await this.options.sleep(waitMs, this.options.signal);
    }
  }

  private async attempt<S extends z.ZodMiniType>(
    spec: RequestSpec<S>,
    label: string,
  ): Promise<
    | { ok: true; value: z.output<S> }
    | {
        ok: false;
        error: ApiError | NetworkError | InvalidResponseError;
        retryable: boolean;
        retryAfterMs?: number | undefined;
      }
  > {
    let response: Dispatcher.ResponseData;
    let text: string | undefined;
    const started = this.options.now();
    const body = spec.body === undefined ? null : JSON.stringify(spec.body);
    if (this.debugging) {
      this.debug(
        `→ ${spec.method} ${this.origin}${this.basePath}${spec.path}${queryString(spec.query)}`,
      );
      this.debug(
        `  headers: authorization: Basic ${REDACTED}, user-agent: ${this.options.userAgent}`,
      );
      if (body !== null) this.debug(`  body: ${this.options.redactor.body(body)}`);
    }
    // --timeout bounds the whole attempt, connect to last byte: undici's own timers are idle
    // timers, and a server that drips a byte a second would never trip them.
    // undici takes an EventEmitter as a signal: an AbortController costs ~0.6 ms to load.
    const deadline = new EventEmitter();
    let expired = false;
    const timer = setTimeout(() => {
      expired = true;
      deadline.emit('abort');
    }, this.options.timeoutMs);
    const { signal } = this.options;
    const abandon = () => deadline.emit('abort');
    signal?.addEventListener('abort', abandon, { once: true });
    try {
      response = await request(this.options.dispatcher, {
        origin: this.origin,
        path: this.basePath + spec.path + queryString(spec.query),
        method: spec.method,
        headers: {
          authorization: this.authorization,
          'user-agent': this.options.userAgent,
          accept: 'application/json',
          ...(spec.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body,
        signal: deadline,
        headersTimeout: this.options.timeoutMs,
        bodyTimeout: this.options.timeoutMs,
      });
      text = await readBody(response, this.options.maxResponseBytes);
    } catch (cause) {
      const error = signal?.aborted
        ? new AbandonedError(label)
        : expired
          ? timeoutError(label, this.origin, this.options.timeoutMs, spec.retryAfterSend)
          : networkError(cause, label, this.origin, spec.retryAfterSend, this.options.proxy);
      this.debug(
        `✗ ${label} after ${this.options.now() - started} ms: ${error.message} (${errorCode(cause) || 'no code'})`,
      );
      return {
        ok: false,
        error,
        // A certificate the client rejects will be rejected again: no point retrying.
        retryable:
          !isCertificateCode(errorCode(cause)) &&
          (error.fate !== 'may_have_acted' || spec.retryAfterSend),
      };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', abandon);
    }
    if (text === undefined) {
      const error = tooLargeError(
        label,
        response.statusCode,
        this.options.maxResponseBytes,
        spec.retryAfterSend,
      );
      this.debug(`✗ ${label}: ${error.message}`);
      return { ok: false, error, retryable: false };
    }

    const status = response.statusCode;
    this.debug(`← ${status} ${label} in ${this.options.now() - started} ms`);
    if (this.debugging && text !== '') {
      const type = response.headers['content-type'];
      this.debug(
        `  body: ${this.options.redactor.body(text, typeof type === 'string' ? type : undefined)}`,
      );
    }
    if (status >= 200 && status < 300) {
      return { ok: true, value: parseBody(spec.schema, text, label, status) };
    }
    const retryAfterMs = parseRetryAfter(response.headers['retry-after'], this.options.now());
    // Server text goes into messages that reach stdout, files and the ledger: some gateways echo
    // the request, Authorization header included, so it is redacted here, once, for all of them.
    const message = errorMessage(text);
    const error = httpError(
      status,
      message && this.options.redactor.text(message),
      label,
      spec.retryAfterSend,
      {
        keySource: this.options.keySource,
        baseUrl: this.options.baseUrl,
      },
      retryAfterMs,
    );
    const retryable = status === 429 || (spec.retryAfterSend && (status === 408 || status >= 500));
    return { ok: false, error, retryable, retryAfterMs };
  }
}

/** The caller's deadline passed with this request in flight: the caller reports its own end. */
export class AbandonedError extends NetworkError {
  constructor(label: string) {
    super(`abandoned ${label} at the deadline`, 'timeout', { fate: 'may_have_acted' });
  }
}

/** The body as text, or undefined when it is larger than `max` bytes (and is then dropped). */
async function readBody(
  response: Dispatcher.ResponseData,
  max: number,
): Promise<string | undefined> {
  const declared = Number(response.headers['content-length']);
  if (declared > max) {
    response.body.destroy();
    return undefined;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function queryString(query: RequestSpec<z.ZodMiniType>['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

function parseBody<S extends z.ZodMiniType>(
  schema: S,
  text: string,
  label: string,
  status: number,
): z.output<S> {
  let json: unknown;
  try {
    // 204 No Content: nothing to parse, and the schema says whether nothing will do.
    json = status === 204 && text === '' ? undefined : JSON.parse(text);
  } catch {
    throw new InvalidResponseError(
      `invalid response from ${label} (HTTP ${status}): body is not JSON`,
      { status, fate: 'may_have_acted' },
    );
  }
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  // Name the field and what was expected, never the value: it could be a token.
  const issue = result.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : '(body)';
  const expected =
    issue?.code === 'invalid_type' ? `expected ${issue.expected}` : (issue?.code ?? 'invalid');
  throw new InvalidResponseError(
    `invalid response from ${label} (HTTP ${status}): field "${field}": ${expected}`,
    { status, fate: 'may_have_acted', received: json },
  );
}
