// undici's index module loads fetch, WebSocket, caches and mocks, about 20 ms of start-up that
// cst never uses. cst takes the two modules it needs directly; the exact pin in package.json
// keeps these paths stable. `request` is undici's own Dispatcher#request, called on any
// dispatcher (an Agent here, a proxy agent or a MockAgent elsewhere).
import { setFlagsFromString } from 'node:v8';
import type { Dispatcher } from 'undici';
import AgentClass from 'undici/lib/dispatcher/agent.js';
import requestMethod from 'undici/lib/api/api-request.js';
import { announceV8Flags } from '../core/runtime.js';

export const Agent = AgentClass;

export function request(
  dispatcher: Dispatcher,
  options: Dispatcher.RequestOptions,
): Promise<Dispatcher.ResponseData> {
  return requestMethod.call(dispatcher, options);
}

export interface ProxySettings {
  httpProxy: string | undefined;
  httpsProxy: string | undefined;
  noProxy: string | undefined;
}

/**
 * One keep-alive pool per process; the connect timeout is the only part that can't be per
 * request. With a proxy configured, undici's EnvHttpProxyAgent, loaded only then: http targets
 * are forwarded (many proxies refuse CONNECT to port 80), https targets tunnel.
 */
export async function createDispatcher(
  connectTimeoutMs: number,
  proxy?: ProxySettings,
  ca?: string[],
): Promise<Dispatcher> {
  // undici parses HTTP with a WebAssembly build of llhttp. A CLI makes a few requests, so the
  // optimizing compiler's work never pays back: the baseline compiler alone saves ~60 ms.
  announceV8Flags();
  setFlagsFromString('--liftoff-only');
  const options = {
    connect: { timeout: connectTimeoutMs, ...(ca ? { ca } : {}) },
    keepAliveTimeout: 10_000,
    ...(ca ? { requestTls: { ca } } : {}),
  };
  if (proxy && (proxy.httpProxy !== undefined || proxy.httpsProxy !== undefined)) {
    const { default: EnvHttpProxyAgent } =
      await import('undici/lib/dispatcher/env-http-proxy-agent.js');
    // '' rather than undefined: undici would fall back to process.env, not cst's environment.
    return new EnvHttpProxyAgent({
      ...options,
      httpProxy: proxy.httpProxy ?? '',
      httpsProxy: proxy.httpsProxy ?? '',
      noProxy: proxy.noProxy ?? '',
      proxyTunnel: false,
    });
  }
  return new Agent(options);
}
