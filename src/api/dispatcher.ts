import { Agent } from 'undici';

/** One keep-alive pool per process; the connect timeout is the only part that can't be per request. */
export function createDispatcher(connectTimeoutMs: number): Agent {
  return new Agent({ connect: { timeout: connectTimeoutMs }, keepAliveTimeout: 10_000 });
}
