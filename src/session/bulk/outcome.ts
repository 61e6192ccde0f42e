// What a failed request means for its row. The API client says what the request did at the
// server (RequestFate); a row is `failed` when it never got there or was refused (safe to send
// again), `unknown` when a session may exist.
import { CliError, NetworkError } from '../../core/errors.js';

export interface Outcome {
  status: 'failed' | 'unknown';
  /** The whole run stops: a bad key would fail every row the same way. */
  stopRun: boolean;
  network: boolean;
}

export function outcomeOf(error: unknown): Outcome {
  const fate = error instanceof CliError ? error.fate : undefined;
  return {
    // An error without a fate did not come from the request: cst cannot say it was not sent.
    status: fate === 'not_sent' || fate === 'rejected' ? 'failed' : 'unknown',
    stopRun:
      error instanceof CliError && (error.code === 'auth_rejected' || error.code === 'forbidden'),
    network: error instanceof NetworkError,
  };
}
