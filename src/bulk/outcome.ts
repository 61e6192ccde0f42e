// What a failed request means for its row, by what the client can know: `failed` when the
// server certainly did not act (safe to retry), `unknown` when it may have.
import { CliError, EXIT } from '../errors.js';

export interface Outcome {
  status: 'failed' | 'unknown';
  /** The whole run stops: a bad key would fail every row the same way. */
  stopRun: boolean;
  network: boolean;
}

const NEVER_SENT = new Set([
  'connection_refused',
  'dns',
  'connect_timeout',
  'tls',
  'unreachable',
  'proxy',
]);

export function outcomeOf(error: unknown): Outcome {
  if (!(error instanceof CliError)) return { status: 'unknown', stopRun: false, network: false };
  if (error.exitCode === EXIT.authRejected || error.exitCode === EXIT.forbidden)
    return { status: 'failed', stopRun: true, network: false };
  if (error.exitCode === EXIT.network)
    return {
      status: NEVER_SENT.has(error.code) ? 'failed' : 'unknown',
      stopRun: false,
      network: true,
    };
  if (error.exitCode === EXIT.server || error.exitCode === EXIT.invalidResponse)
    return { status: 'unknown', stopRun: false, network: false };
  // 400, 404, 409, 422, and 429 after the retries ran out: rejected, nothing was created.
  return { status: 'failed', stopRun: false, network: false };
}
